// expect: five children: pids, parents and statuses => wrong answer [lines, processes]
// expect: no line printed twice => wrong answer [lines]
// expect: children, not grandchildren => wrong answer [lines]
// expect: fork fails => wrong answer [lines]
// Each child starts the next one before doing its own work: child I+1 is a child of
// child I (grandchildren of the program), and each child reaps the one it started.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "spawn_reap.h"

static void nap(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void start_link(const unsigned *sleep_ms, size_t i, size_t n)
{
	if (i + 1 < n) {
		pid_t next = fork();
		if (next == 0)
			start_link(sleep_ms, i + 1, n);
	}
	nap(sleep_ms[i]);
	printf("child %zu pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
	fflush(stdout);
	int st;
	pid_t pid;
	while ((pid = wait(&st)) > 0) {
		printf("reaped %d status %d\n", (int)pid, WEXITSTATUS(st));
		fflush(stdout);
	}
	_exit((int)i);
}

int spawn_reap(const unsigned *sleep_ms, size_t n)
{
	fflush(stdout);
	pid_t first = fork();
	if (first < 0)
		return -1;
	if (first == 0)
		start_link(sleep_ms, 0, n);
	int st;
	waitpid(first, &st, 0);
	printf("reaped %d status %d\n", (int)first, WEXITSTATUS(st));
	fflush(stdout);
	return (int)n;
}
