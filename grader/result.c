/*
 * result.c - freeing a struct result and turning it into an exit status.
 * See result.h.
 */
#include <stdlib.h>
#include <string.h>
#include "result.h"
#include "util.h"

static void test_verdict_free(struct test_verdict *t)
{
	for (size_t i = 0; i < t->nchecks; i++) {
		free(t->checks[i].check);
		free(t->checks[i].label);
		free(t->checks[i].message);
	}
	free(t->checks);
	free(t->name);
	free(t->visibility);
	strv_free(t->tags);
	free(t->status);
	free(t->status_text);
	free(t->message);
	free(t->args);
	run_free(&t->run);
}

void result_free(struct result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ntests; i++)
		test_verdict_free(&r->tests[i]);
	free(r->tests);
	free(r->exercise);
	free(r->title);
	free(r->submission);
	free(r->student);
	free(r->compile_output);
	strv_free(r->files_found);
	strv_free(r->files_missing);
	free(r->lms_id);
	strv_free(r->files_ambiguous);
	strv_free(r->intake_notes);
	memset(r, 0, sizeof(*r));
}

int result_exit_status(const struct result *r)
{
	if (!r->compiled || (r->files_missing && r->files_missing[0]))
		return 1;
	for (size_t i = 0; i < r->ntests; i++)
		if (!r->tests[i].passed)
			return 1;
	return 0;
}
