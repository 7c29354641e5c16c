/*
 * sem_crowd.h - the contract of the sem_crowd exercise (do not edit).
 *
 * A counting semaphore between processes, as multiprocessing's
 * Semaphore, and a crowd of processes that share a few places.  (The file
 * is not called semaphore.h: it would hide the system's <semaphore.h>.)
 *
 *   - semaphore_create(value): a semaphore whose count starts at value,
 *     in memory shared with the children forked after the call.  NULL on
 *     error.
 *   - semaphore_acquire takes one from the count; while the count is 0 it
 *     waits, sleeping (not spinning), until another process releases.
 *     semaphore_release gives one back and wakes a waiter if there is one.
 *     Any process may release, not only one that acquired.
 *   - semaphore_destroy frees it (once, when no process uses it any more).
 *   - crowd_run(nprocs, capacity, visit) forks nprocs children (1 <=
 *     nprocs <= 32); child k calls visit(k) once while it holds one of
 *     capacity places (capacity >= 1), then gives the place back and
 *     exits.  So at most capacity visits run at once and, when more
 *     visitors wait, capacity do.  visit is called only in the children.
 *     The parent reaps every child and returns 0; -1 on error (nprocs or
 *     capacity out of range, no semaphore, a fork failed: every child
 *     created is still reaped).
 */
#ifndef SEM_CROWD_H
#define SEM_CROWD_H

struct semaphore;

struct semaphore *semaphore_create(unsigned value);
void semaphore_acquire(struct semaphore *s);
void semaphore_release(struct semaphore *s);
void semaphore_destroy(struct semaphore *s);
int crowd_run(unsigned nprocs, unsigned capacity, void (*visit)(unsigned k));

#endif
