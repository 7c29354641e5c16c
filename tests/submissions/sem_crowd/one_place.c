// expect: three places, more visitors => wrong answer [markers]
// expect: as many places as visitors => wrong answer [markers]
// expect: acquire sleeps until a release => wrong answer [order]
// expect-message: as many places as visitors => expected at least 5 tasks in progress at the same time; at most 1 were
// A process-shared mutex stands in for the semaphore: its value is ignored, so one
// visitor at a time goes in however many places there are, and a semaphore
// created at 0 lets the first acquire through.
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sem_crowd.h"

struct semaphore {
	pthread_mutex_t lock;
};

struct semaphore *semaphore_create(unsigned value)
{
	(void)value;
	struct semaphore *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return NULL;
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	return s;
}

void semaphore_acquire(struct semaphore *s)
{
	pthread_mutex_lock(&s->lock);
}

void semaphore_release(struct semaphore *s)
{
	pthread_mutex_unlock(&s->lock);
}

void semaphore_destroy(struct semaphore *s)
{
	pthread_mutex_destroy(&s->lock);
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
