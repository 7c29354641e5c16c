/*
 * trace_blocked.c - what each live process is blocked in, for the message
 * of a run that did not finish ("child #1 is reading a pipe whose write end
 * is still open in: the program, child #1 itself").
 *
 * For every thread: its state from /proc/PID/task/TID/stat (stopped,
 * running), else the call it sleeps in from /proc/.../syscall, explained
 * with what the trace knows: which child a waitpid waits for, whether a
 * futex lies in shared memory, which processes still hold the other end of
 * a pipe (/proc/PID/fd and fdinfo).  One EV_BLOCKED per process; the text
 * reads after "<process> is ".
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "trace_internal.h"
#include "i18n.h"

static const char *short_name(int index, char *buf, size_t n)
{
	if (index == 0)
		return _("the program");
	snprintf(buf, n, _("child #%d"), index);
	return buf;
}

/* The access mode (O_RDONLY/O_WRONLY/O_RDWR) of pid's fd, or -1. */
static int fd_accmode(pid_t pid, const char *fd)
{
	char path[320], line[128];
	int mode = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid, fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long fl;
		if (sscanf(line, "flags: %lo", &fl) == 1) {
			mode = (int)(fl & O_ACCMODE);
			break;
		}
	}
	fclose(f);
	return mode;
}

/* Does pid hold an fd on `what` ("pipe:[123]") open with the given end
   (O_WRONLY: the write end; O_RDONLY: the read end)? */
static bool holds(pid_t pid, const char *what, int end)
{
	char dir[64], link[320], target[128];
	struct dirent *d;
	bool found = false;
	DIR *D;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	D = opendir(dir);
	if (!D)
		return false;
	while (!found && (d = readdir(D))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, d->d_name);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, what))
			continue;
		int m = fd_accmode(pid, d->d_name);
		found = m == O_RDWR || m == end;
	}
	closedir(D);
	return found;
}

/* ", open in: the program, child #2 (itself)" for a pipe's other end. */
static void pipe_holders(struct tracer *t, const struct pstate *self, const char *what,
			 int end, struct buf *b)
{
	char name[32];
	int n = 0;

	for (size_t i = 0; i < t->nps; i++) {
		const struct pstate *ps = t->ps[i];
		if (ps->index < 0 || ps->leader_dead || !holds(ps->pid, what, end))
			continue;
		buf_addf(b, "%s%s%s", n++ ? ", " : "", short_name(ps->index, name, sizeof(name)),
			 ps == self ? _(" (itself)") : "");
	}
	if (!n)
		buf_adds(b, _("no process"));
}

static void describe_fd_wait(struct tracer *t, const struct pstate *ps, pid_t tid, long fd,
			     bool reading, struct buf *b)
{
	char path[256];

	if (!fd_path(tid, fd, path, sizeof(path))) {
		buf_addf(b, reading ? _("reading fd %ld") : _("writing fd %ld"), fd);
		return;
	}
	if (str_starts(path, "pipe:")) {
		if (reading) {
			buf_adds(b, _("reading an empty pipe whose write end is still open in: "));
			pipe_holders(t, ps, path, O_WRONLY, b);
		} else {
			buf_adds(b, _("writing to a full pipe; its read end is open in: "));
			pipe_holders(t, ps, path, O_RDONLY, b);
		}
		return;
	}
	if (str_starts(path, "socket:"))
		buf_adds(b, reading ? _("reading a socket") : _("writing to a socket"));
	else if (str_starts(path, "/dev/pts") || str_starts(path, "/dev/tty"))
		buf_adds(b, reading ? _("reading the terminal") : _("writing to the terminal"));
	else
		buf_addf(b, reading ? _("reading %s") : _("writing to %s"), path);
}

/* ", children still running: child #2, child #3" */
static void live_children(struct tracer *t, const struct pstate *ps, struct buf *b)
{
	char name[32];
	int n = 0;

	for (size_t i = 0; i < t->nps; i++) {
		const struct pstate *c = t->ps[i];
		if (c->index <= 0 || c->leader_dead || t->cur_parent[c->index] != ps->index)
			continue;
		buf_addf(b, "%s%s", n++ ? ", " : _(" (children still running: "),
			 short_name(c->index, name, sizeof(name)));
	}
	buf_adds(b, n ? _(")") : _(" (no child of it is still running)"));
}

static void describe_wait(struct tracer *t, const struct pstate *ps, long nr, const long *a,
			  struct buf *b)
{
	char name[32];
	/* registers hold ints: waitpid(-1) reads 0xffffffff */
	long pid = nr == SYS_wait4 ? (int)a[0] :
		   ((int)a[0] == P_PID ? (int)a[1] : (int)a[0] == P_ALL ? -1 : 0);

	if (pid > 0) {
		int idx = proc_by_inner(t, (pid_t)pid);
		if (idx >= 0)
			buf_addf(b, _("in waitpid for %s"), short_name(idx, name, sizeof(name)));
		else
			buf_addf(b, _("in waitpid for pid %ld"), pid);
		return;
	} else if (pid == -1) {
		buf_adds(b, _("in wait() for any child"));
	} else {
		buf_adds(b, _("in waitpid for a process group"));
	}
	live_children(t, ps, b);
}

static void describe_call(struct tracer *t, const struct pstate *ps, pid_t tid, long nr,
			  const long *a, struct buf *b)
{
	const char *mapping = NULL;

	switch (nr) {
	case SYS_read: case SYS_readv: case SYS_pread64:
		describe_fd_wait(t, ps, tid, (int)a[0], true, b);
		return;
	case SYS_write: case SYS_writev: case SYS_pwrite64:
		describe_fd_wait(t, ps, tid, (int)a[0], false, b);
		return;
	case SYS_wait4: case SYS_waitid:
		describe_wait(t, ps, nr, a, b);
		return;
	case SYS_futex:
		if (addr_shared(ps, (unsigned long)a[0], &mapping) && (a[1] & FUTEX_PRIVATE_FLAG)) {
			buf_adds(b, _("waiting on a futex in shared memory, but a private one: no other "
				 "process can wake it (a lock or condition variable made without "
				 "PTHREAD_PROCESS_SHARED, or a semaphore with pshared 0)"));
		} else if (addr_shared(ps, (unsigned long)a[0], &mapping)) {
			buf_adds(b, _("waiting on a futex in shared memory (a semaphore, lock or "
				 "condition shared between processes"));
			if (mapping && str_starts(mapping, "/dev/shm/sem."))
				buf_addf(b, _(": the semaphore %s"), mapping + 13);
			buf_adds(b, _(")"));
		} else {
			buf_adds(b, _("waiting on a futex in its own memory (a lock, condition "
				 "variable or pthread_join)"));
		}
		return;
	case SYS_mq_timedreceive:
		buf_adds(b, _("waiting to receive from a message queue"));
		return;
	case SYS_mq_timedsend:
		buf_adds(b, _("waiting to send to a full message queue"));
		return;
	case SYS_semop: case SYS_semtimedop:
		buf_adds(b, _("waiting on a System V semaphore"));
		return;
	case SYS_msgrcv:
		buf_adds(b, _("waiting to receive from a System V message queue"));
		return;
	case SYS_msgsnd:
		buf_adds(b, _("waiting to send to a full System V message queue"));
		return;
	case SYS_nanosleep: case SYS_clock_nanosleep:
		buf_adds(b, _("sleeping"));
		return;
#ifdef SYS_pause
	case SYS_pause:
		buf_adds(b, _("in pause(), waiting for a signal"));
		return;
#endif
	case SYS_rt_sigsuspend:
		buf_adds(b, _("in sigsuspend(), waiting for a signal"));
		return;
	case SYS_rt_sigtimedwait:
		buf_adds(b, _("in sigwait(), waiting for a signal"));
		return;
#ifdef SYS_poll
	case SYS_poll: case SYS_select: case SYS_epoll_wait:
#endif
	case SYS_ppoll: case SYS_pselect6: case SYS_epoll_pwait:
		buf_adds(b, _("in poll/select, waiting for a descriptor"));
		return;
#ifdef SYS_open
	case SYS_open:
#endif
	case SYS_openat:
		buf_adds(b, _("opening a FIFO, waiting for a process to open its other end"));
		return;
	case SYS_flock: case SYS_fcntl:
		buf_adds(b, _("waiting for a file lock"));
		return;
	default: {
		char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);
		buf_addf(b, _("blocked in the system call %s"), n ? n : "?");
		free(n);
	}
	}
}

static void describe_task(struct tracer *t, const struct pstate *ps, pid_t tid, struct buf *b)
{
	char path[96];
	struct buf s = BUF_INIT;
	char state = task_state(ps->pid, tid);

	struct task *k = task_find(t, tid);
	if (state == 'T' || (state == 't' && k && k->in_group_stop)) {
		buf_adds(b, _("stopped by a signal (SIGSTOP or SIGTSTP) and never continued"));
		buf_free(&s);
		return;
	}
	if (state == 'R') {
		buf_adds(b, _("running, not waiting for anything (a busy loop?)"));
		buf_free(&s);
		return;
	}
	if (state == 'Z' || state == 'X') {
		buf_adds(b, _("exiting"));
		buf_free(&s);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)ps->pid, (int)tid);
	buf_reset(&s);
	long v[7] = {-1, 0, 0, 0, 0, 0, 0};
	if (file_read(path, &s) == 0 && strcmp(buf_str(&s), "running\n")) {
		const char *p = buf_str(&s);
		char *end;
		for (int i = 0; i < 7; i++, p = end) {
			v[i] = strtol(p, &end, 0);
			if (end == p)
				break;
		}
	}
	buf_free(&s);
	if (v[0] < 0)
		buf_adds(b, _("running, not waiting for anything (a busy loop?)"));
	else
		describe_call(t, ps, tid, v[0], v + 1, b);
}

void tracer_snapshot_blocked(struct tracer *t)
{
	/* the sandbox kills the tree next: parents dying first is not the
	   program leaving orphans */
	t->killing = true;
	for (size_t i = 0; i < t->nps; i++) {
		struct pstate *ps = t->ps[i];
		char dir[64];
		struct buf b = BUF_INIT;
		struct dirent *d;
		pid_t tids[64];
		int n = 0;
		DIR *D;

		if (ps->index < 0 || ps->leader_dead)
			continue;
		snprintf(dir, sizeof(dir), "/proc/%d/task", (int)ps->pid);
		D = opendir(dir);
		if (!D)
			continue;
		while ((d = readdir(D)) && n < (int)ARRAY_SIZE(tids))
			if (d->d_name[0] != '.')
				tids[n++] = (pid_t)atoi(d->d_name);
		closedir(D);
		if (n == 1) {
			describe_task(t, ps, tids[0], &b);
		} else {
			describe_task(t, ps, ps->pid, &b);     /* the main thread first */
			for (int k = 0; k < n; k++) {
				if (tids[k] == ps->pid)
					continue;
				buf_addf(&b, _("; its thread %d is "), (int)tids[k]);
				describe_task(t, ps, tids[k], &b);
			}
		}
		struct event *e = ev_add(t, ps, EV_BLOCKED);
		e->blocked.what = buf_detach(&b);
	}
}
