// expect: three places, more visitors => wrong answer [markers]
// expect: one place => wrong answer [markers]
// expect: acquire sleeps until a release => time limit (wall) []
// expect-message: acquire sleeps until a release => child #1 (of the program) is waiting on a futex in its own memory
// A real process-shared POSIX semaphore, but in malloc()ed memory: after fork()
// every child has its own copy of the count, so each finds all the places free,
// and a child waiting on its copy is never woken by the parent's release.
#include <errno.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sem_crowd.h"

struct semaphore {
	sem_t sem;
};

struct semaphore *semaphore_create(unsigned value)
{
	struct semaphore *s = malloc(sizeof(*s));
	if (s && sem_init(&s->sem, 1, value) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

void semaphore_acquire(struct semaphore *s)
{
	while (sem_wait(&s->sem) < 0 && errno == EINTR)
		;
}

void semaphore_release(struct semaphore *s)
{
	sem_post(&s->sem);
}

void semaphore_destroy(struct semaphore *s)
{
	sem_destroy(&s->sem);
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
