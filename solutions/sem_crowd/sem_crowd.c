/*
 * sem_crowd.c - reference solution: a POSIX unnamed semaphore (sem_init
 * with pshared = 1) in an anonymous shared mapping, so the children forked
 * after semaphore_create share its count; sem_wait sleeps in the kernel
 * while the count is 0.  crowd_run holds one place around each visit.
 */
#include <errno.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sem_crowd.h"

struct semaphore {
	sem_t sem;
};

struct semaphore *semaphore_create(unsigned value)
{
	struct semaphore *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return NULL;
	if (sem_init(&s->sem, 1, value) < 0) {
		munmap(s, sizeof(*s));
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
	munmap(s, sizeof(*s));
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
