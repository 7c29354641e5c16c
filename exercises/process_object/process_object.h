/*
 * process_object.h - the contract of the process_object exercise (do not
 * edit).
 *
 * A process as an object, like Python's multiprocessing.Process: create it
 * with a name, a function and its argument, start it, ask whether it is
 * alive, join it with a timeout, read its exit code.
 *
 *   - process_new: a process not yet started (NULL on error).  The name is
 *     copied.
 *   - process_set_daemon: before start; a daemon child is terminated when
 *     the program exits, a non-daemon one is waited for.
 *   - process_start: forks a child that takes the name (prctl PR_SET_NAME,
 *     so ps shows it), runs run(arg) and exits with its return value
 *     (0-255).  0 on success, -1 on error (already started, fork failed).
 *   - process_is_alive: true from start until the child has ended (a child
 *     that has ended but is not reaped yet is not alive).  Never blocks.
 *   - process_join: waits until the child has ended and reaps it: 0.  If it
 *     is still running after timeout_ms milliseconds, returns 1 (timeout_ms
 *     < 0: no limit).  -1 on error (not started).  Joining an ended and
 *     reaped process returns 0 at once.
 *   - process_exitcode: the exit status once the child has ended, -N if it
 *     was killed by signal N, -1000 before it has ended (or before start).
 *   - process_pid: the child's pid (0 before start); process_name: the name.
 *   - process_free: frees the object (a started process must have been
 *     joined first).
 *
 * When the program exits (return from main or exit()), daemon children
 * still running are terminated (SIGTERM) and reaped, and the other children
 * are joined: no child outlives the program, none is left a zombie.
 */
#ifndef PROCESS_OBJECT_H
#define PROCESS_OBJECT_H

#include <stdbool.h>
#include <sys/types.h>

typedef int (*process_fn)(void *arg);

struct process *process_new(const char *name, process_fn run, void *arg);
void process_set_daemon(struct process *, bool);
int process_start(struct process *);
bool process_is_alive(struct process *);
int process_join(struct process *, int timeout_ms);
int process_exitcode(const struct process *);
pid_t process_pid(const struct process *);
const char *process_name(const struct process *);
void process_free(struct process *);

#endif
