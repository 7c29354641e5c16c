// expect: acquire sleeps until a release => wrong answer [busy_wait]
// expect-message: acquire sleeps until a release => ms of CPU time
// The count is right (an atomic compare-and-swap takes a place only if it is still
// there), but a process with no place spins on the count instead of sleeping.
#include <errno.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sem_crowd.h"

struct semaphore {
	int count;
};

struct semaphore *semaphore_create(unsigned value)
{
	struct semaphore *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return NULL;
	s->count = (int)value;
	return s;
}

void semaphore_acquire(struct semaphore *s)
{
	for (;;) {
		int c = __atomic_load_n(&s->count, __ATOMIC_SEQ_CST);
		if (c > 0 && __atomic_compare_exchange_n(&s->count, &c, c - 1, 0,
							 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return;
	}
}

void semaphore_release(struct semaphore *s)
{
	__atomic_fetch_add(&s->count, 1, __ATOMIC_SEQ_CST);
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
