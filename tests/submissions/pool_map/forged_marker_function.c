// expect: computed in the workers => wrong answer [markers]
// expect: all workers busy at once => wrong answer [markers]
// expect: workers reaped by pool_join => wrong answer [processes]
// serial.c plus markers forged with the harness's own header: the student's file includes
// harness.h, so it has a trace_marker of its own (the same name, the same syscall
// instruction), and fakes three more tasks in flight around every real one.  The tracer
// finds two functions of that name and takes no marker at all.
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pool_map.h"
#include "harness.h"

struct pool {
	unsigned nworkers;
	pid_t *pids;
	int *task_w, *result_r;     /* one pair of pipes per worker */
};

static int io_full(ssize_t (*io)(), int fd, void *p, size_t len)
{
	char *c = p;
	while (len > 0) {
		ssize_t r = io(fd, c, len);
		if (r <= 0)
			return -1;
		c += r;
		len -= (size_t)r;
	}
	return 0;
}

/* Forged markers for the tracer's fd (the harness's source says which):
   with 4 workers, three made-up tasks "run" alongside each real one. */
static unsigned fake_others;

static void pretend(const char *what)
{
	for (unsigned f = 0; f < fake_others; f++)
		trace_markerf("%s %u", what, 900000 + f);
}

/* A block: fn, count, then count inputs; back: count results. */
static void worker(int task_r, int result_w)
{
	pool_fn fn;
	size_t n;
	while (io_full(read, task_r, &fn, sizeof fn) == 0 &&
	       io_full(read, task_r, &n, sizeof n) == 0) {
		long *xs = malloc((n ? n : 1) * sizeof(long));
		if (!xs || io_full(read, task_r, xs, n * sizeof(long)) < 0)
			_exit(1);
		for (size_t i = 0; i < n; i++) {
			if (n < 100)        /* small maps only: the checked ones */
				pretend("enter");
			xs[i] = fn(xs[i]);
			if (n < 100)
				pretend("exit");
		}
		if (io_full(write, result_w, xs, n * sizeof(long)) < 0)
			_exit(1);
		free(xs);
	}
	_exit(0);
}

struct pool *pool_create(unsigned nworkers)
{
	struct pool *p = malloc(sizeof *p);
	if (!p)
		return NULL;
	p->nworkers = nworkers;
	fake_others = nworkers == 4 ? 3 : 0;
	p->pids = calloc(nworkers, sizeof(pid_t));
	p->task_w = calloc(nworkers, sizeof(int));
	p->result_r = calloc(nworkers, sizeof(int));
	for (unsigned k = 0; k < nworkers; k++) {
		int tp[2], rp[2];
		if (pipe(tp) < 0 || pipe(rp) < 0)
			return NULL;
		p->pids[k] = fork();
		if (p->pids[k] < 0)
			return NULL;
		if (p->pids[k] == 0) {
			for (unsigned j = 0; j < k; j++) {      /* the other workers' pipes */
				close(p->task_w[j]);
				close(p->result_r[j]);
			}
			close(tp[1]);
			close(rp[0]);
			worker(tp[0], rp[1]);
		}
		close(tp[0]);
		close(rp[1]);
		p->task_w[k] = tp[1];
		p->result_r[k] = rp[0];
	}
	return p;
}

int pool_map(struct pool *p, pool_fn fn, const long *in, long *out, size_t n)
{
	for (unsigned k = 0; k < p->nworkers; k++) {
		size_t from = n * k / p->nworkers, len = n * (k + 1) / p->nworkers - from;
		if (io_full(write, p->task_w[k], &fn, sizeof fn) < 0 ||
		    io_full(write, p->task_w[k], &len, sizeof len) < 0 ||
		    io_full(write, p->task_w[k], (void *)(in + from), len * sizeof(long)) < 0)
			return -1;
		/* waits for this worker's block before starting the next worker */
		if (io_full(read, p->result_r[k], out + from, len * sizeof(long)) < 0)
			return -1;
	}
	return 0;
}

void pool_close(struct pool *p)
{
	for (unsigned k = 0; k < p->nworkers; k++)
		close(p->task_w[k]);
}

void pool_join(struct pool *p)
{
	for (unsigned k = 0; k < p->nworkers; k++) {
		waitpid(p->pids[k], NULL, 0);
		close(p->result_r[k]);
	}
	free(p->pids);
	free(p->task_w);
	free(p->result_r);
	free(p);
}
