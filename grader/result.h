/*
 * result.h - the one structure every report formats.
 *
 * grade.c fills it; report_*.c only read it.  It owns its strings.
 */
#ifndef RESULT_H
#define RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include "run.h"

/* The events (trace sequence numbers) a failed check names, e.g. the two
   that came in the wrong order: the timeline marks them. */
#define BLAME_MAX 4
struct check_blame {
	unsigned long seq[BLAME_MAX];
	size_t n;
};

struct check_result {
	char *check;        /* check name, e.g. "stdout"                  */
	char *label;        /* optional spec label                        */
	int line;           /* spec line of the expectation               */
	bool passed;
	char *message;      /* why it failed (NULL when passed)           */
	struct check_blame blame;  /* the traced events it failed on      */
};

struct test_verdict {
	char *name;
	char *visibility;   /* as in the spec (gradescope)                */
	char **tags;        /* as in the spec (gradescope), or NULL       */
	double score, max_score;
	bool passed;
	char *status;       /* "passed", "wrong answer", "runtime error (exit 3)",
			       "signal (SIGSEGV)", "time limit (wall)", "memory limit",
			       "output limit", "process limit", "forbidden system call: socket(AF_INET)",
			       "compile error", "not run": a keyword, always English
			       (reports for machines, selftest's expectations) */
	char *status_text;  /* the same for people, in the grader's language (i18n.h) */
	char *message;      /* why the run ended as it did when no check could say it:
			       a limit hit, the deadlock diagnosis (what each live process
			       was blocked in), where a crash signal killed a process (a
			       line each), "not run: ...".  NULL otherwise.  Reports
			       show it above the failing checks. */
	struct check_result *checks; size_t nchecks;
	struct run run;     /* figures, output and trace of the (last) run */
	bool ran;           /* false if the test was not run (compile error) */
	char *args;         /* the command line, for "how to reproduce"   */
};

struct result {
	char *exercise;
	char *title;
	char *submission;   /* as given                                   */
	char *student;      /* a name for gradebooks (file or dir name)   */
	const char *lms;    /* where the student is known: "canvas", "moodle",
			       "blackboard" (static), or NULL (batch sets it) */
	char *lms_id;       /* their id there (intake.h: struct lms_student) */
	bool late;          /* the LMS marked the submission late          */
	unsigned long seed; /* replay with --seed                         */
	const struct sandbox_info *sandbox;
	bool compiled;
	char *compile_output;   /* trimmed compiler messages (may be NULL)  */
	char **files_found;     /* when a student file was missing          */
	char **files_missing;
	char **files_ambiguous; /* of files_missing, those there several times
				   equally deep (intake.h): none used */
	char **intake_notes;    /* what intake skipped or renamed (shown to the student) */
	double score, max_score;
	double elapsed_ms;
	struct test_verdict *tests; size_t ntests;
};

void result_free(struct result *r);
/* Exit status for the command line: 0 all passed, 1 otherwise. */
int result_exit_status(const struct result *r);

#endif
