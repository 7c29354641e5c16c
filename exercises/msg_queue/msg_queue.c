/*
 * msg_queue.c - your solution: a bounded FIFO queue between processes.
 * The contract is in msg_queue.h; README.md explains the task.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "msg_queue.h"

struct queue {
	/* TODO: what every process must see: the messages, where they start,
	   how many there are, and what lets a waiter sleep until it may go on */
	size_t capacity, msg_size;
};

struct queue *queue_create(size_t capacity, size_t msg_size)
{
	/* TODO: the queue in memory shared with children forked later */
	(void)capacity;
	(void)msg_size;
	return NULL;
}

int queue_put(struct queue *q, const void *msg, int timeout_ms)
{
	/* TODO: wait (sleeping) while full, at most timeout_ms; copy in; wake a getter */
	(void)q;
	(void)msg;
	(void)timeout_ms;
	errno = ENOSYS;
	return -1;
}

int queue_get(struct queue *q, void *msg, int timeout_ms)
{
	/* TODO: wait (sleeping) while empty, at most timeout_ms; copy out the
	   oldest; wake a putter */
	(void)q;
	(void)msg;
	(void)timeout_ms;
	errno = ENOSYS;
	return -1;
}

size_t queue_size(struct queue *q)
{
	(void)q;
	return 0;
}

bool queue_empty(struct queue *q)
{
	return queue_size(q) == 0;
}

bool queue_full(struct queue *q)
{
	return queue_size(q) == q->capacity;
}

void queue_destroy(struct queue *q)
{
	(void)q;
}
