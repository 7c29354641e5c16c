/*
 * event_gate.h - the contract of the event_gate exercise (do not edit).
 *
 * An event is a flag that processes can wait on, like Python's
 * multiprocessing.Event.  It is created before fork() and lives in memory
 * shared with every process forked after it was created: a set() in one
 * process is seen by waits in all the others.
 *
 *   event_create()   a new event, not set; NULL on failure.
 *   event_set(e)     set the flag and wake EVERY process waiting on it.
 *   event_clear(e)   clear the flag: later waits block again.
 *   event_is_set(e)  the flag, without waiting.
 *   event_wait(e, timeout_ms)
 *                    return at once when the flag is set; otherwise block
 *                    (sleeping, not spinning) until some process sets it or
 *                    timeout_ms milliseconds have passed.  timeout_ms < 0
 *                    means no limit, 0 means do not wait.  Returns the flag:
 *                    true when set, false after a timeout.
 *   event_destroy(e) free the event (call it once, in the process that
 *                    created it, after the other processes are done).
 *
 * gate_run(path, text, write_ms, patience_ms) plays the course's scene:
 *   - it forks two children that wait for the parent's event:
 *       the reader waits with no limit, then prints the whole file;
 *       the impatient child waits at most patience_ms, then prints the whole
 *       file if the event is set, or the line "cannot read\n" if not;
 *     neither child opens path before the event is set;
 *   - the parent creates (or truncates) path, writes text into it over
 *     write_ms milliseconds, closes it, and only then sets the event;
 *   - the parent reaps both children before it returns.
 * Children print to standard output (file descriptor 1) and end with
 * _exit().  Returns 0 on success, -1 on error (the event, the file or a
 * fork could not be made, a child failed); every child that was created
 * is reaped, also on error.
 */
#ifndef EVENT_GATE_H
#define EVENT_GATE_H

#include <stdbool.h>

struct event;

struct event *event_create(void);
void event_set(struct event *e);
void event_clear(struct event *e);
bool event_is_set(struct event *e);
bool event_wait(struct event *e, int timeout_ms);
void event_destroy(struct event *e);

int gate_run(const char *path, const char *text, int write_ms, int patience_ms);

#endif
