/*
 * harness/main.c - grader-side driver of the event_gate exercise.
 *
 * Linked with the student's event_gate.c.  It only reports what it saw
 * (results and times measured with CLOCK_MONOTONIC) and never judges: the
 * spec compares the lines with what the contract promises.
 *
 *   harness basics                  set / is_set / clear, one process
 *   harness set_wait                wait(0), wait(-1), wait(5000) on a set
 *                                   event, and how long the three took
 *   harness timeout MS              wait(MS) on a clear event
 *   harness cleared MS              set, clear, then wait(MS)
 *   harness wake N TIMEOUT GRACE    N children wait(TIMEOUT); once they all
 *                                   sleep, the program sets the event and
 *                                   gives them GRACE ms to return
 *   harness child_sets DELAY MS     a child sets the event after DELAY ms;
 *                                   the program waits wait(MS)
 *   harness gate PATH TEXTFILE WRITE_MS PATIENCE_MS
 *                                   gate_run(PATH, contents of TEXTFILE, ...)
 *
 * Markers (fd 1021, read by the tracer): "set" right before the harness
 * calls event_set(), "enter wait" / "exit wait" around the event_wait() of
 * a waiter (the children of wake, the program in child_sets: exit only),
 * "enter gate_run" / "exit gate_run" around gate_run().
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "event_gate.h"
#include "harness.h"

#define MAX_WAITERS 8
#define READY_DEADLINE_MS 1500  /* longest wait for the waiters to fall asleep */

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void sleep_ms(long ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static struct event *new_event(void)
{
	struct event *e = event_create();
	if (!e) {
		printf("event_create returned NULL\n");
		exit(0);
	}
	return e;
}

static int run_basics(void)
{
	struct event *e = new_event();
	printf("new event: is_set %d\n", event_is_set(e));
	event_set(e);
	printf("after set: is_set %d\n", event_is_set(e));
	event_set(e);
	printf("after a second set: is_set %d\n", event_is_set(e));
	event_clear(e);
	printf("after clear: is_set %d\n", event_is_set(e));
	event_clear(e);
	printf("after a second clear: is_set %d\n", event_is_set(e));
	event_set(e);
	printf("after set again: is_set %d\n", event_is_set(e));
	event_destroy(e);
	return 0;
}

static int run_set_wait(void)
{
	struct event *e = new_event();
	event_set(e);
	long t0 = now_ms();
	printf("wait(0) on a set event: %d\n", event_wait(e, 0));
	printf("wait(-1) on a set event: %d\n", event_wait(e, -1));
	printf("wait(5000) on a set event: %d\n", event_wait(e, 5000));
	printf("the three waits took %ld ms\n", now_ms() - t0);
	event_destroy(e);
	return 0;
}

/* wait(ms) on a clear event; cleared: set and clear it first. */
static int run_timeout(int ms, int cleared)
{
	struct event *e = new_event();
	if (cleared) {
		event_set(e);
		event_clear(e);
	}
	long t0 = now_ms();
	bool r = event_wait(e, ms);
	long waited = now_ms() - t0;
	printf("wait(%d) returned %d\n", ms, r);
	printf("waited %ld ms\n", waited);
	event_destroy(e);
	return 0;
}

/* What each waiter child reports, in the harness's own shared page. */
struct waiter_report {
	int result;         /* -1: not returned, else event_wait's result */
	long returned_ms;   /* CLOCK_MONOTONIC ms when event_wait returned */
};

static void waiter_child(struct event *e, int timeout, struct waiter_report *rep, int ready_fd)
{
	trace_marker("enter wait\n");
	if (write(ready_fd, "r", 1) != 1)
		_exit(3);
	bool r = event_wait(e, timeout);
	rep->returned_ms = now_ms();
	rep->result = r;
	trace_marker("exit wait\n");
	_exit(0);
}

/* The state letter of /proc/PID/stat ('S' = sleeping), or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Wait until each waiter has said "ready" and sleeps in the kernel (its
   event_wait blocks), or READY_DEADLINE_MS passed (it spins, or hangs, or
   /proc cannot be read: then the deadline alone gives them time to sleep).
   So "set wakes every waiter" is tested on waiters that really wait. */
static void wait_until_asleep(const pid_t *pid, int n, int ready_fd)
{
	char c;
	long deadline = now_ms() + READY_DEADLINE_MS;
	for (int got = 0; got < n && now_ms() < deadline;) {
		ssize_t r = read(ready_fd, &c, 1);
		if (r == 1)
			got++;
		else if (r == 0 || errno != EINTR)
			break;
	}
	for (int i = 0; i < n; i++)
		while (proc_state(pid[i]) != 'S' && now_ms() < deadline)
			sleep_ms(5);
	sleep_ms(100);
}

/* Reap the waiters, killing those still waiting grace ms after set_ms;
   reaped[i] false: waiter i was killed. */
static void reap_waiters(const pid_t *pid, int *status, bool *reaped, int n, long set_ms,
			 long grace)
{
	int left = n;
	for (int i = 0; i < n; i++)
		reaped[i] = false;
	while (left > 0) {
		for (int i = 0; i < n; i++)
			if (!reaped[i] && waitpid(pid[i], &status[i], WNOHANG) > 0) {
				reaped[i] = true;
				left--;
			}
		if (left == 0 || now_ms() - set_ms > grace)
			break;
		sleep_ms(5);
	}
	for (int i = 0; i < n; i++)
		if (!reaped[i]) {
			kill(pid[i], SIGKILL);
			waitpid(pid[i], NULL, 0);
		}
}

static int run_wake(int n, int timeout, long grace)
{
	pid_t pid[MAX_WAITERS];
	int status[MAX_WAITERS], ready[2];
	bool reaped[MAX_WAITERS];
	if (n < 1 || n > MAX_WAITERS || pipe(ready) < 0)
		return 2;
	struct waiter_report *rep = mmap(NULL, sizeof(*rep) * MAX_WAITERS, PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rep == MAP_FAILED)
		return 2;
	struct event *e = new_event();
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		rep[i].result = -1;
		pid[i] = fork();
		if (pid[i] < 0)
			return 2;
		if (pid[i] == 0) {
			close(ready[0]);
			waiter_child(e, timeout, &rep[i], ready[1]);
		}
	}
	close(ready[1]);
	wait_until_asleep(pid, n, ready[0]);
	long set_ms = now_ms();
	trace_marker("set\n");
	event_set(e);
	reap_waiters(pid, status, reaped, n, set_ms, grace);

	long slowest = -1;
	for (int i = 0; i < n; i++) {
		if (rep[i].result >= 0) {
			printf("waiter %d: returned %d\n", i + 1, rep[i].result);
			if (rep[i].returned_ms - set_ms > slowest)
				slowest = rep[i].returned_ms - set_ms;
		} else if (!reaped[i]) {
			printf("waiter %d: still waiting %ld ms after set (killed)\n", i + 1, grace);
		} else if (WIFSIGNALED(status[i])) {
			printf("waiter %d: killed by signal %d in event_wait\n", i + 1,
			       WTERMSIG(status[i]));
		} else {
			printf("waiter %d: exited with status %d in event_wait\n", i + 1,
			       WEXITSTATUS(status[i]));
		}
	}
	bool all_left = true;
	for (int i = 0; i < n; i++)
		all_left &= rep[i].result >= 0;
	if (all_left)
		printf("slowest waiter returned %ld ms after set\n", slowest);
	else
		printf("slowest waiter: not every waiter returned from event_wait\n");
	/* glibc's pthread_cond_destroy waits for the waiters to leave: a killed
	   waiter never does, so then the event is left as it is */
	if (all_left)
		event_destroy(e);
	return 0;
}

static int run_child_sets(long delay, int timeout)
{
	struct event *e = new_event();
	fflush(stdout);
	long t0 = now_ms();
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		sleep_ms(delay);
		trace_marker("set\n");
		event_set(e);
		_exit(0);
	}
	bool r = event_wait(e, timeout);
	long waited = now_ms() - t0;
	trace_marker("exit wait\n");
	waitpid(pid, NULL, 0);
	printf("wait(%d) returned %d\n", timeout, r);
	printf("waited %ld ms (the child set the event after %ld ms)\n", waited, delay);
	event_destroy(e);
	return 0;
}

/* The whole file at path, as a string (exits on error). */
static char *read_text(const char *path)
{
	static char text[65536];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	if (n < 0) {
		perror(path);
		exit(2);
	}
	close(fd);
	text[n] = '\0';
	return text;
}

static int run_gate(const char *path, const char *text_file, int write_ms, int patience_ms)
{
	const char *text = read_text(text_file);
	fflush(stdout);
	trace_marker("enter gate_run\n");
	int r = gate_run(path, text, write_ms, patience_ms);
	trace_marker("exit gate_run\n");
	printf("gate_run returned %d\n", r);
	return 0;
}

static int usage(const char *argv0)
{
	fprintf(stderr, "usage: %s basics | set_wait | timeout MS | cleared MS |\n"
		"       wake N TIMEOUT GRACE | child_sets DELAY MS |\n"
		"       gate PATH TEXTFILE WRITE_MS PATIENCE_MS\n", argv0);
	return 2;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	/* line by line: what was printed before a hang still reaches the report */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "basics") && argc == 2)
		return run_basics();
	if (!strcmp(mode, "set_wait") && argc == 2)
		return run_set_wait();
	if (!strcmp(mode, "timeout") && argc == 3)
		return run_timeout(atoi(argv[2]), 0);
	if (!strcmp(mode, "cleared") && argc == 3)
		return run_timeout(atoi(argv[2]), 1);
	if (!strcmp(mode, "wake") && argc == 5)
		return run_wake(atoi(argv[2]), atoi(argv[3]), atol(argv[4]));
	if (!strcmp(mode, "child_sets") && argc == 4)
		return run_child_sets(atol(argv[2]), atoi(argv[3]));
	if (!strcmp(mode, "gate") && argc == 6)
		return run_gate(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
	return usage(argv[0]);
}
