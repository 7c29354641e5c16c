// expect: gate: the second fork fails => wrong answer [processes]
// The reader is forked first; when the second fork fails, gate_run returns -1 at once and leaves the reader waiting forever, unreaped.
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "event_gate.h"

struct event {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	bool flag;
};

struct event *event_create(void)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	struct event *e = mmap(NULL, sizeof(*e), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (e == MAP_FAILED)
		return NULL;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&e->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&e->changed, &ca);
	pthread_condattr_destroy(&ca);
	e->flag = false;
	return e;
}

void event_set(struct event *e)
{
	pthread_mutex_lock(&e->lock);
	e->flag = true;
	pthread_cond_broadcast(&e->changed);
	pthread_mutex_unlock(&e->lock);
}

void event_clear(struct event *e)
{
	pthread_mutex_lock(&e->lock);
	e->flag = false;
	pthread_mutex_unlock(&e->lock);
}

bool event_is_set(struct event *e)
{
	pthread_mutex_lock(&e->lock);
	bool set = e->flag;
	pthread_mutex_unlock(&e->lock);
	return set;
}

/* The CLOCK_MONOTONIC time ms milliseconds from now. */
static struct timespec deadline_after(int ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

bool event_wait(struct event *e, int timeout_ms)
{
	struct timespec deadline = deadline_after(timeout_ms > 0 ? timeout_ms : 0);
	int rc = 0;

	pthread_mutex_lock(&e->lock);
	/* a loop: wake-ups can be spurious, and the flag may be cleared again */
	while (!e->flag && timeout_ms != 0 && rc != ETIMEDOUT) {
		if (timeout_ms < 0)
			rc = pthread_cond_wait(&e->changed, &e->lock);
		else
			rc = pthread_cond_timedwait(&e->changed, &e->lock, &deadline);
	}
	bool set = e->flag;
	pthread_mutex_unlock(&e->lock);
	return set;
}

void event_destroy(struct event *e)
{
	if (!e)
		return;
	pthread_cond_destroy(&e->changed);
	pthread_mutex_destroy(&e->lock);
	munmap(e, sizeof(*e));
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* Copy the file at path to standard output.  0 or -1. */
static int print_file(const char *path)
{
	char buf[4096];
	ssize_t got;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || write_all(STDOUT_FILENO, buf, (size_t)got) < 0) {
			close(fd);
			return -1;
		}
	}
	return close(fd);
}

/* The children's work: wait (patience_ms < 0: no limit), then print. */
static void child_run(struct event *e, const char *path, int patience_ms)
{
	int rc;
	if (event_wait(e, patience_ms))
		rc = print_file(path);
	else
		rc = write_all(STDOUT_FILENO, "cannot read\n", 12);
	_exit(rc < 0 ? 1 : 0);
}

/* Create path and write text into it in two parts, write_ms apart. */
static int write_slowly(const char *path, const char *text, int write_ms)
{
	size_t n = strlen(text), half = n / 2;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, text, half);
	if (rc == 0) {
		sleep_ms(write_ms);
		rc = write_all(fd, text + half, n - half);
	}
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/* Reap pid; 0 if it exited with status 0. */
static int reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int gate_run(const char *path, const char *text, int write_ms, int patience_ms)
{
	struct event *e = event_create();
	pid_t reader, impatient;
	int rc = 0;

	if (!e)
		return -1;
	reader = fork();
	if (reader < 0) {
		event_destroy(e);
		return -1;
	}
	if (reader == 0)
		child_run(e, path, -1);
	impatient = fork();
	if (impatient < 0)
		return -1;
	if (impatient == 0)
		child_run(e, path, patience_ms);
	if (write_slowly(path, text, write_ms) < 0)
		rc = -1;
	event_set(e);
	if (reap(reader) < 0)
		rc = -1;
	if (reap(impatient) < 0)
		rc = -1;
	event_destroy(e);
	return rc;
}
