// expect: 100 000 numbers => time limit (wall) []
// expect-message: 100 000 numbers => child #1 (of the program) is writing to a full pipe; its read end is open in: the program
// expect-message: 100 000 numbers => time limit (wall): still running after
// pool_map writes every task before reading any result: with many tasks both pipes fill up,
// the caller blocks writing tasks while the workers block writing results.
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
	for (size_t i = 0; i < n; i++)          /* all the tasks first... */
		if (send_task(p, fn, in, i) < 0)
			return -1;
	for (size_t done = 0; done < n; done++) {   /* ...then the results */
		struct result r;
		if (read(p->result_r, &r, sizeof r) != sizeof r)
			return -1;
		out[r.i] = r.y;
	}
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
