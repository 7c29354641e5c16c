/*
 * check.h - the checks: small pure functions from (params, finished run) to
 * a verdict and a message.
 *
 * A check starts no process and changes nothing: it reads the finished run
 * (exit status, captured output, files left in the scratch directory, the
 * trace) and the grader's own variables (expected values), and says whether
 * the expectation holds.  On failure it writes a message a student can act
 * on: what was expected, what happened (which process, which call), and a
 * hint.  Checks are found by name in a table (check.c), like git's
 * commands[]; the spec names them in `expect:` items.
 */
#ifndef GRADER_CHECK_H
#define GRADER_CHECK_H

#include <stdbool.h>
#include "schema.h"
#include "util.h"

struct spec;
struct test;
struct run;
struct trace;
struct vars;

struct check_blame;   /* result.h */
struct event;         /* trace.h */

struct check_ctx {
	const struct spec *spec;
	const struct test *test;
	const struct run *run;
	const struct trace *trace;  /* run->trace; NULL if the test was not traced */
	const struct vars *vars;    /* the inputs' variables (expected values)   */
	const char *scratch;        /* where the program ran; its files are here  */
	const char *inputs;         /* the grader's own copies of the generated inputs
				       (the program may have changed those in scratch);
				       NULL: use scratch */
	struct check_blame *blame;  /* where a failing check names the events it
				       failed on (check_blame); may be NULL */
};

/* Name an event a failure is about (ignored past BLAME_MAX, or without
   c->blame). */
void check_blame(const struct check_ctx *c, const struct event *e);

/* 1: holds.  0: does not hold; msg says why.  -1: grader fault (error set),
   e.g. a template that names an unknown variable. */
/* What a check needs of the run. */
enum check_needs {
	NEEDS_OUTPUT,               /* the output and the exit only */
	NEEDS_TRACE,                /* the test must run under the tracer */
	NEEDS_PIPE_WRITES,          /* ... with every write to a pipe traced
				       (tracer_opts.pipe_writes) */
};

typedef int check_fn(const void *params, const struct check_ctx *c, struct buf *msg);

struct check {
	const char *name;           /* the key in the spec: "exit", "stdout", ... */
	const struct schema *params;
	check_fn *fn;
	enum check_needs needs;
	const char *summary;        /* one line for `grader list` and `grader lint --explain` */
};

/* The check called name, or NULL. */
const struct check *check_find(const char *name);
/* All checks, for listing: calls fn for each. */
void check_each(void (*fn)(const struct check *, void *), void *arg);

/* Tables provided by the files that implement the checks. */
extern const struct check output_checks[];   /* check.c: exit, stdout, stderr, file */
extern const size_t n_output_checks;
extern const struct check lines_checks[];    /* check_lines.c: lines */
extern const size_t n_lines_checks;
extern const struct check trace_checks[];    /* check_trace.c: processes, writers, opened_itself,
						order, ipc, markers, busy_wait, signals,
						pipe_writes */
extern const size_t n_trace_checks;

/* The number of a signal written "SIGSEGV" or "SEGV", or 0 if unknown. */
int check_signal_number(const char *name);

/* Message helpers.  Each appends one line to msg and returns 0 (fail). */
int check_fail(struct buf *msg, const char *fmt, ...) PRINTF(2, 3);
/* Append "  hint: ..." (returns 0). */
int check_hint(struct buf *msg, const char *fmt, ...) PRINTF(2, 3);
/* Quote a piece of output for a message: printable, escapes \n \t \xNN,
   at most max bytes then "..." */
void check_quote(struct buf *msg, const char *data, size_t len, size_t max);

#endif
