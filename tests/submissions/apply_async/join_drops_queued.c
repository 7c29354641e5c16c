// expect: join runs every task already submitted => wrong answer [stdout]
// apool_close tells the workers to stop at once: tasks submitted but not started yet
// are dropped, and their results (got after the join) are garbage.
#include <errno.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "apply_async.h"

#define MAX_TASKS 65536       /* slots are touched only when used */

struct slot {
	apool_fn fn;
	long arg, value;
	atomic_int done;
	sem_t ready;
};

struct shared {
	sem_t work;               /* one post per task, one per worker at close */
	atomic_size_t next;       /* the next slot a worker takes */
	atomic_size_t ntasks;     /* slots submitted */
	atomic_int stop;
	struct slot slot[MAX_TASKS];
};

struct async_result {
	struct apool *pool;       /* NULL once the pool is gone: value holds it */
	size_t slot;
	long value;
	struct async_result *next, **prev;   /* the pool's handles not yet got */
};

struct apool {
	struct shared *sh;
	unsigned nworkers;
	pid_t *pids;
	bool closed;
	struct async_result *handles;
};

static void worker(struct shared *sh)
{
	for (;;) {
		while (sem_wait(&sh->work) < 0 && errno == EINTR)
			;
		size_t i = atomic_fetch_add(&sh->next, 1);
		if (i >= atomic_load(&sh->ntasks) || atomic_load(&sh->stop))
			_exit(0);         /* the pool was closed */
		struct slot *s = &sh->slot[i];
		s->value = s->fn(s->arg);
		atomic_store(&s->done, 1);
		sem_post(&s->ready);
	}
}

static void reap_all(struct apool *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		while (waitpid(p->pids[i], NULL, 0) < 0 && errno == EINTR)
			;
}

struct apool *apool_create(unsigned nworkers)
{
	struct apool *p = calloc(1, sizeof(*p));
	if (!p || nworkers == 0 || !(p->pids = calloc(nworkers, sizeof(pid_t))))
		goto fail;
	p->sh = mmap(NULL, sizeof(*p->sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		     -1, 0);
	if (p->sh == MAP_FAILED || sem_init(&p->sh->work, 1, 0) < 0)
		goto fail;
	fflush(NULL);
	for (; p->nworkers < nworkers; p->nworkers++) {
		pid_t pid = fork();
		if (pid == 0)
			worker(p->sh);
		if (pid < 0)
			goto fail;
		p->pids[p->nworkers] = pid;
	}
	return p;
fail:
	if (p && p->sh && p->sh != MAP_FAILED) {
		for (unsigned i = 0; i < p->nworkers; i++)
			sem_post(&p->sh->work);
		reap_all(p, p->nworkers);
		munmap(p->sh, sizeof(*p->sh));
	}
	if (p)
		free(p->pids);
	free(p);
	return NULL;
}

struct async_result *apool_submit(struct apool *p, apool_fn fn, long arg)
{
	size_t i = p ? atomic_load(&p->sh->ntasks) : 0;
	if (!p || p->closed || i >= MAX_TASKS)
		return NULL;
	struct async_result *r = calloc(1, sizeof(*r));
	struct slot *s = &p->sh->slot[i];
	if (!r || sem_init(&s->ready, 1, 0) < 0) {
		free(r);
		return NULL;
	}
	s->fn = fn;
	s->arg = arg;
	r->pool = p;
	r->slot = i;
	r->next = p->handles;
	r->prev = &p->handles;
	if (p->handles)
		p->handles->prev = &r->next;
	p->handles = r;
	atomic_store(&p->sh->ntasks, i + 1);
	sem_post(&p->sh->work);
	return r;
}

bool async_ready(struct async_result *r)
{
	return r && (!r->pool || atomic_load(&r->pool->sh->slot[r->slot].done));
}

static void unlink_handle(struct async_result *r)
{
	*r->prev = r->next;
	if (r->next)
		r->next->prev = r->prev;
}

long async_get(struct async_result *r)
{
	if (!r)
		return 0;
	long v = r->value;
	if (r->pool) {
		struct slot *s = &r->pool->sh->slot[r->slot];
		while (sem_wait(&s->ready) < 0 && errno == EINTR)
			;
		v = s->value;
		unlink_handle(r);
	}
	free(r);
	return v;
}

void apool_close(struct apool *p)
{
	if (!p || p->closed)
		return;
	p->closed = true;
	atomic_store(&p->sh->stop, 1);
	for (size_t k = 0; k < atomic_load(&p->sh->ntasks); k++)
		sem_post(&p->sh->work);     /* wake them all to leave */
	for (unsigned i = 0; i < p->nworkers; i++)
		sem_post(&p->sh->work);
}

void apool_join(struct apool *p)
{
	if (!p)
		return;
	apool_close(p);
	reap_all(p, p->nworkers);
	for (struct async_result *r = p->handles; r; r = r->next) {
		r->value = p->sh->slot[r->slot].value;
		r->pool = NULL;
	}
	munmap(p->sh, sizeof(*p->sh));
	free(p->pids);
	free(p);
}
