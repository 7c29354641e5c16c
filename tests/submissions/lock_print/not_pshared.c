// expect: two writers => time limit (wall) []
// expect: eight writers => time limit (wall) []
// expect: acquire sleeps until the holder releases => time limit (wall) []
// expect: fork fails => time limit (wall) []
// expect-message: acquire sleeps until the holder releases => is waiting on a futex in shared memory, but a private one: no other process can wake it
// The mutex is in shared memory, but made with the default attributes, not
// PTHREAD_PROCESS_SHARED: a waiter sleeps on a futex private to its process, so
// the holder's unlock wakes nobody and the waiter sleeps for ever.
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
	pthread_mutex_t mutex;
};

struct lock *lock_create(void)
{
	struct lock *l = mmap(NULL, sizeof(*l), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (l == MAP_FAILED)
		return NULL;
	pthread_mutex_init(&l->mutex, NULL);
	return l;
}

void lock_acquire(struct lock *l)
{
	pthread_mutex_lock(&l->mutex);
}

void lock_release(struct lock *l)
{
	pthread_mutex_unlock(&l->mutex);
}

void lock_destroy(struct lock *l)
{
	pthread_mutex_destroy(&l->mutex);
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
