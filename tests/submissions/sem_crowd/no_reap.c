// expect: three places, more visitors => wrong answer [processes]
// expect: as many places as visitors => wrong answer [processes]
// expect: fork fails => wrong answer [processes]
// The children say they are done with a second semaphore and crowd_run waits on
// that instead of calling wait(): it returns at the right time, leaving every
// child a zombie.
#include <errno.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/types.h>
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

int crowd_run(unsigned nprocs, unsigned capacity, void (*visit)(unsigned k))
{
	if (nprocs < 1 || nprocs > 32 || capacity < 1 || !visit)
		return -1;
	struct semaphore *places = semaphore_create(capacity);
	struct semaphore *done = semaphore_create(0);
	if (!places || !done)
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
			semaphore_release(done);
			_exit(0);
		}
	}
	for (unsigned i = 0; i < started; i++)
		semaphore_acquire(done);
	return started == nprocs ? 0 : -1;
}
