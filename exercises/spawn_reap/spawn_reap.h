/*
 * spawn_reap.h - the contract of the spawn_reap exercise (do not edit).
 *
 * Start n children, then reap each one as it ends.
 *
 *   - 1 <= n <= 100.  All n children are started (fork) before the parent
 *     waits for any of them.
 *   - Child i (0 <= i < n) sleeps sleep_ms[i] milliseconds, prints
 *       child I pid=P ppid=Q\n
 *     (I = i, P its own pid, Q its parent's pid) and exits with status I.
 *     A child never returns from spawn_reap.
 *   - The parent reaps each child as it ends, whatever the order: the
 *     first child to end is reaped first, and none is left a zombie while
 *     the parent waits for another.  For each child reaped it prints
 *       reaped P status I\n
 *     (P the child's pid, I its exit status).
 *   - No line is printed twice: output still in a stdio buffer when fork()
 *     copies the process belongs to the parent alone.
 *
 * Returns the number of children reaped (n); -1 on error (fork failed),
 * after reaping every child it had started.
 */
#ifndef SPAWN_REAP_H
#define SPAWN_REAP_H

#include <stddef.h>

int spawn_reap(const unsigned *sleep_ms, size_t n);

#endif
