/*
 * trace_send.c - signals the grader sends to the program under test
 * (tracer_opts.sends, struct signal_send in trace.h).
 *
 * A send is armed by its trigger and goes when due:
 *   - no trigger: due delay_ms after the tracer started;
 *   - after_output: a whole line written to standard output by any process
 *     of the tree (the tracer traps writes to fd 1 then); with no delay it
 *     goes at the write's exit stop, so the program gets it right after
 *     the write returns, before it runs another instruction of its own;
 *   - after_marker: a harness marker; with no delay it goes before the
 *     marker's write returns;
 *   - before_wait N: the target's Nth pause, rt_sigsuspend or
 *     rt_sigtimedwait (trapped then).  At its seccomp stop the call is
 *     deferred (regs_defer_call: skipped, put back on `syscall`), and the
 *     signal sent: the handler runs first, then the call is made afresh.
 *     That is the moment a check-then-pause loses a signal; a signal
 *     blocked around the check stays pending until sigsuspend unblocks it.
 * Then times - 1 more follow, gap_ms apart.  Each send is an
 * EV_SIGNAL_SEND with by_grader set, on the target's line.  A target that
 * has not started yet is waited for; one that has ended gets nothing more.
 * Timed sends need the loop's tick (tracer_tick_ms, tracer_tick).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "trace_internal.h"

void send_init(struct tracer *t, const struct signal_send *s, size_t n)
{
	t->sends = n ? xcalloc(n, sizeof(*t->sends)) : NULL;
	t->nsends = n;
	for (size_t i = 0; i < n; i++) {
		struct send_state *st = &t->sends[i];
		st->s = s[i];
		st->s.after_output = s[i].after_output ? xstrdup(s[i].after_output) : NULL;
		st->s.after_marker = s[i].after_marker ? xstrdup(s[i].after_marker) : NULL;
		if (st->s.times < 1)
			st->s.times = 1;
		bool triggered = st->s.after_output || st->s.after_marker || st->s.before_wait > 0;
		st->due_ms = triggered ? -1 : (double)st->s.delay_ms;
		t->watch_stdout |= st->s.after_output != NULL;
		t->trap_waits |= st->s.before_wait > 0;
	}
}

void send_free(struct tracer *t)
{
	for (size_t i = 0; i < t->nsends; i++) {
		free((char *)t->sends[i].s.after_output);
		free((char *)t->sends[i].s.after_marker);
	}
	free(t->sends);
	t->sends = NULL;
	t->nsends = 0;
}

static double since_start(const struct tracer *t)
{
	return now_ms() - t->t0;
}

/* The live process with that index; NULL if it is not (or no longer) there. */
static struct pstate *target_ps(struct tracer *t, int index)
{
	for (size_t i = 0; i < t->nps; i++)
		if (t->ps[i]->index == index)
			return t->ps[i];
	return NULL;
}

/* Send st's signal to ps (to its thread tid if nonzero) and record it. */
static void send_one(struct tracer *t, struct send_state *st, struct pstate *ps, pid_t tid)
{
	long rc = (tid ? syscall(SYS_tgkill, ps->pid, tid, st->s.sig) : kill(ps->pid, st->s.sig)) < 0 ?
		-errno : 0;
	struct event *e = ev_add(t, ps, EV_SIGNAL_SEND);
	e->signal_send.target = ps->index;
	e->signal_send.sig = st->s.sig;
	e->signal_send.pid = ps->index >= 0 && t->inner ? t->inner[ps->index] : ps->pid;
	e->signal_send.by_grader = true;
	e->ret = rc;
	st->sent++;
	st->due_ms = st->sent < st->s.times ? st->due_ms + (double)st->s.gap_ms : -1;
}

void send_due(struct tracer *t)
{
	double now = since_start(t);
	for (size_t i = 0; i < t->nsends; i++) {
		struct send_state *st = &t->sends[i];
		while (st->due_ms >= 0 && st->due_ms <= now && st->sent < st->s.times) {
			struct pstate *ps = target_ps(t, st->s.target);
			if (!ps) {
				if ((size_t)st->s.target < t->tr->nprocs)
					st->sent = st->s.times;      /* it has ended */
				break;                               /* not yet there */
			}
			send_one(t, st, ps, 0);
		}
	}
}

/* Arm the sends whose trigger matches; true if one is due at once. */
static bool arm(struct tracer *t, const char *line, bool marker)
{
	bool now = false;
	for (size_t i = 0; i < t->nsends; i++) {
		struct send_state *st = &t->sends[i];
		const char *want = marker ? st->s.after_marker : st->s.after_output;
		size_t n = want ? strlen(want) : 0;
		if (!want || st->armed || strncmp(line, want, n) ||
		    (line[n] && !(marker && line[n] == ' ')))
			continue;
		st->armed = true;
		st->due_ms = since_start(t) + (double)st->s.delay_ms;
		now |= st->s.delay_ms == 0;
	}
	return now;
}

bool send_on_output(struct tracer *t, const char *line)
{
	return arm(t, line, false);
}

bool send_on_marker(struct tracer *t, const char *line)
{
	return arm(t, line, true);
}

bool send_before_wait(struct tracer *t, struct task *k)
{
	struct send_state *hit = NULL;
	if (!k->ps)
		return false;
	for (size_t i = 0; i < t->nsends; i++) {
		struct send_state *st = &t->sends[i];
		if (st->s.before_wait > 0 && st->s.target == k->ps->index && !st->armed &&
		    ++st->waits == st->s.before_wait)
			hit = st;
	}
	if (!hit || !regs_defer_call(k->tid))
		return false;
	hit->armed = true;
	hit->due_ms = since_start(t) + (double)hit->s.delay_ms;
	if (hit->s.delay_ms == 0)       /* to this very thread: its handler runs first */
		send_one(t, hit, k->ps, k->tid);
	task_resume(k, PTRACE_CONT, 0);
	return true;
}

int send_tick_ms(const struct tracer *t)
{
	double next = -1;
	for (size_t i = 0; i < t->nsends; i++) {
		const struct send_state *st = &t->sends[i];
		if (st->due_ms >= 0 && st->sent < st->s.times && (next < 0 || st->due_ms < next))
			next = st->due_ms;
	}
	if (next < 0)
		return -1;
	double left = next - since_start(t);
	return left <= 0 ? 0 : (int)left + 1;
}
