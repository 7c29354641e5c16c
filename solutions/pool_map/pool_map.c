/*
 * pool_map.c - reference solution: a process pool over two pipes.
 *
 * Theory of operation.  pool_create forks the workers once.  They share one
 * task pipe (the pool's queue: whichever worker is free reads the next
 * task) and one result pipe back to the caller.  A task is a fixed-size
 * record of at most CHUNK inputs with their first index; every record is
 * smaller than PIPE_BUF, so each write is atomic and each read by a worker
 * takes exactly one whole record even with several readers.  Like Python's
 * Pool.map, a chunk is n / (4 * nworkers) inputs (1 to CHUNK): small maps
 * hand out one input at a time so every worker gets work, big ones save
 * system calls.
 *
 * pool_map never blocks on a full task pipe: the write end is non-blocking,
 * and poll() waits until it can send more tasks or read a result.  Draining
 * results while sending is what keeps a big map from deadlocking (workers
 * blocked writing results, the caller blocked writing tasks).  Results carry
 * their index, so out[] is filled in input order whatever order they come.
 *
 * pool_close closes the task pipe: each worker reads end-of-file and
 * _exit()s.  pool_join reaps every worker and frees the pool.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pool_map.h"

#define CHUNK 16

struct task {
	pool_fn fn;
	size_t index, count;
	long x[CHUNK];
};

struct result {
	size_t index, count;
	long y[CHUNK];
};

struct pool {
	unsigned nworkers;
	pid_t *pids;
	int task_w;             /* -1 once closed */
	int result_r;
};

/* Read exactly len bytes; 1 done, 0 end of file first, -1 error. */
static int read_full(int fd, void *p, size_t len)
{
	char *c = p;
	while (len > 0) {
		ssize_t r = read(fd, c, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return (int)r;
		c += r;
		len -= (size_t)r;
	}
	return 1;
}

static int write_full(int fd, const void *p, size_t len)
{
	const char *c = p;
	while (len > 0) {
		ssize_t w = write(fd, c, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		c += w;
		len -= (size_t)w;
	}
	return 0;
}

/* A worker's life: take a task, compute it, send the results; EOF ends it. */
static void worker(int task_r, int result_w)
{
	struct task t;
	struct result res;
	int r;

	while ((r = read_full(task_r, &t, sizeof t)) == 1) {
		res.index = t.index;
		res.count = t.count;
		for (size_t k = 0; k < t.count; k++)
			res.y[k] = t.fn(t.x[k]);
		if (write_full(result_w, &res, sizeof res) < 0)
			_exit(1);
	}
	_exit(r == 0 ? 0 : 1);
}

static void close_tasks(struct pool *pool)
{
	if (pool->task_w >= 0)
		close(pool->task_w);
	pool->task_w = -1;
}

static void reap_all(struct pool *pool, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		while (waitpid(pool->pids[k], NULL, 0) < 0 && errno == EINTR)
			;
}

struct pool *pool_create(unsigned nworkers)
{
	int tp[2], rp[2];
	struct pool *pool = calloc(1, sizeof *pool);

	if (!pool || nworkers == 0 || !(pool->pids = calloc(nworkers, sizeof(pid_t))))
		goto fail_mem;
	if (pipe(tp) < 0)
		goto fail_mem;
	if (pipe(rp) < 0) {
		close(tp[0]);
		close(tp[1]);
		goto fail_mem;
	}
	pool->task_w = tp[1];
	pool->result_r = rp[0];
	for (unsigned k = 0; k < nworkers; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			close(tp[1]);
			close(rp[0]);
			worker(tp[0], rp[1]);
		}
		if (pid < 0) {
			close(tp[0]);
			close(rp[1]);
			close_tasks(pool);      /* the workers so far read EOF */
			reap_all(pool, k);
			close(rp[0]);
			goto fail_mem;
		}
		pool->pids[k] = pid;
		pool->nworkers++;
	}
	close(tp[0]);
	close(rp[1]);
	fcntl(pool->task_w, F_SETFL, fcntl(pool->task_w, F_GETFL) | O_NONBLOCK);
	return pool;

fail_mem:
	if (pool)
		free(pool->pids);
	free(pool);
	return NULL;
}

/* Send tasks from *next until the pipe is full or none is left. */
static int send_tasks(struct pool *pool, pool_fn fn, const long *in, size_t n,
		      size_t chunk, size_t *next)
{
	struct task t = {.fn = fn};

	while (*next < n) {
		t.index = *next;
		t.count = n - *next < chunk ? n - *next : chunk;
		memcpy(t.x, in + t.index, t.count * sizeof(long));
		ssize_t w = write(pool->task_w, &t, sizeof t);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN ? 0 : -1;
		*next += t.count;
	}
	return 0;
}

/* Take one result record; its count of results, or -1. */
static long take_result(struct pool *pool, long *out, size_t n)
{
	struct result res;

	if (read_full(pool->result_r, &res, sizeof res) != 1)
		return -1;      /* every worker is gone */
	if (res.count > CHUNK || res.index > n || res.count > n - res.index)
		return -1;
	memcpy(out + res.index, res.y, res.count * sizeof(long));
	return (long)res.count;
}

int pool_map(struct pool *pool, pool_fn fn, const long *in, long *out, size_t n)
{
	size_t next = 0, done = 0;
	size_t chunk = pool ? n / (4 * (size_t)pool->nworkers) : 0;

	if (!pool || !fn || pool->task_w < 0 || (n && (!in || !out)))
		return -1;
	chunk = chunk < 1 ? 1 : chunk > CHUNK ? CHUNK : chunk;
	while (done < n) {
		struct pollfd fds[2] = {
			{.fd = pool->result_r, .events = POLLIN},
			{.fd = next < n ? pool->task_w : -1, .events = POLLOUT},
		};
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (fds[1].revents & (POLLERR | POLLHUP))
			return -1;
		if ((fds[1].revents & POLLOUT) &&
		    send_tasks(pool, fn, in, n, chunk, &next) < 0)
			return -1;
		if (fds[0].revents) {
			long got = take_result(pool, out, n);
			if (got < 0)
				return -1;
			done += (size_t)got;
		}
	}
	return 0;
}

void pool_close(struct pool *pool)
{
	if (pool)
		close_tasks(pool);
}

void pool_join(struct pool *pool)
{
	if (!pool)
		return;
	close_tasks(pool);
	reap_all(pool, pool->nworkers);
	close(pool->result_r);
	free(pool->pids);
	free(pool);
}
