// expect: three places, more visitors => wrong answer [markers]
// expect: one place => wrong answer [markers]
// expect-message: three places, more visitors => expected at most 3 tasks in progress at once
// acquire waits under the lock until the count is not 0, lets the lock go and only
// then takes one, with an atomic decrement: between the look and the take another
// process can see the same last place free, and both go in.
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
	int count;
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
	s->count = (int)value;
	return s;
}

void semaphore_acquire(struct semaphore *s)
{
	pthread_mutex_lock(&s->lock);
	while (s->count <= 0)
		pthread_cond_wait(&s->freed, &s->lock);
	pthread_mutex_unlock(&s->lock);
	__atomic_fetch_sub(&s->count, 1, __ATOMIC_SEQ_CST);   /* the count is atomic anyway */
}

void semaphore_release(struct semaphore *s)
{
	pthread_mutex_lock(&s->lock);
	__atomic_fetch_add(&s->count, 1, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

void semaphore_destroy(struct semaphore *s)
{
	munmap(s, sizeof(*s));
}

int crowd_run(unsigned nprocs, unsigned capacity, void (*visit)(unsigned k))
{
	if (nprocs < 1 || nprocs > 32 || capacity < 1)
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
	for (unsigned i = 0; i < started; i++)
		wait(NULL);
	semaphore_destroy(places);
	return started == nprocs ? 0 : -1;
}
