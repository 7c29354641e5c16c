/* pipe_deadlock: the classic bug: the parent keeps the write end open,
   so the child reading until end of file never gets it, and the parent
   waits for the child forever. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	char c;
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);      /* the child closes its copy ... */
		while (read(p[0], &c, 1) > 0)
			;
		_exit(0);
	}
	write(p[1], "x", 1);      /* ... but the parent forgets to close its own */
	waitpid(pid, NULL, 0);
	return 0;
}
