/* sends: the grader's signals (trace_send.c).  SIGUSR1 counts in a
   handler; the program says "ready" on stdout, then waits for signals:
     safe N     blocks SIGUSR1 around its check of the count and waits in
                sigsuspend until N arrived; exit 0
     lossy N    checks the count, then pause(): a signal between the two is
                lost and it sleeps on (until killed)
     child N    a child does "safe N" after the marker "child ready"; the
                parent waits for it; exit 0 if the child did */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t count;

static void on_usr1(int sig)
{
	(void)sig;
	count++;
}

static int safe(int n)
{
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (count < n)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}

static int lossy(int n)
{
	while (count < n)
		pause();
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	int n = argc > 2 ? atoi(argv[2]) : 1;
	if (argc > 1 && !strcmp(argv[1], "child")) {
		pid_t pid = fork();
		if (pid == 0) {
			if (write(1021, "child ready\n", 12) < 0) {
				/* no tracer: markers fail, harmlessly */
			}
			_exit(safe(n));
		}
		int st;
		waitpid(pid, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
	}
	if (write(1, "ready\n", 6) != 6)
		return 2;
	return argc > 1 && !strcmp(argv[1], "lossy") ? lossy(n) : safe(n);
}
