// expect: missing source => time limit (cpu) []
// No error checks: when src is missing the child loops forever on read() returning -1 ("until read returns 0").
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "half_copy.h"

int half_copy(const char *src, const char *dst1, const char *dst2)
{
	char buf[4096];
	int fd = open(src, O_RDONLY);
	off_t n = lseek(fd, 0, SEEK_END), half = n / 2;
	close(fd);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open(src, O_RDONLY);
		int out = open(dst2, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		ssize_t got;
		lseek(in, half, SEEK_SET);
		while ((got = read(in, buf, sizeof buf)) != 0)   /* -1 forever */
			if (got > 0)
				write(out, buf, (size_t)got);
		_exit(0);
	}
	int in = open(src, O_RDONLY);
	int out = open(dst1, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	off_t left = half;
	while (left > 0) {
		ssize_t got = read(in, buf, left < 4096 ? (size_t)left : 4096);
		if (got <= 0)
			break;
		write(out, buf, (size_t)got);
		left -= got;
	}
	close(in);
	close(out);
	waitpid(pid, NULL, 0);
	return n < 0 ? -1 : 0;
}
