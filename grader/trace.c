/*
 * trace.c - record what a process tree did: the trace, and the tracer's
 * state machine.
 *
 * Theory of operation
 * -------------------
 * The sandbox forks the program's process, which loads our seccomp filter
 * (tracer_load_filter -> trace_syscall.c: SECCOMP_RET_TRACE only for the calls
 * the checks need, with argument tests in the BPF) and waits; the grader
 * PTRACE_SEIZEs it (tracer_seize) with TRACEFORK/VFORK/CLONE/EXEC/EXIT/
 * SECCOMP/SYSGOOD/EXITKILL and lets it exec.  From then on every wait status
 * of the tree comes through tracer_on_wait(), which classifies the stop and
 * resumes the task:
 *
 *   seccomp stop          a traced call: trace_syscall.c records it (and
 *                         asks for its exit stop when the result matters:
 *                         opens, pipes, waits, shared mmaps ...)
 *   syscall-exit stop     the result of such a call (SIGTRAP|0x80)
 *   fork/vfork/clone      a new process or thread (a clone event is a thread
 *                         when the new task shares the creator's tgid)
 *   exec                  EV_EXEC; an exec from a thread changes the tid: the
 *                         execing thread takes over the leader's tid
 *   exit event            the task's CPU time (from /proc, before it is gone)
 *   PTRACE_EVENT_STOP     a new child's first stop, or a group-stop (SIGSTOP
 *                         and friends: answered with PTRACE_LISTEN so the
 *                         task stays stopped until SIGCONT)
 *   other stops           signal delivery: recorded and re-injected
 *   exited / killed       EV_EXIT when the thread-group leader dies (the
 *                         kernel reports the leader after all its threads)
 *
 * A new child's first stop can arrive before its creator's fork event: the
 * child is then held (not resumed) until the event says what it is, so that
 * EV_FORK always comes before anything the child does.
 *
 * Index 0 ("the program") is the first process that execs after the seize;
 * whatever runs before (the sandbox's own code, an init above the program)
 * is followed but not recorded.
 *
 * Reaping: the kernel reports a child's death to the tracer before the real
 * parent's wait can return it (the zombie is handed to the parent only when
 * the tracer has collected it), so EV_EXIT always precedes EV_REAP, which is
 * recorded at the exit stop of the parent's wait4/waitid (trace_syscall.c),
 * not for stopped/continued reports nor for WNOWAIT.
 *
 * Events are ordered by the tracer's sequence number; times are only for
 * pictures.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "i18n.h"
#include "trace.h"
#include "trace_internal.h"
#include "util.h"

#define PTRACE_OPTS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
		     PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | \
		     PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACEVFORKDONE)

/* ---- the trace ---- */

_Static_assert(sizeof(struct event) <= 10 * sizeof(long), "struct event grew (see trace.h)");

static const char *const kind_names[EV__COUNT] = {
	[EV_FORK] = "fork", [EV_THREAD] = "thread", [EV_EXEC] = "exec",
	[EV_EXIT] = "exit", [EV_REAP] = "reap", [EV_ORPHAN] = "orphan",
	[EV_OPEN] = "open", [EV_CLOSE] = "close", [EV_PIPE] = "pipe",
	[EV_MMAP_SHARED] = "mmap_shared", [EV_IPC] = "ipc", [EV_FUTEX] = "futex",
	[EV_SIGNAL_SEND] = "signal_send", [EV_SIGNAL_DELIVER] = "signal_deliver",
	[EV_SIGACTION] = "sigaction", [EV_TIMER] = "timer", [EV_WRITE] = "write",
	[EV_MARKER] = "marker", [EV_FAULT] = "fault", [EV_BLOCKED] = "blocked",
};

const char *event_kind_name(enum event_kind k)
{
	return (unsigned)k < EV__COUNT && kind_names[k] ? kind_names[k] : "?";
}

void event_free_strings(struct event *e)
{
	switch (e->kind) {
	case EV_EXEC: free(e->exec.path); break;
	case EV_OPEN: free(e->open.path); free(e->open.resolved); break;
	case EV_CLOSE: free(e->close.path); break;
	case EV_MMAP_SHARED: free(e->mmap.path); break;
	case EV_IPC: free(e->ipc.call); free(e->ipc.name); break;
	case EV_FUTEX: free(e->futex.mapping); break;
	case EV_WRITE: free(e->write.path); break;
	case EV_MARKER: free(e->marker.text); break;
	case EV_FAULT: free(e->fault.call); free(e->fault.syscall); break;
	case EV_BLOCKED: free(e->blocked.what); break;
	default: break;
	}
}

void trace_free(struct trace *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nev; i++)
		event_free_strings(&t->ev[i]);
	free(t->ev);
	free(t->procs);
	free(t->cwd);
	for (size_t i = 0; i < t->ncrashes; i++)
		crash_free(&t->crashes[i]);
	free(t->crashes);
	free(t);
}

const char *trace_rel_path(const struct trace *t, const char *path)
{
	size_t n = t && t->cwd ? strlen(t->cwd) : 0;
	if (path && n && !strncmp(path, t->cwd, n) && path[n] == '/' && path[n + 1])
		return path + n + 1;
	return path;
}

bool trace_is_loader_path(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	if (!base)
		return false;
	if (!strcmp(path, "/etc/ld.so.cache") || !strcmp(path, "/etc/ld.so.preload"))
		return true;
	bool libdir = str_starts(path, "/lib") || str_starts(path, "/usr/lib");
	return libdir && (str_ends(base, ".so") || strstr(base, ".so."));
}

const struct proc *trace_proc_by_pid(const struct trace *t, pid_t pid)
{
	/* the newest first: a pid can be reused */
	for (size_t i = t->nprocs; i-- > 0;)
		if (t->procs[i].pid == pid)
			return &t->procs[i];
	return NULL;
}

const char *trace_proc_name(const struct trace *t, int index, char *buf, size_t n)
{
	if (index == 0)
		return _("the program");
	if (index < 0 || !t || (size_t)index >= t->nprocs) {
		snprintf(buf, n, "%s", _("a process outside the program"));
		return buf;
	}
	int parent = t->procs[index].parent;
	if (parent == 0)
		snprintf(buf, n, _("child #%d (of the program)"), index);
	else
		snprintf(buf, n, _("child #%d (of child #%d)"), index, parent);
	return buf;
}

/* ---- events ---- */

struct event *ev_add(struct tracer *t, const struct pstate *ps, enum event_kind k)
{
	struct trace *tr = t->tr;
	struct event *e;

	if (tr->nev >= t->max_events) {
		tr->complete = false;
		e = &t->dropped;
		event_free_strings(e);
	} else {
		grow(&tr->ev, &t->cap_ev, tr->nev + 1, sizeof(*tr->ev));
		e = &tr->ev[tr->nev++];
	}
	memset(e, 0, sizeof(*e));
	/* the sequence counts dropped events too: it stays strictly increasing */
	e->seq = ++t->seq;
	e->t_ms = now_ms() - t->t0;
	e->kind = k;
	e->proc = ps ? ps->index : -1;
	e->pid = ps ? ps->pid : 0;
	return e;
}

struct event *ev_at(struct tracer *t, long i)
{
	if (i < 0 || (size_t)i >= t->tr->nev)
		return NULL;
	return &t->tr->ev[i];
}

long ev_index(struct tracer *t, const struct event *e)
{
	if (e == &t->dropped)
		return -1;
	return e - t->tr->ev;
}

/* ---- /proc ---- */

/* The first number after "key" in /proc/PID/status (the last one with
   last = true, e.g. NSpid's innermost pid), or -1. */
static long proc_status(pid_t pid, const char *key, bool last)
{
	char path[64], line[256];
	long v = -1;
	size_t kl = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl))
			continue;
		char *p = line + kl, *end;
		for (;;) {
			long x = strtol(p, &end, 10);
			if (end == p)
				break;
			v = x;
			p = end;
			if (!last)
				break;
		}
		break;
	}
	fclose(f);
	return v;
}

/* CPU time a task has used, in ms (schedstat ns; else stat ticks); -1. */
static double task_cpu_ms(pid_t tgid, pid_t tid)
{
	char path[96];
	struct buf b = BUF_INIT;
	double ms = -1;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", (int)tgid, (int)tid);
	if (file_read(path, &b) == 0) {
		ms = strtod(buf_str(&b), NULL) / 1e6;
	} else {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)tgid, (int)tid);
		buf_reset(&b);
		if (file_read(path, &b) == 0) {
			const char *p = strrchr(buf_str(&b), ')');
			unsigned long ut, st;
			if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
					&ut, &st) == 2)
				ms = (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
		}
	}
	buf_free(&b);
	return ms;
}

/* The state letter in the text of a /proc/.../stat file. */
static char stat_state(const char *text)
{
	const char *p = strrchr(text, ')');   /* the name may hold ')' */

	return p && p[1] == ' ' && p[2] ? p[2] : '?';
}

char task_state(pid_t tgid, pid_t tid)
{
	char path[96];
	struct buf b = BUF_INIT;
	char st = '?';

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)tgid, (int)tid);
	if (file_read(path, &b) == 0)
		st = stat_state(buf_str(&b));
	buf_free(&b);
	return st;
}

char task_state_of(struct task *k)
{
	char path[96], text[1024];
	ssize_t n;

	if (k->stat_fd < 0) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat",
			 (int)(k->ps ? k->ps->pid : k->tid), (int)k->tid);
		k->stat_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (k->stat_fd < 0)
			return '?';
	}
	n = pread(k->stat_fd, text, sizeof(text) - 1, 0);
	if (n <= 0)
		return '?';
	text[n] = '\0';
	return stat_state(text);
}

static ino_t pidns_of(pid_t pid)
{
	char path[64];
	struct stat st;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/pid");
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* ---- tasks and processes ---- */

struct task *task_find(struct tracer *t, pid_t tid)
{
	for (size_t i = 0; i < t->ntasks; i++)
		if (t->tasks[i]->tid == tid)
			return t->tasks[i];
	return NULL;
}

static struct task *task_add(struct tracer *t, pid_t tid)
{
	struct task *k = xcalloc(1, sizeof(*k));
	k->tr = t;
	k->tid = tid;
	k->sc_nr = -1;
	k->sc_ev = -1;
	k->restart_nr = -1;
	k->stat_fd = -1;
	grow(&t->tasks, &t->cap_tasks, t->ntasks + 1, sizeof(*t->tasks));
	t->tasks[t->ntasks++] = k;
	return k;
}

static void task_del(struct tracer *t, struct task *k)
{
	for (size_t i = 0; i < t->ntasks; i++) {
		if (t->tasks[i] != k)
			continue;
		t->tasks[i] = t->tasks[--t->ntasks];
		break;
	}
	if (k->stat_fd >= 0)
		close(k->stat_fd);
	free(k->sc_path);
	free(k);
}

void task_resume(struct task *k, int request, int sig)
{
	if (k->tr && k->tr->handling == k)
		k->tr->handling = NULL;     /* resumed: no longer at its stop */
	if (k->rs != RS_NONE && race_resume(k, request, sig))
		return;
	if (ptrace(request, k->tid, 0, (void *)(long)sig) < 0 && errno != ESRCH) {
		/* nothing sensible to do: the task stays stopped until the
		   sandbox kills the tree; make that visible in the trace */
	}
}

/* Resume after a stop that is not a syscall stop, keeping a wanted exit
   stop (or an injection in progress) armed. */
static void task_continue(struct task *k, int sig)
{
	task_resume(k, k->sc_nr >= 0 || k->inj ? PTRACE_SYSCALL : PTRACE_CONT, sig);
}

struct pstate *ps_by_pid(struct tracer *t, pid_t pid)
{
	for (size_t i = 0; i < t->nps; i++)
		if (t->ps[i]->pid == pid)
			return t->ps[i];
	return NULL;
}

static struct pstate *ps_new(struct tracer *t, pid_t pid)
{
	struct pstate *ps = xcalloc(1, sizeof(*ps));
	ps->pid = pid;
	ps->index = -1;
	ps->last_sem_enoent = -1;
	ps->last_write = -1;
	ps->mem_fd = -1;
	grow(&t->ps, &t->cap_ps, t->nps + 1, sizeof(*t->ps));
	t->ps[t->nps++] = ps;
	return ps;
}

static void ps_clear_ranges(struct pstate *ps)
{
	for (size_t i = 0; i < ps->nshared; i++)
		free(ps->shared[i].name);
	ps->nshared = 0;
	race_text_forget(ps);
	ps->marker_fn_lo = ps->marker_fn_hi = 0;
	ps->marker_fn_tried = false;
}

static void ps_del(struct tracer *t, struct pstate *ps)
{
	for (size_t i = 0; i < t->nps; i++) {
		if (t->ps[i] != ps)
			continue;
		t->ps[i] = t->ps[--t->nps];
		break;
	}
	ps_clear_ranges(ps);
	free(ps->shared);
	free(ps->covered);
	buf_free(&ps->marker);
	buf_free(&ps->out);
	free(ps);
}

/* A forked child has its parent's shared mappings, descriptors and
   seccomp filters. */
static void ps_inherit(struct pstate *ps, const struct pstate *parent)
{
	for (size_t i = 0; i < parent->nshared; i++)
		ps_add_range(ps, parent->shared[i].start, parent->shared[i].end,
			     parent->shared[i].name);
	if (parent->ncovered) {
		ps->covered = xmalloc(parent->ncovered);
		memcpy(ps->covered, parent->covered, parent->ncovered);
		ps->ncovered = parent->ncovered;
	}
	ps->nfilters = parent->nfilters;
	ps->catchall = parent->catchall;
	ps->dup_rule = parent->dup_rule;
	/* its memory is a copy: with the race scheduler's int3s */
	memcpy(ps->bp, parent->bp, sizeof(ps->bp));
	ps->nbp = parent->nbp;
	ps->marker_fn_lo = parent->marker_fn_lo;
	ps->marker_fn_hi = parent->marker_fn_hi;
	ps->marker_fn_tried = parent->marker_fn_tried;
}

/* A new struct proc for ps, created by parent (index, -1 for none). */
static int proc_new(struct tracer *t, struct pstate *ps, int parent)
{
	struct trace *tr = t->tr;
	size_t cap = t->cap_procs;
	int idx = (int)tr->nprocs;

	grow(&tr->procs, &t->cap_procs, tr->nprocs + 1, sizeof(*tr->procs));
	if (t->cap_procs != cap) {
		t->inner = xrealloc(t->inner, t->cap_procs * sizeof(*t->inner));
		t->cur_parent = xrealloc(t->cur_parent, t->cap_procs * sizeof(*t->cur_parent));
	}
	tr->nprocs++;
	struct proc *p = &tr->procs[idx];
	memset(p, 0, sizeof(*p));
	p->index = idx;
	p->pid = ps->pid;
	p->parent = parent;
	p->reaper = -1;
	p->exit_code = -1;
	p->cpu_ms = -1;
	t->inner[idx] = ps->pid;
	t->cur_parent[idx] = parent;
	if (t->other_pidns) {
		long in = proc_status(ps->pid, "NSpid:", true);
		if (in > 0)
			t->inner[idx] = (pid_t)in;
	}
	p->vpid = t->inner[idx];
	ps->index = idx;
	return idx;
}

int proc_by_inner(struct tracer *t, pid_t inner)
{
	const struct trace *tr = t->tr;
	int found = -1;

	for (size_t i = tr->nprocs; i-- > 0;) {
		if (t->inner[i] != inner)
			continue;
		if (!tr->procs[i].seq_reaped)
			return (int)i;
		if (found < 0)
			found = (int)i;
	}
	return found;
}

/* Register new task ck (created by a task of parent) as a thread or a
   process, and let it run if it was already waiting. */
static void register_child(struct tracer *t, struct pstate *parent, struct task *ck,
			   bool thread, bool vfork)
{
	if (ck->ps)
		return;
	if (thread) {
		ck->ps = parent;
		parent->ntasks++;
		if (parent->index > 0)
			race_adopt(t, ck);
		if (parent->index >= 0) {
			ev_add(t, parent, EV_THREAD)->thread.tid = ck->tid;
		}
	} else {
		struct pstate *ps = ps_new(t, ck->tid);
		ps_inherit(ps, parent);
		ps->ntasks = 1;
		ck->ps = ps;
		if (parent->index >= 0) {
			int idx = proc_new(t, ps, parent->index);
			struct event *e = ev_add(t, parent, EV_FORK);
			e->fork.child = idx;
			e->fork.vfork = vfork;
			e->fork.child_pid = ck->tid;
			t->tr->procs[idx].seq_start = e->seq;
			race_adopt(t, ck);
		}
	}
	if (ck->held) {
		ck->held = false;
		task_resume(ck, PTRACE_CONT, 0);
	}
}

/* A held task whose creator's event may never come (the creator was killed
   between creating it and reporting): place it from /proc. */
static void resolve_held(struct tracer *t)
{
	for (size_t i = 0; i < t->ntasks; i++) {
		struct task *ck = t->tasks[i];
		if (!ck->held || ck->ps)
			continue;
		long tgid = proc_status(ck->tid, "Tgid:", false);
		bool thread = tgid > 0 && tgid != ck->tid;
		long ppid = thread ? tgid : proc_status(ck->tid, "PPid:", false);
		struct pstate *parent = ppid > 0 ? ps_by_pid(t, (pid_t)ppid) : NULL;
		struct task *ptask = parent ? task_find(t, parent->pid) : NULL;
		/* the creator is alive and will report: wait for it */
		if (parent && ptask && !parent->leader_dead && tgid > 0)
			continue;
		if (!parent) {
			/* its creator is unknown: follow it, outside the program */
			parent = ps_new(t, (pid_t)(ppid > 0 ? ppid : 0));
			parent->ntasks = 0;
			register_child(t, parent, ck, false, false);
			ps_del(t, parent);
			continue;
		}
		register_child(t, parent, ck, thread, false);
	}
}

/* ---- the tracer ---- */

struct tracer *tracer_new(const struct tracer_opts *o)
{
	struct tracer *t = xcalloc(1, sizeof(*t));

	t->tr = xcalloc(1, sizeof(*t->tr));
	t->tr->complete = true;
	t->max_events = o && o->max_events ? o->max_events : (size_t)1 << 20;
	t->t0 = now_ms();
#ifdef __x86_64__
	t->can_inject = true;
#endif
	if (o)
		race_init(t, o->race_seed, o->race_steps, o->race_step_each);
	t->markers_from_harness = o && o->markers_from_harness;
	t->lifecycle_only = o && o->lifecycle_only;
	t->pipe_writes = o && o->pipe_writes;
	if (o)
		send_init(t, o->sends, o->nsends);
	if (o && o->pace_ms > 0) {
		t->pace_marker = o->pace_marker ? xstrdup(o->pace_marker) : NULL;
		t->pace_writes = o->pace_writes;
		t->pace_ms = o->pace_ms;
	}
	if (o && o->nfaults) {
		t->faults = xcalloc(o->nfaults, sizeof(*t->faults));
		for (size_t i = 0; i < o->nfaults; i++) {
			const struct fault *f = &o->faults[i];
			struct tfault *tf = &t->faults[t->nfaults];
			int fc = fault_class(f->call);
			int err = fault_errno(f->errno_name);
			if (fc < 0 || err <= 0 || f->nth < 1) {
				error_set("tracer: cannot inject %s (nth %ld) with %s", f->call,
					  f->nth, f->errno_name ? f->errno_name : "?");
				free(t->faults);
				trace_free(t->tr);
				free(t);
				return NULL;
			}
			tf->call = f->call;
			tf->fc = (enum fault_class)fc;
			tf->nth = f->nth;
			tf->err = err;
			t->fault_mask |= FC_BIT(fc);
			t->nfaults++;
		}
	}
	return t;
}

int tracer_load_filter(struct tracer *t)
{
	return syscall_rules_load(t);
}

int tracer_seize(struct tracer *t, pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)PTRACE_OPTS) < 0)
		return error_errno("tracer: PTRACE_SEIZE %d", (int)pid);
	struct task *k = task_add(t, pid);
	k->seen_stop = true;     /* a seized task has no attach stop */
	k->ps = ps_new(t, pid);
	k->ps->ntasks = 1;
	t->t0 = now_ms();
	return 0;
}

/* fork, vfork or clone event of creator k. */
static void on_clone_event(struct tracer *t, struct task *k, int ev)
{
	unsigned long msg = 0;

	if (ptrace(PTRACE_GETEVENTMSG, k->tid, 0, &msg) == 0 && msg && k->ps) {
		pid_t c = (pid_t)msg;
		struct task *ck = task_find(t, c);
		bool thread = false;
		if (!ck) {
			ck = task_add(t, c);
			ck->seen_stop = false;
		}
		if (ev == PTRACE_EVENT_CLONE)
			thread = proc_status(c, "Tgid:", false) == k->ps->pid;
		/* a creator joins the race schedule at its first child, before
		   the child can be scheduled */
		if (k->ps->index >= 0 && k->rs == RS_NONE && !thread)
			race_adopt(t, k);
		register_child(t, k->ps, ck, thread, ev == PTRACE_EVENT_VFORK);
		if (ev == PTRACE_EVENT_VFORK) {
			race_vfork_start(t, k);
			k->in_vfork = true;
			ck->vfork_parent = k->tid;
			k->vfork_ret = ck->vfork_ret = true;
		}
	}
	task_continue(k, 0);
}

/* k execs or dies: a parent waiting in vfork() for it goes on. */
static void vfork_released(struct tracer *t, struct task *k)
{
	struct task *parent = k->vfork_parent ? task_find(t, k->vfork_parent) : NULL;

	if (parent)
		parent->in_vfork = false;
	k->vfork_parent = 0;
}

/* The first process to exec becomes the program (index 0). */
static void become_program(struct tracer *t, struct pstate *ps)
{
	ino_t mine = pidns_of(0), theirs = pidns_of(ps->pid);
	t->other_pidns = mine && theirs && mine != theirs;
	t->program_seen = true;
	proc_new(t, ps, -1);
	char link[64], cwd[4096];
	snprintf(link, sizeof(link), "/proc/%d/cwd", (int)ps->pid);
	ssize_t n = readlink(link, cwd, sizeof(cwd) - 1);
	if (n > 0) {
		cwd[n] = '\0';
		t->tr->cwd = xstrdup(cwd);
	}
}

static void on_exec(struct tracer *t, struct task *k)
{
	unsigned long former = 0;
	struct pstate *ps = k->ps;

	vfork_released(t, k);
	if (k->stat_fd >= 0) {          /* an exec from a thread: another task */
		close(k->stat_fd);
		k->stat_fd = -1;
	}
	ptrace(PTRACE_GETEVENTMSG, k->tid, 0, &former);
	if (former && (pid_t)former != k->tid) {
		/* exec from a thread: it now has the leader's tid */
		struct task *f = task_find(t, (pid_t)former);
		if (f) {
			free(k->sc_path);
			k->sc_path = f->sc_path;
			f->sc_path = NULL;
			if (f->ps)
				f->ps->ntasks--;
			task_del(t, f);
		}
	}
	if (ps) {
		ps->leader_dead = false;
		ps_clear_ranges(ps);
		buf_reset(&ps->marker);
		ps->last_write = -1;
		if (!t->program_seen && ps->index < 0)
			become_program(t, ps);
		else if (ps->index >= 0)
			t->tr->procs[ps->index].execed = true;
		if (ps->index >= 0) {
			struct event *e = ev_add(t, ps, EV_EXEC);
			char link[64], exe[4096];
			if (k->sc_path) {
				e->exec.path = k->sc_path;
				k->sc_path = NULL;
			} else {
				snprintf(link, sizeof(link), "/proc/%d/exe", (int)k->tid);
				ssize_t n = readlink(link, exe, sizeof(exe) - 1);
				if (n > 0) {
					exe[n] = '\0';
					e->exec.path = xstrdup(exe);
				}
			}
			if (ps->index == 0 && !t->tr->procs[0].seq_start)
				t->tr->procs[0].seq_start = e->seq;
		}
	}
	free(k->sc_path);
	k->sc_path = NULL;
	k->sc_nr = -1;
	task_resume(k, PTRACE_CONT, 0);
}

/* The name a process goes by (prctl PR_SET_NAME), while it still has one. */
static void read_name(struct tracer *t, struct task *k)
{
	char path[64];
	if (!k->ps || k->ps->index < 0 || k->tid != k->ps->pid)
		return;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)k->tid);
	struct proc *p = &t->tr->procs[k->ps->index];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, p->name, sizeof(p->name) - 1) : -1;
	if (fd >= 0)
		close(fd);
	p->name[n > 0 ? n - (p->name[n - 1] == '\n') : 0] = '\0';
}

static void on_exit_event(struct tracer *t, struct task *k)
{
	k->exiting = true;
	if (k->ps) {
		double ms = task_cpu_ms(k->ps->pid, k->tid);
		if (ms > 0)
			k->ps->cpu_ms += ms;
	}
	read_name(t, k);
	task_resume(k, PTRACE_CONT, 0);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void on_event_stop(struct tracer *t, struct task *k, int sig)
{
	(void)t;
	if (!k->seen_stop) {          /* the attach stop of a new task */
		k->seen_stop = true;
		if (!k->ps) {
			k->held = true;
			return;
		}
		task_continue(k, 0);
		return;
	}
	if (k->inj) {                 /* not in the middle of an injection */
		task_resume(k, PTRACE_SYSCALL, 0);
		return;
	}
	if (is_stop_signal(sig)) {    /* group-stop: stay stopped until SIGCONT */
		k->in_group_stop = true;
		task_resume(k, PTRACE_LISTEN, 0);
		return;
	}
	k->in_group_stop = false;
	task_continue(k, 0);
}

static void on_signal(struct tracer *t, struct task *k, int sig)
{
	if (k->inj) {
		inject_on_signal(t, k, sig);
		return;
	}
	if (k->ps && k->ps->index >= 0) {
		struct event *e = ev_add(t, k->ps, EV_SIGNAL_DELIVER);
		e->signal_deliver.sig = sig;
		e->signal_deliver.tid = k->tid;
		crash_on_signal(t, k, sig, e->seq);
	}
	task_continue(k, sig);
}

/* Children of a dead process have a new parent now. */
static void record_orphans(struct tracer *t, int dead)
{
	for (size_t i = 0; i < t->nps; i++) {
		struct pstate *o = t->ps[i];
		if (o->index < 0 || t->cur_parent[o->index] != dead || o->leader_dead ||
		    t->killing)
			continue;
		long ppid = proc_status(o->pid, "PPid:", false);
		struct pstate *np = ppid > 0 ? ps_by_pid(t, (pid_t)ppid) : NULL;
		int ni = np ? np->index : -1;
		struct event *e = ev_add(t, o, EV_ORPHAN);
		e->orphan.new_parent = ni;
		e->orphan.new_parent_pid = (pid_t)ppid;
		t->cur_parent[o->index] = ni;
	}
}

static void process_died(struct tracer *t, struct pstate *ps, int status)
{
	ps->leader_dead = true;
	if (ps->index < 0)
		return;
	struct proc *p = &t->tr->procs[ps->index];
	struct event *e = ev_add(t, ps, EV_EXIT);
	e->exit.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	e->exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	e->exit.core_dumped = WIFSIGNALED(status) && WCOREDUMP(status);
	p->exited = true;
	p->exit_code = e->exit.code;
	p->exit_signal = e->exit.signal;
	p->seq_exit = e->seq;
	p->cpu_ms = ps->cpu_ms;
	p->killed_at_end = p->exit_signal == SIGKILL && (t->killing || t->tr->procs[0].exited);
	if (ps->marker.len) {        /* a marker line without its '\n' */
		ev_add(t, ps, EV_MARKER)->marker.text = buf_detach(&ps->marker);
	}
	record_orphans(t, ps->index);
}

static void on_death(struct tracer *t, struct task *k, int status)
{
	struct pstate *ps = k->ps;

	vfork_released(t, k);
	if (ps && ps->ntasks > 1)
		race_dying(t, k);
	if (ps) {
		ps->ntasks--;
		if (k->tid == ps->pid)
			process_died(t, ps, status);
		if (ps->ntasks <= 0 && ps->leader_dead)
			ps_del(t, ps);
	}
	if (k->rs != RS_NONE || t->running == k)
		race_forget(t, k);
	task_del(t, k);
	resolve_held(t);
}

static bool on_wait(struct tracer *t, pid_t pid, int status);

bool tracer_on_wait(struct tracer *t, pid_t pid, int status)
{
	bool handled = on_wait(t, pid, status);
	t->handling = NULL;
	return handled;
}

static bool on_wait(struct tracer *t, pid_t pid, int status)
{
	struct task *k = task_find(t, pid);

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (k)
			on_death(t, k, status);
		return false;
	}
	if (!WIFSTOPPED(status))
		return false;
	if (!k) {                      /* a new task, before its creator's event */
		k = task_add(t, pid);
		k->seen_stop = false;
	}
	int sig = WSTOPSIG(status), ev = status >> 16;
	bool stepped = k->stepping;
	k->ip_known = false;
	if (t->race && k->rs != RS_NONE)
		t->race_stops++;       /* what race provocation costs */
	t->handling = k;
	k->stepping = false;
	/* user code may run from here: a syscall exit, a signal, an attach or
	   group-stop; not from a stop inside a call (seccomp, fork, exec, exit) */
	k->at_user = ev == 0 || ev == PTRACE_EVENT_STOP;
	if (sig == (SIGTRAP | 0x80)) {
		if (k->inj)
			inject_on_syscall_stop(t, k);
		else if (!race_on_syscall_stop(t, k))
			syscall_on_exit(t, k);
		return true;
	}
	if (ev == 0 && sig == SIGTRAP && k->ps && k->ps->nbp && race_on_breakpoint(t, k, stepped))
		return true;
	if (stepped && ev == 0 && sig == SIGTRAP) {
		race_on_step(t, k);
		return true;
	}
	switch (ev) {
	case PTRACE_EVENT_SECCOMP:
		syscall_on_seccomp(t, k);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_clone_event(t, k, ev);
		break;
	case PTRACE_EVENT_EXEC:
		on_exec(t, k);
		break;
	case PTRACE_EVENT_EXIT:
		on_exit_event(t, k);
		break;
	case PTRACE_EVENT_STOP:
		on_event_stop(t, k, sig);
		break;
	case 0:
		on_signal(t, k, sig);
		break;
	case PTRACE_EVENT_VFORK_DONE:
		race_vfork_done(t, k);
		task_continue(k, 0);
		break;
	default:                       /* anything newer */
		task_continue(k, 0);
		break;
	}
	return true;
}

void tracer_killing(struct tracer *t)
{
	if (t)
		t->killing = true;
}

struct trace *tracer_finish(struct tracer *t)
{
	struct trace *tr;

	if (!t)
		return NULL;
	resolve_held(t);
	race_finish(t);
	/* processes still alive (killed after this, or detached) */
	for (size_t i = 0; i < t->nps; i++) {
		struct pstate *ps = t->ps[i];
		if (ps->index < 0 || ps->leader_dead)
			continue;
		double ms = task_cpu_ms(ps->pid, ps->pid);
		struct proc *p = &t->tr->procs[ps->index];
		p->cpu_ms = ps->cpu_ms + (ms > 0 ? ms : 0);
	}
	while (t->ntasks) {
		struct task *k = t->tasks[0];
		ptrace(PTRACE_DETACH, k->tid, 0, 0);
		task_del(t, k);
	}
	while (t->nps)
		ps_del(t, t->ps[0]);
	tr = t->tr;
	event_free_strings(&t->dropped);
	free(t->tasks);
	free(t->ps);
	free(t->inner);
	free(t->cur_parent);
	free(t->faults);
	free(t->pace_marker);
	send_free(t);
	free(t);
	return tr;
}

/* ---- the loop's tick: the race schedule and the timed sends ---- */

int tracer_tick_ms(const struct tracer *t)
{
	if (!t)
		return -1;
	int a = race_tick_ms(t), b = send_tick_ms(t);
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

bool tracer_tick(struct tracer *t)
{
	if (!t)
		return false;
	size_t before = t->tr->nev;
	send_due(t);
	return race_tick(t) || t->tr->nev != before;
}
