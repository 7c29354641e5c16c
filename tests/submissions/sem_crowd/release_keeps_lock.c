// expect: three places, more visitors => time limit (wall) []
// expect: one place => time limit (wall) []
// expect: as many places as visitors => time limit (wall) []
// expect: acquire sleeps until a release => time limit (wall) []
// expect: fork fails => time limit (wall) []
// expect-message: acquire sleeps until a release => child #1 (of the program) is waiting on a futex in shared memory
// expect-message: as many places as visitors => is waiting on a futex in shared memory
// The count and a condition variable under a process-shared mutex, but release
// returns early on the path where the count was 0 (someone may be waiting): it
// signals and forgets to unlock.  The next process to touch the semaphore waits
// for the lock for ever.
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sem_crowd.h"

struct semaphore {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned count;
};

struct semaphore *semaphore_create(unsigned value)
{
	struct semaphore *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return NULL;
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->lock, &ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_cond_init(&s->freed, &ca);
	s->count = value;
	return s;
}

void semaphore_acquire(struct semaphore *s)
{
	pthread_mutex_lock(&s->lock);
	while (s->count == 0)
		pthread_cond_wait(&s->freed, &s->lock);
	s->count--;
	pthread_mutex_unlock(&s->lock);
}

void semaphore_release(struct semaphore *s)
{
	pthread_mutex_lock(&s->lock);
	if (s->count++ == 0) {
		pthread_cond_signal(&s->freed);
		return;
	}
	pthread_mutex_unlock(&s->lock);
}

void semaphore_destroy(struct semaphore *s)
{
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
