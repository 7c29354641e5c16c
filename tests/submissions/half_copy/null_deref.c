// expect: empty file => signal (SIGSEGV) [exit, file, stdout]
// expect: one byte => signal (SIGSEGV) [exit, file, stdout]
// expect: odd size => signal (SIGSEGV) [exit, file, stdout]
// expect: 1 MiB + 123 bytes => signal (SIGSEGV) [exit, file, stdout]
// expect: several MiB => signal (SIGSEGV) [exit, file, stdout]
// expect: two processes write the halves => signal (SIGSEGV) [exit, stdout, writers]
// expect: each process opens the source itself => signal (SIGSEGV) [exit, opened_itself, stdout]
// expect: every child reaped before return => signal (SIGSEGV) [exit, processes, stdout]
// expect: no other program is run => signal (SIGSEGV) [exit, stdout]
// expect: fork fails => signal (SIGSEGV) [exit, processes, stdout]
// The size is kept in a struct that was never allocated: the program dies of SIGSEGV in measure().
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "half_copy.h"

struct file_info {
	off_t size;
};
static struct file_info *info;   /* NULL: never allocated */

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

static int measure(const char *src)
{
	struct stat st;
	if (stat(src, &st) < 0)
		return -1;
	info->size = st.st_size;   /* crash: info is NULL */
	return 0;
}

int half_copy(const char *src, const char *dst1, const char *dst2)
{
	if (measure(src) < 0)
		return -1;
	off_t n = info->size, half = n / 2;
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
