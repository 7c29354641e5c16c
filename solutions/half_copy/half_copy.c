/*
 * half_copy.c - reference solution: the parent copies the first half, one
 * child copies the second; each opens the source itself, and the parent
 * reaps the child and reports its failure.
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

#define BUF_SIZE 65536

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy len bytes of src starting at from into dst (created or truncated).
   Opens src itself, so its offset is its own.  0 or -1. */
static int copy_range(const char *src, const char *dst, off_t from, off_t len)
{
	static char buf[BUF_SIZE];
	int rc = -1;
	int in = open(src, O_RDONLY);
	if (in < 0)
		return -1;
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		goto close_in;
	if (lseek(in, from, SEEK_SET) < 0)
		goto close_out;
	while (len > 0) {
		size_t want = len < BUF_SIZE ? (size_t)len : BUF_SIZE;
		ssize_t got = read(in, buf, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)           /* error, or the file shrank */
			goto close_out;
		if (write_all(out, buf, (size_t)got) < 0)
			goto close_out;
		len -= got;
	}
	rc = 0;
close_out:
	if (close(out) < 0)
		rc = -1;
close_in:
	close(in);
	return rc;
}

static int reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int half_copy(const char *src, const char *dst1, const char *dst2)
{
	struct stat st;
	if (stat(src, &st) < 0)
		return -1;
	off_t n = st.st_size, half = n / 2;

	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(copy_range(src, dst2, half, n - half) == 0 ? 0 : 1);

	int rc = copy_range(src, dst1, 0, half);
	if (reap(pid) < 0)
		rc = -1;
	return rc;
}
