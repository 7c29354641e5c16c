/*
 * harness/main.c - grader-side driver of the spawn_reap exercise.
 *
 * Linked with the student's spawn_reap.c, it only reports what it saw and
 * never judges: the grader checks the printed pids, statuses and the order
 * of reaps against the trace.
 *
 *   harness shuffled N STEP SEED   child i sleeps a distinct multiple of
 *                                  STEP ms, in an order drawn from SEED
 *   harness decreasing N STEP      child i sleeps (N-1-i)*STEP ms: the
 *                                  last created ends first
 *
 * Before the call it prints "spawn_reap: N children" with printf and does
 * not flush it (stdout is a pipe, so the line waits in the stdio buffer,
 * as in any program): a child that flushes a copy of that buffer prints it
 * twice.  After the call it writes the marker "exit spawn_reap" and
 * prints "spawn_reap returned R".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spawn_reap.h"
#include "harness.h"

/* xorshift64*: the same SEED gives the same sleeps on every machine */
static unsigned long long next(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static void shuffle(unsigned *v, size_t n, unsigned long long seed)
{
	unsigned long long s = seed ? seed : 1;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(next(&s) % i);
		unsigned t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

int main(int argc, char **argv)
{
	if (argc < 4 || (strcmp(argv[1], "shuffled") && strcmp(argv[1], "decreasing")) ||
	    (!strcmp(argv[1], "shuffled") && argc != 5)) {
		fprintf(stderr, "usage: %s shuffled N STEP SEED | decreasing N STEP\n", argv[0]);
		return 2;
	}
	size_t n = strtoul(argv[2], NULL, 10);
	unsigned step = (unsigned)strtoul(argv[3], NULL, 10);
	unsigned *sleep_ms = calloc(n ? n : 1, sizeof(*sleep_ms));
	if (!sleep_ms)
		return 2;
	for (size_t i = 0; i < n; i++)
		sleep_ms[i] = (unsigned)(n - 1 - i) * step;
	if (!strcmp(argv[1], "shuffled"))
		shuffle(sleep_ms, n, strtoull(argv[4], NULL, 10));
	printf("spawn_reap: %zu children\n", n);      /* left in the buffer */
	int r = spawn_reap(sleep_ms, n);
	trace_marker("exit spawn_reap\n");
	printf("spawn_reap returned %d\n", r);
	free(sleep_ms);
	return 0;
}
