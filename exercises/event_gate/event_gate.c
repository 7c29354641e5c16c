/*
 * event_gate.c - your solution: an event shared by processes, and the
 * reader / impatient reader / writer scene built on it.  The contract is in
 * event_gate.h; README.md explains the task.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "event_gate.h"

struct event {
	/* TODO: a flag, and what processes need to sleep until it changes:
	   a pthread mutex and condition variable made PTHREAD_PROCESS_SHARED. */
	bool flag;
};

struct event *event_create(void)
{
	/* TODO: mmap the event MAP_SHARED | MAP_ANONYMOUS (malloc'd memory is
	   copied by fork, not shared), initialise the mutex and condition
	   variable as process-shared; use CLOCK_MONOTONIC for timed waits. */
	return NULL;
}

void event_set(struct event *e)
{
	/* TODO: set the flag and wake EVERY waiter (broadcast). */
	(void)e;
}

void event_clear(struct event *e)
{
	/* TODO */
	(void)e;
}

bool event_is_set(struct event *e)
{
	/* TODO */
	(void)e;
	return false;
}

bool event_wait(struct event *e, int timeout_ms)
{
	/* TODO: sleep until the flag is set or timeout_ms has passed
	   (timeout_ms < 0: no limit, 0: do not wait); return the flag. */
	(void)e;
	(void)timeout_ms;
	return false;
}

void event_destroy(struct event *e)
{
	/* TODO: destroy the mutex and condition variable, munmap. */
	(void)e;
}

int gate_run(const char *path, const char *text, int write_ms, int patience_ms)
{
	/* TODO: create an event, fork the reader (waits with no limit, prints
	   the file) and the impatient child (waits patience_ms, prints the file
	   or "cannot read\n"); write text into path over write_ms, close it,
	   set the event, reap both children. */
	(void)path;
	(void)text;
	(void)write_ms;
	(void)patience_ms;
	return -1;
}
