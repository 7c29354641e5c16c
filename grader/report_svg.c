/*
 * report_svg.c - the process timeline as inline SVG, for the HTML report.
 *
 * One horizontal lane per process ("the program", "child #1", ...).  The x
 * axis is the order of events (the tracer's sequence numbers), not clock
 * time: the picture is the same on every run of the same schedule, and
 * every event gets room.  Times are in the tooltips (<title>).
 *
 *   a bar        the process is alive: from its creation to its exit
 *   a grey band  zombie: it has exited and nobody has waited for it yet
 *   arrows       fork (parent -> child), reap (child -> the process that
 *                waited), signals (sender -> target)
 *   marks        exec, signal delivered, harness markers, files opened and
 *                closed, pipes and IPC objects, injected faults, and where
 *                a process was blocked when the run timed out
 *
 * Large traces are thinned: lifecycle events are always drawn, then signals
 * and markers, files and IPC, writes and futexes while they fit in
 * MAX_MARKS (the first level that does not fit is sampled evenly over the
 * run); at most MAX_LANES processes get a lane.  What was left out is said
 * under the picture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_priv.h"
#include "i18n.h"
#include "trace.h"

#define MAX_LANES 40
#define MAX_MARKS 240     /* CHART_W / 240 = 3 px per event */
#define LABEL_W 120.0   /* lane labels on the left */
#define LANE_H 30.0
#define TOP 30.0
#define CHART_W 720.0   /* width the event columns share */
#define MIN_CHART_W 420.0
#define STEP_MAX 48.0
#define CHAR_W 6.3      /* average width of an 11px character */

#define C_BAR "#4a86d8"
#define C_ZOMBIE "#9aa4ae"
#define C_FORK "#0969da"
#define C_REAP "#1a7f37"
#define C_BAD "#cf222e"
#define C_EXEC "#8250df"
#define C_SIGNAL "#d4780b"
#define C_MARKER "#bf3989"
#define C_FILE "#7d5a00"
#define C_IPC "#0a7d8c"
#define C_MUTED "#57606a"

struct svg {
	const struct trace *t;
	struct buf *out;
	const char *id;
	size_t lanes;                  /* processes with a lane */
	const struct event **ev;       /* the events drawn, in seq order */
	size_t nev;
	double step;                   /* width of one event column */
	double x0, x_end;              /* first column's left edge, chart's right edge */
	double tail_w;                 /* room for the exit labels on the right */
	const struct check_blame *blame; /* events a failed check names */
	bool used[EV__COUNT];          /* for the legend */
	size_t skipped_events;
};

/* 1: the life of processes, always drawn; 2: signals and markers; 3: files
   and IPC; 4: noisy.  0: never drawn. */
#define LEVELS 4
static int priority(enum event_kind k)
{
	switch (k) {
	case EV_FORK: case EV_EXEC: case EV_EXIT: case EV_REAP: case EV_ORPHAN:
	case EV_FAULT: case EV_BLOCKED:
		return 1;
	case EV_SIGNAL_SEND: case EV_SIGNAL_DELIVER: case EV_MARKER: case EV_THREAD:
	case EV_SIGACTION: case EV_TIMER:
		return 2;
	case EV_OPEN: case EV_CLOSE: case EV_PIPE: case EV_MMAP_SHARED: case EV_IPC:
		return 3;
	case EV_WRITE: case EV_FUTEX:
		return 4;
	default:
		return 0;
	}
}

static bool has_lane(const struct svg *s, long proc)
{
	return proc >= 0 && (size_t)proc < s->lanes;
}

static bool is_blamed(const struct svg *s, const struct event *e)
{
	for (size_t i = 0; s->blame && i < s->blame->n; i++)
		if (s->blame->seq[i] == e->seq)
			return true;
	return false;
}

/* The loader's opens before main (ld.so.cache, libc.so.6) are nobody's
   doing: left out, and not counted as events not drawn. */
static bool is_noise(const struct event *e)
{
	return (e->kind == EV_OPEN && trace_is_loader_path(e->open.path)) ||
	       (e->kind == EV_CLOSE && trace_is_loader_path(e->close.path));
}

/* Choose the events to draw: every lifecycle event of a drawn process, then
   by priority while they fit; the first level that does not fit entirely
   is sampled evenly over the run, and the levels after it are left out. */
static void select_events(struct svg *s)
{
	const struct trace *t = s->t;
	size_t count[LEVELS + 1] = {0}, room[LEVELS + 1] = {0}, seen[LEVELS + 1] = {0};
	size_t total;

	for (size_t i = 0; i < t->nev; i++)
		if (has_lane(s, t->ev[i].proc) && !is_noise(&t->ev[i]))
			count[is_blamed(s, &t->ev[i]) ? 1 : priority(t->ev[i].kind)]++;
	room[1] = total = count[1];
	for (int p = 2; p <= LEVELS; p++) {
		room[p] = total < MAX_MARKS ? MAX_MARKS - total : 0;
		if (room[p] > count[p])
			room[p] = count[p];
		total += room[p];
		if (room[p] < count[p])
			break;
	}
	s->ev = xcalloc(t->nev ? t->nev : 1, sizeof(*s->ev));
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		int p = is_blamed(s, e) ? 1 : priority(e->kind);
		if (is_noise(e))
			continue;
		if (!has_lane(s, e->proc) || p == 0) {
			s->skipped_events++;
			continue;
		}
		/* the k-th of c events is kept when k*r/c steps up: r kept, evenly */
		size_t k = seen[p]++;
		if (k * room[p] / count[p] == (k + 1) * room[p] / count[p]) {
			s->skipped_events++;
			continue;
		}
		s->ev[s->nev++] = e;
	}
}

static double col_x(const struct svg *s, size_t col)
{
	return s->x0 + (col + 0.5) * s->step;
}

/* x of a sequence number: its column, or between columns; 0 = unknown. */
static double seq_x(const struct svg *s, unsigned long seq, double unknown)
{
	size_t lo = 0, hi = s->nev;

	if (seq == 0)
		return unknown;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->ev[mid]->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nev && s->ev[lo]->seq == seq)
		return col_x(s, lo);
	return s->x0 + lo * s->step;
}

static double y_of(size_t lane)
{
	return TOP + lane * LANE_H + LANE_H / 2;
}

/* The time of a sequence number, if an event has it (events are in seq
   order). */
static bool seq_time(const struct trace *t, unsigned long seq, double *ms)
{
	size_t lo = 0, hi = t->nev;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->ev[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (seq == 0 || lo == t->nev || t->ev[lo].seq != seq)
		return false;
	*ms = t->ev[lo].t_ms;
	return true;
}

static const char *lane_label(int index, char *buf, size_t n)
{
	if (index == 0)
		return _("the program");
	snprintf(buf, n, _("child #%d"), index);
	return buf;
}

static const char *proc_name(const struct svg *s, long index, char *buf, size_t n)
{
	if (index < 0 || (size_t)index >= s->t->nprocs)
		return _("another process");
	const char *name = trace_proc_name(s->t, (int)index, buf, n);
	return name ? name : lane_label((int)index, buf, n);
}

/* ---- tooltips ---- */

static const char *or_q(const char *s)
{
	return s ? s : "?";
}

static void describe_event(const struct svg *s, const struct event *e, struct buf *b)
{
	char n1[96], n2[96], sig[32];
	const char *who = proc_name(s, e->proc, n1, sizeof(n1));

	buf_addf(b, _("#%lu, %.3f ms: %s "), e->seq, e->t_ms, who);
	switch (e->kind) {
	case EV_FORK:
		buf_addf(b, _("created %s with %s"), proc_name(s, e->fork.child, n2, sizeof(n2)),
			 e->fork.vfork ? "vfork" : "fork");
		break;
	case EV_THREAD:
		buf_addf(b, _("started a thread (tid %d)"), (int)e->thread.tid);
		break;
	case EV_EXEC:
		buf_addf(b, _("ran exec(\"%s\")"), or_q(trace_rel_path(s->t, e->exec.path)));
		if (e->ret < 0)
			buf_addf(b, _(", which failed: %s"), strerror((int)-e->ret));
		break;
	case EV_EXIT:
		if (e->exit.signal)
			buf_addf(b, _("was killed by %s"),
				 signal_name(e->exit.signal, sig, sizeof(sig)));
		else
			buf_addf(b, _("exited with status %d"), e->exit.code);
		break;
	case EV_REAP:
		buf_addf(b, _("reaped %s (wait)"), proc_name(s, e->reap.child, n2, sizeof(n2)));
		break;
	case EV_ORPHAN:
		buf_addf(b, _("lost its parent; adopted by %s"),
			 proc_name(s, e->orphan.new_parent, n2, sizeof(n2)));
		break;
	case EV_OPEN:
		buf_addf(b, _("opened \"%s\""), or_q(trace_rel_path(s->t, e->open.path)));
		if (e->ret < 0)
			buf_addf(b, _(": failed, %s"), strerror((int)-e->ret));
		else
			buf_addf(b, _(" as fd %ld"), e->ret);
		break;
	case EV_CLOSE:
		buf_addf(b, _("closed fd %d"), e->close.fd);
		if (e->close.path)
			buf_addf(b, " (\"%s\")", trace_rel_path(s->t, e->close.path));
		break;
	case EV_PIPE:
		buf_addf(b, _("made a pipe: read fd %d, write fd %d"), e->pipe.read_fd,
			 e->pipe.write_fd);
		break;
	case EV_MMAP_SHARED:
		buf_addf(b, _("mapped %ld bytes of shared memory"), e->mmap.length);
		if (e->mmap.fd >= 0)
			buf_addf(b, _(" from fd %d"), e->mmap.fd);
		break;
	case EV_IPC:
		buf_addf(b, _("called %s"), or_q(e->ipc.call));
		if (e->ipc.name)
			buf_addf(b, "(\"%s\")", e->ipc.name);
		if (e->ret < 0)
			buf_addf(b, _(": failed, %s"), strerror((int)-e->ret));
		break;
	case EV_FUTEX:
		buf_adds(b, e->futex.wake ? _("woke waiters on shared memory") : _("waited on shared memory"));
		break;
	case EV_SIGNAL_SEND:
		if (e->signal_send.by_grader) {
			buf_addf(b, _("got %s from the grader"),
				 signal_name(e->signal_send.sig, sig, sizeof(sig)));
			break;
		}
		buf_addf(b, _("sent %s to %s"), signal_name(e->signal_send.sig, sig, sizeof(sig)),
			 e->signal_send.target >= 0 ? proc_name(s, e->signal_send.target, n2, sizeof(n2)) :
			 _("a group or another process"));
		break;
	case EV_SIGNAL_DELIVER:
		buf_addf(b, _("received %s"), signal_name(e->signal_deliver.sig, sig, sizeof(sig)));
		break;
	case EV_SIGACTION:
		buf_addf(b, _("set %s for %s"),
			 e->sigaction.handler == DISP_HANDLER ? _("a handler") :
			 e->sigaction.handler == DISP_IGNORE ? "SIG_IGN" : "SIG_DFL",
			 signal_name(e->sigaction.sig, sig, sizeof(sig)));
		break;
	case EV_TIMER:
		buf_addf(b, _("set a timer of %ld ms"), e->timer.ms);
		break;
	case EV_WRITE:
		buf_addf(b, _("wrote %ld bytes to \"%s\""), e->ret,
			 or_q(trace_rel_path(s->t, e->write.path)));
		break;
	case EV_MARKER:
		buf_addf(b, _("marker \"%s\""), or_q(e->marker.text));
		break;
	case EV_FAULT:
		buf_addf(b, _("got an injected failure: %s failed with %s"), or_q(e->fault.call),
			 strerror(e->fault.err));
		break;
	case EV_BLOCKED:
		buf_addf(b, _("was %s when the time ran out"), or_q(e->blocked.what));
		break;
	default:
		buf_addf(b, _("event %d"), (int)e->kind);
	}
}

static void open_title(struct svg *s, const char *raw)
{
	buf_adds(s->out, "<g><title>");
	report_markups(s->out, raw, false);
	buf_adds(s->out, "</title>");
}

/* ---- shapes ---- */

static void line(struct svg *s, double x1, double y1, double x2, double y2,
		 const char *colour, const char *extra)
{
	buf_addf(s->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		 "stroke=\"%s\" stroke-width=\"1.5\" %s/>", x1, y1, x2, y2, colour, extra);
}

static void arrow(struct svg *s, double x, double y1, double y2, const char *colour,
		  const char *marker, bool dashed)
{
	char extra[160];
	double dy = y2 > y1 ? -7 : 7;     /* stop at the edge of the target bar */
	snprintf(extra, sizeof(extra), "marker-end=\"url(#%s-%s)\"%s", s->id, marker,
		 dashed ? " stroke-dasharray=\"3 2\"" : "");
	line(s, x, y1, x, y2 + dy, colour, extra);
}

static void mark(struct svg *s, enum event_kind k, double x, double y, const char *colour)
{
	struct buf *o = s->out;

	switch (k) {
	case EV_EXEC:     /* diamond */
		buf_addf(o, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"%s\"/>", x, y - 5, colour);
		break;
	case EV_SIGNAL_DELIVER:     /* star burst */
		buf_addf(o, "<path d=\"M%.1f %.1fl2 4l4 1l-3 3l1 4l-4 -2l-4 2l1 -4l-3 -3l4 -1z\" "
			 "fill=\"%s\"/>", x, y - 6, colour);
		break;
	case EV_SIGNAL_SEND:        /* triangle */
		buf_addf(o, "<path d=\"M%.1f %.1fl5 8h-10z\" fill=\"%s\"/>", x, y - 5, colour);
		break;
	case EV_MARKER:   /* flag */
		buf_addf(o, "<path d=\"M%.1f %.1fv12M%.1f %.1fh7l-2 3l2 3h-7\" stroke=\"%s\" "
			 "fill=\"%s\" stroke-width=\"1.3\"/>", x, y - 8, x, y - 8, colour, colour);
		break;
	case EV_OPEN:     /* hollow square */
		buf_addf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" fill=\"#fff\" "
			 "stroke=\"%s\" stroke-width=\"1.5\"/>", x - 3.5, y - 3.5, colour);
		break;
	case EV_CLOSE:    /* filled square */
		buf_addf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" fill=\"%s\"/>",
			 x - 3.5, y - 3.5, colour);
		break;
	case EV_FAULT:    /* cross */
		buf_addf(o, "<path d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke=\"%s\" stroke-width=\"2.2\"/>",
			 x - 4, y - 4, colour);
		break;
	case EV_BLOCKED:  /* pause sign */
		buf_addf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" rx=\"2\" fill=\"%s\"/>"
			 "<path d=\"M%.1f %.1fv6m4 -6v6\" stroke=\"#fff\" stroke-width=\"1.8\"/>",
			 x - 6, y - 6, colour, x - 2, y - 3);
		break;
	case EV_WRITE: case EV_THREAD: case EV_FUTEX:     /* tick */
		line(s, x, y - 5, x, y + 5, colour, "");
		break;
	case EV_ORPHAN:
		buf_addf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#fff\" stroke=\"%s\" "
			 "stroke-width=\"1.5\" stroke-dasharray=\"2 1.5\"/>", x, y, colour);
		break;
	default:          /* dot */
		buf_addf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" "
			 "stroke=\"#fff\" stroke-width=\"1\"/>", x, y, colour);
	}
}

static const char *kind_colour(enum event_kind k)
{
	switch (k) {
	case EV_EXEC: return C_EXEC;
	case EV_SIGNAL_SEND: case EV_SIGNAL_DELIVER: case EV_SIGACTION: case EV_TIMER:
		return C_SIGNAL;
	case EV_MARKER: return C_MARKER;
	case EV_OPEN: case EV_CLOSE: case EV_WRITE: return C_FILE;
	case EV_PIPE: case EV_MMAP_SHARED: case EV_IPC: case EV_FUTEX: return C_IPC;
	case EV_FAULT: case EV_BLOCKED: return C_BAD;
	default: return C_MUTED;
	}
}

/* ---- the picture ---- */

static void defs(struct svg *s)
{
	static const struct { const char *name, *colour; } heads[] = {
		{"fork", C_FORK}, {"reap", C_REAP}, {"sig", C_SIGNAL},
	};
	buf_adds(s->out, "<defs>");
	for (size_t i = 0; i < ARRAY_SIZE(heads); i++)
		buf_addf(s->out, "<marker id=\"%s-%s\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" "
			 "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
			 "<path d=\"M0 0L10 5L0 10z\" fill=\"%s\"/></marker>",
			 s->id, heads[i].name, heads[i].colour);
	buf_addf(s->out, "<pattern id=\"%s-zombie\" width=\"6\" height=\"6\" "
		 "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
		 "<rect width=\"6\" height=\"6\" fill=\"#d0d7de\"/>"
		 "<rect width=\"3\" height=\"6\" fill=\"" C_ZOMBIE "\"/></pattern>", s->id);
	buf_adds(s->out, "</defs>");
}

static void lanes(struct svg *s)
{
	char name[96];

	for (size_t i = 0; i < s->lanes; i++) {
		double y = y_of(i);
		if (i % 2 == 0)
			buf_addf(s->out, "<rect x=\"0\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				 "fill=\"#f6f8fa\"/>", y - LANE_H / 2, s->x_end + s->tail_w, LANE_H);
		const struct proc *p = &s->t->procs[i];
		struct buf tip = BUF_INIT;
		buf_addf(&tip, "%s, pid %d", proc_name(s, (long)i, name, sizeof(name)), (int)p->pid);
		if (p->cpu_ms > 0)
			buf_addf(&tip, ", %.1f ms of CPU", p->cpu_ms);
		open_title(s, buf_str(&tip));
		buf_addf(s->out, "<text x=\"%.1f\" y=\"%.1f\" class=\"lane\">%s</text></g>",
			 LABEL_W - 10, y + 4, lane_label((int)i, name, sizeof(name)));
		buf_free(&tip);
	}
}

/* The fork that created proc, and its column (NULL if not drawn). */
static const struct event *fork_of(const struct svg *s, size_t proc, size_t *col)
{
	for (size_t i = 0; i < s->nev; i++)
		if (s->ev[i]->kind == EV_FORK && s->ev[i]->fork.child == (long)proc) {
			*col = i;
			return s->ev[i];
		}
	return NULL;
}

static void exit_label(const struct proc *p, struct buf *b)
{
	char sig[32];

	if (!p->exited)
		buf_adds(b, _("still running at the end"));
	else if (p->killed_at_end)
		buf_adds(b, _("killed at the end of the test"));
	else if (p->exit_signal)
		buf_addf(b, _("killed by %s"), signal_name(p->exit_signal, sig, sizeof(sig)));
	else
		buf_addf(b, _("exit %d"), p->exit_code);
}

/* The text after a lane: how the process ended and whether it was reaped. */
static void end_label(const struct svg *s, size_t i, struct buf *label)
{
	const struct proc *p = &s->t->procs[i];
	char name[32];

	exit_label(p, label);
	if (i > 0 && p->exited && !p->seq_reaped && !p->killed_at_end)
		buf_adds(label, _(", never reaped"));
	else if (i > 0 && p->seq_reaped && p->reaper >= 0 && p->reaper != p->parent)
		buf_addf(label, _(", reaped by %s"), lane_label(p->reaper, name, sizeof(name)));
}

/* The grey band of a zombie: exited, not yet waited for.  The program's
   own reaper is outside the trace, so it gets none. */
static void zombie_band(struct svg *s, size_t i, double end, double reaped)
{
	const struct proc *p = &s->t->procs[i];
	struct buf tip = BUF_INIT;
	char name[96];

	if (i == 0 || !p->exited || p->killed_at_end || reaped <= end)
		return;
	buf_addf(&tip, p->seq_reaped ? _("%s was a zombie here: it had exited, and nobody had "
					 "waited for it yet")
				     : _("%s was a zombie here: it had exited, and nobody ever "
					 "waited for it"), proc_name(s, (long)i, name, sizeof(name)));
	open_title(s, buf_str(&tip));
	buf_addf(s->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"8\" "
		 "fill=\"url(#%s-zombie)\"/></g>", end, y_of(i) - 4, reaped - end, s->id);
	buf_free(&tip);
}

/* The bar of a live process and the dot of its exit. */
static void alive_bar(struct svg *s, size_t i, double start, double end, bool bad)
{
	const struct proc *p = &s->t->procs[i];
	struct buf tip = BUF_INIT;
	char name[96];
	double ms, y = y_of(i);

	buf_addf(&tip, "%s (pid %d): ", proc_name(s, (long)i, name, sizeof(name)), (int)p->pid);
	if (seq_time(s->t, p->seq_start, &ms))
		buf_addf(&tip, _("created at %.3f ms, "), ms);
	exit_label(p, &tip);
	if (seq_time(s->t, p->seq_exit, &ms))
		buf_addf(&tip, _(" at %.3f ms"), ms);
	if (p->execed)
		buf_adds(&tip, "; it ran exec");
	open_title(s, buf_str(&tip));
	buf_addf(s->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" rx=\"3\" "
		 "fill=\"" C_BAR "\"/>", start, y - 6, end - start);
	if (p->exited)
		buf_addf(s->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\" "
			 "stroke=\"#fff\" stroke-width=\"1.5\"/>", end, y,
			 bad ? C_BAD : p->killed_at_end ? C_MUTED : C_REAP);
	buf_adds(s->out, "</g>");
	buf_free(&tip);
}

/* One process: its life, zombie time, and how it ended (in a column on the
   right, in red when something is wrong). */
static void life_bar(struct svg *s, size_t i)
{
	const struct proc *p = &s->t->procs[i];
	size_t col;
	struct buf label = BUF_INIT;
	double start = fork_of(s, i, &col) ? col_x(s, col) : seq_x(s, p->seq_start, s->x0);
	double end = p->exited ? seq_x(s, p->seq_exit, s->x_end) : s->x_end;
	double reaped = p->seq_reaped ? seq_x(s, p->seq_reaped, s->x_end) : s->x_end;
	bool bad = p->exited && !p->killed_at_end && (p->exit_signal || p->exit_code);
	bool alarm = bad || !p->exited || (i > 0 && !p->seq_reaped && !p->killed_at_end);

	if (end < start + 2)
		end = start + 2;
	zombie_band(s, i, end, reaped);
	alive_bar(s, i, start, end, bad);
	end_label(s, i, &label);
	buf_addf(s->out, "<text x=\"%.1f\" y=\"%.1f\" class=\"end%s\">", s->x_end + 9,
		 y_of(i) + 4, alarm ? " bad" : "");
	report_markups(s->out, buf_str(&label), false);
	buf_adds(s->out, "</text>");
	buf_free(&label);
}

static void draw_event(struct svg *s, size_t col)
{
	const struct event *e = s->ev[col];
	double x = col_x(s, col), y = y_of((size_t)e->proc);
	struct buf tip = BUF_INIT;

	s->used[e->kind] = true;
	describe_event(s, e, &tip);
	if (is_blamed(s, e)) {
		buf_adds(&tip, " (a failed check names this event)");
		buf_addf(s->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"9\" fill=\"#ffebe9\" "
			 "stroke=\"" C_BAD "\" stroke-width=\"2\" class=\"blamed\"/>", x, y);
	}
	open_title(s, buf_str(&tip));
	buf_free(&tip);
	switch (e->kind) {
	case EV_FORK:
		buf_addf(s->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"" C_FORK "\"/>", x, y);
		if (has_lane(s, e->fork.child))
			arrow(s, x, y, y_of((size_t)e->fork.child), C_FORK, "fork", false);
		break;
	case EV_REAP:
		if (has_lane(s, e->reap.child))
			arrow(s, x, y_of((size_t)e->reap.child), y, C_REAP, "reap", true);
		buf_addf(s->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#fff\" "
			 "stroke=\"" C_REAP "\" stroke-width=\"2\"/>", x, y);
		break;
	case EV_EXIT:
		break;      /* drawn with the life bar */
	case EV_SIGNAL_SEND:
		if (has_lane(s, e->signal_send.target) && e->signal_send.target != e->proc)
			arrow(s, x, y, y_of((size_t)e->signal_send.target), C_SIGNAL, "sig", true);
		mark(s, e->kind, x, y, C_SIGNAL);
		break;
	default:
		mark(s, e->kind, x, y, kind_colour(e->kind));
	}
	buf_adds(s->out, "</g>");
}

static void axis(struct svg *s)
{
	double first = s->nev ? s->ev[0]->t_ms : 0, last = s->nev ? s->ev[s->nev - 1]->t_ms : 0;

	buf_addf(s->out, "<text x=\"%.1f\" y=\"12\" class=\"axis\">%.1f ms</text>", s->x0, first);
	buf_addf(s->out, "<text x=\"%.1f\" y=\"12\" class=\"axis\" text-anchor=\"end\">"
		 "%.1f ms</text>", s->x_end, last);
	line(s, s->x0, 18, s->x_end, 18, "#d0d7de", "");
}

struct legend_item {
	const char *text;
	enum event_kind kind;      /* EV__COUNT: always shown */
	int shape;                 /* 0 mark(kind), 1 bar, 2 zombie, 3 exit dot */
};

/* The legend, for the kinds drawn.  Returns the y below it. */
static double legend(struct svg *s, double y)
{
	static const struct legend_item items[] = {
		{N_("alive"), EV__COUNT, 1}, {N_("zombie (exited, not yet reaped)"), EV__COUNT, 2},
		{"exit", EV__COUNT, 3}, {"fork", EV_FORK, 0}, {N_("reaped (wait)"), EV_REAP, 0},
		{"exec", EV_EXEC, 0}, {N_("signal sent"), EV_SIGNAL_SEND, 0},
		{N_("signal received"), EV_SIGNAL_DELIVER, 0}, {N_("marker"), EV_MARKER, 0},
		{"open", EV_OPEN, 0}, {"close", EV_CLOSE, 0}, {"write", EV_WRITE, 0},
		{"pipe", EV_PIPE, 0}, {N_("shared memory"), EV_MMAP_SHARED, 0}, {"IPC", EV_IPC, 0},
		{"futex", EV_FUTEX, 0}, {N_("handler"), EV_SIGACTION, 0}, {N_("timer"), EV_TIMER, 0},
		{N_("thread"), EV_THREAD, 0}, {N_("orphaned"), EV_ORPHAN, 0},
		{N_("injected failure"), EV_FAULT, 0}, {N_("blocked at timeout"), EV_BLOCKED, 0},
	};
	double x = 10, width = s->x_end + s->tail_w;

	for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
		const struct legend_item *it = &items[i];
		const char *text = _(it->text);
		double w = 26 + CHAR_W * text_cols(text);
		if (it->kind != EV__COUNT && !s->used[it->kind])
			continue;
		if (x + w > width) {
			x = 10;
			y += 20;
		}
		if (it->shape == 1)
			buf_addf(s->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"10\" rx=\"3\" "
				 "fill=\"" C_BAR "\"/>", x - 2, y - 5);
		else if (it->shape == 2)
			buf_addf(s->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"8\" "
				 "fill=\"url(#%s-zombie)\"/>", x - 2, y - 4, s->id);
		else if (it->shape == 3)
			buf_addf(s->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"" C_REAP "\"/>"
				 "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"" C_BAD "\"/>",
				 x, y, x + 10, y);
		else if (it->kind == EV_FORK)
			line(s, x, y, x + 14, y, C_FORK, "stroke-width=\"2\"");
		else if (it->kind == EV_REAP)
			line(s, x, y, x + 14, y, C_REAP, "stroke-dasharray=\"3 2\"");
		else
			mark(s, it->kind, x + 6, y, kind_colour(it->kind));
		buf_addf(s->out, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">%s</text>",
			 x + 20, y + 4, text);
		x += w;
	}
	return y + 20;
}

static double note(struct svg *s, double y, const char *cls, const char *text)
{
	buf_addf(s->out, "<text x=\"10\" y=\"%.1f\" class=\"%s\">%s</text>", y, cls, text);
	return y + 16;
}

/* What was left out of the picture.  Returns the y below the notes. */
static double notes(struct svg *s, double y)
{
	char text[160];

	y = note(s, y, "legend", _("Left to right: events in the order they happened "
		 "(not to scale in time). Hover over a mark for its time and details."));
	if (s->lanes < s->t->nprocs) {
		snprintf(text, sizeof(text), _("%zu more processes not drawn."),
			 s->t->nprocs - s->lanes);
		y = note(s, y, "legend", text);
	}
	if (s->skipped_events) {
		snprintf(text, sizeof(text), _("%zu events not drawn (too many to show)."),
			 s->skipped_events);
		y = note(s, y, "legend", text);
	}
	if (!s->t->complete)
		y = note(s, y, "legend bad",
			 _("The trace is incomplete: the tracer's event limit was reached."));
	return y;
}

void report_svg_timeline(const struct trace *t, const char *id, const struct check_blame *blame,
			 struct buf *out)
{
	struct buf body = BUF_INIT;
	struct svg s = {.t = t, .out = &body, .id = id, .blame = blame};

	if (!t || t->nprocs == 0)
		return;
	s.lanes = t->nprocs < MAX_LANES ? t->nprocs : MAX_LANES;
	select_events(&s);
	size_t cols = s.nev ? s.nev : 1;
	s.step = CHART_W / cols;
	if (s.step > STEP_MAX)
		s.step = STEP_MAX;
	if (s.step * cols < MIN_CHART_W)
		s.step = MIN_CHART_W / cols;
	if (s.step < 3)
		s.step = 3;
	s.x0 = LABEL_W + 4;
	s.x_end = s.x0 + cols * s.step + 6;
	s.tail_w = 60;
	for (size_t i = 0; i < s.lanes; i++) {
		struct buf label = BUF_INIT;
		end_label(&s, i, &label);
		double w = (double)text_cols(buf_str(&label)) * CHAR_W + 24;
		if (w > s.tail_w)
			s.tail_w = w;
		buf_free(&label);
	}

	defs(&s);
	axis(&s);
	lanes(&s);
	for (size_t i = 0; i < s.lanes; i++)
		life_bar(&s, i);
	for (size_t c = 0; c < s.nev; c++)
		draw_event(&s, c);
	double y = legend(&s, TOP + s.lanes * LANE_H + 22);
	y = notes(&s, y + 4);

	double width = s.x_end + s.tail_w;
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" "
		 "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
		 "aria-label=\"process timeline\">", width, y, width, y);
	buf_add(out, body.data, body.len);
	buf_adds(out, "</svg>");
	buf_free(&body);
	free(s.ev);
}
