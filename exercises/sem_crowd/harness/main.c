/*
 * harness/main.c - grader-side driver of the sem_crowd exercise.
 *
 * Linked with the student's sem_crowd.c, it reports and never judges:
 *
 *   harness crowd N C   crowd_run(N, C, visit); then the marker "crowd_run
 *                       returned" and on stderr "crowd_run returned R".
 *                       visit(k) writes the marker "enter K" (the spec
 *                       paces it: a visit lasts that long), the line
 *                       "visit K pid P" on stdout with one write() (P:
 *                       getpid()) and the marker "exit K": the markers
 *                       say how many visits ran at once.
 *   harness wait        s = semaphore_create(0).  A child: marker
 *                       "acquiring", semaphore_acquire(s) (it must wait),
 *                       marker "acquired", stdout "child acquired".  The
 *                       parent: marker "pause" (the spec paces it: the
 *                       child is waiting by then), marker "release",
 *                       semaphore_release(s), reaps the child, stdout
 *                       "parent reaped the child".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sem_crowd.h"
#include "harness.h"

static void line(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(int fd, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(fd, buf, (size_t)n) != n)
		_exit(9);
}

static void visit(unsigned k)
{
	trace_markerf("enter %u", k);
	line(1, "visit %u pid %d\n", k, (int)getpid());
	trace_markerf("exit %u", k);
}

static int crowd(unsigned n, unsigned c)
{
	int r = crowd_run(n, c, visit);
	trace_marker("crowd_run returned\n");
	line(2, "crowd_run returned %d\n", r);
	return 0;
}

static int wait_for_release(void)
{
	struct semaphore *s = semaphore_create(0);
	if (!s) {
		line(2, "semaphore_create returned NULL\n");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		trace_marker("acquiring\n");
		semaphore_acquire(s);
		trace_marker("acquired\n");
		line(1, "child acquired\n");
		_exit(0);
	}
	trace_marker("pause\n");
	trace_marker("release\n");
	semaphore_release(s);
	if (waitpid(pid, NULL, 0) == pid)
		line(1, "parent reaped the child\n");
	semaphore_destroy(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "crowd"))
		return crowd((unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "wait"))
		return wait_for_release();
	fprintf(stderr, "usage: %s crowd N C | wait\n", argv[0]);
	return 2;
}
