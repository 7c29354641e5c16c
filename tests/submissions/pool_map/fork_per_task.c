// expect: more workers than numbers => wrong answer [processes]
// expect: 100 000 numbers => time limit (cpu) []
// expect: exactly nworkers workers => wrong answer [processes]
// expect: the same workers for every map => wrong answer [processes]
// expect: computed in the workers => wrong answer [markers]
// Not a pool: pool_map forks a new process for every task (at most nworkers alive at once)
// and reaps it when its result is in.
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pool_map.h"

struct pool {
	unsigned nworkers;
};

struct result { size_t i; long y; };

struct pool *pool_create(unsigned nworkers)
{
	struct pool *p = malloc(sizeof *p);
	if (p)
		p->nworkers = nworkers;
	return p;
}

static int collect_one(int result_r, long *out)
{
	struct result r;
	if (read(result_r, &r, sizeof r) != sizeof r)
		return -1;
	out[r.i] = r.y;
	wait(NULL);                 /* the child that sent it is finishing */
	return 0;
}

int pool_map(struct pool *p, pool_fn fn, const long *in, long *out, size_t n)
{
	int rp[2];
	size_t alive = 0;
	if (pipe(rp) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (alive == p->nworkers) {
			if (collect_one(rp[0], out) < 0)
				return -1;
			alive--;
		}
		pid_t pid = fork();     /* one process per task */
		if (pid < 0)
			return -1;
		if (pid == 0) {
			struct result r = {i, fn(in[i])};
			write(rp[1], &r, sizeof r);
			_exit(0);
		}
		alive++;
	}
	for (; alive > 0; alive--)
		if (collect_one(rp[0], out) < 0)
			return -1;
	close(rp[0]);
	close(rp[1]);
	return 0;
}

void pool_close(struct pool *p)
{
	(void)p;
}

void pool_join(struct pool *p)
{
	free(p);
}
