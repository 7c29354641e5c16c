/*
 * lock_print.h - the contract of the lock_print exercise (do not edit).
 *
 * A lock between processes, as multiprocessing's Lock, that keeps each
 * writer's output in one piece.
 *
 *   - lock_create(): an unlocked lock in memory shared with the children
 *     forked after the call.  NULL on error.
 *   - lock_acquire locks it; while another process holds it, it waits,
 *     sleeping (not spinning), until that process releases it.
 *     lock_release unlocks it (called by the process that holds it).
 *   - lock_destroy frees it (once, when no process uses it any more).
 *   - print_blocks(nwriters, nlines, out_fd) forks nwriters children (1 <=
 *     nwriters <= 16, nlines >= 1); child k writes its block of nlines
 *     lines "writer K line M\n" (M from 0) to out_fd, one write() per
 *     line, holding the lock for the whole block, so blocks never mix;
 *     then it exits.  The parent writes nothing; it reaps every child and
 *     returns 0.  -1 on error (an argument out of range, no lock, a fork
 *     failed: every child created is still reaped).
 */
#ifndef LOCK_PRINT_H
#define LOCK_PRINT_H

struct lock;

struct lock *lock_create(void);
void lock_acquire(struct lock *l);
void lock_release(struct lock *l);
void lock_destroy(struct lock *l);
int print_blocks(unsigned nwriters, unsigned nlines, int out_fd);

#endif
