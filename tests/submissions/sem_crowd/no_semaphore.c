// expect: three places, more visitors => wrong answer [markers]
// expect: one place => wrong answer [markers]
// expect: acquire sleeps until a release => wrong answer [order]
// The semaphore is only a number that nobody looks at: acquire never waits, so
// every visitor goes in at once.
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sem_crowd.h"

struct semaphore {
	unsigned count;
};

struct semaphore *semaphore_create(unsigned value)
{
	struct semaphore *s = malloc(sizeof(*s));
	if (s)
		s->count = value;
	return s;
}

void semaphore_acquire(struct semaphore *s)
{
	(void)s;
}

void semaphore_release(struct semaphore *s)
{
	(void)s;
}

void semaphore_destroy(struct semaphore *s)
{
	free(s);
}

/* Reap n children, whichever ends first. */
static void reap(unsigned n)
{
	while (n > 0)
		if (wait(NULL) > 0)
			n--;
		else if (errno != EINTR)
			return;
}

int crowd_run(unsigned nprocs, unsigned capacity, void (*visit)(unsigned k))
{
	if (nprocs < 1 || nprocs > 32 || capacity < 1 || !visit)
		return -1;
	struct semaphore *places = semaphore_create(capacity);
	if (!places)
		return -1;
	unsigned started = 0;
	for (; started < nprocs; started++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			semaphore_acquire(places);
			visit(started);
			semaphore_release(places);
			_exit(0);
		}
	}
	reap(started);
	semaphore_destroy(places);
	return started == nprocs ? 0 : -1;
}
