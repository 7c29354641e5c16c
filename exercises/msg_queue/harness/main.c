/*
 * harness/main.c - grader-side driver of the msg_queue exercise.
 *
 * Linked with the student's msg_queue.c, it reports and never judges:
 *
 *   harness fifo N BASE     one process: a queue of capacity N; puts BASE +
 *                           13i for i < N, then gets them all: stdout "got V"
 *                           per get; stderr "after puts: size S empty E full
 *                           F" and "after gets: ...".
 *   harness pc P C M CAP    P producer children put (p, s) for s < M; C
 *                           consumer children get P*M messages between them
 *                           (a share each, so none waits for a message that
 *                           a broken queue lost), printing "got p s" on
 *                           stdout with one write(); the parent reaps them
 *                           all.  A failed call is reported on stderr.
 *                           Each producer starts with the marker "producer
 *                           start" (the spec paces it: the consumers are
 *                           then waiting on an empty queue).
 *   harness full            capacity 1.  A child puts 1 ("put 1 returned"),
 *                           then puts 2, which must wait ("put 2 returned").
 *                           The parent: markers "pause before get" (the spec
 *                           paces "pause": the child is waiting by then),
 *                           "get 1", gets, prints "got 1", "pause after get"
 *                           (the window for the child to wake), "consumer
 *                           next", gets ("got 2").
 *   harness empty           the mirror: a child gets (marker "get 1
 *                           returned", prints "got 7"); the parent: "pause
 *                           before put", "put 1", puts 7, "pause after put",
 *                           "producer next".
 *   harness timeout MS      one process, capacity 1: put (ok), put with MS
 *                           (markers "put enter" / "put returned"), get,
 *                           get with MS ("get enter" / "get returned"), then
 *                           with 0: put, put, get, get.  stdout: each call's
 *                           result and errno name.
 *
 * Messages in pc are {p, s} (8 bytes); elsewhere a long.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "msg_queue.h"
#include "harness.h"

struct msg { int p, s; };

static const char *err_name(int e)
{
	return e == ETIMEDOUT ? "ETIMEDOUT" : e == EAGAIN ? "EAGAIN" : e == EINTR ? "EINTR" :
	       e == 0 ? "none" : "other";
}

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

static struct queue *create(size_t cap, size_t size)
{
	struct queue *q = queue_create(cap, size);
	if (!q) {
		line(2, "queue_create returned NULL\n");
		exit(1);
	}
	return q;
}

static void report_state(struct queue *q, const char *when)
{
	line(2, "%s: size %zu empty %d full %d\n", when, queue_size(q), queue_empty(q),
	     queue_full(q));
}

static int fifo(int n, long base)
{
	struct queue *q = create((size_t)n, sizeof(long));
	for (int i = 0; i < n; i++) {
		long v = base + 13L * i;
		if (queue_put(q, &v, 0) < 0)
			line(1, "put %d failed: %s\n", i, err_name(errno));
	}
	report_state(q, "after puts");
	for (int i = 0; i < n; i++) {
		long v;
		if (queue_get(q, &v, 0) < 0)
			line(1, "get %d failed: %s\n", i, err_name(errno));
		else
			line(1, "got %ld\n", v);
	}
	report_state(q, "after gets");
	queue_destroy(q);
	return 0;
}

static void producer(struct queue *q, int p, int m)
{
	trace_marker("producer start\n");   /* paced: the consumers wait first */
	for (int s = 0; s < m; s++) {
		struct msg x = {p, s};
		if (queue_put(q, &x, -1) < 0)
			line(2, "producer %d: put failed: %s\n", p, err_name(errno));
	}
	_exit(0);
}

static void consumer(struct queue *q, int k, int n)
{
	struct msg x;
	for (int i = 0; i < n; i++) {
		if (queue_get(q, &x, -1) < 0) {
			line(2, "consumer %d: get failed: %s\n", k, err_name(errno));
			break;
		}
		line(1, "got %d %d\n", x.p, x.s);
	}
	_exit(0);
}

static pid_t spawn(void (*fn)(struct queue *, int, int), struct queue *q, int a, int b)
{
	pid_t pid = fork();
	if (pid == 0)
		fn(q, a, b);
	if (pid < 0)
		line(2, "fork failed\n");
	return pid;
}

static int pc(int np, int nc, int m, int cap)
{
	struct queue *q = create((size_t)cap, sizeof(struct msg));
	pid_t pids[64];
	int total = np * m;
	for (int c = 0; c < nc; c++)
		pids[c] = spawn(consumer, q, c, total / nc + (c < total % nc));
	for (int p = 0; p < np; p++)
		pids[nc + p] = spawn(producer, q, p, m);
	for (int i = 0; i < nc + np; i++)
		waitpid(pids[i], NULL, 0);
	queue_destroy(q);
	return 0;
}

static int full(void)
{
	struct queue *q = create(1, sizeof(long));
	long v;
	pid_t pid = fork();
	if (pid == 0) {
		v = 1;
		queue_put(q, &v, -1);
		trace_marker("put 1 returned\n");
		v = 2;
		int r = queue_put(q, &v, -1);
		trace_marker("put 2 returned\n");
		line(2, "put 2 returned %d\n", r);
		_exit(0);
	}
	trace_marker("pause before get\n");
	trace_marker("get 1\n");
	if (queue_get(q, &v, -1) == 0)
		line(1, "got %ld\n", v);
	trace_marker("pause after get\n");
	trace_marker("consumer next\n");
	if (queue_get(q, &v, -1) == 0)
		line(1, "got %ld\n", v);
	waitpid(pid, NULL, 0);
	queue_destroy(q);
	return 0;
}

static int empty(void)
{
	struct queue *q = create(1, sizeof(long));
	long v;
	pid_t pid = fork();
	if (pid == 0) {
		int r = queue_get(q, &v, -1);
		trace_marker("get 1 returned\n");
		if (r == 0)
			line(1, "got %ld\n", v);
		_exit(0);
	}
	trace_marker("pause before put\n");
	trace_marker("put 1\n");
	v = 7;
	queue_put(q, &v, -1);
	trace_marker("pause after put\n");
	trace_marker("producer next\n");
	waitpid(pid, NULL, 0);
	queue_destroy(q);
	return 0;
}

static void result(const char *what, int r)
{
	line(1, "%s returned %d errno %s\n", what, r, r < 0 ? err_name(errno) : "none");
}

static int timeout(int ms)
{
	struct queue *q = create(1, sizeof(long));
	long v = 1;
	result("put", queue_put(q, &v, ms));
	trace_marker("put enter\n");
	errno = 0;
	int r = queue_put(q, &v, ms);
	trace_marker("put returned\n");
	result("put when full", r);
	result("get", queue_get(q, &v, ms));
	trace_marker("get enter\n");
	errno = 0;
	r = queue_get(q, &v, ms);
	trace_marker("get returned\n");
	result("get when empty", r);
	result("put now", queue_put(q, &v, 0));
	errno = 0;
	result("put now when full", queue_put(q, &v, 0));
	result("get now", queue_get(q, &v, 0));
	errno = 0;
	result("get now when empty", queue_get(q, &v, 0));
	queue_destroy(q);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "fifo"))
		return fifo(atoi(argv[2]), atol(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "pc") && atoi(argv[2]) + atoi(argv[3]) <= 64)
		return pc(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
	if (argc == 2 && !strcmp(argv[1], "full"))
		return full();
	if (argc == 2 && !strcmp(argv[1], "empty"))
		return empty();
	if (argc == 3 && !strcmp(argv[1], "timeout"))
		return timeout(atoi(argv[2]));
	fprintf(stderr, "usage: %s fifo N BASE | pc P C M CAP | full | empty | timeout MS\n",
		argv[0]);
	return 2;
}
