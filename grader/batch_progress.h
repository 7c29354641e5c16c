/*
 * batch_progress.h - what a TA watches while a batch runs (batch.c's).
 *
 * On a terminal, one live line, redrawn in place and cut to the terminal's
 * width:
 *   [12/40] 9 at full marks, 2 running (slowest 3.4 s), 1.8/s, ETA 0:15
 * with grader errors printed above it as they happen.  Elsewhere (a log, a
 * pipe, a CI job) a plain line per student.  Both end with one closing
 * line of totals and time.
 */
#ifndef BATCH_PROGRESS_H
#define BATCH_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct progress {
	int fd;                 /* where it goes (stderr) */
	bool live;              /* fd is a terminal */
	size_t total, done, full, errors;
	size_t resumed;         /* done before this run */
	double start;           /* now_ms() when this run started */
	bool drawn;             /* the live line is on the screen */
};

void progress_start(struct progress *p, int fd, size_t total, size_t done, size_t full);
/* One student finished: name, "16/16 (0.4 s)" or "error: why". */
void progress_student(struct progress *p, const char *name, const char *what, bool full,
		      bool error);
/* Redraw the live line (a terminal only): running graders, the slowest's ms. */
void progress_tick(struct progress *p, size_t running, double slowest_ms);
/* The closing line; most: the most graders that ran at once. */
void progress_end(struct progress *p, size_t most);

#endif
