// expect: acquire sleeps until the holder releases => wrong answer [busy_wait]
// expect-message: acquire sleeps until the holder releases => ms of CPU time
// A test-and-set lock in shared memory: it excludes, but a writer that finds it
// taken spins until it is free, burning a CPU instead of sleeping.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lock_print.h"

struct lock {
	volatile int taken;
};

struct lock *lock_create(void)
{
	struct lock *l = mmap(NULL, sizeof(*l), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return l == MAP_FAILED ? NULL : l;
}

void lock_acquire(struct lock *l)
{
	while (__sync_lock_test_and_set(&l->taken, 1))
		;
}

void lock_release(struct lock *l)
{
	__sync_lock_release(&l->taken);
}

void lock_destroy(struct lock *l)
{
	munmap(l, sizeof(*l));
}

static void write_block(struct lock *l, unsigned k, unsigned nlines, int fd)
{
	char line[64];
	lock_acquire(l);
	for (unsigned m = 0; m < nlines; m++) {
		int len = snprintf(line, sizeof(line), "writer %u line %u\n", k, m);
		if (write(fd, line, (size_t)len) != len)
			break;
	}
	lock_release(l);
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

int print_blocks(unsigned nwriters, unsigned nlines, int out_fd)
{
	if (nwriters < 1 || nwriters > 16 || nlines < 1 || out_fd < 0)
		return -1;
	struct lock *l = lock_create();
	if (!l)
		return -1;
	unsigned started = 0;
	for (; started < nwriters; started++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			write_block(l, started, nlines, out_fd);
			_exit(0);
		}
	}
	reap(started);
	lock_destroy(l);
	return started == nwriters ? 0 : -1;
}
