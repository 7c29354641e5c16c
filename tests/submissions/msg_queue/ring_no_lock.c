// expect: three producers, one consumer => wrong answer [lines, stdout]
// expect: four producers, four consumers, provoked interleaving => wrong answer [stdout]
// expect-message: four producers, four consumers, provoked interleaving => got
// A ring in shared memory with two counting semaphores (free slots, messages) and no
// lock: two producers can take the same tail slot, two consumers the same head, so
// messages are lost or come out twice when processes interleave.
#include <errno.h>
#include <semaphore.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "msg_queue.h"

struct queue {
	sem_t slots, items;
	size_t capacity, msg_size, head, tail, bytes;
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
	sem_init(&q->slots, 1, (unsigned)capacity);
	sem_init(&q->items, 1, 0);
	q->capacity = capacity;
	q->msg_size = msg_size;
	q->bytes = bytes;
	return q;
}

static int take(sem_t *s, int timeout_ms)
{
	if (timeout_ms == 0)
		return sem_trywait(s);
	if (timeout_ms < 0) {
		while (sem_wait(s) < 0)
			if (errno != EINTR)
				return -1;
		return 0;
	}
	struct timespec end;
	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	while (sem_timedwait(s, &end) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

int queue_put(struct queue *q, const void *msg, int timeout_ms)
{
	if (take(&q->slots, timeout_ms) < 0)
		return -1;
	size_t t = q->tail;
	memcpy(q->ring + t * q->msg_size, msg, q->msg_size);
	q->tail = (t + 1) % q->capacity;
	sem_post(&q->items);
	return 0;
}

int queue_get(struct queue *q, void *msg, int timeout_ms)
{
	if (take(&q->items, timeout_ms) < 0)
		return -1;
	size_t h = q->head;
	memcpy(msg, q->ring + h * q->msg_size, q->msg_size);
	q->head = (h + 1) % q->capacity;
	sem_post(&q->slots);
	return 0;
}

size_t queue_size(struct queue *q)
{
	int n;
	sem_getvalue(&q->items, &n);
	return n < 0 ? 0 : (size_t)n;
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
	sem_destroy(&q->slots);
	sem_destroy(&q->items);
	munmap(q, q->bytes);
}
