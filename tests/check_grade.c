/*
 * check_grade.c - grade.c's verdicts beyond what the checks say: a test
 * whose process a crash signal killed names where, from the trace's
 * backtrace (grade_submission on the faulty submissions of half_copy;
 * the expected lines are found in their sources, not written here).  The
 * student's file is built as half_copy.c, the name they know it by.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grade.h"
#include "util.h"

#define SUBS "tests/submissions/half_copy/"

/* The line number of the first line of path holding needle. */
static int line_of(const char *path, const char *needle)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int n = 0;

	ck_assert_msg(f != NULL, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, needle)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	ck_abort_msg("no \"%s\" in %s", needle, path);
	return 0;
}

/* Grade submission and return the message of its test called name. */
static char *message_of(const char *submission, const char *name, char **status)
{
	struct spec s;
	struct result r;
	struct grade_opts o = {.seed = 1, .quiet = true};
	char *msg = NULL;

	ck_assert_msg(spec_load("exercises/half_copy/spec.yaml", &s) == 0, "%s", error_get());
	ck_assert_msg(grade_submission(&s, submission, &o, &r) == 0, "%s", error_get());
	for (size_t i = 0; i < r.ntests; i++)
		if (!strcmp(r.tests[i].name, name)) {
			msg = xstrdup(r.tests[i].message ? r.tests[i].message : "");
			*status = xstrdup(r.tests[i].status ? r.tests[i].status : "");
		}
	ck_assert_msg(msg != NULL, "no test %s", name);
	result_free(&r);
	spec_free(&s);
	return msg;
}

#define assert_has(text, want) ck_assert_msg(strstr((text), (want)), "want \"%s\" in \"%s\"", \
					     (want), (text))

static int harness_call(void)
{
	return line_of("exercises/half_copy/harness/main.c", "half_copy(argv");
}

START_TEST(segv_in_a_function)
{
	char *status, *msg = message_of(SUBS "null_deref.c", "odd size", &status);
	char *want = xasprintf("the program was killed by SIGSEGV (address 0x0) in measure() at "
			       "half_copy.c:%d, called from half_copy() at half_copy.c:%d, called "
			       "from main() at main.c:%d\n", line_of(SUBS "null_deref.c", "crash:"),
			       line_of(SUBS "null_deref.c", "measure(src) < 0"), harness_call());
	ck_assert_str_eq(status, "signal (SIGSEGV)");
	ck_assert_str_eq(msg, want);
	free(msg), free(status), free(want);
}
END_TEST

START_TEST(abort_from_assert)
{
	char *status, *msg = message_of(SUBS "assert_even.c", "odd size", &status);
	char *want = xasprintf("called from half_copy() at half_copy.c:%d, called from main() at "
			       "main.c:%d\n", line_of(SUBS "assert_even.c", "crash:"), harness_call());
	ck_assert_str_eq(status, "signal (SIGABRT)");
	ck_assert_msg(!strncmp(msg, "the program was killed by SIGABRT in ", 37), "%s", msg);
	assert_has(msg, want);
	free(msg), free(status), free(want);
}
END_TEST

START_TEST(crash_in_a_child)
{
	char *status, *msg = message_of(SUBS "child_crash.c", "two processes write the halves",
					 &status);
	char *want = xasprintf("child #1 (of the program) was killed by SIGSEGV (address 0x0) in "
			       "fill() at half_copy.c:%d, called from half_copy() at half_copy.c:%d, "
			       "called from main() at main.c:%d\n",
			       line_of(SUBS "child_crash.c", "crash:"),
			       line_of(SUBS "child_crash.c", "fill(16)"), harness_call());
	ck_assert_str_eq(status, "wrong answer");     /* the program itself exits */
	assert_has(msg, want);
	free(msg), free(status), free(want);
}
END_TEST

Suite *suite_grade(void);
Suite *suite_grade(void)
{
	Suite *s = suite_create("grade");
	TCase *tc = tcase_create("crash");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, segv_in_a_function);
	tcase_add_test(tc, abort_from_assert);
	tcase_add_test(tc, crash_in_a_child);
	suite_add_tcase(s, tc);
	return s;
}
