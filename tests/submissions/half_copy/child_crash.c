// expect: empty file => wrong answer [file, stdout]
// expect: one byte => wrong answer [file, stdout]
// expect: odd size => wrong answer [file, stdout]
// expect: 1 MiB + 123 bytes => wrong answer [file, stdout]
// expect: several MiB => wrong answer [file, stdout]
// expect: two processes write the halves => wrong answer [stdout, writers]
// expect: each process opens the source itself => wrong answer [stdout]
// expect: every child reaped before return => wrong answer [stdout]
// expect: no other program is run => wrong answer [stdout]
// The child copying the second half writes through a NULL buffer: child #1 dies of SIGSEGV in fill(), the parent returns -1.
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

static char *scratch;   /* NULL: never allocated */

static void fill(size_t n)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = 0;   /* crash: scratch is NULL */
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
	if (pid == 0) {
		fill(16);
		_exit(copy_range(src, dst2, half, n - half) ? 1 : 0);
	}
	int rc = copy_range(src, dst1, 0, half);
	int status;
	waitpid(pid, &status, 0);
	return rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
