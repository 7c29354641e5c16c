/*
 * harness/main.c - grader-side driver of the shared_array exercise.
 *
 * Linked with the student's shared_array.c, it reports and never judges:
 *
 *   harness ints N K BASE   a = shared_ints(N) (stderr: "nonzero Z", how
 *                           many elements were not zero), a[i] = BASE + 3i,
 *                           apply_in_children(a, N, K, f); the marker
 *                           "exit apply_in_children", stderr "apply_in_children
 *                           returned R", stdout "a[I] = V" for every element.
 *                           f writes the marker "f I" and the line
 *                           "f I slot S pid P" on stderr (I the element, S =
 *                           I % K the child meant for it, P getpid()), and
 *                           returns 2x + 1.
 *   harness bytes N         a.bin and b.bin hold N bytes each: p =
 *                           shared_bytes(N) (stdout "nonzero Z"); the parent
 *                           copies a.bin into p; a child of the harness
 *                           writes p to seen.bin, copies b.bin into p and
 *                           exits; the parent waits and writes p to out.bin.
 *   harness nomem N         stdout "shared_ints returned NULL" or "... memory".
 *
 * Before each allocation the harness dirties memory of that size and gives
 * it back (malloc/free, or shared_* then shared_free), so memory that is
 * not zeroed shows.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shared_array.h"
#include "harness.h"

#define STRIDE 3

static int base;
static unsigned nkids;

static int f(int x)
{
	int i = (x - base) / STRIDE;
	char line[96];
	trace_markerf("f %d", i);
	int n = snprintf(line, sizeof(line), "f %d slot %u pid %d\n", i, (unsigned)i % nkids,
			 (int)getpid());
	if (write(2, line, (size_t)n) != n)
		_exit(9);
	return 2 * x + 1;
}

static void dirty(size_t bytes)
{
	char *q = malloc(bytes);
	if (q) {
		memset(q, 0x5A, bytes);
		free(q);
	}
}

static size_t nonzero(const char *p, size_t bytes)
{
	size_t z = 0;
	for (size_t i = 0; i < bytes; i++)
		z += p[i] != 0;
	return z;
}

static int ints(size_t n, unsigned k, int b)
{
	dirty(n * sizeof(int));
	int *a = shared_ints(n);
	if (!a) {
		fprintf(stderr, "shared_ints returned NULL\n");
		return 1;
	}
	fprintf(stderr, "nonzero %zu\n", nonzero((const char *)a, n * sizeof(int)));
	fflush(stderr);
	base = b;
	nkids = k;
	for (size_t i = 0; i < n; i++)
		a[i] = b + STRIDE * (int)i;
	int r = apply_in_children(a, n, k, f);
	trace_marker("exit apply_in_children\n");
	fprintf(stderr, "apply_in_children returned %d\n", r);
	for (size_t i = 0; i < n; i++)
		printf("a[%zu] = %d\n", i, a[i]);
	shared_free(a, n * sizeof(int));
	return 0;
}

static int load(const char *path, char *p, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t got = fd < 0 ? -1 : read(fd, p, n);
	if (fd >= 0)
		close(fd);
	return got == (ssize_t)n ? 0 : -1;
}

static int save(const char *path, const char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t put = fd < 0 ? -1 : write(fd, p, n);
	if (fd >= 0)
		close(fd);
	return put == (ssize_t)n ? 0 : -1;
}

static int bytes(size_t n)
{
	char *p = shared_bytes(n);
	if (p) {
		memset(p, 0xAB, n);
		shared_free(p, n);
	}
	dirty(n);
	p = shared_bytes(n);
	if (!p) {
		printf("shared_bytes returned NULL\n");
		return 1;
	}
	printf("nonzero %zu\n", nonzero(p, n));
	fflush(stdout);
	if (load("a.bin", p, n) < 0)
		return 2;
	pid_t pid = fork();
	if (pid == 0)
		_exit(save("seen.bin", p, n) < 0 || load("b.bin", p, n) < 0);
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 2;
	return save("out.bin", p, n) < 0 ? 2 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "ints"))
		return ints((size_t)atol(argv[2]), (unsigned)atoi(argv[3]), atoi(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "bytes"))
		return bytes((size_t)atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "nomem")) {
		int *a = shared_ints((size_t)atol(argv[2]));
		printf("shared_ints returned %s\n", a ? "memory" : "NULL");
		return 0;
	}
	fprintf(stderr, "usage: %s ints N K BASE | bytes N | nomem N\n", argv[0]);
	return 2;
}
