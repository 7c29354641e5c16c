/*
 * run.c - the functions of run.h's data: outcome names, which outcomes are
 * limits, a capture as one text, freeing a run.
 */
#include <stdlib.h>
#include "i18n.h"
#include "run.h"
#include "trace.h"
#include "util.h"

const char *outcome_name(enum outcome o)
{
	static const char *const names[] = {
		[OUT_EXITED] = N_("exited"),
		[OUT_SIGNALED] = N_("signal"),
		[OUT_TIME_CPU] = N_("time limit (cpu)"),
		[OUT_TIME_WALL] = N_("time limit (wall)"),
		[OUT_MEMORY] = N_("memory limit"),
		[OUT_OUTPUT] = N_("output limit"),
		[OUT_PROCESSES] = N_("process limit"),
		[OUT_FORBIDDEN] = N_("forbidden system call"),
		[OUT_FILE_SIZE] = N_("file size limit"),
	};
	if ((unsigned)o < ARRAY_SIZE(names) && names[o])
		return names[o];
	return "unknown";
}

bool outcome_is_limit(enum outcome o)
{
	switch (o) {
	case OUT_TIME_CPU: case OUT_TIME_WALL: case OUT_MEMORY: case OUT_OUTPUT:
	case OUT_PROCESSES: case OUT_FILE_SIZE:
		return true;
	case OUT_EXITED: case OUT_SIGNALED: case OUT_FORBIDDEN:
		return false;
	}
	return false;
}

void run_free(struct run *r)
{
	if (!r)
		return;
	buf_free(&r->out.head);
	buf_free(&r->out.tail);
	buf_free(&r->err.head);
	buf_free(&r->err.tail);
	trace_free(r->trace);
	r->trace = NULL;
}

char *capture_text(const struct capture *c)
{
	struct buf b = BUF_INIT;
	size_t kept = c->head.len + c->tail.len;

	buf_add(&b, buf_str(&c->head), c->head.len);
	if (c->total > kept)
		buf_addf(&b, "\n[... %zu bytes cut ...]\n", c->total - kept);
	buf_add(&b, buf_str(&c->tail), c->tail.len);
	return buf_detach(&b);
}
