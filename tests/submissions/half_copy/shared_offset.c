// expect: each process opens the source itself => wrong answer [opened_itself]
// The parent opens src once and the children use the inherited descriptor (one shared file offset).
// The children take turns, so the bytes come out right; the shared offset is still the mistake.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "half_copy.h"

static int copy_from(int in, const char *dst, off_t from, off_t len)
{
	char buf[4096];
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || lseek(in, from, SEEK_SET) < 0)
		return -1;
	while (len > 0) {
		ssize_t got = read(in, buf, len < 4096 ? (size_t)len : 4096);
		if (got <= 0 || write(out, buf, (size_t)got) != got)
			return -1;
		len -= got;
	}
	return close(out);
}

static int run_child(int in, const char *dst, off_t from, off_t len)
{
	int status;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(copy_from(in, dst, from, len) ? 1 : 0);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int half_copy(const char *src, const char *dst1, const char *dst2)
{
	int in = open(src, O_RDONLY);          /* opened once, shared by both */
	struct stat st;
	if (in < 0 || fstat(in, &st) < 0)
		return -1;
	off_t n = st.st_size, half = n / 2;
	int rc = run_child(in, dst1, 0, half);
	if (rc == 0)
		rc = run_child(in, dst2, half, n - half);
	close(in);
	return rc;
}
