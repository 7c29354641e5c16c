/*
 * msg_queue.c - reference solution: a ring of messages in one anonymous
 * shared mapping, guarded by a process-shared mutex, with two
 * process-shared condition variables on CLOCK_MONOTONIC (not full, not
 * empty).  A put signals "not empty", a get signals "not full": a waiter
 * sleeps until then, or until its deadline.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "msg_queue.h"

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t not_full, not_empty;
	size_t capacity, msg_size, head, count, bytes;
	unsigned char ring[];
};

struct queue *queue_create(size_t capacity, size_t msg_size)
{
	if (!capacity || !msg_size || capacity > SIZE_MAX / msg_size / 2)
		return NULL;
	size_t bytes = sizeof(struct queue) + capacity * msg_size;
	struct queue *q = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			       -1, 0);
	if (q == MAP_FAILED)
		return NULL;
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&q->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->not_full, &ca);
	pthread_cond_init(&q->not_empty, &ca);
	pthread_condattr_destroy(&ca);
	q->capacity = capacity;
	q->msg_size = msg_size;
	q->bytes = bytes;
	return q;
}

/* Wait on cv while *blocked holds: 0, or -1 with errno (lock held either way). */
static int wait_while(struct queue *q, pthread_cond_t *cv, bool full, int timeout_ms)
{
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	while (full ? q->count == q->capacity : q->count == 0) {
		if (timeout_ms == 0) {
			errno = EAGAIN;
			return -1;
		}
		int rc = timeout_ms < 0 ? pthread_cond_wait(cv, &q->lock) :
			 pthread_cond_timedwait(cv, &q->lock, &end);
		if (rc == ETIMEDOUT && (full ? q->count == q->capacity : q->count == 0)) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
	return 0;
}

int queue_put(struct queue *q, const void *msg, int timeout_ms)
{
	pthread_mutex_lock(&q->lock);
	if (wait_while(q, &q->not_full, true, timeout_ms) < 0) {
		int e = errno;
		pthread_mutex_unlock(&q->lock);
		errno = e;
		return -1;
	}
	size_t tail = (q->head + q->count) % q->capacity;
	memcpy(q->ring + tail * q->msg_size, msg, q->msg_size);
	q->count++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

int queue_get(struct queue *q, void *msg, int timeout_ms)
{
	pthread_mutex_lock(&q->lock);
	if (wait_while(q, &q->not_empty, false, timeout_ms) < 0) {
		int e = errno;
		pthread_mutex_unlock(&q->lock);
		errno = e;
		return -1;
	}
	memcpy(msg, q->ring + q->head * q->msg_size, q->msg_size);
	q->head = (q->head + 1) % q->capacity;
	q->count--;
	pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

size_t queue_size(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	size_t n = q->count;
	pthread_mutex_unlock(&q->lock);
	return n;
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
	if (!q)
		return;
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
	munmap(q, q->bytes);
}
