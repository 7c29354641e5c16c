/*
 * trace_print.c - a trace for people: the process tree, then every event
 * in tracer order, in the student's terms ("the program", "child #2").
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "trace_internal.h"

const char *trace_signame(int sig, char *buf, size_t n)
{
	const char *a = sig > 0 ? sigabbrev_np(sig) : NULL;
	if (a)
		snprintf(buf, n, "SIG%s", a);
	else
		snprintf(buf, n, "signal %d", sig);
	return buf;
}

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
		buf_addf(b, "%s -> %s (pid %ld)", e->a[1] ? "vfork" : "fork",
			 trace_proc_name(t, (int)e->a[0], n1, sizeof(n1)), e->a[2]);
		break;
	case EV_THREAD:
		buf_addf(b, "new thread (tid %ld)", e->a[0]);
		break;
	case EV_EXEC:
		buf_addf(b, "exec %s", e->str ? e->str : "?");
		if (e->ret < 0)
			buf_addf(b, " failed: %s", errno_name(-e->ret));
		break;
	case EV_EXIT:
		if (e->a[1])
			buf_addf(b, "killed by %s%s", trace_signame((int)e->a[1], n1, sizeof(n1)),
				 e->a[2] ? " (core dumped)" : "");
		else
			buf_addf(b, "exit %ld", e->a[0]);
		break;
	case EV_REAP:
		buf_addf(b, "reaped %s", trace_proc_name(t, (int)e->a[0], n1, sizeof(n1)));
		break;
	case EV_ORPHAN:
		buf_addf(b, "orphaned; new parent: %s",
			 e->a[0] >= 0 ? trace_proc_name(t, (int)e->a[0], n1, sizeof(n1)) :
			 "a process outside the program");
		break;
	case EV_OPEN:
		buf_addf(b, "open %s ", e->str ? e->str : "?");
		trace_open_flags(e->a[0], b);
		add_ret(b, e->ret);
		if (trace_file_type(e->a[1]) && (e->a[1] & S_IFMT) != S_IFREG)
			buf_addf(b, " (%s)", trace_file_type(e->a[1]));
		break;
	case EV_CLOSE:
		buf_addf(b, "close %ld (%s)", e->a[0], e->str ? e->str : "?");
		break;
	case EV_PIPE:
		buf_addf(b, "pipe [%ld, %ld]", e->a[0], e->a[1]);
		if (e->ret < 0)
			add_ret(b, e->ret);
		break;
	case EV_MMAP_SHARED:
		buf_addf(b, "mmap shared %ld bytes%s%s at %#lx", e->a[0], e->str ? " of " : "",
			 e->str ? e->str : "", (unsigned long)e->ret);
		break;
	case EV_IPC:
		buf_addf(b, "%s", e->str ? e->str : "ipc");
		if (e->str2)
			buf_addf(b, " %s", e->str2);
		add_ret(b, e->ret);
		break;
	case EV_FUTEX:
		buf_addf(b, "futex %s %#lx%s%s", e->a[0] ? "wake" : "wait", (unsigned long)e->a[1],
			 e->str ? " in " : " in shared memory", e->str ? e->str : "");
		break;
	case EV_SIGNAL_SEND:
		if (e->a[0] >= 0)
			snprintf(n2, sizeof(n2), "%s", trace_proc_name(t, (int)e->a[0], n1, sizeof(n1)));
		else
			snprintf(n2, sizeof(n2), "pid %ld", e->a[2]);
		buf_addf(b, "send %s to %s", trace_signame((int)e->a[1], n1, sizeof(n1)), n2);
		if (e->ret < 0)
			add_ret(b, e->ret);
		break;
	case EV_SIGNAL_DELIVER:
		buf_addf(b, "got %s", trace_signame((int)e->a[0], n1, sizeof(n1)));
		break;
	case EV_SIGACTION:
		buf_addf(b, "sigaction %s: %s", trace_signame((int)e->a[0], n1, sizeof(n1)),
			 e->a[1] == 0 ? "default" : e->a[1] == 1 ? "ignore" : "handler");
		break;
	case EV_TIMER:
		buf_addf(b, "%s %ld ms", e->a[1] == 0 ? "alarm" : e->a[1] == 1 ? "setitimer" :
			 "timer_settime", e->a[0]);
		break;
	case EV_WRITE:
		buf_addf(b, "write %s (%ld bytes in %ld call%s)", e->str ? e->str : "?", e->ret,
			 e->a[1], e->a[1] == 1 ? "" : "s");
		break;
	case EV_MARKER:
		buf_addf(b, "marker \"%s\"", e->str ? e->str : "");
		break;
	case EV_FAULT:
		buf_addf(b, "injected failure: %s #%ld (%s) -> %s", e->str ? e->str : "?", e->a[2],
			 e->str2 ? e->str2 : "?", errno_name(e->a[0]));
		break;
	case EV_BLOCKED:
		buf_addf(b, "blocked: %s", e->str ? e->str : "?");
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
		fprintf(f, ", killed by %s", trace_signame(p->exit_signal, n2, sizeof(n2)));
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
	case EV_CLOSE:
	case EV_MMAP_SHARED:
		return e->str && path_is_system(e->str);
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
