/*
 * harness/main.c - grader-side driver of the pool_map exercise.
 *
 * Linked with the student's pool_map.c.  It only reports what it saw and
 * never judges: the grader computes the expected lines from its own input.
 *
 *   harness WORKERS DELAY XS_FILE [MAPS]
 *
 * Reads the integers of XS_FILE (one a line), creates a pool of WORKERS,
 * maps fn over them in MAPS consecutive pool_map calls (default 1; e.g.
 * MAPS = 3 maps the first third, then the second, then the rest on the same
 * pool), closes and joins the pool, writes the marker "exit pool_join"
 * right after pool_join returns, then prints out[i], one a line, in input
 * order.  If pool_create or pool_map fails it says so and exits 1.
 *
 * fn(x) = 3x^2 - 2x + 7 (the spec's each_line template is the same formula)
 * takes a time set by DELAY:
 *   vary   results finish out of input order, whatever the inputs and
 *          the machine's load, in a pool that runs tasks at once:
 *          - the first min(WORKERS, tasks) tasks of each pool_map call
 *            wait until all of them have started (at most FIRST_ROUND_MS,
 *            once: a pool that cannot run them at once pays it one time);
 *          - a task whose successor in[i + 1] has started by the time it
 *            is done waits until that one has finished (at most
 *            SUCCESSOR_MS): tasks that overlap finish in reverse order;
 *          - ((n - 1 - i) mod 8) * 5 ms of sleep, earlier ones longer,
 *            so that overlaps are likely after the first round too;
 *   fast   no delay and no markers (for very many tasks);
 *   MS     MS ms more than the vary sleep, nothing else (long enough
 *          that all workers overlap).
 * fn finds i by looking x up in the input it inherited (linear: small n).
 * Except with fast, fn writes the markers "enter i" and "exit i" on the
 * tracer's marker fd: they tell who computed what, and when.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>
#include "pool_map.h"
#include "harness.h"

#define UNTOUCHED LONG_MIN      /* out[i] before pool_map */
#define FIRST_ROUND_MS 1000     /* vary: longest wait for the first round */
#define SUCCESSOR_MS 2000       /* vary: longest wait for a started successor */

/* Set in main before pool_create: workers forked later inherit them. */
static bool use_markers;       /* and the delay: not "fast" */
static long delay_ms;           /* the MS of DELAY; 0 for vary */
static const long *inputs;      /* what the harness read, and how many */
static size_t ninputs;
static bool vary;               /* DELAY is vary: the ordering rules above */

/* What the tasks of vary see of each other: shared memory, mapped before
   pool_create, so every worker (and the caller) shares it. */
struct board {
	size_t round_lo, round_hi;      /* this call's first round: [lo, hi) */
	unsigned round_started;         /* how many of it have started */
	bool round_over;                /* all started, or the wait timed out */
	unsigned state[];               /* per input: 1 started, 2 finished */
};
static struct board *board;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The index of x in the input (the first, if x repeats). */
static size_t index_of(long x)
{
	size_t i = 0;
	while (i < ninputs && inputs[i] != x)
		i++;
	return i;
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Wait (polling every millisecond) until *p >= value; false after ms. */
static bool await_at_least(const unsigned *p, unsigned value, double ms)
{
	double end = now_ms() + ms;
	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) < value) {
		if (now_ms() > end)
			return false;
		sleep_ms(1);
	}
	return true;
}

/* vary, on entry: task i has started; in the first round, wait for the
   rest of the round to start too. */
static void vary_enter(size_t i)
{
	__atomic_store_n(&board->state[i], 1, __ATOMIC_RELEASE);
	if (i < board->round_lo || i >= board->round_hi ||
	    __atomic_load_n(&board->round_over, __ATOMIC_ACQUIRE))
		return;
	__atomic_add_fetch(&board->round_started, 1, __ATOMIC_ACQ_REL);
	await_at_least(&board->round_started, (unsigned)(board->round_hi - board->round_lo),
		       FIRST_ROUND_MS);
	__atomic_store_n(&board->round_over, true, __ATOMIC_RELEASE);
}

/* vary, on exit: a successor that has started finishes first. */
static void vary_exit(size_t i)
{
	if (i + 1 < ninputs && __atomic_load_n(&board->state[i + 1], __ATOMIC_ACQUIRE) >= 1)
		await_at_least(&board->state[i + 1], 2, SUCCESSOR_MS);
	__atomic_store_n(&board->state[i], 2, __ATOMIC_RELEASE);
}

static long fn(long x)
{
	size_t i = index_of(x);

	if (use_markers)
		trace_markerf("enter %ld", (long)i);
	if (vary && i < ninputs)
		vary_enter(i);
	if (use_markers)
		sleep_ms(delay_ms + (long)((ninputs - 1 - i) % 8) * 5);
	long y = 3 * x * x - 2 * x + 7;
	if (vary && i < ninputs)
		vary_exit(i);
	if (use_markers)
		trace_markerf("exit %ld", (long)i);
	return y;
}

static long *read_ints(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	size_t cap = 16;
	long *xs = malloc(cap * sizeof(long)), x;

	*n = 0;
	if (!f || !xs) {
		perror(path);
		exit(2);
	}
	while (fscanf(f, "%ld", &x) == 1) {
		if (*n == cap && !(xs = realloc(xs, (cap *= 2) * sizeof(long)))) {
			perror("realloc");
			exit(2);
		}
		xs[(*n)++] = x;
	}
	fclose(f);
	return xs;
}

static bool parse_delay(const char *s)
{
	char *end;
	use_markers = strcmp(s, "fast") != 0;
	vary = !strcmp(s, "vary");
	if (!use_markers || vary)
		return true;
	delay_ms = strtol(s, &end, 10);
	return *s && !*end && delay_ms >= 0;
}

int main(int argc, char **argv)
{
	size_t n, maps = argc == 5 ? strtoul(argv[4], NULL, 10) : 1;
	unsigned workers = argc >= 4 ? (unsigned)strtoul(argv[1], NULL, 10) : 0;

	if (argc < 4 || argc > 5 || !workers || !maps || !parse_delay(argv[2])) {
		fprintf(stderr, "usage: %s WORKERS vary|fast|MS XS_FILE [MAPS]\n", argv[0]);
		return 2;
	}
	long *in = read_ints(argv[3], &n);
	inputs = in;
	ninputs = n;
	long *out = malloc((n ? n : 1) * sizeof(long));
	if (!out)
		return 2;
	for (size_t i = 0; i < n; i++)
		out[i] = UNTOUCHED;

	if (vary) {
		board = mmap(NULL, sizeof(*board) + (n + 1) * sizeof(board->state[0]), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (board == MAP_FAILED) {
			perror("mmap");
			return 2;
		}
	}
	fflush(stdout);
	struct pool *pool = pool_create(workers);
	if (!pool) {
		printf("pool_create(%u) returned NULL\n", workers);
		return 1;
	}
	int failed = 0;
	for (size_t k = 0, from = 0; k < maps && !failed; k++) {
		size_t to = n * (k + 1) / maps;
		if (vary) {
			board->round_lo = from;
			board->round_hi = from + (to - from < workers ? to - from : workers);
			board->round_started = 0;
			__atomic_store_n(&board->round_over, false, __ATOMIC_RELEASE);
		}
		int r = pool_map(pool, fn, in + from, out + from, to - from);
		if (r != 0) {
			printf("pool_map (call %zu of %zu) returned %d\n", k + 1, maps, r);
			failed = 1;
		}
		from = to;
	}
	pool_close(pool);
	pool_join(pool);
	trace_marker("exit pool_join\n");
	for (size_t i = 0; i < n && !failed; i++)
		printf("%ld\n", out[i]);
	free(in);
	free(out);
	return failed;
}
