/*
 * sandbox_child.c - the keeper and the program (the grader's side of a run
 * is sandbox.c; see its theory of operation).
 *
 * Everything here runs in a freshly cloned child and must not return: errors
 * are reported on the report pipe (sbx_die) and the child exits.  The
 * keeper is trusted code; the program becomes untrusted at its execve.
 * In an untraced run both run in the grader's memory until the program's
 * exec (sandbox_launch.c): no malloc, no stdio, no opendir here, and the
 * identity changes are raw system calls.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/uio.h>
#include <unistd.h>
#include "sandbox_internal.h"

/* ---- small helpers (also used by the grader side) ---- */

int sbx_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(text);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, text, n);
	if (w < 0 || (size_t)w != n) {
		int e = w < 0 ? errno : EIO;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

void sbx_report(int fd, const struct sbx_msg *m)
{
	ssize_t w;

	do
		w = write(fd, m, sizeof(*m));
	while (w < 0 && errno == EINTR);
}

_Noreturn void sbx_die(int fd, int err, const char *what)
{
	struct sbx_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = SBX_MSG_ERROR;
	m.err = err;
	snprintf(m.text, sizeof(m.text), "%s", what);
	sbx_report(fd, &m);
	_exit(127);
}

/* Close every fd except those in keep[] (unordered, -1 entries ignored). */
static void close_all_except(const int *keep, size_t n)
{
	int sorted[16];
	size_t k = 0;
	unsigned int from = 0;

	for (size_t i = 0; i < n && k < ARRAY_SIZE(sorted); i++)
		if (keep[i] >= 0)
			sorted[k++] = keep[i];
	for (size_t i = 1; i < k; i++)          /* insertion sort: k is small */
		for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
			int t = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	for (size_t i = 0; i < k; i++) {
		if ((unsigned int)sorted[i] > from)
			syscall(SYS_close_range, from, sorted[i] - 1, 0);
		from = sorted[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0);
}

/* ---- the program ---- */

static void set_limit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = {soft, hard};
	setrlimit(res, &rl);
}

static void program_rlimits(const struct sbx_plan *p)
{
	const struct limits *l = &p->cmd->limits;

	if (l->cpu_ms > 0) {
		rlim_t s = (l->cpu_ms + 999) / 1000;
		set_limit(RLIMIT_CPU, s, s + 1);
	}
	/* With a memory cgroup the tree is limited as a whole; otherwise
	   each process's data (heap, anonymous mappings, stacks) is. */
	if (l->memory > 0 && !p->cg_memory)
		set_limit(RLIMIT_DATA, l->memory, l->memory);
	/* the pids cgroup counts the tree exactly (and tells when it refused
	   a fork); RLIMIT_NPROC counts the user's processes (per user
	   namespace: the sandbox's own) */
	if (l->processes > 0 && !p->cg_pids)
		set_limit(RLIMIT_NPROC, l->processes + p->processes_base,
			  l->processes + p->processes_base);
	if (l->file_size > 0)
		set_limit(RLIMIT_FSIZE, l->file_size, l->file_size);
	if (l->open_files > 0)
		set_limit(RLIMIT_NOFILE, l->open_files, l->open_files);
	set_limit(RLIMIT_CORE, 0, 0);
}

static void program_signals(void)
{
	sigset_t none;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* stdin, stdout, stderr, the marker fd; every other fd closes on exec.
   The sources are first moved out of the way (the keeper closed 0-2, so
   any of them may sit on 0, 1 or 2). */
static void program_fds(const struct sbx_plan *p, int in)
{
	int rfd = p->report[1];
	int marker = p->cmd->marker_fd;
	int out, err;

	if (in < 0)
		in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		sbx_die(rfd, errno, "open /dev/null");
	in = fcntl(in, F_DUPFD_CLOEXEC, 10);
	out = fcntl(p->out[1], F_DUPFD_CLOEXEC, 10);
	err = fcntl(p->err[1], F_DUPFD_CLOEXEC, 10);
	if (in < 0 || out < 0 || err < 0)
		sbx_die(rfd, errno, "dup standard streams");
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		sbx_die(rfd, errno, "dup2 standard streams");
	if (marker >= 3) {
		int m = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (m < 0 || (m != marker && dup2(m, marker) < 0))
			sbx_die(rfd, errno, "marker fd");
	}
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (marker >= 3)
		fcntl(marker, F_SETFD, 0);
}

/* The identity calls are raw system calls: the program may run in the
   grader's memory (sandbox_launch.c), where glibc's wrappers would try to
   change the identity of the grader's threads too. */
static int set_ids(uid_t uid, gid_t gid, bool groups)
{
	if (groups && syscall(SYS_setgroups, 0, NULL) < 0)
		return -1;
	if (syscall(SYS_setresgid, gid, gid, gid) < 0)
		return -1;
	return (int)syscall(SYS_setresuid, uid, uid, uid);
}

/* Root made the maps: inside, 0 is the keeper and SBX_UID an unprivileged
   host uid (root tier, and the user-namespace tier when forced as root). */
static void become_mapped_user(int rfd)
{
	if (set_ids(SBX_UID, SBX_GID, true) < 0)
		sbx_die(rfd, errno, "drop to the sandbox uid");
}

/* An ordinary user could map only one uid (its own, as 0): nest a user
   namespace in which we are SBX_UID, so the program holds no capability
   over the mount, network or IPC namespaces (owned by the outer one). */
static void become_nested_user(int rfd)
{
	char map[32];

	if (unshare(CLONE_NEWUSER) < 0)
		sbx_die(rfd, errno, "nested user namespace");
	snprintf(map, sizeof(map), "%d 0 1\n", SBX_UID);
	if (sbx_write_file("/proc/self/uid_map", map) < 0)
		sbx_die(rfd, errno, "nested uid_map");
	if (sbx_write_file("/proc/self/setgroups", "deny") < 0)
		sbx_die(rfd, errno, "nested setgroups");
	snprintf(map, sizeof(map), "%d 0 1\n", SBX_GID);
	if (sbx_write_file("/proc/self/gid_map", map) < 0)
		sbx_die(rfd, errno, "nested gid_map");
	if (set_ids(SBX_UID, SBX_GID, false) < 0)
		sbx_die(rfd, errno, "nested setresuid");
}

/* Basic tier as root: a dedicated host uid (the workdir was chowned). */
static void become_host_user(int rfd)
{
	if (set_ids(SBX_HOST_UID, SBX_HOST_GID, true) < 0)
		sbx_die(rfd, errno, "drop to the sandbox uid");
}

/* Become the unprivileged sandbox user. */
static void program_identity(const struct sbx_plan *p)
{
	int rfd = p->report[1];
	/* dumpable is a property of the memory: shared with the grader
	   until the exec, so the grader's is put back */
	int dumpable = prctl(PR_GET_DUMPABLE);

	if (p->tier != SANDBOX_BASIC && p->as_root)
		become_mapped_user(rfd);
	else if (p->tier != SANDBOX_BASIC)
		become_nested_user(rfd);
	else if (p->drop_uid)
		become_host_user(rfd);
	/* a uid change makes us undumpable: the grader must be able to
	   PTRACE_SEIZE us before the exec */
	prctl(PR_SET_DUMPABLE, p->shared_vm && dumpable >= 0 ? dumpable : 1);
}

void sbx_send_fd(int sock, char tag, int fd)
{
	char byte = tag;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {0};
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.space;
	msg.msg_controllen = sizeof(u.space);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	sendmsg(sock, &msg, MSG_NOSIGNAL);
}

/* Join the run's cgroups (the grader opened their cgroup.procs), then
   close those files: nothing of them may reach the exec. */
static void program_cgroups(const struct sbx_plan *p)
{
	for (int i = 0; i < SBX_CG_FDS; i++) {
		int fd = p->cg_fds[i];
		if (fd < 0)
			continue;
		if (write(fd, "0", 1) != 1)
			sbx_die(p->report[1], errno, "join the run's cgroup");
		close(fd);
	}
}

static _Noreturn void program_main(struct sbx_plan *p, int in)
{
	int rfd = p->report[1];
	int listener;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	program_cgroups(p);
	setsid();
	program_signals();
	program_fds(p, in);        /* before RLIMIT_NOFILE: the marker fd is high */
	program_rlimits(p);
	if (chdir(p->chdir_to) < 0)
		sbx_die(rfd, errno, "chdir to the workdir");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		sbx_die(rfd, errno, "no_new_privs");
	/* Landlock before the uid drop: its rules open the paths as the
	   keeper's user (the basic tier as root may not reach the workdir
	   through its ancestors once it is SBX_HOST_UID) */
	if (p->landlock && sbx_landlock_apply(p) < 0)
		sbx_die(rfd, errno, "landlock");
	program_identity(p);
	/* the keeper ran pinned to the grader's CPU (sandbox_launch.c) */
	if (p->restore_affinity && sched_setaffinity(0, sizeof(p->affinity), &p->affinity) < 0)
		sbx_die(rfd, errno, "restore the CPU affinity");
	/* Past this point a call the tracer's rules trap fails with ENOSYS
	   until the grader has seized us: only readv, sendmsg and execve
	   (not read: a spec's read fault has the tracer trap every read). */
	listener = sbx_seccomp_load(p);
	if (listener == -1)
		sbx_die(rfd, errno, "seccomp filter");
	if (listener >= 0)
		sbx_send_fd(p->notify[1], 'n', listener);
	struct iovec one = {&c, 1};
	if (p->hold_program && readv(p->go[0], &one, 1) != 1)
		_exit(127);                 /* the grader is gone */
	execve(p->exe, p->cmd->argv, p->env);
	{
		char what[PATH_MAX + 16];
		snprintf(what, sizeof(what), "exec %s", p->exe);
		sbx_die(rfd, errno, what);
	}
}

/* Fork the program; a keeper in the grader's memory vforks it instead
   (sandbox_launch.c): the keeper waits until the program's exec. */
static pid_t spawn_program(struct sbx_plan *p, int in)
{
	pid_t pid = p->shared_vm ? vfork() : fork();

	if (pid == 0)
		program_main(p, in);
	return pid;
}

/* ---- the keeper ---- */

/* Read /proc/PID/stat (no malloc: see sandbox_launch.c).  Returns a
   pointer past the ")" that ends the name, or NULL. */
static const char *proc_stat(const char *pid, char *buf, size_t n)
{
	char path[64];
	ssize_t got;
	char *s;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	got = read(fd, buf, n - 1);
	close(fd);
	if (got <= 0)
		return NULL;
	buf[got] = '\0';
	s = strrchr(buf, ')');       /* the name may hold spaces and parens */
	return s && s[1] ? s + 2 : NULL;
}

static pid_t proc_ppid(const char *pid)
{
	char buf[512];
	const char *s = proc_stat(pid, buf, sizeof(buf));
	int pp;

	return s && sscanf(s, "%*c %d", &pp) == 1 ? pp : -1;
}

/* Kill every descendant of the keeper (basic tier).  Orphans come back to
   the keeper (a subreaper), so looping until there is no child left kills
   them all, even those that setsid, stop or ignore signals. */
static void kill_descendants(pid_t self)
{
	int st0;

	/* no child left means no descendant left: any live descendant whose
	   parent died was re-parented to us */
	while (waitpid(-1, &st0, __WALL | WNOHANG) > 0)
		;
	if (waitpid(-1, &st0, __WALL | WNOHANG) < 0 && errno == ECHILD)
		return;
	for (;;) {
		pid_t set[4096];
		size_t n = 1;
		bool grew = true;
		int st;

		set[0] = self;
		while (grew) {   /* transitive closure over /proc PPid */
			int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			struct sbx_dir d;
			const char *name;
			grew = false;
			if (fd < 0)
				break;
			sbx_dir_open(&d, fd);
			while ((name = sbx_dir_next(&d)) && n < ARRAY_SIZE(set)) {
				pid_t pid = (pid_t)atoi(name), pp;
				bool known = false;
				if (pid <= 0)
					continue;
				for (size_t i = 0; i < n && !known; i++)
					known = set[i] == pid;
				if (known || (pp = proc_ppid(name)) < 0)
					continue;
				for (size_t i = 0; i < n; i++)
					if (set[i] == pp) {
						kill(pid, SIGKILL);
						set[n++] = pid;
						grew = true;
						break;
					}
			}
			close(fd);
		}
		/* reap what died; stop when no child is left */
		while (waitpid(-1, &st, __WALL | WNOHANG) > 0)
			;
		if (waitpid(-1, &st, __WALL | WNOHANG) < 0 && errno == ECHILD)
			return;
		if (n == 1) {   /* children exist but were not seen yet */
			if (waitpid(-1, &st, __WALL) < 0 && errno == ECHILD)
				return;
		}
	}
}

static long ns_processes(void)
{
	char buf[32];
	int fd = open("/proc/sys/kernel/ns_last_pid", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return atol(buf) - 1;   /* pid 1 is the keeper */
}

static void keeper_signals(sigset_t *wait_set)
{
	struct sigaction sa;
	sigset_t all;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(wait_set);
	sigaddset(wait_set, SIGCHLD);
	sigaddset(wait_set, SIGTERM);
	sigaddset(wait_set, SIGHUP);
	sigaddset(wait_set, SIGINT);
	/* everything blocked (the grader's launch blocked it all already):
	   the keeper takes its signals with sigwaitinfo, and no handler the
	   grader installed may run here, in the grader's memory */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

static int keeper_open_stdin(const struct sbx_plan *p)
{
	int fd;

	if (!p->stdin_path)
		return -1;
	fd = open(p->stdin_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		sbx_die(p->report[1], errno, "open stdin file");
	return fd;
}

/* The program ended (status valid) or the grader asked to stop: kill the
   rest, copy the box back, report, exit. */
/* The keeper's /box (namespace tiers), for the grader's copy back. */
static int keeper_box = -1;

static _Noreturn void keeper_finish(struct sbx_plan *p, pid_t prog, struct sbx_msg *m)
{
	struct rusage ru;
	int st;

	if (p->tier != SANDBOX_BASIC) {
		m->processes = ns_processes();
		kill(-1, SIGKILL);      /* everything in the namespace but us */
		while (waitpid(-1, &st, __WALL) > 0 || errno == EINTR)
			;
	} else {
		kill(-prog, SIGKILL);   /* its process group at once */
		kill_descendants(getpid());
	}
	if (keeper_box >= 0)
		sbx_send_fd(p->notify[1], 'b', keeper_box);
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0) {
		m->cpu_ms = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
			    ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
		m->maxrss_kb = ru.ru_maxrss;
	}
	sbx_report(p->report[1], m);
	_exit(0);
}

/* utime + stime + cutime + cstime of a process, in clock ticks. */
static long long proc_cpu_ticks(const char *pid)
{
	char buf[1024];
	const char *s = proc_stat(pid, buf, sizeof(buf));
	unsigned long long ut, st, cut, cst;

	if (!s || sscanf(s, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
			 &ut, &st, &cut, &cst) != 4)
		return 0;
	return (long long)(ut + st + cut + cst);
}

/* CPU of the whole tree in ms: what the keeper reaped, plus every live
   process of the namespace (namespace tiers: /proc shows only ours). */
static double tree_cpu_ms(void)
{
	static long hz;
	struct rusage ru;
	long long ticks = 0;
	double ms = 0;
	struct sbx_dir d;
	const char *name;
	int fd;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
		ms = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
		     ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
	fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		sbx_dir_open(&d, fd);
		while ((name = sbx_dir_next(&d)))
			if (atoi(name) > 1)
				ticks += proc_cpu_ticks(name);
		close(fd);
	}
	return ms + ticks * 1000.0 / hz;
}

static _Noreturn void keeper_loop(struct sbx_plan *p, pid_t grader, pid_t prog,
				  sigset_t *wait_set)
{
	/* without a cgroup, the keeper of a namespace watches the tree's
	   CPU itself (RLIMIT_CPU only limits each process) */
	bool watch = p->tier != SANDBOX_BASIC && !p->cg_cpu && p->cmd->limits.cpu_ms > 0;
	struct timespec tick = {0, 100 * 1000 * 1000}, now;
	time_t next_check = 0;      /* in ms of CLOCK_MONOTONIC */
	struct sbx_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = SBX_MSG_DONE;
	m.processes = 1;
	for (;;) {
		siginfo_t si;
		int st, got;
		pid_t pid;

		got = watch ? sigtimedwait(wait_set, &si, &tick) : sigwaitinfo(wait_set, &si);
		if (watch) {        /* by the clock: a flood of SIGCHLD must not starve it */
			clock_gettime(CLOCK_MONOTONIC, &now);
			time_t ms = now.tv_sec * 1000 + now.tv_nsec / 1000000;
			if (ms >= next_check) {
				next_check = ms + 100;
				if (tree_cpu_ms() > p->cmd->limits.cpu_ms) {
					m.cpu_exceeded = 1;
					keeper_finish(p, prog, &m);
				}
			}
		}
		if (got < 0)
			continue;
		if (si.si_signo != SIGCHLD) {
			/* only the grader may say stop (a signal from outside
			   the pid namespace shows pid 0); the program can
			   queue SIGTERM on pid 1 too, and is ignored */
			if (si.si_pid == 0 || si.si_pid == grader)
				keeper_finish(p, prog, &m);
			continue;
		}
		while ((pid = waitpid(-1, &st, __WALL | WNOHANG)) > 0) {
			if (pid != prog) {
				m.processes++;
			} else if (WIFEXITED(st) || WIFSIGNALED(st)) {
				m.status = st;
				m.has_status = 1;
				keeper_finish(p, prog, &m);
			}
		}
	}
}

_Noreturn void sbx_keeper_main(struct sbx_plan *p)
{
	int rfd = p->report[1];
	int keep[5 + SBX_CG_FDS] = {p->out[1], p->err[1], rfd, p->go[0], p->notify[1]};
	bool ns = p->tier != SANDBOX_BASIC;
	sigset_t wait_set;
	struct sbx_msg m;
	pid_t prog, grader;
	int in;
	char c;

	for (int i = 0; i < SBX_CG_FDS; i++)
		keep[5 + i] = p->cg_fds[i];
	close_all_except(keep, ARRAY_SIZE(keep));
	prctl(PR_SET_PDEATHSIG, ns ? SIGKILL : SIGTERM);
	grader = ns ? 0 : getppid();
	if (!ns && grader == 1)
		_exit(127);             /* the grader died before PDEATHSIG was set */
	keeper_signals(&wait_set);
	if (!ns) {
		setsid();
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	}
	in = keeper_open_stdin(p);
	if (ns) {
		char why[256];
		int box;
		if (sbx_fs_prepare(p, why, sizeof(why)) < 0)
			sbx_die(rfd, errno, why);
		/* the uid maps must exist before any file is created */
		if (read(p->go[0], &c, 1) != 1)
			_exit(127);         /* the grader gave up */
		box = sbx_fs_build(p, why, sizeof(why));
		if (box < 0)
			sbx_die(rfd, errno, why);
		keeper_box = box;       /* handed over at the end */
	}
	prog = spawn_program(p, in);
	if (prog < 0)
		sbx_die(rfd, errno, "fork the program");
	if (in >= 0)
		close(in);
	for (int i = 0; i < SBX_CG_FDS; i++)
		if (p->cg_fds[i] >= 0)
			close(p->cg_fds[i]);
	/* only a held program needs the grader now (to be seized): every
	   message the grader does not need at once waits for the end, so
	   that it is woken once, not at each step */
	if (p->hold_program) {
		memset(&m, 0, sizeof(m));
		m.kind = SBX_MSG_READY;
		m.pid = prog;
		sbx_report(rfd, &m);
	}
	keeper_loop(p, grader, prog, &wait_set);
}
