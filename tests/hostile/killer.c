/* hostile: kill(-1, SIGKILL), then every signal that could stop or end its
 * keeper or the grader, sent to its parent and to pid 1.
 * expect: exited 0 | signal SIGKILL
 * within: 5
 * The grader must survive and the run must end normally (the test would
 * not report otherwise).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void hit(pid_t pid, const char *who)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGSTOP, SIGKILL};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		int rc = kill(pid, sigs[i]);
		printf("kill(%s=%d, %s) = %d %s\n", who, (int)pid, strsignal(sigs[i]), rc,
		       rc ? strerror(errno) : "");
	}
}

int main(void)
{
	int a = kill(-1, SIGKILL);

	printf("kill(-1, SIGKILL) = %d %s\n", a, a ? strerror(errno) : "");
	hit(getppid(), "parent");
	hit(1, "pid 1");
	sleep(1);               /* whatever it stopped must not stop the run */
	return 0;
}
