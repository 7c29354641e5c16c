/* named: a child names itself (prctl PR_SET_NAME) and is reaped by a wait
   for its pid; the program prints what getpid() and fork() said. */
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	printf("%d\n", (int)getpid());
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "kid-name", 0, 0, 0);
		_exit(0);
	}
	printf("%d\n", (int)pid);
	waitpid(pid, NULL, 0);
	return 0;
}
