// expect: workers reaped by pool_join => wrong answer [processes]
// pool_join frees the pool but never calls waitpid(): the workers are left as zombies.
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pool_map.h"

struct task { pool_fn fn; size_t i; long x; };
struct result { size_t i; long y; };

struct pool {
	unsigned nworkers;
	pid_t *pids;
	int task_w, result_r;
};

static void worker(int task_r, int result_w)
{
	struct task t;
	while (read(task_r, &t, sizeof t) == sizeof t) {
		struct result r = {t.i, t.fn(t.x)};
		write(result_w, &r, sizeof r);
	}
	_exit(0);
}

struct pool *pool_create(unsigned nworkers)
{
	int tp[2], rp[2];
	struct pool *p = malloc(sizeof *p);
	if (!p || pipe(tp) < 0 || pipe(rp) < 0)
		return NULL;
	p->nworkers = nworkers;
	p->pids = calloc(nworkers, sizeof(pid_t));
	for (unsigned k = 0; k < nworkers; k++) {
		p->pids[k] = fork();
		if (p->pids[k] < 0)
			return NULL;
		if (p->pids[k] == 0) {
			close(tp[1]);
			close(rp[0]);
			worker(tp[0], rp[1]);
		}
	}
	close(tp[0]);
	close(rp[1]);
	p->task_w = tp[1];
	p->result_r = rp[0];
	return p;
}

static int send_task(struct pool *p, pool_fn fn, const long *in, size_t i)
{
	struct task t = {fn, i, in[i]};
	return write(p->task_w, &t, sizeof t) == sizeof t ? 0 : -1;
}

/* At most 2 tasks per worker outstanding: a new task for each result. */
int pool_map(struct pool *p, pool_fn fn, const long *in, long *out, size_t n)
{
	size_t sent = 0;
	while (sent < n && sent < 2 * (size_t)p->nworkers)
		if (send_task(p, fn, in, sent++) < 0)
			return -1;
	for (size_t done = 0; done < n; done++) {
		struct result r;
		if (read(p->result_r, &r, sizeof r) != sizeof r)
			return -1;
		out[r.i] = r.y;
		if (sent < n && send_task(p, fn, in, sent++) < 0)
			return -1;
	}
	return 0;
}

void pool_close(struct pool *p)
{
	close(p->task_w);
}

void pool_join(struct pool *p)
{
	/* no waitpid(): the workers exit on end of file, nobody reaps them */
	close(p->result_r);
	free(p->pids);
	free(p);
}
