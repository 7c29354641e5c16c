// expect: two writers => wrong answer [lines]
// expect: eight writers => wrong answer [lines]
// expect: acquire sleeps until the holder releases => wrong answer [order]
// expect-message: two writers => are not together: other lines came between them
// "Each write() of a line is atomic, so the lines come out whole": true, but
// nothing keeps another writer's lines from coming between them.  The lock is
// there and never taken.
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
	int unused;
};

struct lock *lock_create(void)
{
	return malloc(sizeof(struct lock));
}

void lock_acquire(struct lock *l)
{
	(void)l;
}

void lock_release(struct lock *l)
{
	(void)l;
}

void lock_destroy(struct lock *l)
{
	free(l);
}

static void write_block(struct lock *l, unsigned k, unsigned nlines, int fd)
{
	char line[64];
	(void)l;
	for (unsigned m = 0; m < nlines; m++) {
		int len = snprintf(line, sizeof(line), "writer %u line %u\n", k, m);
		if (write(fd, line, (size_t)len) != len)
			break;
	}
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
