// expect: reaped as they end => wrong answer [processes]
// The parent waits for the children in the order it created them: a child that ends
// early stays a zombie while the parent waits for an older one.
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
	pid_t pids[100];
	fflush(stdout);
	for (size_t i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			while (wait(NULL) > 0)      /* reap what was started */
				;
			return -1;
		}
		if (pids[i] == 0) {
			nap(sleep_ms[i]);
			printf("child %zu pid=%d ppid=%d\n", i, (int)getpid(), (int)getppid());
			fflush(stdout);
			_exit((int)i);
		}
	}
	for (size_t i = 0; i < n; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		printf("reaped %d status %d\n", (int)pids[i], WEXITSTATUS(st));
		fflush(stdout);
	}
	return (int)n;
}
