/*
 * stage.h - a fresh scratch directory for one submission: the student's
 * files and the exercise harness, nothing else of the grader.
 *
 *   <scratch>/src/    student files + harness sources (compiled here), and
 *                     harness.h: exercises/harness.h, built into the grader
 *   <scratch>/run/    working directory of each test (emptied between tests)
 */
#ifndef STAGE_H
#define STAGE_H

#include "intake.h"
#include "spec.h"

struct stage {
	char *root;         /* the scratch directory (removed by stage_free) */
	char *src;          /* root/src */
	char *run;          /* root/run */
	char *inputs;       /* root/inputs: the grader's copies of a test's inputs */
	char *binary;       /* root/src/harness after a successful build */
	struct intake intake;
	int keep;           /* keep the directory (--keep) */
};

/* The shared harness header's name in src/ (`#include "harness.h"`). */
#define STAGE_HARNESS_H "harness.h"

/* Make the scratch dir and copy student files and harness.  0 or -1. */
int stage_prepare(const struct spec *s, const char *submission, struct stage *st);
/* Copy the exercise's own files into dest: the shared harness.h, the
   headers next to spec.yaml (an exercise's own harness.h wins), the
   harness directory, and every build source that is not a student file.
   0 or -1. */
int stage_harness(const struct spec *s, const char *dest);
/* Empty root/run and copy the built binary into it for the next test. 0/-1 */
int stage_reset_run(struct stage *st);
void stage_free(struct stage *st);

#endif
