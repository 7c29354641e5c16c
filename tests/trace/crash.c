/*
 * crash.c - dies of a crash signal the way argv[1] says, for the tracer's
 * backtraces (tests/check_trace.c).  Each crashing line is marked "here:"
 * with its mode, so that the test finds its line number.
 *   segv     a NULL store in deref(), called from main()
 *   abort    a failed assert() in check(): SIGABRT from inside the C library
 *   libc     fseek(NULL): SIGSEGV inside the C library, called from main()
 *   child    the first child dies as segv does; the program exits 0
 *   caught   a SIGSEGV handler catches a fault and exits 3: no crash
 *   thread   a second thread dies as segv does, in deref() called from worker()
 *   fifo     removes its own executable and puts a FIFO where the tracer
 *            would look for it ("PATH (deleted)"), then dies as segv does
 */
#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int deref(int *p)
{
	*p = 1;   /* here: segv */
	return 0;
}

static void check(int x)
{
	assert(x > 100);   /* here: abort */
}

static void *worker(void *arg)
{
	deref(arg);   /* here: thread */
	return NULL;
}

static void on_segv(int sig)
{
	(void)sig;
	_exit(3);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "segv";
	int st;

	if (!strcmp(mode, "segv"))
		return deref(NULL);   /* here: segv caller */
	if (!strcmp(mode, "abort"))
		check(3);   /* here: abort caller */
	if (!strcmp(mode, "libc"))
		fseek(NULL, 0, SEEK_END);   /* here: libc */
	if (!strcmp(mode, "child")) {
		if (fork() == 0)
			return deref(NULL);   /* here: child */
		wait(&st);
		return 0;
	}
	if (!strcmp(mode, "thread")) {
		pthread_t th;
		pthread_create(&th, NULL, worker, NULL);
		pthread_join(th, NULL);
		return 0;
	}
	if (!strcmp(mode, "caught")) {
		signal(SIGSEGV, on_segv);
		return deref(NULL);
	}
	if (!strcmp(mode, "fifo")) {
		char fifo[4096];
		snprintf(fifo, sizeof(fifo), "%s (deleted)", argv[0]);
		if (unlink(argv[0]) < 0 || mkfifo(fifo, 0600) < 0)
			return 1;
		return deref(NULL);
	}
	if (!strcmp(mode, "fifo")) {
		char fifo[4096];
		snprintf(fifo, sizeof(fifo), "%s (deleted)", argv[0]);
		if (unlink(argv[0]) < 0 || mkfifo(fifo, 0600) < 0)
			return 1;
		return deref(NULL);
	}
	return 0;
}
