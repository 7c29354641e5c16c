/*
 * harness/main.c - grader-side driver of the apply_async exercise.
 *
 * Linked with the student's apply_async.c, it prints what the pool gave
 * back and never judges.  The task functions are the harness's own: they
 * write the markers "task start I" and "task end I" (so the grader sees
 * where and when each task ran) and compute x*x + 1.
 *
 *   harness map W FILE        W workers; one task per number of FILE,
 *                             submitted at once, then got in order
 *   harness burst W N MS      N tasks of MS ms each; the marker "submitted"
 *                             once every submit has returned
 *   harness ready W MS        async_ready at once on a task of MS ms
 *   harness get W MS          async_get on a task of MS ms
 *   harness join W FILE       a task per number, close, join, then the results
 *   harness order FILE        one worker, a task of 30 ms per number: each
 *                             writes "start X" to stderr as it starts
 *
 * stdout holds the results, one a line, and nothing else; the marker
 * "exit join" follows apool_join.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "apply_async.h"
#include "harness.h"

static long task_ms;          /* how long each task takes (set before the pool) */

static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0)
		;
}

static long square_plus_one(long x)
{
	trace_markerf("task start %ld", (long)x);
	if (task_ms)
		nap(task_ms);
	trace_markerf("task end %ld", (long)x);
	return x * x + 1;
}

static long announced(long x)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "start %ld\n", x);
	trace_markerf("task start %ld", (long)x);
	if (write(2, line, (size_t)n) < 0)
		return -1;
	nap(task_ms);
	trace_markerf("task end %ld", (long)x);
	return x * x + 1;
}

static struct apool *pool(long w)
{
	struct apool *p = apool_create((unsigned)w);
	if (!p) {
		printf("apool_create returned NULL\n");
		exit(0);
	}
	return p;
}

static struct async_result *submit(struct apool *p, apool_fn fn, long x)
{
	struct async_result *r = apool_submit(p, fn, x);
	if (!r) {
		printf("apool_submit returned NULL\n");
		exit(0);
	}
	return r;
}

static void finish(struct apool *p)
{
	apool_close(p);
	apool_join(p);
	trace_marker("exit join\n");
}

/* The numbers of file, *n of them (exits when it cannot be read). */
static long *numbers(const char *file, long *n)
{
	FILE *f = fopen(file, "r");
	long x, *xs = malloc(sizeof(*xs));
	*n = 0;
	if (!f || !xs)
		exit(2);
	while (fscanf(f, "%ld", &x) == 1) {
		xs = realloc(xs, (size_t)(*n + 1) * sizeof(*xs));
		if (!xs)
			exit(2);
		xs[(*n)++] = x;
	}
	fclose(f);
	return xs;
}

static int map(long w, const char *file)
{
	long n, *xs = numbers(file, &n);
	struct apool *p = pool(w);
	struct async_result **r = calloc((size_t)n + 1, sizeof(*r));
	for (long i = 0; i < n; i++)
		r[i] = submit(p, square_plus_one, xs[i]);
	for (long i = 0; i < n; i++)
		printf("%ld\n", async_get(r[i]));
	finish(p);
	free(r);
	free(xs);
	return 0;
}

static int burst(long w, long n, long ms)
{
	task_ms = ms;
	struct apool *p = pool(w);
	struct async_result **r = calloc((size_t)n + 1, sizeof(*r));
	for (long i = 0; i < n; i++)
		r[i] = submit(p, square_plus_one, i);
	trace_marker("submitted\n");
	for (long i = 0; i < n; i++)
		printf("%ld\n", async_get(r[i]));
	finish(p);
	free(r);
	return 0;
}

static int ready(long w, long ms)
{
	task_ms = ms;
	struct apool *p = pool(w);
	struct async_result *r = submit(p, square_plus_one, 6);
	trace_marker("enter ready\n");
	bool at_once = async_ready(r);
	trace_marker("exit ready\n");
	printf("ready at once: %d\n", at_once);
	int polls = 0;
	while (!async_ready(r) && polls++ < 500)
		nap(10);
	printf("ready later: %d\n", async_ready(r));
	printf("%ld\n", async_get(r));
	finish(p);
	return 0;
}

static int get(long w, long ms)
{
	task_ms = ms;
	struct apool *p = pool(w);
	struct async_result *r = submit(p, square_plus_one, 9);
	trace_marker("enter get\n");
	long v = async_get(r);
	trace_marker("exit get\n");
	printf("%ld\n", v);
	finish(p);
	return 0;
}

static int join(long w, const char *file)
{
	long n, *xs = numbers(file, &n);
	task_ms = 20;
	struct apool *p = pool(w);
	struct async_result **r = calloc((size_t)n + 1, sizeof(*r));
	for (long i = 0; i < n; i++)
		r[i] = submit(p, square_plus_one, xs[i]);
	finish(p);
	for (long i = 0; i < n; i++)
		printf("%ld\n", async_get(r[i]));
	free(r);
	free(xs);
	return 0;
}

static int order(const char *file)
{
	long n, *xs = numbers(file, &n);
	task_ms = 30;           /* a result is never in before the first get */
	struct apool *p = pool(1);
	struct async_result **r = calloc((size_t)n + 1, sizeof(*r));
	for (long i = 0; i < n; i++)
		r[i] = submit(p, announced, xs[i]);
	for (long i = 0; i < n; i++)
		printf("%ld\n", async_get(r[i]));
	finish(p);
	free(r);
	free(xs);
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	long a = argc > 2 ? atol(argv[2]) : 0, b = argc > 3 ? atol(argv[3]) : 0;
	long c = argc > 4 ? atol(argv[4]) : 0;
	if (!strcmp(m, "map") && argc == 4)
		return map(a, argv[3]);
	if (!strcmp(m, "burst") && argc == 5)
		return burst(a, b, c);
	if (!strcmp(m, "ready") && argc == 4)
		return ready(a, b);
	if (!strcmp(m, "get") && argc == 4)
		return get(a, b);
	if (!strcmp(m, "join") && argc == 4)
		return join(a, argv[3]);
	if (!strcmp(m, "order") && argc == 3)
		return order(argv[2]);
	fprintf(stderr, "usage: %s map W FILE | burst W N MS | ready W MS | get W MS | "
		"join W FILE | order FILE\n", argv[0]);
	return 2;
}
