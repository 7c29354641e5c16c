/* hostile: ignores every signal, leaves a stopped child and a child
 * ignoring signals in a new session, and pauses forever.
 * expect: time limit (wall)
 * within: 12
 * leaves: no process
 */
#include <signal.h>
#include <unistd.h>

static void ignore_all(void)
{
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_IGN);
}

int main(void)
{
	ignore_all();
	if (fork() == 0) {              /* stopped child */
		raise(SIGSTOP);
		for (;;)
			pause();
	}
	if (fork() == 0) {              /* a deaf child in its own session */
		setsid();
		for (;;)
			pause();
	}
	for (;;)
		pause();
}
