/*
 * trace_syscall.c - which calls stop the tracee, and what each one records.
 *
 * The filter: our own libseccomp filter, loaded by tracer_load_filter() in
 * the program's process just before the sandbox loads its deny-list.  Two
 * filters rather than rules added to the sandbox's context, because the
 * kernel combines stacked filters by precedence (KILL > ERRNO > USER_NOTIF
 * > TRACE > ALLOW), so the sandbox's deny actions always win, whereas two
 * rules with different actions on the same call in one libseccomp context
 * (the sandbox denies some clone flags, we trace clone) are ambiguous.
 *
 * One table (syscalls[] below) has a row per call the tracer knows: its
 * path argument, what it records at its seccomp stop and at its exit, when
 * the filter stops it, and the fault classes (trace_fault.h) it counts as.
 * The filter, the dispatch of the stops and the counting of faults are
 * read from it.  What the rows record:
 *
 *   execve execveat                  EV_EXEC (the path; a failed exec)
 *   wait4 waitid                     EV_REAP at the exit stop
 *   open openat openat2 creat        EV_OPEN, EV_IPC sem_open/shm_open
 *                                    (/dev/shm), fifo; and the write cover
 *   close                            EV_CLOSE
 *   pipe pipe2 socketpair            EV_PIPE, EV_IPC socketpair
 *   mmap with MAP_SHARED, shmat      EV_MMAP_SHARED, EV_IPC shmat (ranges)
 *   futex without FUTEX_PRIVATE_FLAG EV_FUTEX when the address lies in a
 *                                    shared mapping
 *   kill tkill tgkill rt_(tg)sigqueueinfo pidfd_send_signal  EV_SIGNAL_SEND
 *   rt_sigaction with a new action   EV_SIGACTION
 *   alarm setitimer timer_settime    EV_TIMER
 *   mq_open mq_unlink semget shmget msgget   EV_IPC (the objects; the
 *                                    per-message calls run in hot loops and
 *                                    are traced only when a fault counts them)
 *   mknod(at) of a FIFO              EV_IPC mkfifo
 *   clone clone3                     refuse CLONE_UNTRACED
 *   write writev to TRACE_MARKER_FD  EV_MARKER (the write is skipped and
 *                                    returns its length)
 *
 * File writes (EV_WRITE): trapping every write would trap pipe traffic too
 * (7x on the pipe benchmark), so writes are trapped per descriptor: when an
 * open for writing returns a regular file, the tracer injects a small filter
 * into that process (trace_inject.c) that traps the write calls on exactly
 * that fd number (and the dup calls, to follow copies).  Children inherit
 * filters with descriptors, so a child writing through an inherited fd is
 * seen too; a pipe that later reuses the number costs a stop, no error.
 * Writes through a shared mmap of a file are not seen.  With
 * tracer_opts.pipe_writes, the write ends of pipes (at pipe()'s exit) and
 * FIFOs opened for writing are covered the same way, and every write to a
 * pipe is an event of its own with its size and lines (pipe_write).
 *
 * Faults (struct fault): at the seccomp stop of the NTH call over the
 * program's tree that counts as the fault's class, the call is skipped and
 * returns -errno (EV_FAULT).  "open" counts opens of the student's files
 * (not libraries, /proc...); "mmap" counts shared mappings; "fork" counts
 * process creations.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <limits.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "trace_elfsym.h"
#include "trace_internal.h"

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

/* ---- small helpers ---- */

bool fd_path(pid_t pid, long fd, char *buf, size_t n)
{
	char p[64];
	ssize_t len;

	if (fd < 0)
		return false;
	snprintf(p, sizeof(p), "/proc/%d/fd/%ld", (int)pid, fd);
	len = readlink(p, buf, n - 1);
	if (len < 0)
		return false;
	buf[len] = '\0';
	return true;
}

/* S_IFMT bits of what fd refers to, 0 if unknown. */
static unsigned fd_type(pid_t pid, long fd)
{
	char p[64];
	struct stat st;

	snprintf(p, sizeof(p), "/proc/%d/fd/%ld", (int)pid, fd);
	return stat(p, &st) == 0 ? (st.st_mode & S_IFMT) : 0;
}

bool path_is_system(const char *path)
{
	static const char *const sys[] = {"/etc/", "/lib", "/usr/", "/proc/", "/sys/",
					  "/bin/", "/sbin/", "/opt/", "/var/lib/"};
	for (size_t i = 0; i < ARRAY_SIZE(sys); i++)
		if (str_starts(path, sys[i]))
			return true;
	return false;
}

void ps_add_range(struct pstate *ps, unsigned long start, unsigned long end, const char *name)
{
	grow(&ps->shared, &ps->capshared, ps->nshared + 1, sizeof(*ps->shared));
	ps->shared[ps->nshared].start = start;
	ps->shared[ps->nshared].end = end;
	ps->shared[ps->nshared].name = name ? xstrdup(name) : NULL;
	ps->nshared++;
}

bool addr_shared(const struct pstate *ps, unsigned long addr, const char **name)
{
	for (size_t i = ps->nshared; i-- > 0;) {
		if (addr >= ps->shared[i].start && addr < ps->shared[i].end) {
			if (name)
				*name = ps->shared[i].name;
			return true;
		}
	}
	return false;
}

static bool is_error(long rval)
{
	return rval < 0 && rval > -4096;
}

/* ---- one call being handled ---- */

struct syscall_row;

struct call {
	struct tracer *t;
	struct task *k;
	struct pstate *ps;
	long nr;
	uint64_t a[6];
	char *path;               /* the path argument, when the call has one */
	const struct syscall_row *row;
	bool paced;               /* put back by a pace: made now, not paced again */
	bool send_now;            /* a line of it triggered a grader's signal */
};

enum { RESUME, WANT_EXIT, RESUMED };

typedef int entry_fn(struct call *c);
/* Returns true if it resumed the task itself (an injection started). */
typedef bool exit_fn(struct call *c, long rval);
/* Which of its row's fault classes this call counts as (FC_BIT mask). */
typedef uint64_t counts_fn(const struct call *c);

/* When our filter stops a call. */
enum filter {
	F_LIFECYCLE,        /* every call, in a lifecycle_only trace too         */
	F_ALWAYS,           /* every call                                        */
	F_ARG,              /* the calls whose argument passes the row's test    */
	F_ARG_OR_FAULT,     /* the same; every call while a fault counts them    */
	F_FAULT,            /* only while a fault counts them                    */
	F_FAULT_ELSE_DENY,  /* every call while a fault counts them; otherwise
			       the calls that pass the test fail with EPERM (in
			       a lifecycle_only trace too)                      */
	F_INJECTED,         /* never: the write filters trap them, per fd
			       (trace_inject.c)                                 */
	F_SENDS,            /* only while a grader's signal waits for them
			       (syscall_rules_load)                             */
};

/* One system call the tracer knows: how it stops, what it records, what
   it counts as for faults. */
struct syscall_row {
	const char *name;
	int path_arg;             /* argument holding a path, -1 none        */
	entry_fn *entry;          /* at the seccomp stop (NULL: nothing to record) */
	exit_fn *exit;            /* at the exit stop, if entry wants it     */
	enum filter filter;
	struct scmp_arg_cmp test; /* the argument test of F_ARG*, F_FAULT_ELSE_DENY */
	uint64_t faults;          /* the fault classes it may count as       */
	counts_fn *counts;        /* which of them a call does (NULL: all)   */
	long nr;                  /* resolved at first use; -1 if not on this arch */
};

static char *read_path(pid_t pid, uint64_t addr)
{
	char buf[PATH_MAX];
	if (!addr || !mem_read_str(pid, addr, buf, sizeof(buf)))
		return NULL;
	return xstrdup(buf);
}

/* openat(dirfd, "rel") -> "DIR/rel" so that it names the file. */
static void join_dirfd(struct call *c, long dirfd)
{
	char dir[PATH_MAX];
	if (!c->path || c->path[0] == '/' || (int)dirfd == AT_FDCWD)
		return;
	if (!fd_path(c->k->tid, (int)dirfd, dir, sizeof(dir)))
		return;
	char *j = path_join(dir, c->path);
	free(c->path);
	c->path = j;
}

/* ---- exec ---- */

static int exec_entry(struct call *c)
{
	if (c->nr == SYS_execveat)
		join_dirfd(c, (long)c->a[0]);
	return WANT_EXIT;     /* the path waits in sc_path for the exec event */
}

static bool exec_exit(struct call *c, long rval)
{
	if (rval < 0) {
		struct event *e = ev_add(c->t, c->ps, EV_EXEC);
		e->exec.path = c->path ? xstrdup(c->path) : NULL;
		e->ret = rval;
	}
	return false;
}

/* ---- wait ---- */

static int want_exit(struct call *c)
{
	(void)c;
	return WANT_EXIT;
}

static void record_reap(struct call *c, pid_t inner, bool by_pid)
{
	int idx = proc_by_inner(c->t, inner);
	struct proc *p;

	if (idx < 0)
		return;
	p = &c->t->tr->procs[idx];
	if (p->seq_reaped)
		return;
	struct event *e = ev_add(c->t, c->ps, EV_REAP);
	e->reap.child = idx;
	e->reap.waited_pid = inner;
	p->reaper = c->ps->index;
	p->seq_reaped = e->seq;
	p->reaped_by_pid = by_pid;
}

static bool wait4_exit(struct call *c, long rval)
{
	int status;
	bool reap;

	if (rval <= 0)
		return false;
	if (c->a[1] && mem_read(c->k->tid, c->a[1], &status, sizeof(status)))
		reap = WIFEXITED(status) || WIFSIGNALED(status);
	else
		reap = !(c->a[2] & (WUNTRACED | WCONTINUED));
	if (reap)
		record_reap(c, (pid_t)rval, (pid_t)c->a[0] > 0);
	return false;
}

static bool waitid_exit(struct call *c, long rval)
{
	siginfo_t si;

	if (rval != 0 || !c->a[2] || (c->a[3] & WNOWAIT))
		return false;
	if (!mem_read(c->k->tid, c->a[2], &si, sizeof(si)) || !si.si_pid)
		return false;
	if (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
		record_reap(c, si.si_pid, c->a[0] == P_PID);
	return false;
}

/* ---- open, close ---- */

static long open_flags(const struct call *c)
{
	if (c->nr == SYS_openat)
		return (long)c->a[2];
#ifdef SYS_open
	if (c->nr == SYS_open)
		return (long)c->a[1];
#endif
#ifdef SYS_creat
	if (c->nr == SYS_creat)
		return O_CREAT | O_WRONLY | O_TRUNC;
#endif
	if (c->nr == SYS_openat2) {
		uint64_t fl = 0;
		mem_read(c->k->tid, c->a[2], &fl, sizeof(fl));
		return (long)fl;
	}
	return 0;
}

static int open_entry(struct call *c)
{
	if (c->nr == SYS_openat || c->nr == SYS_openat2)
		join_dirfd(c, (long)c->a[0]);
	return WANT_EXIT;
}

/* "/dev/shm/sem.NAME" -> "sem_open", NAME; "/dev/shm/NAME" -> "shm_open". */
static const char *shm_kind(const char *path, const char **name)
{
	if (!path || !str_starts(path, "/dev/shm/"))
		return NULL;
	*name = path + 9;
	if (str_starts(*name, "sem.")) {
		*name += 4;
		return "sem_open";
	}
	return "shm_open";
}

static void record_shm_open(struct call *c, long flags, long rval)
{
	const char *name, *kind = shm_kind(c->path, &name);
	struct pstate *ps = c->ps;

	if (!kind)
		return;
	if (!strcmp(kind, "sem_open")) {
		/* glibc: open NAME (ENOENT), then create a temporary file and
		   link it: one sem_open, whose result is the creation's */
		struct event *prev = ev_at(c->t, ps->last_sem_enoent);
		if (prev && (flags & O_CREAT) && (flags & O_EXCL)) {
			prev->ret = rval;
			ps->last_sem_enoent = -1;
			return;
		}
	}
	struct event *e = ev_add(c->t, ps, EV_IPC);
	e->ipc.call = xstrdup(kind);
	e->ipc.name = xstrdup(name);
	e->ipc.flags = flags;
	e->ret = rval;
	ps->last_sem_enoent = !strcmp(kind, "sem_open") && rval == -ENOENT ?
		ev_index(c->t, e) : -1;
}

static bool open_exit(struct call *c, long rval)
{
	long flags = open_flags(c);
	unsigned type = rval >= 0 ? fd_type(c->k->tid, rval) : 0;
	char real[PATH_MAX];
	struct event *e = ev_add(c->t, c->ps, EV_OPEN);

	e->open.path = c->path ? xstrdup(c->path) : NULL;
	e->open.flags = flags;
	e->open.type = type;
	e->ret = rval;
	if (rval >= 0 && fd_path(c->k->tid, rval, real, sizeof(real)))
		e->open.resolved = xstrdup(real);
	record_shm_open(c, flags, rval);
	if (type == S_IFIFO) {
		struct event *f = ev_add(c->t, c->ps, EV_IPC);
		f->ipc.call = xstrdup("fifo");
		f->ipc.name = c->path ? xstrdup(c->path) : NULL;
		f->ipc.flags = flags;
		f->ret = rval;
	}
	if (rval >= 0 && (flags & O_ACCMODE) != O_RDONLY &&
	    (type == S_IFREG || (type == S_IFIFO && c->t->pipe_writes)))
		return inject_cover_fd(c->t, c->k, (int)rval);
	return false;
}

static int close_entry(struct call *c)
{
	char path[PATH_MAX];
	if (fd_path(c->k->tid, (long)(int)c->a[0], path, sizeof(path))) {
		struct event *e = ev_add(c->t, c->ps, EV_CLOSE);
		e->close.fd = (int)c->a[0];
		e->close.path = xstrdup(path);
	}
	return RESUME;
}

/* ---- pipes, sockets, mappings ---- */

static bool pipe_exit(struct call *c, long rval)
{
	int fds[2] = {-1, -1};
	struct event *e = ev_add(c->t, c->ps, EV_PIPE);
	if (rval == 0)
		mem_read(c->k->tid, c->a[0], fds, sizeof(fds));
	e->pipe.read_fd = fds[0];
	e->pipe.write_fd = fds[1];
	e->pipe.flags = c->nr == SYS_pipe2 ? (long)c->a[1] : 0;
	e->ret = rval;
	if (rval == 0 && c->t->pipe_writes)
		return inject_cover_fd(c->t, c->k, fds[1]);
	return false;
}

static bool socketpair_exit(struct call *c, long rval)
{
	int sv[2] = {-1, -1};
	struct event *e = ev_add(c->t, c->ps, EV_IPC);
	if (rval == 0)
		mem_read(c->k->tid, c->a[3], sv, sizeof(sv));
	e->ipc.call = xstrdup("socketpair");
	e->ipc.fds[0] = sv[0];
	e->ipc.fds[1] = sv[1];
	e->ipc.domain = (int)c->a[0];
	e->ret = rval;
	return false;
}

static unsigned long page_up(unsigned long n)
{
	unsigned long pg = (unsigned long)sysconf(_SC_PAGESIZE);
	return (n + pg - 1) & ~(pg - 1);
}

static bool mmap_exit(struct call *c, long rval)
{
	char path[PATH_MAX];
	bool anon = c->a[3] & MAP_ANONYMOUS;
	const char *name = NULL;
	struct event *e;

	if (is_error(rval))
		return false;
	if (!anon && fd_path(c->k->tid, (int)c->a[4], path, sizeof(path)))
		name = path;
	ps_add_range(c->ps, (unsigned long)rval, (unsigned long)rval + page_up(c->a[1]), name);
	e = ev_add(c->t, c->ps, EV_MMAP_SHARED);
	e->mmap.length = (long)c->a[1];
	e->mmap.fd = anon ? -1 : (int)c->a[4];
	e->ret = rval;
	e->mmap.path = name ? xstrdup(name) : NULL;
	return false;
}

/* The end of the mapping that starts at addr, from /proc/PID/maps. */
static unsigned long mapping_end(pid_t pid, unsigned long addr)
{
	char path[64], line[512];
	unsigned long s, e, end = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s == addr) {
			end = e;
			break;
		}
	fclose(f);
	return end;
}

static bool shmat_exit(struct call *c, long rval)
{
	struct event *e = ev_add(c->t, c->ps, EV_IPC);
	e->ipc.call = xstrdup("shmat");
	e->ipc.key = (long)c->a[0];
	e->ret = rval;
	if (!is_error(rval)) {
		unsigned long end = mapping_end(c->k->tid, (unsigned long)rval);
		if (end)
			ps_add_range(c->ps, (unsigned long)rval, end, "System V shared memory");
	}
	return false;
}

static int futex_entry(struct call *c)
{
	int cmd = (int)(c->a[1] & FUTEX_CMD_MASK);
	const char *name = NULL;
	bool wake;

	switch (cmd) {
	case FUTEX_WAIT: case FUTEX_WAIT_BITSET: case FUTEX_LOCK_PI: case FUTEX_TRYLOCK_PI:
	case FUTEX_WAIT_REQUEUE_PI: case 13 /* FUTEX_LOCK_PI2 */:
		wake = false;
		break;
	case FUTEX_WAKE: case FUTEX_WAKE_BITSET: case FUTEX_WAKE_OP: case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE: case FUTEX_UNLOCK_PI: case FUTEX_CMP_REQUEUE_PI:
		wake = true;
		break;
	default:
		return RESUME;
	}
	if (!addr_shared(c->ps, (unsigned long)c->a[0], &name))
		return RESUME;
	struct event *e = ev_add(c->t, c->ps, EV_FUTEX);
	e->futex.wake = wake;
	e->futex.addr = (unsigned long)c->a[0];
	e->futex.cmd = cmd;
	e->futex.mapping = name ? xstrdup(name) : NULL;
	return RESUME;
}

/* ---- signals and timers ---- */

/* The process a pidfd refers to (fdinfo "Pid:"), as a proc index. */
static int pidfd_target(struct call *c, int fd)
{
	char path[64], line[128];
	int idx = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)c->k->tid, fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long pid;
		if (sscanf(line, "Pid: %ld", &pid) == 1) {
			struct pstate *ps = ps_by_pid(c->t, (pid_t)pid);
			idx = ps ? ps->index : -1;
			break;
		}
	}
	fclose(f);
	return idx;
}

static int kill_entry(struct call *c)
{
	long pid, sig;
	int target = -1;

	switch (c->nr) {
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		pid = (int)c->a[0];
		sig = (int)c->a[2];
		break;
	case SYS_pidfd_send_signal:
		pid = 0;
		sig = (int)c->a[1];
		target = pidfd_target(c, (int)c->a[0]);
		break;
	default:        /* kill, tkill, rt_sigqueueinfo */
		pid = (int)c->a[0];
		sig = (int)c->a[1];
		break;
	}
	if (pid > 0)
		target = proc_by_inner(c->t, (pid_t)pid);
	struct event *e = ev_add(c->t, c->ps, EV_SIGNAL_SEND);
	e->signal_send.target = target;
	e->signal_send.sig = (int)sig;
	e->signal_send.pid = (pid_t)pid;
	c->k->sc_ev = ev_index(c->t, e);
	return WANT_EXIT;
}

static bool kill_exit(struct call *c, long rval)
{
	struct event *e = ev_at(c->t, c->k->sc_ev);
	if (e)
		e->ret = rval;
	c->k->sc_ev = -1;
	return false;
}

static int sigaction_entry(struct call *c)
{
	uint64_t act[2] = {0, 0};     /* handler, flags (x86_64 kernel_sigaction) */
	if (!mem_read(c->k->tid, c->a[1], act, sizeof(act)))
		return RESUME;
	struct event *e = ev_add(c->t, c->ps, EV_SIGACTION);
	e->sigaction.sig = (int)c->a[0];
	e->sigaction.handler = act[0] == (uint64_t)(uintptr_t)SIG_DFL ? DISP_DEFAULT :
			       act[0] == (uint64_t)(uintptr_t)SIG_IGN ? DISP_IGNORE : DISP_HANDLER;
	e->sigaction.flags = (long)act[1];
	return RESUME;
}

static int timer_entry(struct call *c)
{
	long ms = 0;
	enum timer_call call;
	int64_t v[4] = {0, 0, 0, 0};

	switch (c->nr) {
#ifdef SYS_alarm
	case SYS_alarm:
		ms = (long)(unsigned)c->a[0] * 1000;
		call = TIMER_ALARM;
		break;
#endif
	case SYS_setitimer:      /* struct itimerval: interval, value (usec) */
		if (c->a[1] && mem_read(c->k->tid, c->a[1], v, sizeof(v)))
			ms = (long)(v[2] * 1000 + v[3] / 1000);
		call = TIMER_SETITIMER;
		break;
	default:                 /* timer_settime: struct itimerspec (nsec) */
		if (c->a[2] && mem_read(c->k->tid, c->a[2], v, sizeof(v)))
			ms = (long)(v[2] * 1000 + v[3] / 1000000);
		call = TIMER_SETTIME;
		break;
	}
	struct event *e = ev_add(c->t, c->ps, EV_TIMER);
	e->timer.ms = ms;
	e->timer.call = call;
	return RESUME;
}

/* ---- IPC objects ---- */

static bool ipc_exit(struct call *c, long rval)
{
	struct event *e = ev_add(c->t, c->ps, EV_IPC);
	const char *what = "?";

	if (c->nr == SYS_mq_open)
		what = "mq_open";
	else if (c->nr == SYS_mq_unlink)
		what = "mq_unlink";
	else if (c->nr == SYS_semget)
		what = "semget";
	else if (c->nr == SYS_shmget)
		what = "shmget";
	else if (c->nr == SYS_msgget)
		what = "msgget";
	else
		what = "mkfifo";
	e->ipc.call = xstrdup(what);
	e->ipc.name = c->path ? xstrdup(c->path) : NULL;
	if (c->nr == SYS_semget || c->nr == SYS_shmget) {
		e->ipc.key = (long)c->a[0];
		e->ipc.size = (long)c->a[1];      /* nsems, bytes */
	} else if (c->nr == SYS_msgget) {
		e->ipc.key = (long)c->a[0];
		e->ipc.flags = (long)c->a[1];
	} else if (c->nr == SYS_mq_open) {
		e->ipc.flags = (long)c->a[1];
	}
	e->ret = rval;
	return false;
}

static int mknod_entry(struct call *c)
{
	if (c->nr == SYS_mknodat)
		join_dirfd(c, (long)c->a[0]);
	return WANT_EXIT;
}

/* ---- clone ---- */

static uint64_t clone_flags(const struct call *c)
{
	uint64_t fl = 0;
	if (c->nr == SYS_clone3)
		mem_read(c->k->tid, c->a[0], &fl, sizeof(fl));
	else if (c->nr == SYS_clone)
		fl = c->a[0];
	return fl;
}

/* ---- writes: markers and files ---- */

#define MARKER_MAX 4096

static size_t read_write_data(struct call *c, char *buf, size_t cap)
{
	size_t got = 0;

	if (c->nr == SYS_write) {
		size_t n = c->a[2] < cap ? c->a[2] : cap;
		return mem_read(c->k->tid, c->a[1], buf, n) ? n : 0;
	}
	/* writev */
	int cnt = (int)c->a[2];
	for (int i = 0; i < cnt && i < 64 && got < cap; i++) {
		struct { uint64_t base, len; } iov;
		if (!mem_read(c->k->tid, c->a[1] + (uint64_t)i * sizeof(iov), &iov, sizeof(iov)))
			break;
		size_t n = iov.len < cap - got ? iov.len : cap - got;
		if (n && !mem_read(c->k->tid, iov.base, buf + got, n))
			break;
		got += n;
	}
	return got;
}

static long write_len(struct call *c)
{
	if (c->nr != SYS_writev)
		return (long)c->a[2];
	long total = 0;
	for (int i = 0; i < (int)c->a[2] && i < 1024; i++) {
		struct { uint64_t base, len; } iov;
		if (!mem_read(c->k->tid, c->a[1] + (uint64_t)i * sizeof(iov), &iov, sizeof(iov)))
			break;
		total += (long)iov.len;
	}
	return total;
}

static void marker_lines(struct call *c)
{
	struct pstate *ps = c->ps;
	char *line;

	while ((line = buf_take_line(&ps->marker))) {
		ev_add(c->t, ps, EV_MARKER)->marker.text = line;
		c->send_now |= send_on_marker(c->t, line);
	}
	if (ps->marker.len > MARKER_MAX) {     /* no newline in sight */
		ev_add(c->t, ps, EV_MARKER)->marker.text = buf_detach(&ps->marker);
	}
}

static bool get_info(struct task *k, struct __ptrace_syscall_info *si)
{
	memset(si, 0, sizeof(*si));
	return ptrace(PTRACE_GET_SYSCALL_INFO, k->tid, (void *)sizeof(*si), si) > 0;
}

/* Where TRACE_MARKER_FN is in ps's memory (from the executable's symbols). */
static void find_marker_fn(struct pstate *ps)
{
	struct elf_function f;
	unsigned long base = 0, end;
	char exe[64];

	ps->marker_fn_tried = true;
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)ps->pid);
	if (elf_find_function(exe, TRACE_MARKER_FN, &f) < 0)
		return;         /* then no marker of this process counts */
	if (f.pie && !exe_mapping(ps->pid, false, &base, &end))
		return;
	ps->marker_fn_lo = base + f.value;
	ps->marker_fn_hi = base + f.value + f.size;
}

/* Was this write made by the harness's marker function (if that is asked)? */
static bool marker_by_harness(struct call *c)
{
	struct __ptrace_syscall_info si;

	if (!c->t->markers_from_harness)
		return true;
	if (!c->ps->marker_fn_tried)
		find_marker_fn(c->ps);
	return get_info(c->k, &si) && si.instruction_pointer >= c->ps->marker_fn_lo &&
	       si.instruction_pointer < c->ps->marker_fn_hi;
}

/* Does the marker line written start with the paced marker (the same
   text, or it and a space)? */
static bool marker_paced(const struct tracer *t, const char *buf, size_t n)
{
	size_t m = t->pace_marker ? strlen(t->pace_marker) : 0;
	return m && n > m && !memcmp(buf, t->pace_marker, m) && (buf[m] == ' ' || buf[m] == '\n');
}

static int marker_write(struct call *c)
{
	char buf[MARKER_MAX];
	size_t n = read_write_data(c, buf, sizeof(buf));
	long len = write_len(c);

	bool paced = false;
	if (marker_by_harness(c)) {
		paced = marker_paced(c->t, buf, n);
		buf_add(&c->ps->marker, buf, n);
		marker_lines(c);
	} else {
		c->t->tr->markers_ignored++;
	}
	if (c->send_now)          /* the signal lands when the write returns */
		send_due(c->t);
	/* the write succeeds without being done (after a pace's sleep) */
	if (paced && inject_pace(c->t, c->k, c->t->pace_ms, len))
		return RESUMED;
	if (regs_skip_call(c->k->tid, len)) {
		task_resume(c->k, PTRACE_CONT, 0);
		return RESUMED;
	}
	return RESUME;
}

/* The fd a write-family call writes to. */
static long write_fd(struct call *c)
{
	if (c->nr == SYS_copy_file_range || c->nr == SYS_splice)
		return (int)c->a[2];
	return (int)c->a[0];
}

/* The bytes a write-family call asks to write. */
static long write_request(struct call *c)
{
	if (c->nr == SYS_sendfile)
		return (long)c->a[3];
	if (c->nr == SYS_copy_file_range || c->nr == SYS_splice)
		return (long)c->a[4];
	return write_len(c);
}

/* A write to a pipe or FIFO is an event of its own, with the shape of its
   bytes: how many '\n' and whether it ends with one (what "one whole line
   per write" is judged on).  Bytes beyond PIPE_WRITE_READ are not read. */
#define PIPE_WRITE_READ 65536
static void pipe_write(struct call *c, long fd, const char *path)
{
	struct event *e = ev_add(c->t, c->ps, EV_WRITE);
	e->write.fd = (int)fd;
	e->write.calls = 1;
	e->write.pipe = true;
	e->write.path = xstrdup(path);
	e->ret = write_request(c);
	e->write.lines = -1;
	if ((c->nr != SYS_write && c->nr != SYS_writev) || e->ret > PIPE_WRITE_READ)
		return;
	char *buf = xmalloc((size_t)e->ret + 1);
	size_t n = read_write_data(c, buf, (size_t)e->ret);
	if (n == (size_t)e->ret) {
		e->write.lines = 0;
		for (size_t i = 0; i < n; i++)
			e->write.lines += buf[i] == '\n';
		e->write.ends_line = n && buf[n - 1] == '\n';
	}
	free(buf);
}

/* A write to stdout while a grader's signal waits for a line of it. */
static void stdout_write(struct call *c)
{
	char buf[4096];
	size_t n = read_write_data(c, buf, sizeof(buf));
	struct buf *out = &c->ps->out;
	char *line;

	buf_add(out, buf, n);
	while ((line = buf_take_line(out))) {
		c->send_now |= send_on_output(c->t, line);
		free(line);
	}
	if (out->len > 4096)      /* no line end in sight */
		buf_reset(out);
}

/* The exit of a write that triggered a grader's signal: it lands now. */
static bool write_exit(struct call *c, long rval)
{
	(void)rval;
	send_due(c->t);
	return false;
}

static int write_entry(struct call *c)
{
	long fd = write_fd(c);
	char path[PATH_MAX];
	struct pstate *ps = c->ps;

	if (fd == TRACE_MARKER_FD && (c->nr == SYS_write || c->nr == SYS_writev))
		return marker_write(c);
	if (fd == 1 && c->t->watch_stdout && (c->nr == SYS_write || c->nr == SYS_writev)) {
		stdout_write(c);
		if (c->send_now)
			return WANT_EXIT;
	}
	unsigned type = fd_type(c->k->tid, fd);
	if ((type != S_IFREG && !(type == S_IFIFO && c->t->pipe_writes)) ||
	    !fd_path(c->k->tid, fd, path, sizeof(path)))
		return RESUME;
	/* a paced write sleeps first, then comes back here as c->paced */
	if (c->t->pace_writes && !c->paced && inject_pace(c->t, c->k, c->t->pace_ms, PACE_REDO))
		return RESUMED;
	if (type == S_IFIFO) {
		pipe_write(c, fd, path);
		return RESUME;
	}
	long len = write_request(c);
	/* a run of writes by one process to one file with nothing in between
	   is one event (a byte-by-byte copy would otherwise flood the trace) */
	struct event *last = ev_at(c->t, ps->last_write);
	if (last && ev_index(c->t, last) == (long)c->t->tr->nev - 1 && last->write.fd == fd &&
	    last->pid == ps->pid) {
		last->write.calls++;
		last->ret += len;
		return RESUME;
	}
	struct event *e = ev_add(c->t, ps, EV_WRITE);
	e->write.fd = (int)fd;
	e->write.calls = 1;
	e->ret = len;
	e->write.path = xstrdup(path);
	e->write.lines = -1;
	ps->last_write = ev_index(c->t, e);
	return RESUME;
}

/* ---- waits: where a grader's signal may be sent ---- */

static int wait_entry(struct call *c)
{
	return c->t->trap_waits && send_before_wait(c->t, c->k) ? RESUMED : RESUME;
}

/* ---- dup: follow copies of covered descriptors ---- */

static int dup_entry(struct call *c)
{
	if (c->nr == SYS_fcntl && c->a[1] != F_DUPFD && c->a[1] != F_DUPFD_CLOEXEC)
		return RESUME;
	return fd_covered(c->ps, (int)c->a[0]) ? WANT_EXIT : RESUME;
}

static bool dup_exit(struct call *c, long rval)
{
	if (rval >= 0)
		return inject_cover_fd(c->t, c->k, (int)rval);
	return false;
}

/* ---- what a call counts as, for faults ---- */

static uint64_t clone_counts(const struct call *c)
{
	uint64_t fl = clone_flags(c);
	if (fl & CLONE_THREAD)
		return FC_BIT(FC_CLONE);
	return FC_BIT(FC_CLONE) | FC_BIT(FC_FORK) | (fl & CLONE_VFORK ? FC_BIT(FC_VFORK) : 0);
}

/* The opens of the student's files; /dev/shm/sem.NAME is a sem_open (its
   second open, glibc's creation, is not counted again), /dev/shm/NAME a
   shm_open. */
static uint64_t open_counts(const struct call *c)
{
	const char *n;
	const char *kind = shm_kind(c->path, &n);
	if (kind && !strcmp(kind, "sem_open")) {
		long fl = open_flags(c);
		bool second = c->ps->last_sem_enoent >= 0 && (fl & O_CREAT) && (fl & O_EXCL);
		return second ? 0 : FC_BIT(FC_SEM_OPEN);
	}
	if (kind)
		return FC_BIT(FC_SHM_OPEN);
	return !c->path || path_is_system(c->path) ? 0 : FC_BIT(FC_OPEN);
}

/* Calls on the student's descriptors, not on system files. */
static uint64_t fd_counts(const struct call *c)
{
	char path[PATH_MAX];
	if (fd_path(c->k->tid, (int)c->a[0], path, sizeof(path)) && path_is_system(path))
		return 0;
	return c->row->faults;
}

static uint64_t write_counts(const struct call *c)
{
	return (int)c->a[0] == TRACE_MARKER_FD ? 0 : c->row->faults;
}

static uint64_t unlink_counts(const struct call *c)
{
	const char *n;
	const char *kind = shm_kind(c->path, &n);
	if (!kind)
		return 0;
	return FC_BIT(!strcmp(kind, "sem_open") ? FC_SEM_UNLINK : FC_SHM_UNLINK);
}

/* ---- the table ---- */

#define FC(c) FC_BIT(FC_##c)
#define OPENS (FC(OPEN) | FC(SHM_OPEN) | FC(SEM_OPEN))
#define FORKS (FC(FORK) | FC(VFORK) | FC(CLONE))
#define NO_TEST {0, 0, 0, 0}
#define TEST(arg, op, a, b) {(arg), (op), (a), (b)}
#define MASKED(arg, mask, value) TEST(arg, SCMP_CMP_MASKED_EQ, mask, value)

static struct syscall_row syscalls[] = {
	/* name, path argument, entry, exit,
	   filter, its argument test, fault classes, which ones a call counts as */
	{"execve", 0, exec_entry, exec_exit, F_LIFECYCLE, NO_TEST, FC(EXECVE), NULL, 0},
	{"execveat", 1, exec_entry, exec_exit, F_LIFECYCLE, NO_TEST, FC(EXECVE), NULL, 0},
	{"wait4", -1, want_exit, wait4_exit, F_LIFECYCLE, NO_TEST, FC(WAIT) | FC(WAIT4), NULL, 0},
	{"waitid", -1, want_exit, waitid_exit, F_LIFECYCLE, NO_TEST, FC(WAIT) | FC(WAITID), NULL, 0},
	{"open", 0, open_entry, open_exit, F_ALWAYS, NO_TEST, OPENS, open_counts, 0},
	{"openat", 1, open_entry, open_exit, F_ALWAYS, NO_TEST, OPENS, open_counts, 0},
	{"openat2", 1, open_entry, open_exit, F_ALWAYS, NO_TEST, OPENS, open_counts, 0},
	{"creat", 0, open_entry, open_exit, F_ALWAYS, NO_TEST, OPENS, open_counts, 0},
	{"close", -1, close_entry, NULL, F_ALWAYS, NO_TEST, FC(CLOSE), fd_counts, 0},
	{"pipe", -1, want_exit, pipe_exit, F_ALWAYS, NO_TEST, FC(PIPE), NULL, 0},
	{"pipe2", -1, want_exit, pipe_exit, F_ALWAYS, NO_TEST, FC(PIPE), NULL, 0},
	{"socketpair", -1, want_exit, socketpair_exit, F_ALWAYS, NO_TEST, FC(SOCKETPAIR), NULL, 0},
	{"mmap", -1, want_exit, mmap_exit,
	 F_ARG, MASKED(3, MAP_SHARED, MAP_SHARED), FC(MMAP), NULL, 0},
	{"shmat", -1, want_exit, shmat_exit, F_ALWAYS, NO_TEST, FC(SHMAT), NULL, 0},
	/* pthread_join's futex is not private either: filtered in futex_entry */
	{"futex", -1, futex_entry, NULL, F_ARG, MASKED(1, FUTEX_PRIVATE_FLAG, 0), 0, NULL, 0},
	{"kill", -1, kill_entry, kill_exit, F_ALWAYS, NO_TEST, FC(KILL), NULL, 0},
	{"tkill", -1, kill_entry, kill_exit, F_ALWAYS, NO_TEST, 0, NULL, 0},
	{"tgkill", -1, kill_entry, kill_exit, F_ALWAYS, NO_TEST, 0, NULL, 0},
	{"rt_sigqueueinfo", -1, kill_entry, kill_exit, F_ALWAYS, NO_TEST, 0, NULL, 0},
	{"rt_tgsigqueueinfo", -1, kill_entry, kill_exit, F_ALWAYS, NO_TEST, 0, NULL, 0},
	{"pidfd_send_signal", -1, kill_entry, kill_exit, F_ALWAYS, NO_TEST, 0, NULL, 0},
	{"rt_sigaction", -1, sigaction_entry, NULL,    /* with a new action */
	 F_ARG, TEST(1, SCMP_CMP_NE, 0, 0), FC(SIGACTION), NULL, 0},
	{"alarm", -1, timer_entry, NULL, F_ALWAYS, NO_TEST, 0, NULL, 0},
	{"setitimer", -1, timer_entry, NULL, F_ALWAYS, NO_TEST, 0, NULL, 0},
	{"timer_settime", -1, timer_entry, NULL, F_ALWAYS, NO_TEST, 0, NULL, 0},
	{"mq_open", 0, want_exit, ipc_exit, F_ALWAYS, NO_TEST, FC(MQ_OPEN), NULL, 0},
	{"mq_unlink", 0, want_exit, ipc_exit, F_ALWAYS, NO_TEST, FC(MQ_UNLINK), NULL, 0},
	{"semget", -1, want_exit, ipc_exit, F_ALWAYS, NO_TEST, FC(SEMGET), NULL, 0},
	{"shmget", -1, want_exit, ipc_exit, F_ALWAYS, NO_TEST, FC(SHMGET), NULL, 0},
	{"msgget", -1, want_exit, ipc_exit, F_ALWAYS, NO_TEST, FC(MSGGET), NULL, 0},
	{"mknod", 0, mknod_entry, ipc_exit,            /* of a FIFO */
	 F_ARG, MASKED(1, S_IFMT, S_IFIFO), FC(MKFIFO), NULL, 0},
	{"mknodat", 1, mknod_entry, ipc_exit, F_ARG, MASKED(2, S_IFMT, S_IFIFO), FC(MKFIFO), NULL, 0},
	/* markers, and every write while a fault counts writes */
	{"write", -1, write_entry, write_exit,
	 F_ARG_OR_FAULT, TEST(0, SCMP_CMP_EQ, TRACE_MARKER_FD, 0), FC(WRITE), write_counts, 0},
	{"writev", -1, write_entry, write_exit,
	 F_ARG_OR_FAULT, TEST(0, SCMP_CMP_EQ, TRACE_MARKER_FD, 0), FC(WRITE), write_counts, 0},
	{"pwrite64", -1, write_entry, NULL, F_INJECTED, NO_TEST, 0, NULL, 0},
	{"pwritev", -1, write_entry, NULL, F_INJECTED, NO_TEST, 0, NULL, 0},
	{"pwritev2", -1, write_entry, NULL, F_INJECTED, NO_TEST, 0, NULL, 0},
	{"sendfile", -1, write_entry, NULL, F_INJECTED, NO_TEST, 0, NULL, 0},
	{"copy_file_range", -1, write_entry, NULL, F_INJECTED, NO_TEST, 0, NULL, 0},
	{"splice", -1, write_entry, NULL, F_INJECTED, NO_TEST, 0, NULL, 0},
	/* dup: the write filters trap them too, to follow copies */
	{"dup", -1, dup_entry, dup_exit, F_FAULT, NO_TEST, FC(DUP), NULL, 0},
	{"dup2", -1, dup_entry, dup_exit, F_FAULT, NO_TEST, FC(DUP), NULL, 0},
	{"dup3", -1, dup_entry, dup_exit, F_FAULT, NO_TEST, FC(DUP), NULL, 0},
	{"fcntl", -1, dup_entry, dup_exit, F_INJECTED, NO_TEST, FC(DUP), NULL, 0},
	/* CLONE_UNTRACED would take the child out of our sight (clone3: its
	   flags are in memory, refused at the stop) */
	{"clone", -1, NULL, NULL,
	 F_FAULT_ELSE_DENY, MASKED(0, CLONE_UNTRACED, CLONE_UNTRACED), FORKS, clone_counts, 0},
	{"clone3", -1, NULL, NULL, F_LIFECYCLE, NO_TEST, FORKS, clone_counts, 0},
	{"fork", -1, NULL, NULL, F_FAULT, NO_TEST, FC(FORK), NULL, 0},
	{"vfork", -1, NULL, NULL, F_FAULT, NO_TEST, FC(FORK) | FC(VFORK), NULL, 0},
	/* waits, for a grader's signal sent just before one (trace_send.c) */
	{"pause", -1, wait_entry, NULL, F_SENDS, NO_TEST, 0, NULL, 0},
	{"rt_sigsuspend", -1, wait_entry, NULL, F_SENDS, NO_TEST, 0, NULL, 0},
	{"rt_sigtimedwait", -1, wait_entry, NULL, F_SENDS, NO_TEST, 0, NULL, 0},
	/* traced only for faults: the per-message calls run in hot loops */
	{"read", -1, NULL, NULL, F_FAULT, NO_TEST, FC(READ), fd_counts, 0},
	{"munmap", -1, NULL, NULL, F_FAULT, NO_TEST, FC(MUNMAP), NULL, 0},
	{"ftruncate", -1, NULL, NULL, F_FAULT, NO_TEST, FC(FTRUNCATE), NULL, 0},
	{"unlink", 0, NULL, NULL, F_FAULT, NO_TEST, FC(SHM_UNLINK) | FC(SEM_UNLINK), unlink_counts, 0},
	{"unlinkat", 1, NULL, NULL, F_FAULT, NO_TEST, FC(SHM_UNLINK) | FC(SEM_UNLINK), unlink_counts, 0},
	{"mq_timedsend", -1, NULL, NULL, F_FAULT, NO_TEST, FC(MQ_SEND), NULL, 0},
	{"mq_timedreceive", -1, NULL, NULL, F_FAULT, NO_TEST, FC(MQ_RECEIVE), NULL, 0},
	{"semop", -1, NULL, NULL, F_FAULT, NO_TEST, FC(SEMOP), NULL, 0},
	{"semtimedop", -1, NULL, NULL, F_FAULT, NO_TEST, FC(SEMOP), NULL, 0},
	{"msgsnd", -1, NULL, NULL, F_FAULT, NO_TEST, FC(MSGSND), NULL, 0},
	{"msgrcv", -1, NULL, NULL, F_FAULT, NO_TEST, FC(MSGRCV), NULL, 0},
};

#define MAX_NR 1024
static short by_nr[MAX_NR];   /* nr -> row index + 1 */

static void resolve_rows(void)
{
	static bool done;
	if (done)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(syscalls); i++) {
		int nr = seccomp_syscall_resolve_name(syscalls[i].name);
		syscalls[i].nr = nr;
		if (nr >= 0 && nr < MAX_NR)
			by_nr[nr] = (short)(i + 1);
	}
	done = true;
}

static const struct syscall_row *row_for(long nr)
{
	resolve_rows();
	if (nr < 0 || nr >= MAX_NR || !by_nr[nr])
		return NULL;
	return &syscalls[by_nr[nr] - 1];
}

uint64_t syscall_fault_classes(void)
{
	uint64_t m = 0;
	for (size_t i = 0; i < ARRAY_SIZE(syscalls); i++)
		m |= syscalls[i].faults;
	return m;
}

/* ---- faults ---- */

/* The fault classes this call counts as. */
static uint64_t classify(const struct call *c)
{
	const struct syscall_row *r = c->row;
	return r->counts ? r->counts(c) & r->faults : r->faults;
}

/* Count the call against the faults; fail it if one is due.  *counted:
   the call was counted and goes ahead (its exit must then be watched: if
   the kernel restarts it, the restart is the same call, not the next). */
static bool maybe_fault(struct call *c, bool *counted)
{
	struct tracer *t = c->t;
	uint64_t m;

	if (!t->fault_mask)
		return false;
	m = classify(c) & t->fault_mask;
	if (!m)
		return false;
	for (size_t i = 0; i < t->nfaults; i++) {
		struct tfault *f = &t->faults[i];
		if (!(m & FC_BIT(f->fc)) || f->seen >= f->nth)
			continue;
		*counted = true;
		if (++f->seen != f->nth)
			continue;
		if (!regs_skip_call(c->k->tid, -f->err))
			continue;
		struct event *e = ev_add(t, c->ps, EV_FAULT);
		e->fault.call = xstrdup(f->call);
		e->fault.syscall = xstrdup(c->row->name);
		e->fault.err = f->err;
		e->fault.nr = c->nr;
		e->fault.nth = f->nth;
		e->ret = -f->err;
		return true;
	}
	return false;
}

/* ---- the stops ---- */


void syscall_on_seccomp(struct tracer *t, struct task *k)
{
	struct __ptrace_syscall_info si;
	struct call c = {.t = t, .k = k, .ps = k->ps};
	const struct syscall_row *row;
	int r = RESUME;

	if (!get_info(k, &si) || si.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		task_resume(k, PTRACE_CONT, 0);
		return;
	}
	c.nr = (long)si.seccomp.nr;
	memcpy(c.a, si.seccomp.args, sizeof(c.a));
	row = row_for(c.nr);
	if (!row) {
		task_resume(k, PTRACE_CONT, 0);
		return;
	}
	c.row = row;
	/* CLONE_UNTRACED would take the child out of our sight */
	if ((row->nr == SYS_clone || row->nr == SYS_clone3) && (clone_flags(&c) & CLONE_UNTRACED)) {
		regs_skip_call(k->tid, -EPERM);
		task_resume(k, PTRACE_CONT, 0);
		return;
	}
	if (row->path_arg >= 0)
		c.path = read_path(k->tid, c.a[row->path_arg]);
	if (!c.ps || c.ps->index < 0) {
		/* not (yet) the program: only remember what it execs */
		if (row->entry == exec_entry) {
			free(k->sc_path);
			k->sc_path = c.path;
			c.path = NULL;
		}
		free(c.path);
		task_resume(k, PTRACE_CONT, 0);
		return;
	}
	c.paced = k->pace_pass;
	k->pace_pass = false;
	/* a restart or a paced call put back was counted already */
	bool restarted = k->restart_nr == c.nr || c.paced, counted = false;
	k->restart_nr = -1;
	if (!restarted && maybe_fault(&c, &counted)) {
		free(c.path);
		task_resume(k, PTRACE_CONT, 0);
		return;
	}
	if (row->entry)
		r = row->entry(&c);
	if (counted && r != RESUMED && !(r == WANT_EXIT && row->exit)) {
		k->sc_nr = c.nr;          /* only to see whether it is restarted */
		task_resume(k, PTRACE_SYSCALL, 0);
	} else if (r == WANT_EXIT && row->exit) {
		k->sc_nr = c.nr;
		memcpy(k->sc_args, c.a, sizeof(c.a));
		if (c.path != k->sc_path) {
			free(k->sc_path);
			k->sc_path = c.path;
		}
		c.path = NULL;
		task_resume(k, PTRACE_SYSCALL, 0);
	} else if (r != RESUMED) {
		task_resume(k, PTRACE_CONT, 0);
	}
	if (c.path != k->sc_path)
		free(c.path);
}

static bool is_restart(long rval)
{
	return rval == -512 || rval == -513 || rval == -514 || rval == -516;
}

void syscall_on_exit(struct tracer *t, struct task *k)
{
	struct __ptrace_syscall_info si;
	struct call c = {.t = t, .k = k, .ps = k->ps, .nr = k->sc_nr};
	const struct syscall_row *row = row_for(k->sc_nr);
	bool resumed = false;

	k->sc_nr = -1;
	if (row && c.ps && get_info(k, &si) && si.op == PTRACE_SYSCALL_INFO_EXIT) {
		long rval = (long)si.exit.rval;
		memcpy(c.a, k->sc_args, sizeof(c.a));
		c.path = k->sc_path;
		c.row = row;
		if (is_restart(rval))
			k->restart_nr = c.nr;   /* it comes back through seccomp */
		else if (row->exit)
			resumed = row->exit(&c, rval);
	}
	free(k->sc_path);
	k->sc_path = NULL;
	if (!resumed)
		task_resume(k, PTRACE_CONT, 0);
}

/* ---- the filter ---- */

static int rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
		const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0;         /* not on this architecture */
	int rc = seccomp_rule_add_array(ctx, action, nr, n, cmp);
	if (rc < 0) {
		errno = -rc;
		return error_errno("tracer: seccomp rule for %s", name);
	}
	return 0;
}

/* The rules of one row, given the fault classes the faults count. */
static int row_rules(scmp_filter_ctx ctx, const struct syscall_row *r, uint64_t faults,
		     bool lifecycle_only)
{
	const uint32_t TRACE = SCMP_ACT_TRACE(0);
	bool faulted = r->faults & faults;

	if (lifecycle_only && r->filter != F_LIFECYCLE && r->filter != F_FAULT_ELSE_DENY)
		return 0;
	switch (r->filter) {
	case F_LIFECYCLE:
	case F_ALWAYS:
		return rule(ctx, TRACE, r->name, 0, NULL);
	case F_ARG:
		return rule(ctx, TRACE, r->name, 1, &r->test);
	case F_ARG_OR_FAULT:
		return rule(ctx, TRACE, r->name, faulted ? 0 : 1, &r->test);
	case F_FAULT:
		return faulted ? rule(ctx, TRACE, r->name, 0, NULL) : 0;
	case F_FAULT_ELSE_DENY:
		return faulted ? rule(ctx, TRACE, r->name, 0, NULL) :
			rule(ctx, SCMP_ACT_ERRNO(EPERM), r->name, 1, &r->test);
	case F_INJECTED:
	case F_SENDS:
		return 0;
	}
	return 0;
}

/* What the grader's signals need: writes to stdout, the waits. */
static int send_rules(scmp_filter_ctx ctx, const struct tracer *t)
{
	const uint32_t TRACE = SCMP_ACT_TRACE(0);
	const struct scmp_arg_cmp to_stdout = TEST(0, SCMP_CMP_EQ, 1, 0);
	if (t->watch_stdout && (rule(ctx, TRACE, "write", 1, &to_stdout) < 0 ||
				rule(ctx, TRACE, "writev", 1, &to_stdout) < 0))
		return -1;
	for (size_t i = 0; t->trap_waits && i < ARRAY_SIZE(syscalls); i++)
		if (syscalls[i].filter == F_SENDS && rule(ctx, TRACE, syscalls[i].name, 0, NULL) < 0)
			return -1;
	return 0;
}

int syscall_rules_load(struct tracer *t)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc = -1;

	if (!ctx)
		return error_set("tracer: seccomp_init failed");
	/* another architecture's calls are the sandbox's business */
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	/* this filter protects nothing: no speculative-store-bypass penalty */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
	for (size_t i = 0; i < ARRAY_SIZE(syscalls); i++)
		if (row_rules(ctx, &syscalls[i], t->fault_mask, t->lifecycle_only) < 0)
			goto out;
	if (send_rules(ctx, t) < 0)
		goto out;
	rc = seccomp_load(ctx);
	if (rc < 0) {
		errno = -rc;
		rc = error_errno("tracer: loading the seccomp filter");
	}
out:
	seccomp_release(ctx);
	return rc;
}
