// expect: no signal lost before sleeping => wrong answer [interval]
// It looks at the flags, then calls pause(), with the signals unblocked all along: a
// signal that comes after the look and before pause() is handled, and pause() then
// sleeps on as if nothing had happened.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "signals.h"

static volatile sig_atomic_t usr1_count, alarmed, terminated;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		usr1_count++;
	else if (sig == SIGALRM)
		alarmed = 1;
	else if (sig == SIGTERM)
		terminated = 1;
}

int signal_service(unsigned alarm_s)
{
	struct sigaction sa;
	sigset_t block, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGALRM);
	sigaddset(&block, SIGTERM);
	(void)block;
	sigprocmask(SIG_BLOCK, NULL, &old);
	if (sigaction(SIGUSR1, &sa, NULL) < 0 || sigaction(SIGALRM, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0 || signal(SIGINT, SIG_IGN) == SIG_ERR) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	printf("ready\n");
	fflush(stdout);
	alarm(alarm_s);
	int printed = 0;
	for (;;) {
		while (printed < usr1_count)
			printf("usr1 %d\n", ++printed);
		if (terminated) {
			printf("term\n");
			break;
		}
		if (alarmed) {
			printf("alarm\n");
			break;
		}
		fflush(stdout);
		pause();
	}
	fflush(stdout);
	alarm(0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return terminated ? -1 : printed;
}
