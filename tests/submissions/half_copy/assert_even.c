// expect: one byte => signal (SIGABRT) [exit, file, stdout]
// expect: odd size => signal (SIGABRT) [exit, file, stdout]
// expect: 1 MiB + 123 bytes => signal (SIGABRT) [exit, file, stdout]
// expect: several MiB => signal (SIGABRT) [exit, file, stdout]
// Asserts that the size is even: an odd-sized file aborts the program (SIGABRT from assert in half_copy()).
#include <assert.h>
#include <fcntl.h>
#include <sys/stat.h>
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
	struct stat st;
	if (stat(src, &st) < 0)
		return -1;
	off_t n = st.st_size, half = n / 2;
	assert(n % 2 == 0);   /* crash: fails on odd sizes */
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
