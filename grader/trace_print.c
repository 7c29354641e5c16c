/*
 * trace_print.c - a trace for people: the process tree, then every event
 * in tracer order, in the student's terms ("the program", "child #2").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "trace_internal.h"

void trace_open_flags(long flags, struct buf *b)
{
	static const struct { long f; const char *n; } names[] = {
		{O_CREAT, "O_CREAT"}, {O_EXCL, "O_EXCL"}, {O_TRUNC, "O_TRUNC"},
		{O_APPEND, "O_APPEND"}, {O_NONBLOCK, "O_NONBLOCK"}, {O_CLOEXEC, "O_CLOEXEC"},
		{O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"},
	};
	switch (flags & O_ACCMODE) {
	case O_WRONLY:
		buf_adds(b, "O_WRONLY");
		break;
	case O_RDWR:
		buf_adds(b, "O_RDWR");
		break;
	default:
		buf_adds(b, "O_RDONLY");
		break;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & names[i].f)
			buf_addf(b, "|%s", names[i].n);
}

const char *trace_file_type(long mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "file";
	case S_IFIFO: return "fifo";
	case S_IFDIR: return "directory";
	case S_IFCHR: return "device";
	case S_IFSOCK: return "socket";
	case 0: return NULL;
	default: return "other";
	}
}

const char *disposition_name(enum disposition d)
{
	return d == DISP_DEFAULT ? "default" : d == DISP_IGNORE ? "ignore" : "handler";
}

const char *timer_call_name(enum timer_call c)
{
	return c == TIMER_ALARM ? "alarm" : c == TIMER_SETITIMER ? "setitimer" : "timer_settime";
}

static void add_ret(struct buf *b, long ret)
{
	if (ret < 0)
		buf_addf(b, " = -1 %s", errno_name(-ret));
	else
		buf_addf(b, " = %ld", ret);
}

void trace_describe(const struct trace *t, const struct event *e, struct buf *b)
{
	char n1[64], n2[64];

	switch (e->kind) {
	case EV_FORK:
		buf_addf(b, "%s -> %s (pid %d)", e->fork.vfork ? "vfork" : "fork",
			 trace_proc_name(t, e->fork.child, n1, sizeof(n1)), (int)e->fork.child_pid);
		break;
	case EV_THREAD:
		buf_addf(b, "new thread (tid %d)", (int)e->thread.tid);
		break;
	case EV_EXEC:
		buf_addf(b, "exec %s", e->exec.path ? e->exec.path : "?");
		if (e->ret < 0)
			buf_addf(b, " failed: %s", errno_name(-e->ret));
		break;
	case EV_EXIT:
		if (e->exit.signal)
			buf_addf(b, "killed by %s%s", signal_name(e->exit.signal, n1, sizeof(n1)),
				 e->exit.core_dumped ? " (core dumped)" : "");
		else
			buf_addf(b, "exit %d", e->exit.code);
		break;
	case EV_REAP:
		buf_addf(b, "reaped %s", trace_proc_name(t, e->reap.child, n1, sizeof(n1)));
		break;
	case EV_ORPHAN:
		buf_addf(b, "orphaned; new parent: %s",
			 e->orphan.new_parent >= 0 ?
			 trace_proc_name(t, e->orphan.new_parent, n1, sizeof(n1)) :
			 "a process outside the program");
		break;
	case EV_OPEN:
		buf_addf(b, "open %s ", e->open.path ? e->open.path : "?");
		trace_open_flags(e->open.flags, b);
		add_ret(b, e->ret);
		if (trace_file_type(e->open.type) && (e->open.type & S_IFMT) != S_IFREG)
			buf_addf(b, " (%s)", trace_file_type(e->open.type));
		break;
	case EV_CLOSE:
		buf_addf(b, "close %d (%s)", e->close.fd, e->close.path ? e->close.path : "?");
		break;
	case EV_PIPE:
		buf_addf(b, "pipe [%d, %d]", e->pipe.read_fd, e->pipe.write_fd);
		if (e->ret < 0)
			add_ret(b, e->ret);
		break;
	case EV_MMAP_SHARED:
		buf_addf(b, "mmap shared %ld bytes%s%s at %#lx", e->mmap.length,
			 e->mmap.path ? " of " : "", e->mmap.path ? e->mmap.path : "",
			 (unsigned long)e->ret);
		break;
	case EV_IPC:
		buf_addf(b, "%s", e->ipc.call ? e->ipc.call : "ipc");
		if (e->ipc.name)
			buf_addf(b, " %s", e->ipc.name);
		add_ret(b, e->ret);
		break;
	case EV_FUTEX:
		buf_addf(b, "futex %s %#lx%s%s", e->futex.wake ? "wake" : "wait", e->futex.addr,
			 e->futex.mapping ? " in " : " in shared memory",
			 e->futex.mapping ? e->futex.mapping : "");
		break;
	case EV_SIGNAL_SEND:
		if (e->signal_send.target >= 0)
			snprintf(n2, sizeof(n2), "%s",
				 trace_proc_name(t, e->signal_send.target, n1, sizeof(n1)));
		else
			snprintf(n2, sizeof(n2), "pid %d", (int)e->signal_send.pid);
		buf_addf(b, "%s %s to %s", e->signal_send.by_grader ? "the grader sends" : "send",
			 signal_name(e->signal_send.sig, n1, sizeof(n1)), n2);
		if (e->ret < 0)
			add_ret(b, e->ret);
		break;
	case EV_SIGNAL_DELIVER:
		buf_addf(b, "got %s", signal_name(e->signal_deliver.sig, n1, sizeof(n1)));
		break;
	case EV_SIGACTION:
		buf_addf(b, "sigaction %s: %s", signal_name(e->sigaction.sig, n1, sizeof(n1)),
			 disposition_name(e->sigaction.handler));
		break;
	case EV_TIMER:
		buf_addf(b, "%s %ld ms", timer_call_name(e->timer.call), e->timer.ms);
		break;
	case EV_WRITE:
		if (e->write.pipe) {
			buf_addf(b, "write %s (%ld bytes", e->write.path ? e->write.path : "?", e->ret);
			if (e->write.lines >= 0)
				buf_addf(b, ", %d line end%s%s", e->write.lines,
					 e->write.lines == 1 ? "" : "s",
					 e->write.ends_line ? ", the last at the end" : "");
			buf_adds(b, ")");
			break;
		}
		buf_addf(b, "write %s (%ld bytes in %ld call%s)", e->write.path ? e->write.path : "?",
			 e->ret, e->write.calls, e->write.calls == 1 ? "" : "s");
		break;
	case EV_MARKER:
		buf_addf(b, "marker \"%s\"", e->marker.text ? e->marker.text : "");
		break;
	case EV_FAULT:
		buf_addf(b, "injected failure: %s #%ld (%s) -> %s",
			 e->fault.call ? e->fault.call : "?", e->fault.nth,
			 e->fault.syscall ? e->fault.syscall : "?", errno_name(e->fault.err));
		break;
	case EV_BLOCKED:
		buf_addf(b, "blocked: %s", e->blocked.what ? e->blocked.what : "?");
		break;
	default:
		buf_addf(b, "%s", event_kind_name(e->kind));
		break;
	}
}

static void print_proc(const struct trace *t, const struct proc *p, FILE *f)
{
	char n1[64], n2[64];

	fprintf(f, "%s, pid %d", trace_proc_name(t, p->index, n1, sizeof(n1)), (int)p->pid);
	if (p->execed)
		fprintf(f, ", exec'd");
	if (!p->exited)
		fprintf(f, ", still running at the end");
	else if (p->exit_signal)
		fprintf(f, ", killed by %s", signal_name(p->exit_signal, n2, sizeof(n2)));
	else
		fprintf(f, ", exit %d", p->exit_code);
	if (p->index > 0) {
		if (p->reaper >= 0)
			fprintf(f, ", reaped by %s", p->reaper == p->parent ? "its parent" :
				trace_proc_name(t, p->reaper, n2, sizeof(n2)));
		else
			fprintf(f, ", not reaped by the program");
	}
	if (p->cpu_ms >= 0)
		fprintf(f, ", cpu %.1f ms", p->cpu_ms);
	fputc('\n', f);
}

static void print_tree(const struct trace *t, int index, const char *prefix, bool last,
		       FILE *f)
{
	struct buf pre = BUF_INIT;
	int nkids = 0, seen = 0;

	fprintf(f, "  %s%s", prefix, index == 0 ? "" : last ? "`- " : "|- ");
	print_proc(t, &t->procs[index], f);
	for (size_t i = 0; i < t->nprocs; i++)
		nkids += t->procs[i].parent == index;
	buf_addf(&pre, "%s%s", prefix, index == 0 ? "" : last ? "   " : "|  ");
	for (size_t i = 0; i < t->nprocs; i++) {
		if (t->procs[i].parent != index)
			continue;
		seen++;
		print_tree(t, (int)i, buf_str(&pre), seen == nkids, f);
	}
	buf_free(&pre);
}

/* Events about the system's own files (the loader opening libc, locale
   files) are noise in a listing; JSON keeps them. */
static bool is_noise(const struct event *e)
{
	switch (e->kind) {
	case EV_OPEN:
		return e->open.path && path_is_system(e->open.path);
	case EV_CLOSE:
		return e->close.path && path_is_system(e->close.path);
	case EV_MMAP_SHARED:
		return e->mmap.path && path_is_system(e->mmap.path);
	default:
		return false;
	}
}

/* Each crash: the signal and where, then the whole backtrace. */
static void print_crashes(const struct trace *t, FILE *f)
{
	struct buf b = BUF_INIT;
	char name[64];

	for (size_t i = 0; i < t->ncrashes; i++) {
		const struct crash *c = &t->crashes[i];
		buf_reset(&b);
		trace_crash_where(c, &b);
		fprintf(f, "crash: %s (thread %d) was killed by %s\n",
			trace_proc_name(t, c->proc, name, sizeof(name)), (int)c->tid, buf_str(&b));
		for (size_t j = 0; j < c->nframes; j++) {
			const struct crash_frame *fr = &c->frames[j];
			fprintf(f, "  #%-2zu 0x%012lx %s()", j, fr->pc, fr->function ? fr->function : "??");
			if (fr->file)
				fprintf(f, " at %s:%d", path_base(fr->file), fr->line);
			fprintf(f, " [%s]\n", fr->module ? path_base(fr->module) : "?");
		}
		if (c->why)
			fprintf(f, "  (%s)\n", c->why);
	}
	buf_free(&b);
}

void trace_print(const struct trace *t, FILE *f)
{
	struct buf b = BUF_INIT;
	char name[64];
	size_t hidden = 0;

	if (!t)
		return;
	fprintf(f, "processes (%zu):\n", t->nprocs);
	if (t->nprocs)
		print_tree(t, 0, "", true, f);
	print_crashes(t, f);
	if (t->race_switches)
		fprintf(f, "race provocation: %lu instructions stepped, %lu scheduling decisions, "
			"%lu stops\n", t->race_steps, t->race_switches, t->race_stops);
	if (t->markers_ignored)
		fprintf(f, "markers: %lu line(s) written by code other than the harness's %s, ignored\n",
			t->markers_ignored, TRACE_MARKER_FN);
	fprintf(f, "events (%zu%s):\n", t->nev, t->complete ? "" : ", some dropped");
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		if (is_noise(e)) {
			hidden++;
			continue;
		}
		buf_reset(&b);
		trace_describe(t, e, &b);
		fprintf(f, "  %6lu %9.2f ms  %-12s %s\n", e->seq, e->t_ms,
			e->proc == 0 ? "the program" : e->proc > 0 ?
			(snprintf(name, sizeof(name), "child #%d", e->proc), name) : "?",
			buf_str(&b));
	}
	if (hidden)
		fprintf(f, "  (%zu opens and closes of system files not shown)\n", hidden);
	buf_free(&b);
}
