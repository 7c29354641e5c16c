/*
 * apply_async.h - the contract of the apply_async exercise (do not edit).
 *
 * A process pool whose submit returns at once with a handle for the task's
 * result, like Python's Pool.apply_async and AsyncResult.
 *
 *   - apool_create: a pool of exactly nworkers long-lived worker processes
 *     (created here, or at the first submit); NULL on error.
 *   - apool_submit: queues fn(arg) and returns at once with a handle: it
 *     never waits for a worker or for a result.  fn runs only in the
 *     workers, and tasks are started in the order they were submitted.
 *     NULL on error (closed pool, no memory).
 *   - async_ready: whether that task's result is in.  Never blocks.
 *   - async_get: blocks, sleeping (no busy waiting), until that task's
 *     result is in, returns it and frees the handle.  Once per handle.
 *   - apool_close: no more submits.
 *   - apool_join: after close, waits until every task submitted has run,
 *     reaps the workers and frees the pool.  Results not got yet may still
 *     be got after the join.
 *
 * Workers are created with fork(), so fn must be a function of the
 * program (its address is the same in every worker).
 */
#ifndef APPLY_ASYNC_H
#define APPLY_ASYNC_H

#include <stdbool.h>

typedef long (*apool_fn)(long);

struct apool *apool_create(unsigned nworkers);
struct async_result *apool_submit(struct apool *, apool_fn fn, long arg);
bool async_ready(struct async_result *);
long async_get(struct async_result *);
void apool_close(struct apool *);
void apool_join(struct apool *);

#endif
