// expect: two children => wrong answer [lines]
// expect: four children, each on its own slice => wrong answer [lines]
// expect: more children than elements => wrong answer [lines]
// expect-message: two children => is the program
// The children are forked and reaped, but the work is done by the parent, after the
// loop: f runs in the wrong process, and the children do nothing.
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
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
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
	if (p)
		munmap(p, bytes);
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
			_exit(0);
		}
	}
	reap(started);
	for (size_t i = 0; i < n; i++)
		a[i] = f(a[i]);
	return started == nchildren ? 0 : -1;
}
