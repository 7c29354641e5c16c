// expect: one writer => wrong answer [processes]
// expect: two writers => wrong answer [pipe_writes, processes]
// expect: eight writers => wrong answer [pipe_writes, processes]
// expect: fork fails => wrong answer [pipe_writes, processes, stderr, stdout]
// expect-message: two writers => expected 2 different processes to write to pipes; 0 did
// "If only one process writes, no block can be cut": print_blocks writes every
// writer's block itself, in order, and forks nobody.
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
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&l->mutex, &a);
	pthread_mutexattr_destroy(&a);
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

int print_blocks(unsigned nwriters, unsigned nlines, int out_fd)
{
	if (nwriters < 1 || nwriters > 16 || nlines < 1 || out_fd < 0)
		return -1;
	struct lock *l = lock_create();
	if (!l)
		return -1;
	for (unsigned k = 0; k < nwriters; k++)
		write_block(l, k, nlines, out_fd);
	lock_destroy(l);
	return 0;
}
