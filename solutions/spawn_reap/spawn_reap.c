/*
 * spawn_reap.c - reference solution: stdout flushed before the forks, each
 * child writes its line and _exit()s, the parent reaps with wait() (any
 * child: the first to end comes first).  On a failed fork the children
 * already started are reaped before -1 is returned.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "spawn_reap.h"

static void sleep_ms_(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void child(size_t i, unsigned ms)
{
	sleep_ms_(ms);
	printf("child %zu pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
	fflush(stdout);
	_exit((int)i);
}

/* Reap one child, print its line.  1 when one was reaped, 0 when none is
   left, -1 on error. */
static int reap_one(void)
{
	int status;
	pid_t pid;
	while ((pid = wait(&status)) < 0 && errno == EINTR)
		;
	if (pid < 0)
		return errno == ECHILD ? 0 : -1;
	printf("reaped %d status %d\n", (int)pid,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	fflush(stdout);
	return 1;
}

int spawn_reap(const unsigned *sleep_ms, size_t n)
{
	size_t started = 0;
	int failed = 0;

	fflush(stdout);     /* what is buffered now is the parent's alone */
	for (; started < n; started++) {
		pid_t pid = fork();
		if (pid < 0) {
			failed = 1;
			break;
		}
		if (pid == 0)
			child(started, sleep_ms[started]);
	}
	size_t reaped = 0;
	while (reaped < started && reap_one() == 1)
		reaped++;
	return failed || reaped < started ? -1 : (int)reaped;
}
