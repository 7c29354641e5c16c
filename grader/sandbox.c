/*
 * sandbox.c - run one untrusted command, contained and measured.
 *
 * Theory of operation
 * -------------------
 * A run involves three processes:
 *
 *   grader --clone--> keeper --fork--> program --> (whatever it forks)
 *
 * The GRADER (this file) prepares everything that needs memory (sandbox_
 * plan.c: paths, the command, the environment, pipes, the compiled seccomp
 * filter, the run's cgroups) and clones the KEEPER.  In the namespace tiers
 * the clone creates new user, pid, mount, network, IPC and UTS namespaces,
 * so the keeper is pid 1 of a fresh pid namespace: when it exits the kernel
 * kills every process left in the namespace.  That is how a tree kill
 * leaves nothing: double-forked daemons, stopped processes and processes
 * ignoring signals all go.  In the basic tier the keeper is a child
 * subreaper instead: orphans come back to it, and it kills whatever is
 * left with a /proc kill loop until it has no child.
 *
 * The keeper (sandbox_child.c) clones the trees it will bind while the
 * grader writes its uid maps, waits for the grader's go, builds the minimal
 * read-only root (sandbox_fs.c: system directories, a synthetic /etc, a
 * few devices, a fresh /proc, and /box: a capped tmpfs holding a copy of
 * the workdir), pivots into it, hands the grader a descriptor of /box and
 * forks the PROGRAM.  (An untraced run copies no memory: the keeper is
 * cloned with CLONE_VM and vforks the program, which has memory of its
 * own from its exec on; a fork costs more than the rest of a run on some
 * virtual machines.  See sandbox_launch.c for what that asks of the code
 * the keeper and the program run.)  The program joins the run's cgroups (the keeper stays
 * out of them), opens its standard streams (stdin from a file or /dev/null,
 * stdout and stderr into pipes, the marker fd on /dev/null), sets its
 * rlimits, becomes the unprivileged sandbox user, applies Landlock (basic
 * tier), loads the seccomp deny-list (sandbox_seccomp.c) with the tracer's
 * rules, waits when it is traced (the grader PTRACE_SEIZEs it first), and
 * execs.  The keeper reaps every process it inherits; when the program
 * ends, or its tree's CPU runs out (namespace tiers without cgroups), or
 * the grader says stop (SIGTERM from outside: the program cannot fake it),
 * it kills everything else, reports the status and the tree's figures on
 * the report pipe, and exits.
 *
 * Meanwhile the grader runs one poll() loop over: the two output pipes
 * (head + tail capture, sandbox_capture.c; past the cap the tree is killed
 * at once), the report pipe, a signalfd for SIGCHLD (every waitpid(-1,
 * __WALL) status goes to the tracer first), the socket the keeper and the
 * program hand descriptors over, the seccomp user-notification fd (a
 * denied call is named, e.g. "socket(AF_INET)", answered EPERM and ends the
 * run), a timerfd for the wall limit, and a 100 ms tick for the tree's CPU
 * (cgroup) and the basic tier's disk use.  The run is over when the keeper
 * has been reaped: the pipes are drained without waiting (no writer is left
 * alive), /box is copied back into the workdir from its descriptor (the
 * tmpfs outlives its namespace while it is open), and the outcome is
 * classified, most specific cause first.
 *
 * Limits: CPU by RLIMIT_CPU per process and for the tree by the cgroup
 * (root tier) or the keeper's watch of its namespace; the wall clock by the
 * grader; memory by the memory cgroup (peak and OOM kills read from it) or
 * RLIMIT_DATA; processes by the pids cgroup or RLIMIT_NPROC (counted per
 * user namespace); disk by /box's size (or the basic tier's watch);
 * RLIMIT_FSIZE, RLIMIT_NOFILE, no core dumps.
 *
 * A failure of the sandbox itself (a pipe, clone, a mount) is -1 with a
 * clear error: a grader fault, never a verdict.
 *
 * Not thread-safe: one run at a time per process, and the calling process
 * must have no other children whose exit it cares about during the run
 * (waitpid(-1) is how ptrace stops of every tracee are collected; the
 * process becomes a child subreaper).  SIGCHLD is blocked in the calling
 * thread for the duration of the run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sandbox.h"
#include "sandbox_internal.h"
#include "trace.h"
#include "util.h"

/* ---- the run's state in the grader ---- */

enum { KILL_NONE, KILL_WALL, KILL_CPU, KILL_OUTPUT, KILL_FORBIDDEN, KILL_DISK };

struct loop {
	struct sbx_plan *p;
	struct run *r;
	struct sbx_stream out, err;
	int sigfd, wallfd, tickfd, notifyfd;
	int boxfd;                  /* the keeper's /box (namespace tiers) */
	int reportfd;
	pid_t keeper, program;
	bool keeper_reaped;
	int keeper_status;
	struct rusage keeper_ru;
	bool got_done, got_status;
	int program_status;
	long processes;
	double tree_cpu_ms;         /* from the keeper: what it reaped */
	long tree_maxrss_kb;
	int kill_reason;
	bool killed, killed_hard;
	double kill_deadline;       /* now_ms() after which kill_hard() */
	int setup_err;              /* errno of a setup failure, or 0 */
	char setup_text[256];
	struct sbx_cgroup *cg;
	struct tracer *tracer;
	double due_since;           /* wait_due_stop's budget started, or 0 */
	double t0;
	time_t started;             /* for the basic tier's IPC cleanup */
	bool ticking;               /* the 100 ms tick is armed */
	sigset_t oldmask;           /* the caller's, restored at the end */
	bool mask_saved;
};

static void setup_failed(struct loop *l, int err, const char *fmt, ...) PRINTF(3, 4);
static void setup_failed(struct loop *l, int err, const char *fmt, ...)
{
	va_list ap;

	if (l->setup_text[0])
		return;
	va_start(ap, fmt);
	vsnprintf(l->setup_text, sizeof(l->setup_text), fmt, ap);
	va_end(ap);
	l->setup_err = err ? err : EIO;
}

/* Kill the whole tree now.  The keeper does it on SIGTERM (pid 1 of the
   namespace: kill(-1); basic tier: its /proc kill loop), then reports the
   figures and exits.  If it has not exited after KILL_GRACE_MS it is
   killed, and the cgroup with it (its /box is then lost). */
#define KILL_GRACE_MS 2000

static void kill_tree(struct loop *l, int reason)
{
	if (!l->kill_reason)
		l->kill_reason = reason;
	if (l->killed || l->keeper_reaped)
		return;
	l->killed = true;
	l->kill_deadline = now_ms() + KILL_GRACE_MS;
	if (l->tracer && reason == KILL_WALL)
		tracer_snapshot_blocked(l->tracer);
	tracer_killing(l->tracer);
	kill(l->keeper, SIGTERM);
}

static void kill_hard(struct loop *l)
{
	l->killed_hard = true;
	if (l->keeper_reaped)
		return;
	if (l->cg)
		sbx_cgroup_kill(l->cg);
	kill(l->keeper, SIGKILL);
}

/* Basic tier, keeper killed: its orphans came to us (we are a subreaper).
   Kill our children until none is left. */
static void kill_adopted(void)
{
	pid_t self = getpid();

	for (int round = 0; round < 1000; round++) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		int found = 0, st;

		while (d && (e = readdir(d))) {
			char path[300], line[128];
			int pid = atoi(e->d_name), ppid = -1;
			FILE *f;
			if (pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/status", pid);
			f = fopen(path, "re");
			while (f && fgets(line, sizeof(line), f))
				if (sscanf(line, "PPid: %d", &ppid) == 1)
					break;
			if (f)
				fclose(f);
			if (ppid == self) {
				kill(pid, SIGKILL);
				found++;
			}
		}
		if (d)
			closedir(d);
		while (waitpid(-1, &st, __WALL | WNOHANG) > 0)
			;
		if (!found)
			return;
		usleep(1000);
	}
}

/* ---- starting the keeper ---- */

static unsigned long clone_flags(enum sandbox_tier tier)
{
	unsigned long f = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET |
			  CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWUSER;
	return tier == SANDBOX_BASIC ? 0 : f;
}

static int write_id_maps(pid_t pid, bool as_root)
{
	char path[64], map[128];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (as_root) {
		/* inside root is the keeper (outside root), the program runs as
		   SBX_UID = an unprivileged outside uid */
		snprintf(map, sizeof(map), "0 0 1\n%d %d 1\n", SBX_UID, SBX_HOST_UID);
	} else {
		snprintf(map, sizeof(map), "0 %d 1\n", (int)uid);
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		if (sbx_write_file(path, "deny") < 0)
			return error_errno("sandbox: %s", path);
	}
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	if (sbx_write_file(path, map) < 0)
		return error_errno("sandbox: %s", path);
	if (as_root)
		snprintf(map, sizeof(map), "0 0 1\n%d %d 1\n", SBX_GID, SBX_HOST_GID);
	else
		snprintf(map, sizeof(map), "0 %d 1\n", (int)gid);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	if (sbx_write_file(path, map) < 0)
		return error_errno("sandbox: %s", path);
	return 0;
}

static int start_keeper(struct loop *l)
{
	struct sbx_plan *p = l->p;
	pid_t pid;

	if (!p->fork_keeper) {
		/* in our memory: no copy of it (sandbox_launch.c) */
		pid = sbx_launch_shared(p, clone_flags(p->tier));
		if (pid < 0)
			return error_prefix("%s tier", p->info->name);
	} else {
		/* a held program waits for the tracer: the keeper forks it and
		   must run meanwhile (and a fork is the fallback when no donor
		   thread could be made) */
		pid = (pid_t)syscall(SYS_clone, clone_flags(p->tier) | SIGCHLD, NULL, NULL, NULL, 0);
		if (pid < 0)
			return error_errno("sandbox: clone (%s tier)", p->info->name);
		if (pid == 0)
			sbx_keeper_main(p);          /* never returns */
	}
	l->keeper = pid;
	sbx_close(&p->out[1]);
	sbx_close(&p->err[1]);
	sbx_close(&p->report[1]);
	sbx_close(&p->go[0]);
	sbx_close(&p->notify[1]);
	for (int i = 0; i < SBX_CG_FDS; i++)
		sbx_close(&p->cg_fds[i]);
	if (p->tier != SANDBOX_BASIC && write_id_maps(pid, p->as_root) < 0)
		return -1;
	if (p->tier != SANDBOX_BASIC && write(p->go[1], "g", 1) != 1)
		return error_errno("sandbox: release keeper");
	return 0;
}

/* The program's pid as the grader sees it (for the tracer). */
static pid_t program_pid(struct loop *l, pid_t inner)
{
	char path[64];
	struct buf b = BUF_INIT;
	pid_t pid = -1;

	if (l->p->tier == SANDBOX_BASIC)
		return inner;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)l->keeper,
		 (int)l->keeper);
	if (file_read(path, &b) == 0)
		pid = (pid_t)strtol(buf_str(&b), NULL, 10);
	buf_free(&b);
	return pid > 0 ? pid : -1;
}

/* ---- the event loop ---- */

static void on_report(struct loop *l)
{
	struct sbx_msg m;

	for (;;) {
		ssize_t n = read(l->reportfd, &m, sizeof(m));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || errno != EAGAIN)
				sbx_close(&l->reportfd);
			return;
		}
		if ((size_t)n != sizeof(m))
			continue;
		switch (m.kind) {
		case SBX_MSG_ERROR:
			m.text[sizeof(m.text) - 1] = '\0';
			setup_failed(l, m.err, "%s: %s", m.text, strerror(m.err));
			kill_tree(l, KILL_NONE);
			break;
		case SBX_MSG_READY:
			l->program = program_pid(l, m.pid);
			if (l->tracer &&
			    (l->program < 0 || tracer_seize(l->tracer, l->program) < 0)) {
				setup_failed(l, EIO, "sandbox: cannot trace the program: %s",
					     error_get());
				kill_tree(l, KILL_NONE);
				break;
			}
			if (l->p->hold_program && write(l->p->go[1], "g", 1) != 1) {
				setup_failed(l, errno, "sandbox: release program");
				kill_tree(l, KILL_NONE);
			}
			break;
		case SBX_MSG_DONE:
			l->got_done = true;
			if (m.has_status && !l->got_status) {
				l->got_status = true;
				l->program_status = m.status;
			}
			l->processes = m.processes;
			l->tree_cpu_ms = m.cpu_ms;
			l->tree_maxrss_kb = m.maxrss_kb;
			if (m.cpu_exceeded && !l->kill_reason)
				l->kill_reason = KILL_CPU;
			break;
		}
	}
}

static void on_child_status(struct loop *l, pid_t pid, int st, const struct rusage *ru)
{
	if (l->tracer && tracer_on_wait(l->tracer, pid, st))
		return;
	if (pid == l->keeper) {
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			l->keeper_reaped = true;
			l->keeper_status = st;
			l->keeper_ru = *ru;
		}
		return;
	}
	if (pid == l->program && (WIFEXITED(st) || WIFSIGNALED(st)) && !l->got_status) {
		l->got_status = true;
		l->program_status = st;
	}
}

/* A single-stepped tracee (race provocation) stops again within
   microseconds: take that stop here, yielding the CPU to it, instead of
   paying a poll() and signalfd wake-up per instruction.  Bounded, so that
   output, timers and kills are still served every few milliseconds. */
#define DUE_SPINS 64
#define DUE_BUDGET_MS 5.0

static bool wait_due_stop(struct loop *l)
{
	struct rusage ru;
	pid_t due;
	int st;

	if (!l->tracer || l->killed)
		return false;
	if (!l->due_since)
		l->due_since = now_ms();
	else if (now_ms() - l->due_since > DUE_BUDGET_MS)
		return false;
	due = tracer_stop_due(l->tracer);
	for (int i = 0; due > 0 && i < DUE_SPINS; i++) {
		sched_yield();  /* it shares our CPU: it has not run yet */
		pid_t pid = wait4(due, &st, __WALL | WNOHANG, &ru);
		if (pid == due) {
			on_child_status(l, pid, st, &ru);
			return true;
		}
		if (pid < 0)
			return false;
	}
	return false;
}

/* Take the stops due one after another (a burst of steps), then false;
   true if there was one. */
static bool take_due_stops(struct loop *l)
{
	bool any = false;

	while (wait_due_stop(l))
		any = true;
	return any;
}

static void reap(struct loop *l)
{
	struct signalfd_siginfo si;
	struct rusage ru;
	int st;
	pid_t pid;

	while (read(l->sigfd, &si, sizeof(si)) > 0)
		;
	do {
		while ((pid = wait4(-1, &st, __WALL | WNOHANG, &ru)) > 0)
			on_child_status(l, pid, st, &ru);
	} while (take_due_stops(l));
}

/* Last resort when the loop cannot go on: wait for the killed keeper. */
static void wait_keeper(struct loop *l)
{
	struct rusage ru;
	int st;
	pid_t pid;

	while (!l->keeper_reaped) {
		pid = wait4(-1, &st, __WALL, &ru);
		if (pid < 0 && errno != EINTR)
			break;
		if (pid > 0)
			on_child_status(l, pid, st, &ru);
	}
}

static void on_notify(struct loop *l)
{
	char what[sizeof(l->r->forbidden)];
	int got = sbx_seccomp_handle(l->notifyfd, what, sizeof(what));

	if (got < 0) {
		sbx_close(&l->notifyfd);
		return;
	}
	if (got == 0)
		return;
	if (!l->r->forbidden[0])
		snprintf(l->r->forbidden, sizeof(l->r->forbidden), "%s", what);
	kill_tree(l, KILL_FORBIDDEN);
}

/* The keeper sends /box, the program its seccomp listener, over the
   notify socket.  Returns whether a message was there.  At its end (the
   keeper's copy closed as it exits) the socket is closed: a poll on it
   would return at once until the keeper is reaped, which in the
   namespace tiers comes a millisecond or two later (the namespaces are
   torn down in between). */
static bool on_notify_sock(struct loop *l, int sock)
{
	char byte;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {0};
	struct cmsghdr *c;
	ssize_t n;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.space;
	msg.msg_controllen = sizeof(u.space);
	if (sock < 0)
		return false;
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n == 0 && sock == l->p->notify[0])
		sbx_close(&l->p->notify[0]);
	if (n <= 0)
		return false;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
		int fd, *slot = byte == 'b' ? &l->boxfd : &l->notifyfd;
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
		if (*slot >= 0)
			close(fd);
		else
			*slot = fd;
	}
	return true;
}

/* Every tick: the tree's CPU (cgroup), and in the basic tier the size of
   the workdir (the other tiers have a capped tmpfs). */
static void on_tick(struct loop *l)
{
	uint64_t n;

	if (read(l->tickfd, &n, sizeof(n)) < 0)
		return;
	if (l->cg) {
		double cpu = sbx_cgroup_cpu_ms(l->cg);
		if (cpu >= 0 && cpu > (double)l->p->cmd->limits.cpu_ms)
			kill_tree(l, KILL_CPU);
	}
	if (l->p->tier == SANDBOX_BASIC && !l->killed) {
		long budget = 20000;
		int fd = open(l->p->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		long long used = fd >= 0 ? sbx_disk_usage(fd, 0, &budget) : 0;
		if (used < 0 || used > l->p->scratch_bytes)
			kill_tree(l, KILL_DISK);
	}
}

static int arm_timer(int fd, long first_ms, long every_ms)
{
	struct itimerspec it = {0};

	if (first_ms <= 0)
		first_ms = 1;
	it.it_value.tv_sec = first_ms / 1000;
	it.it_value.tv_nsec = (first_ms % 1000) * 1000000L;
	it.it_interval.tv_sec = every_ms / 1000;
	it.it_interval.tv_nsec = (every_ms % 1000) * 1000000L;
	return timerfd_settime(fd, 0, &it, NULL);
}

enum { P_OUT, P_ERR, P_REPORT, P_SIG, P_WALL, P_TICK, P_NOTIFY, P_NSOCK, P__N };

static void event_loop(struct loop *l)
{
	struct pollfd pf[P__N];
	long cap = l->p->cmd->limits.output;

	while (!l->keeper_reaped) {
		int timeout = -1;

		if (l->killed) {
			double left = l->kill_deadline - now_ms();
			if (left <= 0) {
				kill_hard(l);
				left = 50;
			}
			timeout = (int)left + 1;
		}
		/* once the tree is being killed its output is no longer read:
		   a writer blocks on the full pipe instead of racing the kill;
		   what is buffered is drained after the end */
		if (l->tracer && !l->killed) {
			int tick = tracer_tick_ms(l->tracer);
			if (tick >= 0 && (timeout < 0 || tick < timeout))
				timeout = tick;
		}
		pf[P_OUT] = (struct pollfd){l->killed ? -1 : l->out.fd, POLLIN, 0};
		pf[P_ERR] = (struct pollfd){l->killed ? -1 : l->err.fd, POLLIN, 0};
		/* the report pipe matters during the run only for a held
		   program (READY); the rest is read once the keeper is gone */
		pf[P_REPORT] = (struct pollfd){l->p->hold_program ? l->reportfd : -1, POLLIN, 0};
		pf[P_SIG] = (struct pollfd){l->sigfd, POLLIN, 0};
		pf[P_WALL] = (struct pollfd){l->wallfd, POLLIN, 0};
		pf[P_TICK] = (struct pollfd){l->ticking ? l->tickfd : -1, POLLIN, 0};
		pf[P_NOTIFY] = (struct pollfd){l->notifyfd, POLLIN, 0};
		pf[P_NSOCK] = (struct pollfd){l->p->notify[0], POLLIN, 0};
		if (poll(pf, P__N, timeout) < 0) {
			if (errno == EINTR)
				continue;
			setup_failed(l, errno, "sandbox: poll");
			kill_hard(l);
			wait_keeper(l);
			break;
		}
		if (pf[P_NSOCK].revents & POLLIN)
			while (on_notify_sock(l, l->p->notify[0]))
				;
		else if (pf[P_NSOCK].revents & (POLLHUP | POLLERR | POLLNVAL))
			sbx_close(&l->p->notify[0]);
		if (pf[P_NOTIFY].revents & POLLIN)
			on_notify(l);
		else if (pf[P_NOTIFY].revents & (POLLERR | POLLHUP | POLLNVAL))
			sbx_close(&l->notifyfd);
		if (pf[P_OUT].revents)
			sbx_stream_read(&l->out, false);
		if (pf[P_ERR].revents)
			sbx_stream_read(&l->err, false);
		if ((long)l->out.c->total > cap || (long)l->err.c->total > cap)
			kill_tree(l, KILL_OUTPUT);
		if (pf[P_REPORT].revents)
			on_report(l);
		if (pf[P_WALL].revents)
			kill_tree(l, KILL_WALL);
		if (pf[P_TICK].revents)
			on_tick(l);
		if (pf[P_SIG].revents)
			reap(l);
		l->due_since = 0;
		if (l->tracer && !l->killed && tracer_tick(l->tracer))
			reap(l);
	}
	/* Everything is dead: take what is left in the pipes and the
	   socket, never wait. */
	while (on_notify_sock(l, l->p->notify[0]))
		;
	if (l->out.fd >= 0)
		sbx_stream_read(&l->out, true);
	if (l->err.fd >= 0)
		sbx_stream_read(&l->err, true);
	on_report(l);
}

/* ---- the verdict on how it ended ---- */

static double tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

static void classify(struct loop *l)
{
	struct run *r = l->r;
	const struct limits *lim = &l->p->cmd->limits;
	struct sbx_cgroup_figures cf = {0, false, false, 0, -1};
	int st = l->program_status;
	bool exited_ok;

	/* The keeper's figures cover the program's tree and not the keeper;
	   if it was killed before reporting, the grader's rusage of the
	   keeper (keeper + tree) is the best there is. */
	if (l->got_done) {
		r->cpu_ms = l->tree_cpu_ms;
		r->peak_memory = l->tree_maxrss_kb * 1024L;
	} else {
		r->cpu_ms = tv_ms(l->keeper_ru.ru_utime) + tv_ms(l->keeper_ru.ru_stime);
		r->peak_memory = l->keeper_ru.ru_maxrss * 1024L;
	}
	if (l->cg) {
		sbx_cgroup_figures(l->cg, &cf);
		if (cf.peak_memory > 0)
			r->peak_memory = cf.peak_memory;
	}
	/* the namespace's last pid counts forks the pids cgroup refused too */
	r->processes = l->processes - cf.refused > 0 ? l->processes - cf.refused : 1;

	if (!l->got_status)     /* killed by us before it ended */
		st = SIGKILL;   /* as a wait status: "killed by SIGKILL" */
	if (WIFEXITED(st)) {
		r->outcome = OUT_EXITED;
		r->exit_code = WEXITSTATUS(st);
	} else {
		r->outcome = OUT_SIGNALED;
		r->signal = WTERMSIG(st);
		r->exit_code = -1;
	}
	exited_ok = r->outcome == OUT_EXITED && r->exit_code == 0;

	/* What stopped it, most specific first.  A refused fork or
	   allocation only counts when the program did not end well. */
	if (l->kill_reason == KILL_FORBIDDEN)
		r->outcome = OUT_FORBIDDEN;
	else if (l->kill_reason == KILL_OUTPUT)
		r->outcome = OUT_OUTPUT;
	else if (cf.oom)
		r->outcome = OUT_MEMORY;
	else if (!exited_ok && cf.pids_refused)
		r->outcome = OUT_PROCESSES;
	else if (l->kill_reason == KILL_CPU || r->signal == SIGXCPU ||
		 r->cpu_ms > (double)lim->cpu_ms)
		r->outcome = OUT_TIME_CPU;
	else if (l->kill_reason == KILL_WALL)
		r->outcome = OUT_TIME_WALL;
	else if (l->kill_reason == KILL_DISK ||
		 (r->outcome == OUT_SIGNALED && r->signal == SIGXFSZ))
		r->outcome = OUT_FILE_SIZE;
	else if (!exited_ok && !l->p->cg_memory && lim->memory > 0 &&
		 r->peak_memory >= lim->memory / 10 * 9)
		r->outcome = OUT_MEMORY;   /* allocation refused near the limit */
	else if (!exited_ok && !l->p->cg_pids && lim->processes > 0 &&
		 r->processes >= lim->processes && l->p->tier != SANDBOX_BASIC)
		r->outcome = OUT_PROCESSES;
	if (r->outcome == OUT_SIGNALED && r->signal == SIGSYS && !r->forbidden[0]) {
		/* killed by the filter: a call from another ABI */
		r->outcome = OUT_FORBIDDEN;
		snprintf(r->forbidden, sizeof(r->forbidden), "unknown (killed by SIGSYS)");
	}
}

/* ---- sandbox_run ---- */

static int loop_open(struct loop *l)
{
	sigset_t chld;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, &l->oldmask) < 0)
		return error_errno("sandbox: sigprocmask");
	l->mask_saved = true;
	l->sigfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	l->wallfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	l->tickfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->sigfd < 0 || l->wallfd < 0 || l->tickfd < 0)
		return error_errno("sandbox: signalfd/timerfd");
	return 0;
}

static void loop_close(struct loop *l)
{
	sbx_close(&l->sigfd);
	sbx_close(&l->wallfd);
	sbx_close(&l->tickfd);
	sbx_close(&l->notifyfd);
	if (l->mask_saved)
		sigprocmask(SIG_SETMASK, &l->oldmask, NULL);
}

static int run_started(struct loop *l)
{
	const struct limits *lim = &l->p->cmd->limits;

	/* the basic tier's disk watch must be quick: a writer can fill
	   1 GB/s; elsewhere the tick only checks the cgroup's CPU */
	long tick = l->p->tier == SANDBOX_BASIC ? 25 : 100;

	l->ticking = l->cg || l->p->tier == SANDBOX_BASIC;
	if (arm_timer(l->wallfd, lim->wall_ms, 0) < 0 ||
	    (l->ticking && arm_timer(l->tickfd, tick, tick) < 0))
		return error_errno("sandbox: timerfd_settime");
	return 0;
}

/* Start the run; on -1 the keeper may exist (then it is being killed). */
static int start(struct loop *l)
{
	struct sbx_plan *p = l->p;
	const struct sandbox_cmd *cmd = p->cmd;

	if (p->drop_uid && p->tier == SANDBOX_BASIC && sbx_chown_tree(p->workdir) < 0)
		return -1;
	if (p->tier == SANDBOX_ROOT && l->r->sandbox->cgroups) {
		l->cg = sbx_cgroup_create(&cmd->limits);
		p->cg_memory = l->cg && sbx_cgroup_limits_memory(l->cg);
		p->cg_pids = l->cg && sbx_cgroup_limits_pids(l->cg);
		p->cg_cpu = l->cg && sbx_cgroup_cpu_ms(l->cg) >= 0;
		if (l->cg && sbx_cgroup_open_procs(l->cg, p->cg_fds) < 0)
			return -1;
	}
	/* the grader adopts orphans if a basic-tier keeper is killed */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (loop_open(l) < 0)
		return -1;
	l->t0 = now_ms();
	l->started = time(NULL);
	if (run_started(l) < 0)
		return -1;
	return start_keeper(l);
}

int sandbox_run(const struct sandbox_cmd *cmd, struct run *r)
{
	struct sbx_plan plan;
	struct loop l;
	struct trace *trace = NULL;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	memset(&l, 0, sizeof(l));
	l.sigfd = l.wallfd = l.tickfd = l.notifyfd = l.reportfd = l.boxfd = -1;
	l.out.fd = l.err.fd = -1;
	l.p = &plan;
	l.r = r;
	l.tracer = cmd->tracer;
	r->sandbox = sandbox_probe();
	sbx_probe_reap();           /* the probe's child, if it has ended */
	if (sbx_plan_prepare(cmd, &plan) < 0 || sbx_plan_pipes(&plan) < 0)
		goto out;
	sbx_stream_init(&l.out, plan.out[0], &r->out, cmd->limits.output);
	sbx_stream_init(&l.err, plan.err[0], &r->err, cmd->limits.output);
	l.reportfd = plan.report[0];
	plan.out[0] = plan.err[0] = plan.report[0] = -1;   /* owned by the loop */

	if (start(&l) < 0) {
		if (l.keeper <= 0)
			goto out;
		setup_failed(&l, errno, "%s", error_get());
		sbx_close(&plan.go[1]);     /* a keeper waiting for its go gives up */
		kill_tree(&l, KILL_NONE);
	}
	event_loop(&l);
	r->wall_ms = now_ms() - l.t0;
	if (plan.tier == SANDBOX_BASIC && l.killed_hard)
		kill_adopted();
	if (plan.tier == SANDBOX_BASIC)
		sbx_basic_cleanup(plan.drop_uid ? SBX_HOST_UID : geteuid(), l.started);
	/* the sandbox is dead; its /box lives on while we hold it open */
	if (l.got_done && plan.tier != SANDBOX_BASIC && !l.setup_text[0]) {
		if (l.boxfd < 0)
			setup_failed(&l, EIO, "the keeper did not hand over /box");
		else if (sbx_fs_copy_back(l.boxfd, plan.workdir) < 0)
			setup_failed(&l, errno, "%s", error_get());
	}
	sbx_close(&l.boxfd);
	if (l.setup_text[0]) {
		error_set("sandbox (%s tier): %s", r->sandbox->name, l.setup_text);
		goto out;
	}
	if (!l.got_status && !l.killed && !l.kill_reason) {
		if (WIFSIGNALED(l.keeper_status))
			error_set("sandbox: the keeper died of signal %d",
				  WTERMSIG(l.keeper_status));
		else
			error_set("sandbox: the keeper exited (%d) without a report",
				  WEXITSTATUS(l.keeper_status));
		goto out;
	}
	classify(&l);
	ret = 0;
out:
	if (l.tracer)
		trace = tracer_finish(l.tracer);
	if (l.out.c)
		sbx_stream_finish(&l.out);
	if (l.err.c)
		sbx_stream_finish(&l.err);
	sbx_close(&l.reportfd);
	sbx_close(&l.boxfd);
	loop_close(&l);
	if (l.cg)
		sbx_cgroup_destroy(l.cg);
	sbx_launch_done();          /* the grader's CPU affinity back */
	sbx_plan_free(&plan);
	if (ret < 0) {
		trace_free(trace);
		run_free(r);
		memset(r, 0, sizeof(*r));
		r->sandbox = sandbox_probe();
	} else {
		r->trace = trace;
	}
	return ret;
}
