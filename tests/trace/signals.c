/* signals: a handler for SIGUSR1; a child sends it to the parent; an
   alarm is set and cancelled. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got = 1;
}

int main(void)
{
	struct sigaction sa = {0};
	sigset_t block, old;
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	alarm(5);
	pid_t pid = fork();
	if (pid == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	while (!got)
		sigsuspend(&old);
	alarm(0);
	waitpid(pid, NULL, 0);
	return got ? 0 : 1;
}
