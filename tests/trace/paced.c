/* paced: run with pace_marker "tick", pace_writes and pipe_writes, 50 ms.
   A child writes "a\n" then "b\n" into a pipe; the parent writes the
   markers "tick 1", "tock" and "tick 2", reads the pipe to its end.
   Exit 0 if every marker write returned its length, each "tick" took at
   least 50 ms and "tock" less, the child's two writes at least 100 ms
   together, and the pipe carried "a\nb\n" (a paced write is made after
   all, once).  Then a child that exits at once: "tick 3" still takes 50
   ms, though SIGCHLD arrives meanwhile.  1: with ARGV "fast", no call
   may take 50 ms. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* How long writing the marker took; -1 if it did not return its length. */
static double marker(const char *line)
{
	double t0 = now_ms();
	ssize_t n = write(1021, line, strlen(line));
	return n == (ssize_t)strlen(line) ? now_ms() - t0 : -1;
}

int main(int argc, char **argv)
{
	int p[2], st;
	char buf[64];
	size_t got = 0;
	ssize_t n;
	int fast = argc > 1;

	if (pipe(p) < 0)
		return 2;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		double t0 = now_ms();
		if (write(p[1], "a\n", 2) != 2 || write(p[1], "b\n", 2) != 2)
			_exit(3);
		double took = now_ms() - t0;
		_exit(fast ? took >= 50 : took < 100);
	}
	close(p[1]);
	double t1 = marker("tick 1\n"), t2 = marker("tock\n"), t3 = marker("tick 2\n");
	while ((n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	waitpid(pid, &st, 0);
	if (t1 < 0 || t2 < 0 || t3 < 0 || strcmp(buf, "a\nb\n") || !WIFEXITED(st) || WEXITSTATUS(st))
		return 4;
	/* a child that ends at once: its SIGCHLD comes during "tick 3" (the
	   sleep is interrupted under ptrace, even for an ignored signal) */
	pid = fork();
	if (pid == 0)
		_exit(0);
	double t4 = marker("tick 3\n");
	waitpid(pid, &st, 0);
	if (t4 < 0)
		return 4;
	if (fast)
		return t1 >= 50 || t3 >= 50 || t4 >= 50;
	return t1 < 50 || t3 < 50 || t2 >= 50 || t4 < 50;
}
