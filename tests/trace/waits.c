/* waits: waitid with WNOWAIT (not a reap), then waitpid reaps; a wait
   interrupted by a signal whose handler has SA_RESTART is restarted;
   clone with CLONE_UNTRACED is refused.  Exit 0 if all went as said. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	int ok = 1, st;
	siginfo_t si;
	pid_t a = fork();
	if (a == 0)
		_exit(4);
	ok &= waitid(P_PID, a, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == a;
	ok &= waitpid(a, &st, 0) == a && WEXITSTATUS(st) == 4;

	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pid_t b = fork();
	if (b == 0) {
		usleep(150000);
		_exit(5);
	}
	ualarm(50000, 0);        /* interrupts the waitpid below */
	ok &= waitpid(b, &st, 0) == b && WEXITSTATUS(st) == 5;

	long r = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	ok &= r == -1 && errno == EPERM;
	return ok ? 0 : 1;
}
