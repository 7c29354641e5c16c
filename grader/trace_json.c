/*
 * trace_json.c - a trace as JSON lines: one object per event, in tracer
 * order, each with seq, t_ms, pid, proc, event and the kind's own fields.
 */
#include <errno.h>
#include <stdio.h>
#include <jansson.h>
#include "trace_internal.h"

static void set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *proc_or_null(long index)
{
	return index >= 0 ? json_integer(index) : json_null();
}

static void set_ret(json_t *o, long ret)
{
	set(o, "ret", json_integer(ret < 0 ? -1 : ret));
	if (ret < 0)
		set(o, "errno", json_string(errno_name(-ret)));
}

/* The crash of a process killed by a signal: where, and the backtrace. */
static json_t *crash_json(const struct crash *c)
{
	json_t *frames = json_array(), *o;
	char sig[32];

	for (size_t i = 0; i < c->nframes; i++) {
		const struct crash_frame *fr = &c->frames[i];
		json_array_append_new(frames, json_pack("{s:I,s:o,s:o,s:o,s:o,s:b}",
			"pc", (json_int_t)fr->pc, "function", str_or_null(fr->function),
			"file", str_or_null(fr->file),
			"line", fr->line > 0 ? json_integer(fr->line) : json_null(),
			"module", str_or_null(fr->module), "program", fr->program));
	}
	o = json_pack("{s:s,s:I,s:i,s:o,s:o}", "signal", signal_name(c->signal, sig, sizeof(sig)),
		      "tid", (json_int_t)c->tid, "code", c->code,
		      "address", c->code > 0 ? json_integer((json_int_t)c->addr) : json_null(),
		      "frames", frames);
	if (c->why)
		set(o, "why", json_string(c->why));
	return o;
}

static void add_fields(json_t *o, const struct trace *t, const struct event *e)
{
	const struct crash *crash;
	char sig[32];
	struct buf b = BUF_INIT;

	switch (e->kind) {
	case EV_FORK:
		set(o, "child", json_integer(e->fork.child));
		set(o, "child_pid", json_integer(e->fork.child_pid));
		set(o, "vfork", json_boolean(e->fork.vfork));
		break;
	case EV_THREAD:
		set(o, "tid", json_integer(e->thread.tid));
		break;
	case EV_EXEC:
		set(o, "path", str_or_null(e->exec.path));
		set_ret(o, e->ret);
		break;
	case EV_EXIT:
		set(o, "status", e->exit.signal ? json_null() : json_integer(e->exit.code));
		set(o, "signal", e->exit.signal ?
		    json_string(signal_name(e->exit.signal, sig, sizeof(sig))) : json_null());
		set(o, "core_dumped", json_boolean(e->exit.core_dumped));
		crash = e->exit.signal ? trace_crash_of(t, e->proc) : NULL;
		if (crash && crash->signal == e->exit.signal)
			set(o, "crash", crash_json(crash));
		break;
	case EV_REAP:
		set(o, "child", json_integer(e->reap.child));
		if (e->reap.child >= 0 && (size_t)e->reap.child < t->nprocs)
			set(o, "child_pid", json_integer(t->procs[e->reap.child].pid));
		set(o, "waited_pid", json_integer(e->reap.waited_pid));   /* as the reaper saw it */
		break;
	case EV_ORPHAN:
		set(o, "new_parent", proc_or_null(e->orphan.new_parent));
		set(o, "new_parent_pid", json_integer(e->orphan.new_parent_pid));
		break;
	case EV_OPEN:
		set(o, "path", str_or_null(e->open.path));
		set(o, "resolved", str_or_null(e->open.resolved));
		trace_open_flags(e->open.flags, &b);
		set(o, "flags", json_string(buf_str(&b)));
		set(o, "type", str_or_null(trace_file_type(e->open.type)));
		set_ret(o, e->ret);
		break;
	case EV_CLOSE:
		set(o, "fd", json_integer(e->close.fd));
		set(o, "path", str_or_null(e->close.path));
		break;
	case EV_PIPE:
		set(o, "fds", json_pack("[ii]", e->pipe.read_fd, e->pipe.write_fd));
		set_ret(o, e->ret);
		break;
	case EV_MMAP_SHARED:
		set(o, "length", json_integer(e->mmap.length));
		set(o, "fd", json_integer(e->mmap.fd));
		set(o, "addr", json_integer(e->ret));
		set(o, "path", str_or_null(e->mmap.path));
		break;
	case EV_IPC:
		set(o, "call", str_or_null(e->ipc.call));
		set(o, "name", str_or_null(e->ipc.name));
		set_ret(o, e->ret);
		break;
	case EV_FUTEX:
		set(o, "op", json_string(e->futex.wake ? "wake" : "wait"));
		set(o, "addr", json_integer((json_int_t)e->futex.addr));
		set(o, "mapping", str_or_null(e->futex.mapping));
		break;
	case EV_SIGNAL_SEND:
		set(o, "target", proc_or_null(e->signal_send.target));
		set(o, "target_pid", json_integer(e->signal_send.pid));
		set(o, "signal", json_string(signal_name(e->signal_send.sig, sig, sizeof(sig))));
		if (e->signal_send.by_grader)
			set(o, "by_grader", json_true());
		set_ret(o, e->ret);
		break;
	case EV_SIGNAL_DELIVER:
		set(o, "signal", json_string(signal_name(e->signal_deliver.sig, sig, sizeof(sig))));
		set(o, "tid", json_integer(e->signal_deliver.tid));
		break;
	case EV_SIGACTION:
		set(o, "signal", json_string(signal_name(e->sigaction.sig, sig, sizeof(sig))));
		set(o, "handler", json_string(disposition_name(e->sigaction.handler)));
		break;
	case EV_TIMER:
		set(o, "ms", json_integer(e->timer.ms));
		set(o, "call", json_string(timer_call_name(e->timer.call)));
		break;
	case EV_WRITE:
		set(o, "fd", json_integer(e->write.fd));
		set(o, "path", str_or_null(e->write.path));
		set(o, "bytes", json_integer(e->ret));
		set(o, "calls", json_integer(e->write.calls));
		if (e->write.pipe) {
			set(o, "pipe", json_true());
			if (e->write.lines >= 0) {
				set(o, "lines", json_integer(e->write.lines));
				set(o, "ends_line", json_boolean(e->write.ends_line));
			}
		}
		break;
	case EV_MARKER:
		set(o, "text", str_or_null(e->marker.text));
		break;
	case EV_FAULT:
		set(o, "call", str_or_null(e->fault.call));
		set(o, "syscall", str_or_null(e->fault.syscall));
		set(o, "nth", json_integer(e->fault.nth));
		set(o, "errno", json_string(errno_name(e->fault.err)));
		break;
	case EV_BLOCKED:
		set(o, "what", str_or_null(e->blocked.what));
		break;
	default:
		break;
	}
	buf_free(&b);
}

int trace_write_json(const struct trace *t, const char *path)
{
	FILE *f = fopen(path, "we");
	int rc = 0;

	if (!f)
		return error_errno("cannot write %s", path);
	for (size_t i = 0; t && i < t->nev && rc == 0; i++) {
		const struct event *e = &t->ev[i];
		json_t *o = json_object();
		set(o, "seq", json_integer((json_int_t)e->seq));
		set(o, "t_ms", json_real((double)(long)(e->t_ms * 1000) / 1000));
		set(o, "pid", json_integer(e->pid));
		set(o, "proc", proc_or_null(e->proc));
		set(o, "event", json_string(event_kind_name(e->kind)));
		add_fields(o, t, e);
		if (json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9)) < 0 ||
		    fputc('\n', f) == EOF)
			rc = error_errno("cannot write %s", path);
		json_decref(o);
	}
	if (fclose(f) == EOF && rc == 0)
		rc = error_errno("cannot write %s", path);
	return rc;
}
