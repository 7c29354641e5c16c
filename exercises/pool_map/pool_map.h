/*
 * pool_map.h - the contract of the pool_map exercise (do not edit).
 *
 * A process pool, like Python's multiprocessing.Pool: a fixed set of
 * long-lived worker processes that compute fn(x) for many inputs.
 *
 *   struct pool *p = pool_create(4);      4 workers, created right here
 *   pool_map(p, square, in, out, n);      out[i] = square(in[i]), 0 <= i < n
 *   pool_map(p, cube, in, out2, n);       the same 4 workers again
 *   pool_close(p);                        no more tasks
 *   pool_join(p);                         wait for the workers, free the pool
 *
 * - pool_create(nworkers) forks exactly nworkers worker processes (nworkers
 *   >= 1).  They live until pool_close/pool_join; no other process is ever
 *   created by the pool, however many tasks or pool_map calls there are.
 *   Returns NULL on error (having reaped any worker it created).
 * - pool_map(pool, fn, in, out, n) computes out[i] = fn(in[i]) for every
 *   i < n and returns 0 when all n results are in out; -1 on error.
 *   fn is called ONLY in the workers, never in the calling process.  The
 *   workers run at the same time: while tasks are left, no worker sits idle
 *   (hand out one task, or a small batch, at a time).  out is in input
 *   order, whatever order the tasks finish in.  n may be 0, and may be far
 *   larger than a pipe holds.  The workers were forked before pool_map was
 *   called: in, out and fn reach them only through IPC (fn, a function of
 *   the program, has the same address in every worker).
 * - pool_close(pool) says no more pool_map calls will come: the workers
 *   may finish and exit.
 * - pool_join(pool) waits for every worker (waitpid), so none is left a
 *   zombie, then frees the pool.  It is called after pool_close.
 */
#ifndef POOL_MAP_H
#define POOL_MAP_H

#include <stddef.h>

typedef long (*pool_fn)(long);

struct pool;

struct pool *pool_create(unsigned nworkers);
int pool_map(struct pool *pool, pool_fn fn, const long *in, long *out, size_t n);
void pool_close(struct pool *pool);
void pool_join(struct pool *pool);

#endif
