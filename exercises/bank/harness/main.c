/*
 * harness/main.c - grader-side driver of the bank exercise.
 *
 * Linked with the student's bank.c, so it only reports what it saw (the
 * balances, and how its own children ended); the grader computes the
 * expected balance from the amounts it generated.
 *
 *   harness basic  INITIAL DEPOSITS WITHDRAWALS
 *       one process: create, print the balance, make every deposit then
 *       every withdrawal, print the balance.
 *   harness child  INITIAL DEPOSITS WITHDRAWALS
 *       one forked child makes every deposit and withdrawal; the parent
 *       waits for it and prints the balance it sees.
 *   harness hammer NPROC ROUNDS INITIAL DEPOSITS WITHDRAWALS
 *       NPROC children (even k: the deposits, odd k: the withdrawals, each
 *       list ROUNDS times) all start at once on one account and race.
 *       Expected: INITIAL + NPROC/2 * ROUNDS * (sum(D) - sum(W)).
 *   harness run    INITIAL DEPOSITS WITHDRAWALS
 *       calls bank_run, writes the marker "exit bank_run" as soon as it
 *       returns, prints what it returned.
 *
 * DEPOSITS and WITHDRAWALS are files of one integer per line.
 *
 * Provoking races: lost updates on an unlocked balance only show when two
 * processes really interleave, which plain runs rarely guarantee (the
 * children of a short run often never overlap).  The hammer children are
 * started together by a barrier (a pipe they all block on until the parent
 * closes it), pinned two or more per CPU so that they are preempted in the
 * middle of the student's code as well as run truly in parallel, and spin
 * briefly between operations (outside the student's code, so not while
 * holding the lock) so that a run lasts many time slices.  Timer signals
 * that interrupt the children were tried and rejected: they made correct
 * locks many times slower on a loaded machine.
 *
 * The harness waits for its own children with a deadline (a hung child is
 * a lock never released or a lost wake-up): it then kills them and says so
 * on stdout, and does not read the balance (the lock may be held for
 * ever), so such a submission gets a wrong answer that explains itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bank.h"
#include "harness.h"

#define DEADLINE_MS 6000    /* for the harness's own children */
#define MAX_PROCS 16
/* Spins between two operations of a hammer child.  Measured on 2 cores
   (4 children x 250 000 operations, 20 runs each, idle and with both cores
   busy): 0 spins caught a lock-less account in 8/20 runs, 100 in 19/20,
   200 in 60/60 (no false alarm with a semaphore in 60 runs, 0.35-0.65 s). */
#define PAUSE_SPINS 200

static void die(const char *what)
{
	fprintf(stderr, "harness: %s\n", what);
	exit(2);
}

/* The integers of path, one per line. */
static long *read_ints(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1024;
	long *v = malloc(cap * sizeof *v);
	long x;
	if (!f || !v)
		die("cannot read an input file");
	*n = 0;
	while (fscanf(f, "%ld", &x) == 1) {
		if (*n == cap && !(v = realloc(v, (cap *= 2) * sizeof *v)))
			die("out of memory");
		v[(*n)++] = x;
	}
	if (!feof(f))
		die("an input file holds something else than integers");
	fclose(f);
	return v;
}

static long parse_long(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		die("bad number on the command line");
	return v;
}

static struct account *create(long initial)
{
	struct account *a = account_create(initial);
	if (!a) {
		printf("account_create returned NULL\n");
		exit(1);
	}
	return a;
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Reap the harness's own children, killing those still running at the
   deadline; print one line for each that did not exit with status 0.
   Returns the number of such children. */
static int reap_all(const pid_t *pids, int n)
{
	int bad = 0;
	int left = n, status[MAX_PROCS];
	bool done[MAX_PROCS] = {false};
	double deadline = now_ms() + DEADLINE_MS;
	struct timespec tick = {0, 2 * 1000 * 1000};
	while (left > 0 && now_ms() < deadline) {
		for (int k = 0; k < n; k++)
			if (!done[k] && waitpid(pids[k], &status[k], WNOHANG) == pids[k]) {
				done[k] = true;
				left--;
			}
		if (left > 0)
			nanosleep(&tick, NULL);
	}
	for (int k = 0; k < n; k++) {
		if (!done[k]) {
			kill(pids[k], SIGKILL);
			waitpid(pids[k], &status[k], 0);
			printf("process %d did not finish within %d ms (blocked on a lock?)\n",
			       k, DEADLINE_MS);
			bad++;
		} else if (WIFSIGNALED(status[k])) {
			printf("process %d was killed by signal %d (%s)\n", k,
			       WTERMSIG(status[k]), strsignal(WTERMSIG(status[k])));
			bad++;
		} else if (WEXITSTATUS(status[k]) != 0) {
			printf("process %d exited with status %d\n", k, WEXITSTATUS(status[k]));
			bad++;
		}
	}
	return bad;
}

/* The balance after the children, unless one of them failed: it may have
   died holding the lock, and account_balance() would then wait for ever. */
static void print_balance(struct account *a, int bad)
{
	if (bad) {
		printf("balance not read: a process did not end normally\n");
		return;
	}
	printf("balance: %ld\n", account_balance(a));
	account_destroy(a);
}

static void apply(struct account *a, const long *d, size_t nd, const long *w, size_t nw)
{
	for (size_t i = 0; i < nd; i++)
		account_deposit(a, d[i]);
	for (size_t i = 0; i < nw; i++)
		account_withdraw(a, w[i]);
}

static int run_basic(long initial, const long *d, size_t nd, const long *w, size_t nw)
{
	struct account *a = create(initial);
	printf("balance after create: %ld\n", account_balance(a));
	apply(a, d, nd, w, nw);
	printf("balance: %ld\n", account_balance(a));
	account_destroy(a);
	return 0;
}

static int run_child(long initial, const long *d, size_t nd, const long *w, size_t nw)
{
	struct account *a = create(initial);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork failed");
	if (pid == 0) {
		apply(a, d, nd, w, nw);
		_exit(0);
	}
	print_balance(a, reap_all(&pid, 1));
	return 0;
}

/* Pin the calling process to the k-th CPU it may use (ignore failures). */
static void pin(int k)
{
	cpu_set_t allowed, one;
	int cpus[CPU_SETSIZE], n = 0;
	if (sched_getaffinity(0, sizeof allowed, &allowed) < 0)
		return;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &allowed))
			cpus[n++] = c;
	if (n < 2)
		return;
	CPU_ZERO(&one);
	CPU_SET(cpus[k % n], &one);
	sched_setaffinity(0, sizeof one, &one);
}

/* A short pause outside the student's code: stretches the run over many
   time slices without adding to the time spent holding a lock. */
static void pause_briefly(void)
{
	for (volatile int i = 0; i < PAUSE_SPINS; i++)
		;
}

static void hammer(struct account *a, int k, long rounds, const long *v, size_t n, int gate)
{
	char c;
	pin(k);
	while (read(gate, &c, 1) < 0 && errno == EINTR)
		;                       /* the barrier: EOF when all are ready */
	for (long r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++) {
			if (k % 2 == 0)
				account_deposit(a, v[i]);
			else
				account_withdraw(a, v[i]);
			pause_briefly();
		}
}

static int run_hammer(int nproc, long rounds, long initial,
		      const long *d, size_t nd, const long *w, size_t nw)
{
	pid_t pids[MAX_PROCS];
	int gate[2];
	if (nproc < 2 || nproc > MAX_PROCS || nproc % 2)
		die("NPROC must be even, 2 to 16");
	struct account *a = create(initial);
	if (pipe(gate) < 0)
		die("pipe failed");
	fflush(stdout);
	for (int k = 0; k < nproc; k++) {
		pids[k] = fork();
		if (pids[k] < 0)
			die("fork failed");
		if (pids[k] == 0) {
			close(gate[1]);
			if (k % 2 == 0)
				hammer(a, k, rounds, d, nd, gate[0]);
			else
				hammer(a, k, rounds, w, nw, gate[0]);
			_exit(0);
		}
	}
	close(gate[0]);
	close(gate[1]);             /* go */
	print_balance(a, reap_all(pids, nproc));
	return 0;
}

static int run_bank(long initial, const long *d, size_t nd, const long *w, size_t nw)
{
	long r = bank_run(initial, d, nd, w, nw);
	trace_marker("exit bank_run\n");
	printf("bank_run returned %ld\n", r);
	return 0;
}

int main(int argc, char **argv)
{
	size_t nd, nw;
	if (argc == 5 && strchr("bcr", argv[1][0])) {
		long initial = parse_long(argv[2]);
		long *d = read_ints(argv[3], &nd), *w = read_ints(argv[4], &nw);
		if (!strcmp(argv[1], "basic"))
			return run_basic(initial, d, nd, w, nw);
		if (!strcmp(argv[1], "child"))
			return run_child(initial, d, nd, w, nw);
		if (!strcmp(argv[1], "run"))
			return run_bank(initial, d, nd, w, nw);
	}
	if (argc == 7 && !strcmp(argv[1], "hammer")) {
		long *d = read_ints(argv[5], &nd), *w = read_ints(argv[6], &nw);
		return run_hammer((int)parse_long(argv[2]), parse_long(argv[3]),
				  parse_long(argv[4]), d, nd, w, nw);
	}
	fprintf(stderr, "usage: %s basic|child|run INITIAL DEPOSITS WITHDRAWALS\n"
		"       %s hammer NPROC ROUNDS INITIAL DEPOSITS WITHDRAWALS\n",
		argv[0], argv[0]);
	return 2;
}
