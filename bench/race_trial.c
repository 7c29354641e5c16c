/*
 * race_trial.c - bench driver: run a program under race provocation once
 * per seed, sandboxed and traced as a `race:` test of the grader is, and
 * print the wall time of a trial (median and 90th percentile, as the
 * grader reports a run's wall time) and in how many trials the program
 * printed something other than EXPECTED (for a racy program: lost updates
 * caught).  Used by bench/bench_race.sh.
 *
 *   race_trial NAME DIR EXPECTED FROM TO -- PROGRAM [ARGS...]
 *
 * DIR is the scratch the program runs in (it holds the program and its
 * inputs).  Seeds FROM..TO; race budget 200000 instructions, as in the
 * bank exercise.  Exit 0, or 2 if the sandbox itself failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sandbox.h"
#include "trace.h"
#include "util.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One trial; its wall time in *wall_ms, its stops in *stops.  1 if the
   output differs from expected, 0 if not, -1 if the sandbox failed. */
static int trial(char *const *argv, const char *dir, const char *expected, unsigned long seed,
		 double *wall_ms, unsigned long *stops)
{
	struct tracer_opts o = {.race_seed = seed, .race_steps = 200000,
				.markers_from_harness = true};
	struct sandbox_cmd c = {
		.argv = argv, .workdir = dir, .marker_fd = TRACE_MARKER_FD,
		.limits = {.cpu_ms = 5000, .wall_ms = 20000, .memory = 256L << 20, .processes = 16,
			   .output = 64L << 10, .file_size = 16L << 20, .open_files = 64},
	};
	struct run r;
	int differs;

	c.tracer = tracer_new(&o);
	if (!c.tracer || sandbox_run(&c, &r) < 0)
		return -1;
	differs = r.outcome != OUT_EXITED || strcmp(buf_str(&r.out.head), expected) != 0;
	*wall_ms = r.wall_ms;
	*stops = r.trace ? r.trace->race_stops : 0;
	run_free(&r);
	return differs;
}

int main(int argc, char **argv)
{
	unsigned long from, to, stops = 0, all_stops = 0;
	double *walls;
	int differ = 0, n = 0, i;
	char *expected;

	if (argc < 8 || strcmp(argv[6], "--")) {
		fprintf(stderr, "usage: race_trial NAME DIR EXPECTED FROM TO -- PROGRAM [ARGS...]\n");
		return 2;
	}
	expected = xasprintf("%s\n", argv[3]);
	from = strtoul(argv[4], NULL, 10);
	to = strtoul(argv[5], NULL, 10);
	if (from < 1 || to < from) {
		fprintf(stderr, "race_trial: seeds %s..%s\n", argv[4], argv[5]);
		return 2;
	}
	walls = xmalloc((to - from + 1) * sizeof(*walls));
	for (unsigned long seed = from; seed <= to; seed++) {
		int d = trial(argv + 7, argv[2], expected, seed, &walls[n], &stops);
		if (d < 0) {
			fprintf(stderr, "race_trial: %s\n", error_get());
			return 2;
		}
		differ += d;
		all_stops += stops;
		n++;
	}
	qsort(walls, (size_t)n, sizeof(*walls), cmp_double);
	i = n * 9 / 10 < n ? n * 9 / 10 : n - 1;
	printf("  %-28s %3d trials: wall median %4.0f ms, p90 %4.0f ms; %5lu stops; "
	       "output wrong in %d\n", argv[1], n, walls[n / 2], walls[i], all_stops / (unsigned long)n,
	       differ);
	free(walls);
	free(expected);
	return 0;
}
