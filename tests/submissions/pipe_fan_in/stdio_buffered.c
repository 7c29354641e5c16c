// expect: five senders => wrong answer [pipe_writes]
// expect: sixteen senders => wrong answer [pipe_writes]
// expect: one pipe, a write per line => wrong answer [pipe_writes]
// expect-message: one pipe, a write per line => line ends); every write to a pipe should be one whole line
// The senders write through stdio (fdopen + fprintf): the buffer goes out in blocks of
// several lines, or of a part of a line, not one write() per line.
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
	FILE *f = fdopen(wfd, "w");
	if (!f)
		_exit(1);
	for (unsigned m = 0; m < nmsgs; m++)
		fprintf(f, "sender %u message %u\n", k, m);
	fclose(f);
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
	reap(started);
	return started < nsenders ? -1 : lines;
}
