/*
 * grade.h - the pipeline for one submission: intake, stage, build, run each
 * test, check, into a struct result.  Used by `check` and by `batch`.
 */
#ifndef GRADE_H
#define GRADE_H

#include <stdbool.h>
#include "result.h"
#include "spec.h"

struct grade_opts {
	unsigned long seed;     /* inputs are generated from it */
	bool keep;              /* keep the scratch directory */
	bool quiet;             /* no progress lines on stderr */
};

/* 0: *r is the graded result (possibly 0 points).  -1: could not grade. */
int grade_submission(const struct spec *s, const char *submission,
		     const struct grade_opts *o, struct result *r);

/* A seed from the clock and pid (used when --seed is not given). */
unsigned long grade_new_seed(void);

#endif
