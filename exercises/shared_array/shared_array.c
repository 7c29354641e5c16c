/*
 * shared_array.c - your solution: shared values and arrays.  The contract
 * is in shared_array.h; README.md explains the task.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shared_array.h"

int *shared_ints(size_t n)
{
	/* TODO: n ints of zeroed memory that children forked later share */
	(void)n;
	return NULL;
}

char *shared_bytes(size_t n)
{
	/* TODO: the same for n bytes */
	(void)n;
	return NULL;
}

void shared_free(void *p, size_t bytes)
{
	/* TODO: give the memory back */
	(void)p;
	(void)bytes;
}

int apply_in_children(int *a, size_t n, unsigned nchildren, int (*f)(int))
{
	/* TODO: fork nchildren children; child k updates a[i] = f(a[i]) for
	   i % nchildren == k and _exit()s; the parent reaps them all. */
	(void)a;
	(void)n;
	(void)nchildren;
	(void)f;
	return -1;
}
