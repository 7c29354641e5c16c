// expect: start, is_alive, join and the exit code => wrong answer [stdout]
// expect: join with a timeout => wrong answer [stdout]
// expect: exit codes of a signal => wrong answer [stdout]
// expect: a child that ended is not alive => wrong answer [stdout]
// The exit code is the raw wait status (the code shifted left by 8, or the signal
// number), not WEXITSTATUS / -WTERMSIG.
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "process_object.h"

#define NOT_ENDED (-1000)

struct process {
	char *name;
	process_fn run;
	void *arg;
	bool daemon, started, reaped;
	pid_t pid;
	int code;                 /* exit status or -signal, once reaped */
	struct process *next;     /* started and not yet freed: for the exit */
};

static struct process *live;  /* the registry the exit handler walks */
static pid_t registrar;       /* the process whose exit handler it is */

static int code_of(int status)
{
	return status;
}

/* waitpid for p: 1 reaped, 0 still running (WNOHANG), -1 error. */
static int reap(struct process *p, int flags)
{
	int status;
	pid_t r;
	while ((r = waitpid(p->pid, &status, flags)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return -1;
	if (r == 0)
		return 0;
	p->reaped = true;
	p->code = code_of(status);
	return 1;
}

static void unlist(struct process *p)
{
	for (struct process **q = &live; *q; q = &(*q)->next)
		if (*q == p) {
			*q = p->next;
			return;
		}
}

static void at_program_exit(void)
{
	if (getpid() != registrar)     /* a child that called exit() */
		return;
	for (struct process *p = live; p; p = p->next)
		if (!p->reaped && p->daemon)
			kill(p->pid, SIGTERM);
	for (struct process *p = live; p; p = p->next)
		if (!p->reaped)
			reap(p, 0);
}

struct process *process_new(const char *name, process_fn run, void *arg)
{
	struct process *p = calloc(1, sizeof(*p));
	if (!p || !(p->name = strdup(name ? name : ""))) {
		free(p);
		return NULL;
	}
	p->run = run;
	p->arg = arg;
	p->code = NOT_ENDED;
	return p;
}

void process_set_daemon(struct process *p, bool daemon)
{
	if (p && !p->started)
		p->daemon = daemon;
}

int process_start(struct process *p)
{
	if (!p || p->started)
		return -1;
	if (!registrar) {
		registrar = getpid();
		if (atexit(at_program_exit) != 0)
			return -1;
	}
	fflush(NULL);             /* buffered output is the parent's alone */
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		prctl(PR_SET_NAME, p->name, 0, 0, 0);
		int r = p->run(p->arg);
		fflush(NULL);
		_exit(r & 0xff);
	}
	p->pid = pid;
	p->started = true;
	p->next = live;
	live = p;
	return 0;
}

bool process_is_alive(struct process *p)
{
	return p && p->started && !p->reaped && reap(p, WNOHANG) == 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Wait until p ends or timeout_ms pass: true when it has ended. */
static bool wait_end(struct process *p, int timeout_ms)
{
	int fd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	long deadline = now_ms() + timeout_ms;
	for (;;) {
		long left = deadline - now_ms();
		if (fd >= 0) {
			struct pollfd pfd = {fd, POLLIN, 0};
			int r = poll(&pfd, 1, left > 0 ? (int)left : 0);
			if (r < 0 && errno == EINTR)
				continue;
			close(fd);
			return r > 0;
		}
		/* no pidfd (kernel < 5.3): look every 5 ms */
		if (reap(p, WNOHANG) != 0)
			return true;
		if (left <= 0)
			return false;
		struct timespec ts = {0, 5000000L};
		nanosleep(&ts, NULL);
	}
}

int process_join(struct process *p, int timeout_ms)
{
	if (!p || !p->started)
		return -1;
	if (p->reaped)
		return 0;
	if (timeout_ms >= 0 && !wait_end(p, timeout_ms))
		return 1;
	if (!p->reaped && reap(p, 0) < 0)
		return -1;
	return 0;
}

int process_exitcode(const struct process *p)
{
	if (!p || !p->started)
		return NOT_ENDED;
	if (p->reaped)
		return p->code;
	siginfo_t si = {0};
	if (waitid(P_PID, (id_t)p->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
		return NOT_ENDED;
	return si.si_code == CLD_EXITED ? si.si_status << 8 : si.si_status;
}

pid_t process_pid(const struct process *p)
{
	return p && p->started ? p->pid : 0;
}

const char *process_name(const struct process *p)
{
	return p ? p->name : "";
}

void process_free(struct process *p)
{
	if (!p)
		return;
	unlist(p);
	free(p->name);
	free(p);
}
