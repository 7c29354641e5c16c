// A faulty @NAME@: it reaps every child but returns 0, not the count.
// `grader selftest @NAME@` checks it gets exactly these verdicts:
// expect: three children => wrong answer [stderr]
// expect: one child => wrong answer [stderr]
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "@NAME@.h"

int @NAME@(unsigned n)
{
	fflush(stdout);
	for (unsigned k = 0; k < n; k++) {
		pid_t pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			printf("child %u\n", k);
			fflush(stdout);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
