/*
 * @NAME@.c - the reference solution: full marks, always.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "@NAME@.h"

int @NAME@(unsigned n)
{
	unsigned started = 0;
	int reaped = 0;
	fflush(stdout);
	for (; started < n; started++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			printf("child %u\n", started);
			fflush(stdout);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		reaped++;
	return started == n ? reaped : -1;
}
