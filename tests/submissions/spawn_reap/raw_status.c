// expect: five children: pids, parents and statuses => wrong answer [lines]
// expect: reaped as they end => wrong answer [lines]
// expect: a hundred children => wrong answer [lines]
// The parent prints the raw wait status (the exit code shifted left by 8) instead of
// WEXITSTATUS(status).
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
			printf("child %zu pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
			fflush(stdout);
			_exit((int)i);
		}
	}
	for (size_t i = 0; i < n; i++) {
		int st;
		pid_t pid = wait(&st);
		printf("reaped %d status %d\n", (int)pid, st);
		fflush(stdout);
	}
	return (int)n;
}
