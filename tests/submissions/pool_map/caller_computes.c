// expect: computed in the workers => wrong answer [markers]
// expect: all workers busy at once => wrong answer [markers]
// The workers are created and reaped, but pool_map computes fn itself, in the caller.
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

int pool_map(struct pool *p, pool_fn fn, const long *in, long *out, size_t n)
{
	(void)send_task;
	for (size_t i = 0; i < n; i++)
		out[i] = fn(in[i]);         /* in the caller: the workers idle */
	return 0;
}

void pool_close(struct pool *p)
{
	close(p->task_w);
}

void pool_join(struct pool *p)
{
	for (unsigned k = 0; k < p->nworkers; k++)
		waitpid(p->pids[k], NULL, 0);
	close(p->result_r);
	free(p->pids);
	free(p);
}
