/* orphan: the program forks A, A forks B and exits at once; the program
   reaps A; B outlives its parent (orphaned), then exits. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t a = fork();
	if (a == 0) {
		if (fork() == 0) {
			usleep(100000);
			_exit(7);
		}
		_exit(0);
	}
	waitpid(a, NULL, 0);
	usleep(200000);
	return 0;
}
