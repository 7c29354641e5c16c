// expect: one child => wrong answer [processes]
// expect: five children: pids, parents and statuses => wrong answer [processes]
// expect: no line printed twice => wrong answer [lines]
// expect: a hundred children => wrong answer [processes]
// expect: fork fails => wrong answer [processes]
// The child prints its line and leaves the loop with break instead of _exit(): it goes
// on through the parent's code, reaps nothing and returns from spawn_reap itself.
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
	size_t started = 0;
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
			break;                      /* should be _exit(i) */
		}
		started++;
	}
	size_t reaped = 0;
	int st;
	pid_t pid;
	while (reaped < started && (pid = wait(&st)) > 0) {
		printf("reaped %d status %d\n", (int)pid, WEXITSTATUS(st));
		fflush(stdout);
		reaped++;
	}
	return (int)reaped;
}
