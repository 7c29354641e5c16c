// expect: every child reaped before return => wrong answer [processes]
// The child says "done" through a pipe, but the parent never calls waitpid(): the child stays a zombie.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
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
	int done[2];
	char ok = 0;
	if (stat(src, &st) < 0 || pipe(done) < 0)
		return -1;
	off_t n = st.st_size, half = n / 2;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char c = copy_range(src, dst2, half, n - half) == 0;
		write(done[1], &c, 1);
		_exit(0);
	}
	close(done[1]);
	int rc = copy_range(src, dst1, 0, half);
	if (read(done[0], &ok, 1) != 1 || !ok)
		rc = -1;
	close(done[0]);
	return rc;                  /* no waitpid(pid, ...) */
}
