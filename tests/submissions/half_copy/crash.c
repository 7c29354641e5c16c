// expect: missing source => signal (SIGSEGV) [exit, processes, stdout]
// The size is read with fopen/fseek/ftell, and fopen's NULL (missing file) is not checked.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "half_copy.h"

static int copy_range(const char *src, const char *dst, off_t from, off_t len)
{
	char buf[4096];
	int in = open(src, O_RDONLY);
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (in < 0 || out < 0)
		return -1;
	lseek(in, from, SEEK_SET);
	while (len > 0) {
		ssize_t got = read(in, buf, len < 4096 ? (size_t)len : 4096);
		if (got <= 0 || write(out, buf, (size_t)got) != got)
			return -1;
		len -= got;
	}
	close(in);
	return close(out);
}

int half_copy(const char *src, const char *dst1, const char *dst2)
{
	FILE *f = fopen(src, "rb");
	fseek(f, 0, SEEK_END);      /* f is NULL when src is missing */
	off_t n = ftell(f), half = n / 2;
	fclose(f);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(copy_range(src, dst2, half, n - half) ? 1 : 0);
	int rc = copy_range(src, dst1, 0, half);
	int status;
	waitpid(pid, &status, 0);
	return rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
