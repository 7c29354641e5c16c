/*
 * batch.h - grade many submissions into OUTDIR, resumably.
 *
 *   OUTDIR/grades.csv          header + one row per student (never duplicated)
 *   OUTDIR/reports/<student>.txt, .json, .html
 *   OUTDIR/summary.txt         counts, score histogram, failures by test
 *   OUTDIR/canvas.csv, moodle.csv  with --format (gradebook_lms.h)
 * A rerun with the same OUTDIR skips students already in grades.csv.
 */
#ifndef BATCH_H
#define BATCH_H

#include "spec.h"
#include "grade.h"

struct batch_opts {
	const char *outdir;
	int jobs;               /* parallel graders (default: number of cores) */
	const char *format;     /* NULL, or "canvas"/"moodle": also write
				   OUTDIR/<format>.csv, what that LMS imports */
	struct grade_opts grade;
};

/* 0: all graded (some may be grader faults, listed in summary); -1 error. */
int batch_run(const struct spec *s, char *const *submissions, const struct batch_opts *o);

/* batch_run with another grading function in place of grade_submission
   (the tests use a fake one; it runs in the worker process). */
typedef int (*batch_grade_fn)(const struct spec *s, const char *submission,
			      const struct grade_opts *o, struct result *r);
int batch_run_with(const struct spec *s, char *const *submissions, const struct batch_opts *o,
		   batch_grade_fn grade);

#endif
