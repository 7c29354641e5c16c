/*
 * harness/main.c - grader-side driver of the process_object exercise.
 *
 * Linked with the student's process_object.c, it prints what the object
 * answered and never judges: the grader compares with its own expectations
 * and with the trace (pids, names, exits, reaps, the time a join took).
 *
 *   harness basic            a child that returns 42 after 50 ms
 *   harness timeout T S      join(T) on a child that runs S ms, then join(-1)
 *   harness signal N         a child that kills itself with signal N
 *   harness zombie           is_alive on a child that has ended, not reaped
 *   harness daemon S         a daemon that would sleep S ms and a child that
 *                            returns 3 after 200 ms; main returns without a join
 *   harness name NAME        a child named NAME
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "process_object.h"
#include "harness.h"

static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0)
		;
}

static int sleep_then(void *arg)
{
	long *v = arg;          /* {ms, code} */
	nap(v[0]);
	return (int)v[1];
}

static int kill_self(void *arg)
{
	raise(*(int *)arg);
	nap(1000);
	return 0;
}

static struct process *started(const char *name, process_fn fn, void *arg)
{
	struct process *p = process_new(name, fn, arg);
	if (!p) {
		printf("process_new returned NULL\n");
		exit(0);
	}
	int r = process_start(p);
	printf("start returned %d\n", r);
	if (r == 0)
		printf("pid %d\n", (int)process_pid(p));
	fflush(stdout);
	return p;
}

/* The markers "enter join" / "exit join"; "enter timed join" / "exit timed
   join" when there is a timeout. */
static void join(struct process *p, int timeout)
{
	trace_marker(timeout < 0 ? "enter join\n" : "enter timed join\n");
	int r = process_join(p, timeout);
	trace_marker(timeout < 0 ? "exit join\n" : "exit timed join\n");
	printf("join(%d) returned %d\n", timeout, r);
}

static int basic(void)
{
	static long v[] = {50, 42};
	struct process *p = process_new("worker", sleep_then, v);
	if (!p)
		return printf("process_new returned NULL\n"), 0;
	printf("exitcode before start: %d\n", process_exitcode(p));
	printf("alive before start: %d\n", process_is_alive(p));
	int r = process_start(p);
	printf("start returned %d\n", r);
	printf("pid %d\n", (int)process_pid(p));
	printf("name: %s\n", process_name(p));
	printf("alive: %d\n", process_is_alive(p));
	join(p, -1);
	printf("alive after join: %d\n", process_is_alive(p));
	printf("exitcode: %d\n", process_exitcode(p));
	join(p, -1);
	process_free(p);
	return 0;
}

static int timeout(long t, long s)
{
	long v[] = {s, 7};
	struct process *p = started("slow", sleep_then, v);
	join(p, (int)t);
	printf("alive: %d\n", process_is_alive(p));
	printf("exitcode: %d\n", process_exitcode(p));
	join(p, -1);
	printf("exitcode: %d\n", process_exitcode(p));
	process_free(p);
	return 0;
}

static int signalled(int sig)
{
	struct process *p = started("victim", kill_self, &sig);
	join(p, -1);
	printf("exitcode: %d\n", process_exitcode(p));
	process_free(p);
	return 0;
}

static int zombie(void)
{
	static long v[] = {0, 5};
	struct process *p = started("brief", sleep_then, v);
	siginfo_t si;
	/* block until it has ended, without reaping it (WNOWAIT) */
	while (waitid(P_PID, (id_t)process_pid(p), &si, WEXITED | WNOWAIT) < 0)
		;
	printf("alive after the end: %d\n", process_is_alive(p));
	printf("exitcode: %d\n", process_exitcode(p));
	join(p, -1);
	process_free(p);
	return 0;
}

static int daemons(long s)
{
	static long forever[2], brief[] = {200, 3};
	forever[0] = s;
	struct process *d = process_new("daemon", sleep_then, forever);
	struct process *w = process_new("worker", sleep_then, brief);
	if (!d || !w)
		return printf("process_new returned NULL\n"), 0;
	process_set_daemon(d, true);
	printf("start returned %d\n", process_start(d));
	printf("start returned %d\n", process_start(w));
	trace_marker("exit main\n");
	printf("main returns\n");
	return 0;               /* no join: the exit must see to both */
}

static int named(const char *name)
{
	static long v[] = {20, 0};
	struct process *p = started(name, sleep_then, v);
	join(p, -1);
	process_free(p);
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	if (!strcmp(m, "basic"))
		return basic();
	if (!strcmp(m, "timeout") && argc == 4)
		return timeout(atol(argv[2]), atol(argv[3]));
	if (!strcmp(m, "signal") && argc == 3)
		return signalled(atoi(argv[2]));
	if (!strcmp(m, "zombie"))
		return zombie();
	if (!strcmp(m, "daemon") && argc == 3)
		return daemons(atol(argv[2]));
	if (!strcmp(m, "name") && argc == 3)
		return named(argv[2]);
	fprintf(stderr, "usage: %s basic | timeout T S | signal N | zombie | daemon S | name NAME\n",
		argv[0]);
	return 2;
}
