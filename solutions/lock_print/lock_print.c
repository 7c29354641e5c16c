/*
 * lock_print.c - reference solution: a pthread mutex with the
 * PTHREAD_PROCESS_SHARED attribute in an anonymous shared mapping (so
 * the children forked after lock_create lock the same mutex, and a
 * waiter sleeps on a shared futex).  Each writer holds it for its whole
 * block; each line is built in a buffer and written with one write().
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
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
	int rc = pthread_mutex_init(&l->mutex, &a);
	pthread_mutexattr_destroy(&a);
	if (rc) {
		munmap(l, sizeof(*l));
		return NULL;
	}
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

/* Write all n bytes of buf (a pipe may take fewer at once). */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static void write_block(struct lock *l, unsigned k, unsigned nlines, int fd)
{
	char line[64];
	lock_acquire(l);
	for (unsigned m = 0; m < nlines; m++) {
		int len = snprintf(line, sizeof(line), "writer %u line %u\n", k, m);
		if (write_all(fd, line, (size_t)len) < 0)
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
