/* restart: the first read() of an empty pipe is interrupted by a signal
   whose handler has SA_RESTART, so the kernel restarts it (the tracer sees
   the same call come back); a child writes a byte after 300 ms.  With the
   fault {read, nth: 2}, the restarted first read must go ahead and the
   second read fail.  Exit 0: first read got the byte, second failed with
   EIO; 1 otherwise. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	int p[2];
	char c;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(p) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		usleep(300000);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	struct itimerval it = {{0, 0}, {0, 50000}};     /* SIGALRM in 50 ms */
	setitimer(ITIMER_REAL, &it, NULL);
	ssize_t first = read(p[0], &c, 1);
	ssize_t second = read(p[0], &c, 1);
	int err = errno;
	waitpid(pid, NULL, 0);
	return first == 1 && second < 0 && err == EIO ? 0 : 1;
}
