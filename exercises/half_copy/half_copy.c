/*
 * half_copy.c - your solution: copy the two halves of a file in two
 * processes.  The contract is in half_copy.h; README.md explains the task.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "half_copy.h"

int half_copy(const char *src, const char *dst1, const char *dst2)
{
	/* TODO: find the size n of src (stat), fork a child that opens src
	   itself and copies [n/2, n) into dst2, copy [0, n/2) into dst1 here,
	   then wait for the child and check how it ended. */
	(void)src;
	(void)dst1;
	(void)dst2;
	return -1;
}
