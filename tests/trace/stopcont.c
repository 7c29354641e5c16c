/* stopcont: stop a child, see it stopped (not reaped), continue it, see
   it continued, then terminate and reap it.  Exit 0 if every wait said
   what it should. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int st, ok = 1;
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	ok &= waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st);
	usleep(30000);
	kill(pid, SIGCONT);
	ok &= waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st);
	kill(pid, SIGTERM);
	ok &= waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;
	return ok ? 0 : 1;
}
