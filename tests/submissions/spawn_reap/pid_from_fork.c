// expect: one child => wrong answer [lines]
// expect: five children: pids, parents and statuses => wrong answer [lines]
// expect: no line printed twice => wrong answer [lines]
// expect: children, not grandchildren => wrong answer [lines]
// The child prints the value fork() returned as its pid: in the child that is 0, not
// its pid (getpid()).
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

int spawn_reap(const unsigned *sleep_ms, size_t n)
{
	fflush(stdout);
	for (size_t i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			while (wait(NULL) > 0)      /* reap what was started */
				;
			return -1;
		}
		if (pid == 0) {
			nap(sleep_ms[i]);
			printf("child %zu pid=%d ppid=%d\n", i, (int)pid, (int)getppid());
			fflush(stdout);
			_exit((int)i);
		}
	}
	for (size_t i = 0; i < n; i++) {
		int st;
		pid_t pid = wait(&st);
		printf("reaped %d status %d\n", (int)pid, WEXITSTATUS(st));
		fflush(stdout);
	}
	return (int)n;
}
