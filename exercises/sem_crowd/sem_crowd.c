/*
 * sem_crowd.c - your solution: a counting semaphore between processes and
 * a crowd that shares a few places.  The contract is in sem_crowd.h;
 * README.md explains the task.
 */
#include <errno.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sem_crowd.h"

struct semaphore {
	/* TODO: the count, and what lets a process sleep until it is not 0 */
	unsigned count;
};

struct semaphore *semaphore_create(unsigned value)
{
	/* TODO: in memory shared with the children forked later */
	(void)value;
	return NULL;
}

void semaphore_acquire(struct semaphore *s)
{
	/* TODO: take one; while the count is 0, sleep until a release */
	(void)s;
}

void semaphore_release(struct semaphore *s)
{
	/* TODO: give one back, waking a waiter */
	(void)s;
}

void semaphore_destroy(struct semaphore *s)
{
	/* TODO: free it */
	(void)s;
}

int crowd_run(unsigned nprocs, unsigned capacity, void (*visit)(unsigned k))
{
	/* TODO: capacity places; fork nprocs children; child k takes a place,
	   calls visit(k), gives the place back and _exit()s; reap them all. */
	(void)nprocs;
	(void)capacity;
	(void)visit;
	return -1;
}
