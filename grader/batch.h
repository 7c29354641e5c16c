/*
 * batch.h - grade many submissions into OUTDIR, resumably.
 *
 *   OUTDIR/grades.csv          header + one row per student (never duplicated)
 *   OUTDIR/reports/<student>.txt, .json, .html
 *   OUTDIR/summary.txt         counts, score histogram, failures by test
 *   OUTDIR/canvas.csv, moodle.csv  with --format (gradebook_lms.h)
 *   OUTDIR/.batch/roster       every student of the listing and their shard
 *   OUTDIR/.batch/exercise     its name, title and tests (for merge)
 * A rerun with the same OUTDIR skips students already in grades.csv.
 */
#ifndef BATCH_H
#define BATCH_H

#include "spec.h"
#include "grade.h"

struct batch_opts {
	const char *outdir;
	int jobs;               /* parallel graders; 0: as many as the CPUs have
				   room for, one per CPU at least (batch.c) */
	unsigned shard, shards; /* grade share shard of shards (0 <= shard <
				   shards), chosen by a hash of each student's
				   name and LMS id; shards 0: everyone */
	const char *format;     /* NULL, or "canvas"/"moodle": also write
				   OUTDIR/<format>.csv, what that LMS imports */
	struct grade_opts grade;
	double (*runnable)(void); /* tests: stands for the count of the batch's
				     processes that run (jobs 0; batch.c) */
};

/* 0: all graded (some may be grader faults, listed in summary); -1 error. */
int batch_run(const struct spec *s, char *const *submissions, const struct batch_opts *o);

/* Join the OUTDIRs of the shards of one batch (indirs, NULL-terminated)
   into o->outdir: grades.csv, reports, errors, summary (and o->format).
   -1 (error set) when they are not shards of one batch, when a student is
   in two of them (nothing is written then), or when students are in none
   (everything else is written, and the error names them). */
int batch_merge(char *const *indirs, const struct batch_opts *o);

/* batch_run with another grading function in place of grade_submission
   (the tests use a fake one; it runs in the worker process). */
typedef int (*batch_grade_fn)(const struct spec *s, const char *submission,
			      const struct grade_opts *o, struct result *r);
int batch_run_with(const struct spec *s, char *const *submissions, const struct batch_opts *o,
		   batch_grade_fn grade);

#endif
