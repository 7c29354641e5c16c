/*
 * @NAME@.c - your solution.  The contract is in @NAME@.h; README.md
 * explains the task.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "@NAME@.h"

int @NAME@(unsigned n)
{
	/* TODO: fork n children; child k prints "child k\n", flushes and
	   calls _exit(0); then reap them all and return how many. */
	(void)n;
	return -1;
}
