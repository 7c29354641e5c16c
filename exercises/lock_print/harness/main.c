/*
 * harness/main.c - grader-side driver of the lock_print exercise.
 *
 * Linked with the student's lock_print.c, it reports and never judges:
 *
 *   harness blocks W M  print_blocks(W, M, P) with P the write end of a
 *                       pipe the harness made (so the tracer sees every
 *                       write to it; the lines fit in the pipe); then the
 *                       marker "print_blocks returned", on stderr
 *                       "print_blocks returned R", and what came through
 *                       the pipe, in its order, on stdout.
 *   harness wait        l = lock_create(); the parent acquires it.  A
 *                       child: marker "acquiring", lock_acquire(l) (it
 *                       must wait), marker "acquired", stdout "child
 *                       acquired", lock_release(l).  The parent: marker
 *                       "pause" (the spec paces it: the child is waiting
 *                       by then), marker "release", lock_release(l),
 *                       reaps the child, stdout "parent reaped the child".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lock_print.h"
#include "harness.h"

static void say(int fd, const char *text)
{
	size_t n = strlen(text);
	if (write(fd, text, n) != (ssize_t)n)
		_exit(9);
}

static int blocks(unsigned w, unsigned m)
{
	char buf[4096];
	int p[2];
	if (pipe(p) < 0)
		return 2;
	int r = print_blocks(w, m, p[1]);
	trace_marker("print_blocks returned\n");
	close(p[1]);
	snprintf(buf, sizeof(buf), "print_blocks returned %d\n", r);
	say(2, buf);
	ssize_t n;
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n)
			return 9;
	return 0;
}

static int wait_for_release(void)
{
	struct lock *l = lock_create();
	if (!l) {
		say(2, "lock_create returned NULL\n");
		return 1;
	}
	lock_acquire(l);
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		trace_marker("acquiring\n");
		lock_acquire(l);
		trace_marker("acquired\n");
		say(1, "child acquired\n");
		lock_release(l);
		_exit(0);
	}
	trace_marker("pause\n");
	trace_marker("release\n");
	lock_release(l);
	if (waitpid(pid, NULL, 0) == pid)
		say(1, "parent reaped the child\n");
	lock_destroy(l);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "blocks"))
		return blocks((unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "wait"))
		return wait_for_release();
	fprintf(stderr, "usage: %s blocks W M | wait\n", argv[0]);
	return 2;
}
