/*
 * driver.c - run a program under the tracer without the sandbox.
 *
 * trace_drive() is the smallest correct driver of trace.h: fork, load the
 * tracer's rules in the child, PTRACE_SEIZE it before it execs, feed every
 * waitpid(-1, __WALL) status to tracer_on_wait() (and call tracer_tick()
 * as often as tracer_tick_ms() asks), and on a timeout take the
 * blocked snapshot and kill the tree.  The calling process becomes a child
 * subreaper so that orphans come back to it and the loop ends when no
 * child is left.  tests/check_trace.c includes this file (with
 * TRACE_DRIVER_NO_MAIN); built alone it is a command line tool:
 *
 *   driver [--json FILE] [--fault CALL:NTH:ERRNO]... [--timeout MS] [--pidns] [--quiet]
 *          [--race SEED] -- PROG ARGS...
 *
 * --pidns runs the program the way the sandbox's namespace tiers do: in a
 * new pid namespace, under a small init (pid 1) that forks it and reaps
 * everything, so the tracer sees an untraced-looking wrapper above index 0
 * and pids that differ inside and outside.
 *
 * prints the trace (trace_print) on stderr and exits with the program's
 * exit code.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/uio.h>
#include <unistd.h>
#include "spec.h"
#include "trace.h"
#include "util.h"

static volatile sig_atomic_t drive_alarm;

static void drive_on_alarm(int sig)
{
	(void)sig;
	drive_alarm = 1;
}

/* Kill every descendant of the calling process (walks /proc children). */
static void drive_kill_tree(pid_t root)
{
	char path[96];
	struct buf b = BUF_INIT;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)root, (int)root);
	if (file_read(path, &b) == 0) {
		char *p = b.data, *end;
		while (p && *p) {
			long pid = strtol(p, &end, 10);
			if (end == p)
				break;
			drive_kill_tree((pid_t)pid);
			kill((pid_t)pid, SIGKILL);
			p = end;
		}
	}
	buf_free(&b);
}

struct drive_opts {
	const struct fault *faults;
	size_t nfaults;
	long timeout_ms;        /* 0: none */
	size_t max_events;      /* 0: the tracer's default */
	bool pidns;             /* run under an init in a new pid namespace */
	unsigned long race_seed; /* race provocation (trace.h) */
	long race_steps;
	bool race_step_each;
	bool markers_from_harness; /* trace.h, TRACE_MARKER_FN */
	bool quiet_stdout;      /* the program's stdout to /dev/null */
	bool lifecycle_only;    /* trace.h */
	bool pipe_writes;       /* trace.h */
	const char *pace_marker; /* trace.h */
	bool pace_writes;
	long pace_ms;
	const struct signal_send *sends; size_t nsends;  /* trace.h */
};

/* In a new pid namespace: pid 1 forks the program and reaps everything;
   exits with the program's status.  Returns in the program's process. */
static void drive_pidns_init(void)
{
	int st, code = 126;
	pid_t prog, w;

	if (unshare(CLONE_NEWPID) < 0)
		_exit(125);
	if (fork() != 0) {          /* the outer child waits for init */
		while ((w = wait(&st)) > 0)
			code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		_exit(code);
	}
	prog = fork();              /* we are init (pid 1) */
	if (prog == 0)
		return;
	while ((w = wait(&st)) > 0)
		if (w == prog)
			code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	_exit(code);
}

/* Run argv traced.  *status: the program's wait status.  NULL on a setup
   failure (error set). */
static struct trace *trace_drive(char *const argv[], const struct drive_opts *d, int *status,
				 bool *timed_out)
{
	struct tracer_opts o = {.faults = d->faults, .nfaults = d->nfaults,
				.max_events = d->max_events, .race_seed = d->race_seed,
				.race_steps = d->race_steps, .race_step_each = d->race_step_each,
				.markers_from_harness = d->markers_from_harness,
				.lifecycle_only = d->lifecycle_only, .pipe_writes = d->pipe_writes,
				.pace_marker = d->pace_marker, .pace_writes = d->pace_writes,
				.pace_ms = d->pace_ms, .sends = d->sends, .nsends = d->nsends};
	long timeout_ms = d->timeout_ms;
	struct tracer *t = tracer_new(&o);
	struct sigaction sa, old;
	int go[2], st;
	pid_t pid, w;

	if (!t)
		return NULL;
	if (pipe2(go, O_CLOEXEC) < 0)
		return NULL;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid = fork();
	if (pid < 0)
		return NULL;
	if (pid == 0) {
		char c;
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0 && fd != TRACE_MARKER_FD) {
			dup2(fd, TRACE_MARKER_FD);
			if (d->quiet_stdout)
				dup2(fd, 1);
			close(fd);
		}
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (tracer_load_filter(t) < 0) {
			fprintf(stderr, "driver: %s\n", error_get());
			_exit(126);
		}
		/* from here until the seize only untraced calls: readv (read is
		   trapped when a fault counts reads), execve */
		struct iovec one = {&c, 1};
		if (readv(go[0], &one, 1) != 1)
			_exit(126);
		if (d->pidns)
			drive_pidns_init();
		execvp(argv[0], argv);
		_exit(127);
	}
	close(go[0]);
	if (tracer_seize(t, pid) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(go[1]);
		trace_free(tracer_finish(t));
		return NULL;
	}
	if (write(go[1], "g", 1) != 1)
		kill(pid, SIGKILL);
	close(go[1]);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = drive_on_alarm;      /* no SA_RESTART: waitpid returns EINTR */
	sigaction(SIGALRM, &sa, &old);
	drive_alarm = 0;
	if (timed_out)
		*timed_out = false;
	if (timeout_ms > 0) {
		struct itimerval it = {{0, 0}, {timeout_ms / 1000, (timeout_ms % 1000) * 1000}};
		setitimer(ITIMER_REAL, &it, NULL);
	}
	*status = -1;
	sigset_t chld, oldmask;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &oldmask);
	for (;;) {
		w = waitpid(-1, &st, __WALL | WNOHANG);
		if (w == 0) {
			/* nothing yet: the tracer's tick, or sleep until SIGCHLD */
			if (tracer_tick(t))
				continue;
			int ms = tracer_tick_ms(t);
			struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
			if (sigtimedwait(&chld, NULL, ms >= 0 ? &ts : NULL) >= 0 || errno != EINTR)
				continue;
			errno = EINTR;
			w = -1;
		}
		if (w < 0 && errno == EINTR) {
			if (drive_alarm == 1) {
				drive_alarm = 2;
				if (timed_out)
					*timed_out = true;
				tracer_snapshot_blocked(t);
				drive_kill_tree(getpid());
			}
			continue;
		}
		if (w < 0)
			break;
		if (tracer_on_wait(t, w, st))
			continue;
		if (w == pid && (WIFEXITED(st) || WIFSIGNALED(st)))
			*status = st;
	}
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &off, NULL);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(SIGALRM, &old, NULL);
	return tracer_finish(t);
}

#ifndef TRACE_DRIVER_NO_MAIN
int main(int argc, char **argv)
{
	const char *json = NULL;
	struct fault faults[8];
	struct drive_opts d = {.faults = faults};
	int i, status;
	bool to, quiet = false;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			d.timeout_ms = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--race") && i + 1 < argc) {
			d.race_seed = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--quiet")) {
			quiet = true;
		} else if (!strcmp(argv[i], "--pidns")) {
			d.pidns = true;
		} else if (!strcmp(argv[i], "--fault") && i + 1 < argc && d.nfaults < 8) {
			char *spec = xstrdup(argv[++i]);
			char *a = strtok(spec, ":"), *b = strtok(NULL, ":"), *c = strtok(NULL, ":");
			if (!a || !b || !c)
				goto usage;
			faults[d.nfaults++] = (struct fault){a, atol(b), c, 0, 0};
		} else {
			goto usage;
		}
	}
	if (i + 1 >= argc)
		goto usage;
	struct trace *tr = trace_drive(argv + i + 1, &d, &status, &to);
	if (!tr) {
		fprintf(stderr, "driver: %s\n", error_get());
		return 2;
	}
	if (!quiet)
		trace_print(tr, stderr);
	if (json && trace_write_json(tr, json) < 0) {
		fprintf(stderr, "driver: %s\n", error_get());
		return 2;
	}
	trace_free(tr);
	if (to)
		return 124;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
usage:
	fprintf(stderr, "usage: driver [--json FILE] [--fault CALL:NTH:ERRNO]... "
		"[--timeout MS] [--pidns] [--quiet] [--race SEED] -- PROGRAM [ARGS...]\n");
	return 2;
}
#endif
