/*
 * spec.h - an exercise's spec.yaml as a typed structure.
 *
 * spec_load() parses and validates the whole file (YAML via libyaml, every
 * structure through its schema, see schema.h); after it succeeds every test,
 * input and expectation is known to be well formed, so later stages never
 * meet a malformed spec.  The reference for the language is
 * exercises/README.md; the schemas below are its source of truth.
 *
 * Ownership: struct spec owns everything it points to; spec_free() releases
 * it all (including each expectation's params, freed through its schema).
 */
#ifndef SPEC_H
#define SPEC_H

#include <stddef.h>
#include "run.h"     /* struct limits */
#include "schema.h"
#include "trace_fault.h"   /* struct fault */
#include "util.h"

/* A generated input: written into the scratch dir before the run, and
 * published as variables for templates (see vars.h):
 *   random_bytes: N   -> NAME.size
 *   text: "..."       -> NAME.size
 *   random_ints:      -> NAME.count NAME.sum NAME.min NAME.max, and the
 *      {count, min, max}  values themselves for `each_line ... over: NAME`
 *                        (file: one decimal integer per line)
 *   missing: true     -> the file must not exist (NAME.size = -1)
 * Everything random comes from the run's seed.                          */
struct input {
	char *name;         /* variable prefix; defaults to the file name */
	char *file;         /* path relative to scratch; required         */
	long random_bytes;
	char *text;
	struct random_ints { long count, min, max; } random_ints;
	int missing;
	int line, col;
};

struct check;
/* One item of a test's `expect:` list: a check and its parsed parameters. */
struct expect {
	const struct check *check;
	void *params;       /* struct described by check->params; owned */
	char *label;        /* optional `label:` shown in messages       */
	char *hint;         /* optional `hint:` shown under its failure  */
	char *hint_zh;      /* optional `hint_zh:`, shown instead when the
			       grader speaks Chinese (i18n.h); needs hint */
	int line, col;
};

enum { TRACE_NONE = 0, TRACE_FULL = 1, TRACE_LIFECYCLE = 2 };

/* `send:` a signal the grader sends (struct signal_send in trace.h). */
struct send {
	char *signal;       /* "SIGUSR1" */
	char *after_output; /* a line on stdout, without '\n' */
	char *after_marker;
	long before_wait;   /* the target's Nth pause/sigsuspend (UNSET: no) */
	long delay_ms, gap_ms, times, child;
};

/* `pace:` slow the program where concurrency shows (tracer_opts.pace_*). */
struct pace {
	char *marker;       /* each harness marker starting with it sleeps first */
	int writes;         /* 1: each traced write sleeps first (-1 unset) */
	long ms;            /* how long (UNSET: no pace) */
};

struct test {
	char *name;
	double points;      /* default 1 */
	char *visibility;   /* gradescope: visible (default), hidden, after_due_date, after_published */
	char **tags;        /* gradescope: the test's tags, or NULL */
	char **run;         /* argv; argv[0] "harness" means the built harness; templates allowed */
	char *stdin_text;   /* template; NULL: stdin is /dev/null */
	struct input *inputs; size_t ninputs;
	char **vars;        /* `vars:` NAME, EXPR, ...: integers computed after the
			       inputs, in order, from seed, the inputs' and the
			       earlier ones; for templates (run, stdin, checks) */
	struct fault *faults; size_t nfaults;
	struct expect *expects; size_t nexpects;
	struct limits limits;
	int trace;          /* TRACE_FULL: every event (the default if a check,
			       a fault or race provocation needs it);
			       TRACE_LIFECYCLE: fork, exec, wait, exit and a
			       hang's diagnosis only (the default otherwise);
			       TRACE_NONE: not traced ('trace: false') */
	bool pipe_writes;   /* a check or the pace judges writes to pipes: each is traced */
	struct pace pace;
	struct send *sends; size_t nsends;
	long repeat;        /* run N times, every run must pass (default 1) */
	long race;          /* race provocation: the tracer single-steps the children in
			       seeded random bursts for up to this many steps (0: off);
			       the schedule's seed is the run's seed, so it replays */
	int line, col;
};

struct build {
	char **sources;     /* paths relative to the exercise dir or the student's files */
	char **cflags;
	char **ldflags;
	struct limits limits;
};

struct spec {
	char *path;         /* the spec.yaml as given */
	char *dir;          /* the exercise directory (dirname of path) */
	char *exercise;     /* required: the exercise name */
	char *title;
	char *title_zh;     /* optional: the title when the grader speaks Chinese */
	char **student_files;  /* required: files the student submits, e.g. half_copy.c */
	struct build build;
	struct limits limits;  /* defaults for every test */
	struct test *tests; size_t ntests;
};

/* Parse and validate path.  0, or -1 with error_get() = "PATH:LINE:COL: msg". */
int spec_load(const char *path, struct spec *out);
void spec_free(struct spec *s);

/* The spec's own text without the tests students do not see at once
   (visibility other than "visible"), for a student's handout: the lines
   of those items of `tests:` are cut (with the comment lines just above
   each), and the result is loaded again to make sure it is still a
   valid spec with exactly the visible tests.  0, or -1 (error set: no
   visible test, a flow-style `tests:`, an anchor a visible test needs). */
int spec_visible_text(const struct spec *s, struct buf *out);

/* The limits for a test: the test's own, else the spec's, else defaults. */
struct limits spec_limits(const struct spec *s, const struct test *t);
/* The default limits for compiling. */
struct limits spec_build_limits(const struct spec *s);

/* The spec language: every structure and every check with its keys, their
   types and what they mean (`grader lint --explain`). */
void spec_explain(struct buf *out);

#endif
