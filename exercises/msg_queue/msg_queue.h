/*
 * msg_queue.h - the contract of the msg_queue exercise (do not edit).
 *
 * A bounded FIFO queue of fixed-size messages between processes, as
 * multiprocessing's Queue.
 *
 *   - queue_create(capacity, msg_size): an empty queue for at most capacity
 *     messages of msg_size bytes each (both >= 1), in memory shared with
 *     the children forked after the call.  NULL on error.
 *   - queue_put copies msg_size bytes from msg in; queue_get copies the
 *     oldest message out to msg.  Messages come out in the order they went
 *     in; with many producer and consumer processes none is lost or
 *     duplicated.
 *   - queue_put waits while the queue is full, queue_get while it is empty,
 *     sleeping (not spinning), and is woken as soon as the other side frees
 *     a slot or brings a message.  timeout_ms < 0: wait as long as needed;
 *     0: do not wait; > 0: wait at most that many milliseconds.
 *     Returns 0 on success; -1 with errno ETIMEDOUT when it gave up after
 *     waiting, EAGAIN when timeout_ms was 0 and it could not go ahead.
 *   - queue_size, queue_empty and queue_full say how it is at that moment.
 *   - queue_destroy frees the queue (call it once, when no process uses it
 *     any more).
 */
#ifndef MSG_QUEUE_H
#define MSG_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

struct queue;

struct queue *queue_create(size_t capacity, size_t msg_size);
int queue_put(struct queue *q, const void *msg, int timeout_ms);
int queue_get(struct queue *q, void *msg, int timeout_ms);
size_t queue_size(struct queue *q);
bool queue_empty(struct queue *q);
bool queue_full(struct queue *q);
void queue_destroy(struct queue *q);

#endif
