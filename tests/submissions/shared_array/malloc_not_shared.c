// expect: two children => wrong answer [stdout]
// expect: four children, each on its own slice => wrong answer [ipc, stdout]
// expect: more children than elements => wrong answer [stdout]
// expect: the parent reads after reaping => wrong answer [stdout]
// expect: shared bytes, zeroed, seen both ways => wrong answer [file]
// expect: no memory => wrong answer [stdout]
// expect-message: four children, each on its own slice => expected
// The memory comes from calloc: zeroed, but every child gets a copy of its own after
// fork(), so the parent never sees what the children wrote.
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shared_array.h"

static void *shared(size_t bytes)
{
	if (bytes == 0)
		return NULL;
	return calloc(1, bytes);
}

int *shared_ints(size_t n)
{
	if (n > SIZE_MAX / sizeof(int))
		return NULL;
	return shared(n * sizeof(int));
}

char *shared_bytes(size_t n)
{
	return shared(n);
}

void shared_free(void *p, size_t bytes)
{
	(void)bytes;
	free(p);
}

static void reap(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		while (wait(NULL) < 0 && errno == EINTR)
			;
}

int apply_in_children(int *a, size_t n, unsigned nchildren, int (*f)(int))
{
	unsigned started = 0;
	if (!a || !f || nchildren == 0)
		return -1;
	for (; started < nchildren; started++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			for (size_t i = started; i < n; i += nchildren)
				a[i] = f(a[i]);
			_exit(0);
		}
	}
	reap(started);
	return started == nchildren ? 0 : -1;
}
