// expect: one byte => wrong answer [file]
// expect: odd size => wrong answer [file]
// expect: 1 MiB + 123 bytes => wrong answer [file]
// expect: several MiB => wrong answer [file]
// expect: two processes write the halves => wrong answer [writers]
// The size is found only in the parent, after the fork: the child sees size 0 and leaves dst2 empty.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "half_copy.h"

static off_t size;          /* set by the parent only, after fork() */

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
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(copy_range(src, dst2, size / 2, size - size / 2) ? 1 : 0);
	struct stat st;
	int rc = -1;
	if (stat(src, &st) == 0) {
		size = st.st_size;
		rc = copy_range(src, dst1, 0, size / 2);
	}
	int status;
	waitpid(pid, &status, 0);
	return rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
