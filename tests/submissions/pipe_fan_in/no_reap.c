// expect: every sender reaped => wrong answer [processes]
// expect: more than the pipe holds => wrong answer [processes]
// expect: fork fails => wrong answer [processes]
// expect-message: every sender reaped => was not reaped
// The parent reads every line but never waits for the senders: they stay zombies.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pipe_fan_in.h"

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

static void sender(int wfd, unsigned k, unsigned nmsgs)
{
	char line[64];
	for (unsigned m = 0; m < nmsgs; m++) {
		int n = snprintf(line, sizeof(line), "sender %u message %u\n", k, m);
		if (write(wfd, line, (size_t)n) != n)   /* one write: never torn */
			_exit(1);
	}
	_exit(0);
}

static void reap(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		while (wait(NULL) < 0 && errno == EINTR)
			;
}

long fan_in(unsigned nsenders, unsigned nmsgs, int out_fd)
{
	int p[2];
	unsigned started = 0;
	if (pipe(p) < 0)
		return -1;
	for (; started < nsenders; started++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(p[0]);
			sender(p[1], started, nmsgs);
		}
	}
	close(p[1]);              /* else the read below never sees end of file */
	long lines = 0;
	char buf[4096];
	ssize_t r;
	while ((r = read(p[0], buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			lines = -1;
			break;
		}
		for (ssize_t i = 0; i < r; i++)
			lines += buf[i] == '\n';
		if (write_all(out_fd, buf, (size_t)r) < 0) {
			lines = -1;
			break;
		}
	}
	close(p[0]);
	(void)reap;
	return started < nsenders ? -1 : lines;
}
