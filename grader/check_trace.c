/*
 * check_trace.c - the checks that read the trace (exercises/README.md,
 * "From the trace"): processes, writers, opened_itself, order, ipc,
 * markers, interval, busy_wait, signals, pipe_writes.  (lines is in
 * check_lines.c.)
 *
 * Each is a pure function of its parameters and the finished trace (the
 * tracer's events in sequence order; see trace.h).  Messages name
 * processes as students know them ("the program", "child #2 (of the
 * program)"), say what was expected and what happened, and end with a hint.
 *
 * Paths in parameters are relative to the run directory; a traced path
 * matches when it is the same or ends with "/" and the path (the tracer
 * sees paths as the program gave them, or as /proc resolves them).
 * A marker parameter matches a marker line equal to it or starting with it
 * and a space ("enter" matches "enter 3").
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "check.h"
#include "i18n.h"
#include "result.h"    /* struct check_blame */
#include "trace.h"
#include "vars.h"

/* ---- helpers ---- */

static const char *pname(const struct trace *t, int index, char *buf, size_t n)
{
	return trace_proc_name(t, index, buf, n);
}

/* "child #2" (short, for lists) */
static const char *sname(int index, char *buf, size_t n)
{
	if (index == 0)
		return _("the program");
	snprintf(buf, n, _("child #%d"), index);
	return buf;
}

static bool path_matches(const char *have, const char *want)
{
	size_t hl, wl;
	const char *del = " (deleted)";

	if (!have || !want)
		return false;
	while (str_starts(want, "./"))
		want += 2;
	while (str_starts(have, "./"))
		have += 2;
	hl = strlen(have);
	wl = strlen(want);
	if (hl > strlen(del) && str_ends(have, del))
		hl -= strlen(del);
	if (hl == wl && !strncmp(have, want, wl))
		return true;
	return hl > wl && have[hl - wl - 1] == '/' && !strncmp(have + hl - wl, want, wl);
}

static bool event_path_matches(const struct event *e, const char *want)
{
	switch (e->kind) {
	case EV_OPEN:
		return path_matches(e->open.path, want) || path_matches(e->open.resolved, want);
	case EV_CLOSE:
		return path_matches(e->close.path, want);
	case EV_WRITE:
		return path_matches(e->write.path, want);
	case EV_EXEC:
		return path_matches(e->exec.path, want);
	default:
		return false;
	}
}

static bool marker_matches(const char *line, const char *want)
{
	size_t n = strlen(want);
	return line && !strncmp(line, want, n) && (line[n] == '\0' || line[n] == ' ');
}

void check_blame(const struct check_ctx *c, const struct event *e)
{
	if (c->blame && e && c->blame->n < BLAME_MAX)
		c->blame->seq[c->blame->n++] = e->seq;
}

static int need_trace(const struct check_ctx *c, const char *check)
{
	if (c->trace)
		return 0;
	return error_set("check '%s' needs the trace, but the test ran untraced", check);
}

/* First event of kind k with a marker matching text; NULL if none. */
static const struct event *find_marker(const struct trace *t, const char *text)
{
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].kind == EV_MARKER && marker_matches(t->ev[i].marker.text, text))
			return &t->ev[i];
	return NULL;
}

/* ---- processes ---- */

/* "3" or "SIGTERM": a way for a process to end. */
static bool exit_spec_ok(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s && !*end)
		return v >= 0 && v <= 255;
	return check_signal_number(s) > 0;
}

struct processes_params {
	long created, min_created, max_created;
	long max_alive, min_alive;
	int all_reaped;
	char *reaped_before;
	int orphans;
	int exec;
	int threads;
	char **exits;           /* per child of the program, in creation order */
	char **names;           /* templates: names some child took */
	int reaped_as_they_end;
};

static const char *processes_validate(const void *obj)
{
	const struct processes_params *p = obj;
	if (p->created == UNSET && p->min_created == UNSET && p->max_created == UNSET &&
	    p->max_alive == UNSET && p->min_alive == UNSET && p->all_reaped < 0 &&
	    !p->reaped_before && p->orphans < 0 && p->exec < 0 && p->threads < 0 &&
	    !p->exits && !p->names && p->reaped_as_they_end < 0)
		return "say what to check: created, min_created, max_created, max_alive, "
		       "min_alive, all_reaped, reaped_before, orphans, exec, threads, exits, "
		       "names or reaped_as_they_end";
	for (char **e = p->exits; e && *e; e++)
		if (!strchr(*e, '$') && !exit_spec_ok(*e))
			return "each of 'exits' is an exit code (0-255) or a signal name (SIGTERM)";
	if (p->created != UNSET && (p->min_created != UNSET || p->max_created != UNSET))
		return "give 'created' or 'min_created'/'max_created', not both";
	return NULL;
}

static const struct field processes_fields[] = {
	{"created", F_LONG, offsetof(struct processes_params, created), F_SHORTHAND,
	 .help = "processes created by the tree, the program not counted"},
	{"min_created", F_LONG, offsetof(struct processes_params, min_created), 0,
	 .help = "at least this many processes created"},
	{"max_created", F_LONG, offsetof(struct processes_params, max_created), 0,
	 .help = "at most this many processes created"},
	{"max_alive", F_LONG, offsetof(struct processes_params, max_alive), 0,
	 .help = "at most this many processes alive at once, counting the program"},
	{"min_alive", F_LONG, offsetof(struct processes_params, min_alive), 0,
	 .help = "at least this many processes alive at once at some point"},
	{"all_reaped", F_BOOL, offsetof(struct processes_params, all_reaped), 0,
	 .help = "every child reaped by its own parent"},
	{"reaped_before", F_STR, offsetof(struct processes_params, reaped_before), 0,
	 .help = "every child reaped before this harness marker"},
	{"orphans", F_BOOL, offsetof(struct processes_params, orphans), 0,
	 .help = "false: no process outlives its parent"},
	{"exec", F_BOOL, offsetof(struct processes_params, exec), 0,
	 .help = "false: no process runs another program"},
	{"threads", F_BOOL, offsetof(struct processes_params, threads), 0,
	 .help = "false: no threads"},
	{"exits", F_STRLIST, offsetof(struct processes_params, exits), 0,
	 .help = "how each child of the program ended, in creation order: an exit code "
		 "(template) or the signal that killed it (SIGTERM)"},
	{"names", F_STRLIST, offsetof(struct processes_params, names), 0,
	 .help = "names (templates) that children took, as ps shows them (prctl PR_SET_NAME; "
		 "15 bytes at most)"},
	{"reaped_as_they_end", F_BOOL, offsetof(struct processes_params, reaped_as_they_end), 0,
	 .help = "true: no child stays a zombie while its parent waits by pid for a "
		 "sibling that ended after it"},
};
static const struct schema processes_schema =
	SCHEMA(struct processes_params, "check 'processes'", processes_fields, processes_validate);

/* Most processes alive at once (the program counts), in tracer order. */
static long max_alive(const struct trace *t)
{
	long alive = t->nprocs ? 1 : 0, most = alive;
	for (size_t i = 0; i < t->nev; i++) {
		if (t->ev[i].kind == EV_FORK)
			alive++;
		else if (t->ev[i].kind == EV_EXIT)
			alive--;
		if (alive > most)
			most = alive;
	}
	return most;
}

static void list_children(const struct trace *t, struct buf *msg)
{
	char n1[64];
	for (size_t i = 1; i < t->nprocs && i <= 12; i++)
		buf_addf(msg, "    %s%s\n", pname(t, (int)i, n1, sizeof(n1)),
			 t->procs[i].execed ? _(" (then ran another program)") : "");
	if (t->nprocs > 13)
		buf_addf(msg, _("    ... and %zu more\n"), t->nprocs - 13);
}

static bool has_grandchildren(const struct trace *t)
{
	for (size_t i = 1; i < t->nprocs; i++)
		if (t->procs[i].parent > 0)
			return true;
	return false;
}

static int check_created(const struct processes_params *p, const struct trace *t,
			 struct buf *msg)
{
	long n = t->nprocs ? (long)t->nprocs - 1 : 0;
	long lo = p->created != UNSET ? p->created : p->min_created;
	long hi = p->created != UNSET ? p->created : p->max_created;

	if ((lo == UNSET || n >= lo) && (hi == UNSET || n <= hi))
		return 1;
	if (lo != UNSET && lo == hi)
		check_fail(msg, _n("expected the program to create %ld process; it created %ld",
				   "expected the program to create %ld processes; it created %ld",
				   (unsigned long)lo), lo, n);
	else if (lo != UNSET && n < lo)
		check_fail(msg, _("expected at least %ld new processes; the program created %ld"), lo, n);
	else
		check_fail(msg, _("expected at most %ld new processes; the program created %ld"), hi, n);
	if (n)
		list_children(t, msg);
	if (hi != UNSET && n > hi && has_grandchildren(t))
		check_hint(msg, _("children forked children of their own: after fork() the child "
			   "runs the rest of the loop too; make it exit (or break) when its work is done"));
	else if (lo != UNSET && n < lo)
		check_hint(msg, _("each fork() creates one process; check that fork() is called "
			   "as many times as there is work for processes"));
	else
		check_hint(msg, _("count the fork() calls each process makes, loops included"));
	return 0;
}

static int check_alive(const struct processes_params *p, const struct trace *t,
		       struct buf *msg)
{
	long most = max_alive(t);
	if (p->max_alive != UNSET && most > p->max_alive) {
		check_fail(msg, _("expected at most %ld processes alive at once (counting the "
			   "program); there were %ld"), p->max_alive, most);
		return check_hint(msg, _("wait for a child before starting the next one when "
				  "only a few may run at once"));
	}
	if (p->min_alive != UNSET && most < p->min_alive) {
		check_fail(msg, _("expected at least %ld processes alive at the same time "
			   "(counting the program); at most %ld were"), p->min_alive, most);
		return check_hint(msg, _("the children must run concurrently: start them all "
				  "before waiting for any of them"));
	}
	return 1;
}

/* Did c end after the program (killed at the end, or left running)? */
static bool outlived_program(const struct trace *t, const struct proc *c)
{
	return t->procs[0].exited && c->seq_exit > t->procs[0].seq_exit;
}

static int check_reaped(const struct processes_params *p, const struct trace *t,
			struct buf *msg)
{
	char n1[64], n2[64];
	size_t bad = 0;

	for (size_t i = 1; i < t->nprocs; i++)
		bad += t->procs[i].reaper != t->procs[i].parent;
	if (p->all_reaped == 0) {
		if (bad)
			return 1;
		check_fail(msg, _("expected at least one child not to be reaped by its parent; "
			   "every child was"));
		return check_hint(msg, _("this exercise wants a child left unreaped (a zombie or "
				  "an orphan)"));
	}
	if (!bad)
		return 1;
	for (size_t i = 1; i < t->nprocs; i++) {
		const struct proc *c = &t->procs[i];
		if (c->reaper == c->parent)
			continue;
		if (c->reaper >= 0)
			check_fail(msg, _("%s was reaped by %s, not by its parent"), pname(t, (int)i, n1,
				   sizeof(n1)), pname(t, c->reaper, n2, sizeof(n2)));
		else if (!c->exited || outlived_program(t, c))
			check_fail(msg, _("%s was still running when the program ended: its parent "
				   "never waited for it"), pname(t, (int)i, n1, sizeof(n1)));
		else
			check_fail(msg, _("%s ended but its parent never reaped it (wait/waitpid)"),
				   pname(t, (int)i, n1, sizeof(n1)));
	}
	return check_hint(msg, _("every fork() needs a matching wait() or waitpid() in the "
			  "parent, or the child stays a zombie"));
}

static int check_reaped_before(const struct processes_params *p, const struct trace *t,
			       struct buf *msg)
{
	char n1[64];
	const struct event *m = find_marker(t, p->reaped_before);
	int ok = 1;

	if (!m) {
		check_fail(msg, _("the harness never reached the point \"%s\": the program did not "
			   "get that far"), p->reaped_before);
		return 0;
	}
	for (size_t i = 1; i < t->nprocs; i++) {
		const struct proc *c = &t->procs[i];
		if (c->seq_start > m->seq)
			continue;       /* created after the marker: not concerned */
		if (c->seq_reaped && c->seq_reaped < m->seq)
			continue;
		ok = check_fail(msg, c->seq_reaped ? _("%s was not reaped before \"%s\" (it was reaped later)")
						   : _("%s was not reaped before \"%s\""),
				pname(t, (int)i, n1, sizeof(n1)), p->reaped_before);
	}
	if (!ok)
		check_hint(msg, _("wait for every child before your function returns"));
	return ok;
}

static int check_orphans(const struct processes_params *p, const struct trace *t,
			 struct buf *msg)
{
	char n1[64], n2[64];
	int found = 0;

	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		if (e->kind != EV_ORPHAN)
			continue;
		found++;
		if (p->orphans == 0) {
			int parent = e->proc >= 0 && (size_t)e->proc < t->nprocs ?
				     t->procs[e->proc].parent : -1;
			check_fail(msg, _("%s outlived its parent %s"), pname(t, e->proc, n1, sizeof(n1)),
				   parent >= 0 ? pname(t, parent, n2, sizeof(n2)) : "");
		}
	}
	if (p->orphans == 0 && found)
		return check_hint(msg, _("a parent must wait for its children before it exits"));
	if (p->orphans == 1 && !found) {
		check_fail(msg, _("expected a process to outlive its parent (an orphan); none did"));
		return check_hint(msg, _("the parent must exit while its child still runs"));
	}
	return 1;
}

static int check_bool_feature(int want, bool have, const char *what_yes, const char *what_no,
			      const char *hint, struct buf *msg)
{
	if (want < 0 || want == have)
		return 1;
	check_fail(msg, "%s", want ? what_no : what_yes);
	return hint ? check_hint(msg, "%s", hint) : 0;
}

/* "was still running at the end", "was killed by SIGTERM", "exited with status 3" */
static void describe_end(const struct proc *p, struct buf *b)
{
	char sig[32];
	if (!p->exited)
		buf_adds(b, _("was still running at the end"));
	else if (p->exit_signal)
		buf_addf(b, _("was killed by %s"), signal_name(p->exit_signal, sig, sizeof(sig)));
	else
		buf_addf(b, _("exited with status %d"), p->exit_code);
}

/* The program's children, in creation order (indexes into t->procs). */
static size_t program_children(const struct trace *t, int *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 1; i < t->nprocs && n < max; i++)
		if (t->procs[i].parent == 0)
			out[n++] = (int)i;
	return n;
}

static int check_exits(const struct processes_params *p, const struct check_ctx *c,
		       struct buf *msg)
{
	const struct trace *t = c->trace;
	int kids[256];
	size_t want = strv_len(p->exits), n = program_children(t, kids, 256);
	int ok = 1;
	char n1[64];

	if (n < want)
		return check_fail(msg, _("expected %zu children of the program; it created %zu"), want,
				  n);
	for (size_t k = 0; k < want; k++) {
		char *spec = vars_expand(c->vars, p->exits[k]);
		if (!spec)
			return -1;
		const struct proc *pr = &t->procs[kids[k]];
		char *end;
		long code = strtol(spec, &end, 10);
		bool is_code = *spec && !*end;
		bool right = pr->exited && (is_code ? !pr->exit_signal && pr->exit_code == code
					    : pr->exit_signal == check_signal_number(spec));
		if (!right) {
			struct buf how = BUF_INIT;
			describe_end(pr, &how);
			ok = check_fail(msg, is_code ? _("%s (the program's child number %zu) %s; "
							 "expected it to exit with status %s")
						       : _("%s (the program's child number %zu) %s; "
							 "expected it to be killed by %s"),
					pname(t, kids[k], n1, sizeof(n1)), k, buf_str(&how), spec);
			buf_free(&how);
		}
		free(spec);
	}
	return ok;
}

static int check_names(const struct processes_params *p, const struct check_ctx *c,
		       struct buf *msg)
{
	const struct trace *t = c->trace;
	int ok = 1;
	for (char **tmpl = p->names; *tmpl; tmpl++) {
		char *want = vars_expand(c->vars, *tmpl);
		if (!want)
			return -1;
		bool found = false;
		for (size_t i = 1; i < t->nprocs && !found; i++)
			found = !strncmp(t->procs[i].name, want, sizeof(t->procs[i].name) - 1);
		if (!found) {
			ok = check_fail(msg, _("no child took the name \"%s\" (as ps shows it)"), want);
			buf_adds(msg, "  ");
			buf_adds(msg, _("the children's names:"));
			for (size_t i = 1; i < t->nprocs; i++)
				buf_addf(msg, " \"%s\"", t->procs[i].name);
			buf_addc(msg, '\n');
		}
		free(want);
	}
	if (!ok)
		check_hint(msg, _("prctl(PR_SET_NAME, name) in the child sets the name ps shows"));
	return ok;
}

/* A child reaped by a wait for its pid while a sibling that had ended
   before it was still a zombie: the parent was not reaping them as they
   ended.  (A wait for any child never blocks while one is a zombie.) */
static int check_reaped_as_they_end(const struct trace *t, struct buf *msg)
{
	char n1[64], n2[64];
	for (size_t b = 1; b < t->nprocs; b++) {
		const struct proc *pb = &t->procs[b];
		if (!pb->seq_reaped || !pb->reaped_by_pid)
			continue;
		for (size_t a = 1; a < t->nprocs; a++) {
			const struct proc *pa = &t->procs[a];
			if (a == b || pa->parent != pb->parent || !pa->exited ||
			    pa->seq_exit >= pb->seq_exit ||
			    (pa->seq_reaped && pa->seq_reaped < pb->seq_reaped))
				continue;
			check_fail(msg, _("%s ended before %s, but stayed a zombie while its parent "
				   "waited for %s by its pid"), pname(t, (int)a, n1, sizeof(n1)),
				   sname((int)b, n2, sizeof(n2)), sname((int)b, n2, sizeof(n2)));
			return check_hint(msg, _("wait for any child (wait(), waitpid(-1, ...)): the "
					  "first to end is then the first reaped"));
		}
	}
	return 1;
}

static int check_processes(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct processes_params *p = params;
	const struct trace *t = c->trace;
	bool execed = false, threads = false;
	int ok = 1;

	if (need_trace(c, "processes") < 0)
		return -1;
	for (size_t i = 0; i < t->nprocs; i++)   /* the program's own launch is not counted */
		execed |= t->procs[i].execed;
	for (size_t i = 0; i < t->nev; i++)
		threads |= t->ev[i].kind == EV_THREAD;
	if (p->created != UNSET || p->min_created != UNSET || p->max_created != UNSET)
		ok &= check_created(p, t, msg);
	if (p->max_alive != UNSET || p->min_alive != UNSET)
		ok &= check_alive(p, t, msg);
	if (p->all_reaped >= 0)
		ok &= check_reaped(p, t, msg);
	if (p->reaped_before)
		ok &= check_reaped_before(p, t, msg);
	if (p->orphans >= 0)
		ok &= check_orphans(p, t, msg);
	ok &= check_bool_feature(p->exec, execed, _("a process ran another program (exec); this "
				 "exercise wants the work done in your own code"),
				 _("expected a process to run another program (exec); none did"),
				 NULL, msg);
	ok &= check_bool_feature(p->threads, threads, _("the program created threads; this "
				 "exercise is about processes: use fork()"),
				 _("expected the program to create threads; it did not"), NULL, msg);
	int rc = 1;
	if (p->exits && (rc = check_exits(p, c, msg)) < 0)
		return -1;
	ok &= rc;
	if (p->names && (rc = check_names(p, c, msg)) < 0)
		return -1;
	ok &= rc;
	if (p->reaped_as_they_end == 1)
		ok &= check_reaped_as_they_end(t, msg);
	return ok;
}

/* ---- writers ---- */

struct writers_params {
	char **files;
	int distinct;
	int child;
	long count;
};

static const struct field writers_fields[] = {
	{"files", F_STRLIST, offsetof(struct writers_params, files), F_REQUIRED | F_SHORTHAND,
	 .help = "files (relative to the run directory) whose writers are checked"},
	{"distinct", F_BOOL, offsetof(struct writers_params, distinct), 0,
	 .help = "no process wrote two of the files"},
	{"child", F_BOOL, offsetof(struct writers_params, child), 0,
	 .help = "at least one writer is not the program"},
	{"count", F_LONG, offsetof(struct writers_params, count), 0,
	 .help = "number of distinct processes that wrote the files"},
};
static const struct schema writers_schema =
	SCHEMA(struct writers_params, "check 'writers'", writers_fields, NULL);

/* wrote[p] = true for every process that wrote path. */
static int writers_of(const struct trace *t, const char *path, bool *wrote)
{
	int n = 0;
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		if (e->kind != EV_WRITE || e->proc < 0 || (size_t)e->proc >= t->nprocs ||
		    !event_path_matches(e, path) || wrote[e->proc])
			continue;
		wrote[e->proc] = true;
		n++;
	}
	return n;
}

static void list_procs(const bool *set, size_t n, struct buf *b)
{
	char name[32];
	int k = 0;
	for (size_t i = 0; i < n; i++)
		if (set[i])
			buf_addf(b, "%s%s", k++ ? ", " : "", sname((int)i, name, sizeof(name)));
	if (!k)
		buf_adds(b, _("nobody"));
}

static int check_writers(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct writers_params *p = params;
	const struct trace *t = c->trace;
	size_t nf = strv_len(p->files), np;
	int ok = 1;

	if (need_trace(c, "writers") < 0)
		return -1;
	np = t->nprocs;
	bool *all = xcalloc(np + 1, sizeof(bool));
	bool *each = xcalloc((nf + 1) * (np + 1), sizeof(bool));
	int *nfiles = xcalloc(np + 1, sizeof(int));
	for (size_t f = 0; f < nf; f++) {
		bool *w = each + f * (np + 1);
		if (!writers_of(t, p->files[f], w)) {
			ok = check_fail(msg, _("no process wrote %s"), p->files[f]);
			continue;
		}
		for (size_t i = 0; i < np; i++) {
			all[i] |= w[i];
			nfiles[i] += w[i];
		}
	}
	if (!ok)
		check_hint(msg, _("the file must be written with write() (or fwrite/fprintf, "
			   "flushed) by one of the processes"));
	if (p->distinct == 1) {
		char n1[64];
		for (size_t i = 0; i < np; i++) {
			if (nfiles[i] < 2)
				continue;
			struct buf which = BUF_INIT;
			for (size_t f = 0, k = 0; f < nf; f++)
				if (each[f * (np + 1) + i])
					buf_addf(&which, "%s%s", k++ ? _(" and ") : "", p->files[f]);
			ok = check_fail(msg, _("%s wrote %s; each file should be written by a different "
					"process"), pname(t, (int)i, n1, sizeof(n1)), buf_str(&which));
			buf_free(&which);
		}
	}
	if (p->child == 1) {
		bool by_child = false;
		for (size_t i = 1; i < np; i++)
			by_child |= all[i];
		if (!by_child) {
			if (nf == 1)
				ok = check_fail(msg, _("expected a child process to write; only the "
						       "program itself wrote %s"), p->files[0]);
			else
				ok = check_fail(msg, _("expected a child process to write; only the "
						       "program itself wrote the files"));
			check_hint(msg, _("the writing must happen in the child, after fork() returned 0"));
		}
	}
	if (p->count != UNSET) {
		long n = 0;
		for (size_t i = 0; i < np; i++)
			n += all[i];
		if (n != p->count) {
			struct buf who = BUF_INIT;
			list_procs(all, np, &who);
			ok = check_fail(msg, _("expected %ld different processes to write the files; "
					"%ld did (%s)"), p->count, n, buf_str(&who));
			buf_free(&who);
		}
	}
	free(all);
	free(each);
	free(nfiles);
	return ok;
}

/* ---- opened_itself ---- */

struct opened_params {
	char *source;
	char **writers_of;
};

static const struct field opened_fields[] = {
	{"source", F_STR, offsetof(struct opened_params, source), F_REQUIRED,
	 .help = "the file every writer must open itself"},
	{"writers_of", F_STRLIST, offsetof(struct opened_params, writers_of), F_REQUIRED,
	 .help = "the files whose writers are concerned"},
};
static const struct schema opened_schema =
	SCHEMA(struct opened_params, "check 'opened_itself'", opened_fields, NULL);

static bool opened_by(const struct trace *t, int proc, const char *path)
{
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		if (e->kind == EV_OPEN && e->proc == proc && e->ret >= 0 && event_path_matches(e, path))
			return true;
	}
	return false;
}

static int check_opened_itself(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct opened_params *p = params;
	const struct trace *t = c->trace;
	char n1[64];
	int ok = 1, writers = 0;

	if (need_trace(c, "opened_itself") < 0)
		return -1;
	bool *w = xcalloc(t->nprocs + 1, sizeof(bool));
	for (size_t f = 0; p->writers_of[f]; f++)
		writers += writers_of(t, p->writers_of[f], w);
	if (!writers) {
		free(w);
		check_fail(msg, _("no process wrote %s, so none can be checked for opening %s"),
			   p->writers_of[0] ? p->writers_of[0] : _("the files"), p->source);
		return 0;
	}
	for (size_t i = 0; i < t->nprocs; i++) {
		if (!w[i] || opened_by(t, (int)i, p->source))
			continue;
		int parent = t->procs[i].parent;
		bool inherited = parent >= 0 && opened_by(t, parent, p->source);
		ok = check_fail(msg, _("%s wrote its part but did not open %s itself%s"),
				pname(t, (int)i, n1, sizeof(n1)), p->source,
				inherited ? _(": it read through the descriptor its parent opened") : "");
	}
	free(w);
	if (!ok)
		check_hint(msg, _("processes that share one open file share its offset, so their "
			   "reads interfere: open %s again in each process (after fork)"), p->source);
	return ok;
}

/* ---- order ---- */

enum sel { SEL_OPEN, SEL_CLOSE, SEL_WRITE, SEL_EXIT, SEL_MARKER, SEL_FORK, SEL_REAP, SEL_EXEC };
static const char *const sel_names[] = {"open", "close", "write", "exit", "marker", "fork",
					"reap", "exec", NULL};
enum by { BY_PROGRAM, BY_CHILD, BY_ANY };

/* Does process index proc fit `by` (unset: anyone)? */
static bool by_matches(int by, int proc)
{
	return by != BY_PROGRAM && by != BY_CHILD ? true : (by == BY_PROGRAM) == (proc == 0);
}
static const char *const by_names[] = {"program", "child", "any", NULL};

struct order_event {
	int event;
	char *path;
	char *marker;
	int by;
};

struct order_params {
	struct order_event first, then, before;
	int require;
};

static const char *order_event_validate(const void *obj)
{
	const struct order_event *e = obj;
	if (e->event < 0)
		return "say which 'event': open, close, write, exit, marker, fork, reap or exec";
	if (e->event == SEL_MARKER && !e->marker)
		return "a 'marker' event needs 'marker: TEXT'";
	if (e->event != SEL_MARKER && e->marker)
		return "'marker' goes with 'event: marker'";
	if (e->path && e->event != SEL_OPEN && e->event != SEL_CLOSE && e->event != SEL_WRITE &&
	    e->event != SEL_EXEC)
		return "'path' goes with open, close, write or exec";
	return NULL;
}

static const struct field order_event_fields[] = {
	{"event", F_ENUM, offsetof(struct order_event, event), F_REQUIRED | F_SHORTHAND,
	 .names = sel_names, .help = "open, close, write, exit, marker, fork, reap or exec"},
	{"path", F_STR, offsetof(struct order_event, path), 0,
	 .help = "the file (open, close, write, exec)"},
	{"marker", F_STR, offsetof(struct order_event, marker), 0,
	 .help = "the marker text (event: marker)"},
	{"by", F_ENUM, offsetof(struct order_event, by), 0, .names = by_names,
	 .help = "program, child or any (default)"},
};
static const struct schema order_event_schema =
	SCHEMA(struct order_event, "event of check 'order'", order_event_fields,
	       order_event_validate);

static const struct field order_fields[] = {
	{"first", F_OBJ, offsetof(struct order_params, first), F_REQUIRED, &order_event_schema,
	 .help = "the events that must all come first"},
	{"then", F_OBJ, offsetof(struct order_params, then), F_REQUIRED, &order_event_schema,
	 .help = "the events that must all come after"},
	{"before", F_OBJ, offsetof(struct order_params, before), 0, &order_event_schema,
	 .help = "promptly: the first 'then' event comes before the first of these after "
		 "the last 'first' (e.g. a paced marker of the process that woke it)"},
	{"require", F_BOOL, offsetof(struct order_params, require), 0,
	 .help = "both must happen (default true)"},
};
static const struct schema order_schema =
	SCHEMA(struct order_params, "check 'order'", order_fields, NULL);

static bool sel_matches(const struct order_event *s, const struct event *e)
{
	static const enum event_kind kinds[] = {
		[SEL_OPEN] = EV_OPEN, [SEL_CLOSE] = EV_CLOSE, [SEL_WRITE] = EV_WRITE,
		[SEL_EXIT] = EV_EXIT, [SEL_MARKER] = EV_MARKER, [SEL_FORK] = EV_FORK,
		[SEL_REAP] = EV_REAP, [SEL_EXEC] = EV_EXEC,
	};
	if (s->event < 0 || e->kind != kinds[s->event] || e->proc < 0)
		return false;
	if (!by_matches(s->by, e->proc))
		return false;
	if (s->event == SEL_OPEN && e->ret < 0)
		return false;
	if (s->path && !event_path_matches(e, s->path))
		return false;
	if (s->marker && !marker_matches(e->marker.text, s->marker))
		return false;
	return true;
}

static void describe_sel(const struct order_event *s, struct buf *b)
{
	const char *what = s->event == SEL_EXIT ? _("the exit") : sel_names[s->event];
	if (s->event == SEL_MARKER)
		buf_addf(b, _("the harness's \"%s\""), s->marker);
	else if (s->path)
		buf_addf(b, _("%s of %s"), what, s->path);
	else
		buf_adds(b, what);
	if (s->by == BY_PROGRAM)
		buf_adds(b, _(" by the program"));
	else if (s->by == BY_CHILD)
		buf_adds(b, _(" by a child"));
}

/* A path as the student knows it ("/box/x" -> "x"); "?" if unknown. */
static const char *rel(const struct trace *t, const char *path)
{
	return path ? trace_rel_path(t, path) : "?";
}

static void describe_event(const struct trace *t, const struct event *e, struct buf *b)
{
	char n1[64];
	buf_addf(b, "%s: ", pname(t, e->proc, n1, sizeof(n1)));
	switch (e->kind) {
	case EV_OPEN:
		buf_addf(b, "open %s", rel(t, e->open.path));
		break;
	case EV_CLOSE:
		buf_addf(b, "close %s", rel(t, e->close.path));
		break;
	case EV_WRITE:
		buf_addf(b, "write %s", rel(t, e->write.path));
		break;
	case EV_MARKER:
		buf_addf(b, "\"%s\"", e->marker.text ? e->marker.text : "");
		break;
	case EV_EXIT:
		buf_adds(b, "exit");
		break;
	case EV_FORK:
		buf_addf(b, _("fork of %s"), sname(e->fork.child, n1, sizeof(n1)));
		break;
	case EV_REAP:
		buf_addf(b, _("reap of %s"), sname(e->reap.child, n1, sizeof(n1)));
		break;
	case EV_EXEC:
		buf_addf(b, "exec %s", rel(t, e->exec.path));
		break;
	case EV_PIPE:
		buf_adds(b, "pipe()");
		break;
	case EV_MMAP_SHARED:
		if (e->mmap.path)
			buf_addf(b, _("%s of %s"), "mmap(MAP_SHARED)", rel(t, e->mmap.path));
		else
			buf_adds(b, "mmap(MAP_SHARED)");
		break;
	case EV_SIGNAL_SEND:
		if (e->signal_send.by_grader)
			buf_addf(b, _("%s from the grader"), signal_name(e->signal_send.sig, n1, sizeof(n1)));
		else
			buf_addf(b, "kill(..., %s)", signal_name(e->signal_send.sig, n1, sizeof(n1)));
		break;
	case EV_FUTEX:
		buf_adds(b, _("futex in shared memory"));
		break;
	case EV_IPC:
		buf_addf(b, "%s%s%s", e->ipc.call ? e->ipc.call : "ipc", e->ipc.name ? " " : "",
			 e->ipc.name ? e->ipc.name : "");
		break;
	default:
		buf_adds(b, event_kind_name(e->kind));
	}
}

/* 'before': the first 'then' comes before the first 'before' event that
   follows the last 'first' (or there is none). */
static int check_promptly(const struct order_params *p, const struct check_ctx *c,
			  const struct event *last_first, const struct event *first_then,
			  struct buf *msg)
{
	const struct trace *t = c->trace;
	const struct event *limit = NULL;
	for (size_t i = (size_t)(last_first - t->ev) + 1; i < t->nev && !limit; i++)
		if (sel_matches(&p->before, &t->ev[i]))
			limit = &t->ev[i];
	if (!limit || first_then->seq < limit->seq)
		return 1;
	struct buf a = BUF_INIT, b = BUF_INIT, z = BUF_INIT;
	describe_event(t, last_first, &a);
	describe_event(t, first_then, &b);
	describe_event(t, limit, &z);
	check_fail(msg, _("expected %s promptly after %s, before %s; it came only after it"),
		   buf_str(&b), buf_str(&a), buf_str(&z));
	check_blame(c, last_first);
	check_blame(c, limit);
	check_hint(msg, _("a process waiting for this must be woken by it (sem_post, "
		   "pthread_cond_signal, a write to a pipe), not find out later by looking again"));
	buf_free(&a);
	buf_free(&b);
	buf_free(&z);
	return 0;
}

static int check_order(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct order_params *p = params;
	const struct trace *t = c->trace;
	const struct event *last_first = NULL, *first_then = NULL;
	struct buf a = BUF_INIT, b = BUF_INIT;
	int ok = 1;

	if (need_trace(c, "order") < 0)
		return -1;
	for (size_t i = 0; i < t->nev; i++) {
		if (sel_matches(&p->first, &t->ev[i]))
			last_first = &t->ev[i];
		if (!first_then && sel_matches(&p->then, &t->ev[i]))
			first_then = &t->ev[i];
	}
	describe_sel(&p->first, &a);
	describe_sel(&p->then, &b);
	if (!last_first || !first_then) {
		if (p->require == 0)
			goto out;
		ok = check_fail(msg, _("expected %s, then %s; but %s never happened"), buf_str(&a),
				buf_str(&b), !last_first ? buf_str(&a) : buf_str(&b));
		goto out;
	}
	if (last_first->seq < first_then->seq) {
		if (p->before.event >= 0)
			ok = check_promptly(p, c, last_first, first_then, msg);
		goto out;
	}
	ok = check_fail(msg, _("expected every %s to come before any %s;"), buf_str(&a),
			buf_str(&b));
	buf_reset(&a);
	buf_reset(&b);
	describe_event(t, first_then, &b);
	describe_event(t, last_first, &a);
	buf_addf(msg, _("  but %s came before %s\n"), buf_str(&b), buf_str(&a));
	check_blame(c, first_then);
	check_blame(c, last_first);
	check_hint(msg, _("the order of events between processes is only guaranteed by "
		   "synchronisation (wait, a pipe, a semaphore), not by timing"));
out:
	buf_free(&a);
	buf_free(&b);
	return ok;
}

/* ---- ipc ---- */

enum ipc_kind { IPC_PIPE, IPC_FIFO, IPC_SHM, IPC_SEM, IPC_MQ, IPC_SIGNAL, IPC_FUTEX,
		IPC_SOCKETPAIR, IPC__COUNT };
static const char *const ipc_names[] = {"pipe", "fifo", "shared_memory", "semaphore",
					"message_queue", "signal", "futex", "socketpair", NULL};
static const char *const ipc_words[] = {N_("a pipe"), N_("a FIFO"), N_("shared memory"),
					N_("a semaphore"), N_("a message queue"), N_("a signal"),
					N_("a futex (a shared lock)"), N_("a socketpair")};

/* How many objects of a kind were created: count, or min/max. */
struct ipc_count {
	long count, min, max;
};

static const struct field ipc_count_fields[] = {
	{"count", F_LONG, offsetof(struct ipc_count, count), F_SHORTHAND,
	 .help = "exactly this many created"},
	{"min", F_LONG, offsetof(struct ipc_count, min), 0, .help = "at least this many created"},
	{"max", F_LONG, offsetof(struct ipc_count, max), 0, .help = "at most this many created"},
};
static const struct schema ipc_count_schema =
	SCHEMA(struct ipc_count, "an IPC count", ipc_count_fields, NULL);

/* The kinds whose objects are counted as they are created: not a signal
   or a futex, which are no objects (and an anonymous semaphore in shared
   memory makes no system call to count). */
static bool ipc_counted(int kind)
{
	return kind != IPC_SIGNAL && kind != IPC_FUTEX;
}

struct ipc_params {
	char **uses;
	char **forbids;
	struct ipc_count created[IPC__COUNT];    /* by enum ipc_kind */
};

static int ipc_index(const char *name)
{
	for (int i = 0; ipc_names[i]; i++)
		if (!strcmp(ipc_names[i], name))
			return i;
	return -1;
}

static const char *ipc_validate(const void *obj)
{
	const struct ipc_params *p = obj;
	bool counted = false;
	for (int k = 0; k < IPC__COUNT; k++)
		counted |= ipc_counted(k) && (p->created[k].count != UNSET ||
					       p->created[k].min != UNSET || p->created[k].max != UNSET);
	if (!p->uses && !p->forbids && !counted)
		return "give 'uses', 'forbids' (pipe, fifo, shared_memory, semaphore, "
		       "message_queue, signal, futex, socketpair) or counts ({pipe: {count: 1}})";
	for (char **v = p->uses; v && *v; v++)
		if (ipc_index(*v) < 0)
			return "unknown kind in 'uses' (pipe, fifo, shared_memory, semaphore, "
			       "message_queue, signal, futex, socketpair)";
	for (char **v = p->forbids; v && *v; v++)
		if (ipc_index(*v) < 0)
			return "unknown kind in 'forbids' (pipe, fifo, shared_memory, semaphore, "
			       "message_queue, signal, futex, socketpair)";
	return NULL;
}

static const struct field ipc_fields[] = {
	{"uses", F_STRLIST, offsetof(struct ipc_params, uses), F_SHORTHAND,
	 .help = "kinds of IPC that must be used"},
	{"forbids", F_STRLIST, offsetof(struct ipc_params, forbids), 0,
	 .help = "kinds of IPC that must not be used"},
#define IPC_COUNT_FIELD(key, kind, what) \
	{key, F_OBJ, offsetof(struct ipc_params, created) + kind * sizeof(struct ipc_count), 0, \
	 .sub = &ipc_count_schema, .help = what " created: count, min, max"}
	IPC_COUNT_FIELD("pipe", IPC_PIPE, "pipes (pipe, pipe2)"),
	IPC_COUNT_FIELD("fifo", IPC_FIFO, "FIFOs (mkfifo, or an open of one)"),
	IPC_COUNT_FIELD("shared_memory", IPC_SHM, "shared memory objects (shm_open, shmget)"),
	IPC_COUNT_FIELD("semaphore", IPC_SEM, "named or System V semaphores (sem_open, semget)"),
	IPC_COUNT_FIELD("message_queue", IPC_MQ, "message queues (mq_open, msgget)"),
	IPC_COUNT_FIELD("socketpair", IPC_SOCKETPAIR, "socket pairs"),
#undef IPC_COUNT_FIELD
};
static const struct schema ipc_schema = SCHEMA(struct ipc_params, "check 'ipc'", ipc_fields,
					       ipc_validate);

static bool ipc_is(const struct event *e, const char *call)
{
	return e->kind == EV_IPC && e->ipc.call && !strcmp(e->ipc.call, call) && e->ret >= 0;
}

/* The IPC kind an event is evidence of, or -1. */
static int ipc_of(const struct event *e)
{
	switch (e->kind) {
	case EV_PIPE:
		return e->ret == 0 ? IPC_PIPE : -1;
	case EV_OPEN:
		return e->ret >= 0 && (e->open.type & S_IFMT) == S_IFIFO ? IPC_FIFO : -1;
	case EV_MMAP_SHARED: {
		/* the semaphore's own page and system files are not "shared memory" */
		const char *p = e->mmap.path;
		if (p && (str_starts(p, "/dev/shm/sem.") || str_starts(p, "/usr/") ||
			  str_starts(p, "/lib") || str_starts(p, "/etc/")))
			return -1;
		return IPC_SHM;
	}
	case EV_FUTEX:
		return IPC_FUTEX;
	case EV_SIGNAL_SEND:
		return e->signal_send.sig > 0 && e->signal_send.sig != 32 &&
		       e->signal_send.sig != 33 && e->ret >= 0 && !e->signal_send.by_grader ?
		       IPC_SIGNAL : -1;
	case EV_IPC:
		if (ipc_is(e, "mkfifo") || ipc_is(e, "fifo"))
			return IPC_FIFO;
		if (ipc_is(e, "shm_open") || ipc_is(e, "shmget") || ipc_is(e, "shmat"))
			return IPC_SHM;
		if (ipc_is(e, "sem_open") || ipc_is(e, "semget"))
			return IPC_SEM;
		if (ipc_is(e, "mq_open") || ipc_is(e, "msgget"))
			return IPC_MQ;
		if (ipc_is(e, "socketpair"))
			return IPC_SOCKETPAIR;
		return -1;
	default:
		return -1;
	}
}

/* Is an event the creation of an object of its kind (not its use)? */
static bool ipc_creates(const struct event *e, int kind)
{
	if (kind == IPC_SHM)
		return ipc_is(e, "shm_open") || ipc_is(e, "shmget");
	if (kind == IPC_FIFO)
		return ipc_is(e, "mkfifo");
	return kind >= 0 && ipc_counted(kind);
}

static int check_ipc_counts(const struct ipc_params *p, const struct check_ctx *c,
			    const long *made, struct buf *msg)
{
	int ok = 1;
	for (int k = 0; k < IPC__COUNT; k++) {
		const struct ipc_count *n = &p->created[k];
		if (!ipc_counted(k))
			continue;
		const char *what = ipc_names[k];
		if (n->count != UNSET && made[k] != n->count)
			ok = check_fail(msg, _n("expected %ld %s object to be created; %ld were created",
						"expected %ld %s objects to be created; %ld were created",
						(unsigned long)n->count), n->count, what, made[k]);
		if (n->min != UNSET && made[k] < n->min)
			ok = check_fail(msg, _("expected at least %ld %s objects to be created; "
					       "%ld were created"), n->min, what, made[k]);
		if (n->max != UNSET && made[k] > n->max)
			ok = check_fail(msg, _("expected at most %ld %s objects to be created; "
					       "%ld were created"), n->max, what, made[k]);
	}
	(void)c;
	return ok;
}

static int check_ipc(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct ipc_params *p = params;
	const struct trace *t = c->trace;
	const struct event *seen[IPC__COUNT] = {0};
	long made[IPC__COUNT] = {0};
	int ok = 1;

	if (need_trace(c, "ipc") < 0)
		return -1;
	for (size_t i = 0; i < t->nev; i++) {
		int k = t->ev[i].proc >= 0 ? ipc_of(&t->ev[i]) : -1;
		if (k >= 0 && !seen[k])
			seen[k] = &t->ev[i];
		if (k >= 0 && ipc_creates(&t->ev[i], k))
			made[k]++;
	}
	ok &= check_ipc_counts(p, c, made, msg);
	/* a semaphore in shared memory makes futex calls only when contended */
	if (!seen[IPC_SEM] && seen[IPC_FUTEX])
		seen[IPC_SEM] = seen[IPC_FUTEX];
	for (char **v = p->uses; v && *v; v++) {
		int k = ipc_index(*v);
		if (k < 0 || seen[k])
			continue;
		ok = check_fail(msg, _("expected the processes to communicate through %s; none did"),
				_(ipc_words[k]));
		if (k == IPC_SEM || k == IPC_FUTEX)
			check_hint(msg, _("a semaphore or lock in shared memory is seen only when a "
				   "process has to wait on it; named semaphores (sem_open) always are"));
	}
	for (char **v = p->forbids; v && *v; v++) {
		int k = ipc_index(*v);
		if (k < 0 || !seen[k])
			continue;
		struct buf d = BUF_INIT;
		describe_event(t, seen[k], &d);
		ok = check_fail(msg, _("%s, which this exercise does not allow, was used (%s)"),
				_(ipc_words[k]), buf_str(&d));
		buf_free(&d);
	}
	return ok;
}

/* ---- markers ---- */

struct markers_params {
	char *enter, *exit;
	long count;
	long max_in_flight, min_in_flight;
	long distinct_processes, min_processes;
	int in_program;
};

static const char *markers_validate(const void *obj)
{
	const struct markers_params *p = obj;
	if (p->count == UNSET && p->max_in_flight == UNSET && p->min_in_flight == UNSET &&
	    p->distinct_processes == UNSET && p->min_processes == UNSET && p->in_program < 0)
		return "say what to check: count, max_in_flight, min_in_flight, "
		       "distinct_processes, min_processes or in_program";
	return NULL;
}

static const struct field markers_fields[] = {
	{"enter", F_STR, offsetof(struct markers_params, enter), 0,
	 .help = "prefix of the lines that open an ID (default \"enter\")"},
	{"exit", F_STR, offsetof(struct markers_params, exit), 0,
	 .help = "prefix of the lines that close an ID (default \"exit\")"},
	{"count", F_LONG, offsetof(struct markers_params, count), F_SHORTHAND,
	 .help = "number of enter markers"},
	{"max_in_flight", F_LONG, offsetof(struct markers_params, max_in_flight), 0,
	 .help = "most IDs entered and not yet exited at once, at most"},
	{"min_in_flight", F_LONG, offsetof(struct markers_params, min_in_flight), 0,
	 .help = "most IDs entered and not yet exited at once, at least"},
	{"distinct_processes", F_LONG, offsetof(struct markers_params, distinct_processes), 0,
	 .help = "exactly this many processes wrote enter markers"},
	{"min_processes", F_LONG, offsetof(struct markers_params, min_processes), 0,
	 .help = "at least this many processes wrote enter markers"},
	{"in_program", F_BOOL, offsetof(struct markers_params, in_program), 0,
	 .help = "false: the program itself wrote no enter marker"},
};
static const struct schema markers_schema =
	SCHEMA(struct markers_params, "check 'markers'", markers_fields, markers_validate);

static int check_markers(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct markers_params *p = params;
	const struct trace *t = c->trace;
	const char *enter = p->enter ? p->enter : "enter";
	const char *exit_ = p->exit ? p->exit : "exit";
	size_t el = strlen(enter), xl = strlen(exit_);
	char **open_ids = NULL;
	long count = 0, in_flight = 0, most = 0, nproc = 0;
	bool in_program = false;
	int ok = 1;

	if (need_trace(c, "markers") < 0)
		return -1;
	bool *by = xcalloc(t->nprocs + 1, sizeof(bool));
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		const char *text = e->kind == EV_MARKER ? e->marker.text : NULL;
		if (!text)
			continue;
		if (marker_matches(text, enter)) {
			const char *id = text[el] ? text + el + 1 : "";
			count++;
			strv_push(&open_ids, id);
			in_flight++;
			if (in_flight > most)
				most = in_flight;
			if (e->proc >= 0 && (size_t)e->proc < t->nprocs && !by[e->proc]) {
				by[e->proc] = true;
				nproc++;
			}
			in_program |= e->proc == 0;
		} else if (marker_matches(text, exit_)) {
			const char *id = text[xl] ? text + xl + 1 : "";
			for (size_t k = 0; open_ids && open_ids[k]; k++) {
				if (strcmp(open_ids[k], id))
					continue;
				free(open_ids[k]);
				size_t n = strv_len(open_ids);
				open_ids[k] = open_ids[n - 1];
				open_ids[n - 1] = NULL;
				in_flight--;
				break;
			}
		}
	}
	strv_free(open_ids);
	free(by);
	if (p->count != UNSET && count != p->count)
		ok = check_fail(msg, _("expected %ld \"%s\" markers from the harness; there were %ld"),
				p->count, enter, count);
	if (p->max_in_flight != UNSET && most > p->max_in_flight) {
		ok = check_fail(msg, _("expected at most %ld tasks in progress at once; there were %ld"),
				p->max_in_flight, most);
		check_hint(msg, _("no more processes may work at the same time than the exercise allows"));
	}
	if (p->min_in_flight != UNSET && most < p->min_in_flight) {
		ok = check_fail(msg, _("expected at least %ld tasks in progress at the same time; "
				"at most %ld were"), p->min_in_flight, most);
		check_hint(msg, _("the work must run in parallel: do not wait for one process "
			   "before giving work to the next"));
	}
	if (p->distinct_processes != UNSET && nproc != p->distinct_processes)
		ok = check_fail(msg, _("expected the work to be done by %ld different processes; "
				"%ld did it"), p->distinct_processes, nproc);
	if (p->min_processes != UNSET && nproc < p->min_processes)
		ok = check_fail(msg, _("expected the work to be done by at least %ld processes; "
				"%ld did"), p->min_processes, nproc);
	if (p->in_program == 0 && in_program) {
		ok = check_fail(msg, _("the program itself did work that belongs to the children"));
		check_hint(msg, _("the parent should only hand out work and collect results"));
	}
	if (p->in_program == 1 && !in_program)
		ok = check_fail(msg, _("expected the program itself to do some of the work; "
				"only children did"));
	if (!ok && t->markers_ignored)
		check_fail(msg, _n("(%lu marker line written to the tracer's fd by code other than "
				   "the harness was ignored)",
				   "(%lu marker lines written to the tracer's fd by code other than "
				   "the harness were ignored)", t->markers_ignored), t->markers_ignored);
	return ok;
}

/* ---- interval ---- */

struct interval_params {
	char *from, *to;
	long min_ms, max_ms;
};

static const char *interval_validate(const void *obj)
{
	const struct interval_params *p = obj;
	if (p->min_ms == UNSET && p->max_ms == UNSET)
		return "give 'min_ms', 'max_ms' or both";
	return NULL;
}

static const struct field interval_fields[] = {
	{"from", F_STR, offsetof(struct interval_params, from), F_REQUIRED,
	 .help = "a harness marker: the first one written"},
	{"to", F_STR, offsetof(struct interval_params, to), F_REQUIRED,
	 .help = "a harness marker: the first one after 'from'"},
	{"min_ms", F_MS, offsetof(struct interval_params, min_ms), 0,
	 .help = "at least this long between them (wall clock: be generous)"},
	{"max_ms", F_MS, offsetof(struct interval_params, max_ms), 0,
	 .help = "at most this long between them (wall clock: be generous)"},
};
static const struct schema interval_schema =
	SCHEMA(struct interval_params, "check 'interval'", interval_fields, interval_validate);

/* The time between two markers, from the tracer's clock: for what is about
   time by nature (a timeout), with tolerances wide enough for a loaded
   machine.  Everything else is judged by order, never by time. */
static int check_interval(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct interval_params *p = params;
	const struct trace *t = c->trace;
	if (need_trace(c, "interval") < 0)
		return -1;
	const struct event *from = find_marker(t, p->from), *to = NULL;
	for (size_t i = from ? (size_t)(from - t->ev) + 1 : t->nev; i < t->nev && !to; i++)
		if (t->ev[i].kind == EV_MARKER && marker_matches(t->ev[i].marker.text, p->to))
			to = &t->ev[i];
	if (!from || !to)
		return check_fail(msg, from ? _("the harness never reached \"%s\" after it: the "
						"program did not get that far")
					    : _("the harness never reached \"%s\": the program did not "
						"get that far"), from ? p->to : p->from);
	double ms = to->t_ms - from->t_ms;
	check_blame(c, from);
	check_blame(c, to);
	if (p->min_ms != UNSET && ms < (double)p->min_ms)
		return check_fail(msg, _("from \"%s\" to \"%s\" took %.0f ms; expected at least "
				  "%ld ms"), p->from, p->to, ms, p->min_ms);
	if (p->max_ms != UNSET && ms > (double)p->max_ms)
		return check_fail(msg, _("from \"%s\" to \"%s\" took %.0f ms; expected at most "
				  "%ld ms"), p->from, p->to, ms, p->max_ms);
	return 1;
}

/* ---- busy_wait ---- */

struct busy_params {
	long max_cpu_ms;
	int process;
};

static const struct field busy_fields[] = {
	{"max_cpu_ms", F_MS, offsetof(struct busy_params, max_cpu_ms), F_REQUIRED | F_SHORTHAND,
	 .help = "most CPU time one process may use"},
	{"process", F_ENUM, offsetof(struct busy_params, process), 0, .names = by_names,
	 .help = "program, child or any (default)"},
};
static const struct schema busy_schema =
	SCHEMA(struct busy_params, "check 'busy_wait'", busy_fields, NULL);

static int check_busy_wait(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct busy_params *p = params;
	const struct trace *t = c->trace;
	char n1[64];
	int ok = 1;

	if (need_trace(c, "busy_wait") < 0)
		return -1;
	for (size_t i = 0; i < t->nprocs; i++) {
		const struct proc *pr = &t->procs[i];
		if (!by_matches(p->process, (int)i))
			continue;
		if (pr->cpu_ms < 0 || pr->cpu_ms <= (double)p->max_cpu_ms)
			continue;
		ok = check_fail(msg, _("%s used %.0f ms of CPU time (at most %ld expected)"),
				pname(t, (int)i, n1, sizeof(n1)), pr->cpu_ms, p->max_cpu_ms);
	}
	if (!ok)
		check_hint(msg, _("a process that loops checking a variable burns CPU while it "
			   "waits: block instead (sem_wait, pthread_cond_wait, read on a pipe, "
			   "waitpid, sigsuspend)"));
	return ok;
}

/* ---- signals ---- */

struct signals_params {
	char **sent;
	char **handler;
	char **delivered;
	long timers;
};

static const char *signals_validate(const void *obj)
{
	const struct signals_params *p = obj;
	if (!p->sent && !p->handler && !p->delivered && p->timers == UNSET)
		return "give 'sent', 'handler' or 'delivered' (lists of signal names), or 'timers'";
	if (p->timers != UNSET && p->timers < 0)
		return "'timers' is a count";
	char **lists[] = {p->sent, p->handler, p->delivered};
	for (size_t i = 0; i < 3; i++)
		for (char **v = lists[i]; v && *v; v++)
			if (!check_signal_number(*v))
				return "unknown signal name (write it like SIGUSR1)";
	return NULL;
}

static const struct field signals_fields[] = {
	{"sent", F_STRLIST, offsetof(struct signals_params, sent), F_SHORTHAND,
	 .help = "signals some process must send (kill, raise...)"},
	{"handler", F_STRLIST, offsetof(struct signals_params, handler), 0,
	 .help = "signals that must get a handler function (sigaction/signal)"},
	{"delivered", F_STRLIST, offsetof(struct signals_params, delivered), 0,
	 .help = "signals some process must receive"},
	{"timers", F_LONG, offsetof(struct signals_params, timers), 0,
	 .help = "how many times a timer is armed (alarm, setitimer, timer_settime with a time)"},
};
static const struct schema signals_schema =
	SCHEMA(struct signals_params, "check 'signals'", signals_fields, signals_validate);

static bool signal_seen(const struct trace *t, enum event_kind k, int sig)
{
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		if (e->kind != k || e->proc < 0)
			continue;
		if (k == EV_SIGNAL_SEND && e->signal_send.sig == sig && e->ret >= 0 &&
		    !e->signal_send.by_grader)
			return true;
		if (k == EV_SIGNAL_DELIVER && e->signal_deliver.sig == sig)
			return true;
		if (k == EV_SIGACTION && e->sigaction.sig == sig && e->sigaction.handler == DISP_HANDLER)
			return true;
	}
	return false;
}

/* Timers armed (a time, not a cancel): exactly want. */
static int check_timers(long want, const struct check_ctx *c, struct buf *msg)
{
	const struct trace *t = c->trace;
	const struct event *extra = NULL;
	long n = 0;
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		if (e->kind != EV_TIMER || e->timer.ms <= 0 || e->proc < 0)
			continue;
		if (++n == want + 1)
			extra = e;
	}
	if (n == want)
		return 1;
	char n1[64];
	check_fail(msg, _("expected a timer (alarm) to be set %ld times; it was set %ld times"), want, n);
	if (extra) {
		buf_addf(msg, _("  the one too many: %s set %ld ms\n"),
			 pname(t, extra->proc, n1, sizeof(n1)), extra->timer.ms);
		check_blame(c, extra);
	}
	return check_hint(msg, _("alarm() again starts the countdown again: the alarm comes late"));
}

static int check_signals(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct signals_params *p = params;
	const struct trace *t = c->trace;
	int ok = 1;

	if (need_trace(c, "signals") < 0)
		return -1;
	for (char **v = p->sent; v && *v; v++)
		if (!signal_seen(t, EV_SIGNAL_SEND, check_signal_number(*v))) {
			ok = check_fail(msg, _("expected a process to send %s; none did"), *v);
			check_hint(msg, _("send it with kill(pid, %s)"), *v);
		}
	for (char **v = p->handler; v && *v; v++)
		if (!signal_seen(t, EV_SIGACTION, check_signal_number(*v))) {
			ok = check_fail(msg, _("expected a handler function for %s; none was installed"),
					*v);
			check_hint(msg, _("install one with sigaction() before the signal can arrive"));
		}
	for (char **v = p->delivered; v && *v; v++)
		if (!signal_seen(t, EV_SIGNAL_DELIVER, check_signal_number(*v)))
			ok = check_fail(msg, _("expected %s to reach a process; it never did"), *v);
	if (p->timers != UNSET)
		ok &= check_timers(p->timers, c, msg);
	return ok;
}

/* ---- pipe_writes ---- */

struct pipe_writes_params {
	long lines;
	long max_bytes;
	long writers;
	int by;
};

static const char *pipe_writes_validate(const void *obj)
{
	const struct pipe_writes_params *p = obj;
	if (p->lines == UNSET && p->max_bytes == UNSET && p->writers == UNSET)
		return "give 'lines', 'max_bytes' or 'writers'";
	if ((p->lines != UNSET && p->lines < 1) || (p->max_bytes != UNSET && p->max_bytes < 1) ||
	    (p->writers != UNSET && p->writers < 0))
		return "'lines' and 'max_bytes' are at least 1, 'writers' at least 0";
	return NULL;
}

static const struct field pipe_writes_fields[] = {
	{"lines", F_LONG, offsetof(struct pipe_writes_params, lines), F_SHORTHAND,
	 .help = "every write is exactly this many whole lines (that many '\\n', the last "
		 "byte one)"},
	{"max_bytes", F_LONG, offsetof(struct pipe_writes_params, max_bytes), 0,
	 .help = "no write is longer (a pipe's PIPE_BUF is 4096)"},
	{"writers", F_LONG, offsetof(struct pipe_writes_params, writers), 0,
	 .help = "how many different processes wrote to pipes"},
	{"by", F_ENUM, offsetof(struct pipe_writes_params, by), 0, .names = by_names,
	 .help = "whose writes are judged: program, child or any (default)"},
};
static const struct schema pipe_writes_schema =
	SCHEMA(struct pipe_writes_params, "check 'pipe_writes'", pipe_writes_fields,
	       pipe_writes_validate);

/* Is one write wrong?  mid_line: its process's last write to a pipe did
   not end a line (so this one does not start one). */
static bool pipe_write_wrong(const struct pipe_writes_params *p, const struct event *e,
			     bool mid_line)
{
	if (p->max_bytes != UNSET && e->ret > p->max_bytes)
		return true;
	return p->lines != UNSET &&
	       (mid_line || e->write.lines != p->lines || !e->write.ends_line);
}

static void describe_pipe_write(const struct trace *t, const struct event *e, bool mid_line,
				struct buf *b)
{
	char n1[64];
	buf_addf(b, _n("%s wrote %ld byte to the pipe on fd %d in one call",
		       "%s wrote %ld bytes to the pipe on fd %d in one call", (unsigned long)e->ret),
		 pname(t, e->proc, n1, sizeof(n1)), e->ret, e->write.fd);
	if (e->write.lines < 0)
		return;
	buf_adds(b, _(" ("));
	if (mid_line)
		buf_adds(b, _("the rest of a line, "));
	if (e->write.lines)
		buf_addf(b, _n("%d line end", "%d line ends", (unsigned long)e->write.lines),
			 e->write.lines);
	else
		buf_adds(b, _("no line end"));
	buf_adds(b, e->write.lines && !e->write.ends_line ? _(", then part of a line)") : _(")"));
}

static int check_pipe_writes(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct pipe_writes_params *p = params;
	const struct trace *t = c->trace;
	const struct event *first = NULL;
	long nwrites = 0, nbad = 0;
	int ok = 1;

	if (need_trace(c, "pipe_writes") < 0)
		return -1;
	bool *wrote = xcalloc(t->nprocs + 1, sizeof(bool));
	bool *mid_line = xcalloc(t->nprocs + 1, sizeof(bool));
	bool first_mid = false;
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		if (e->kind != EV_WRITE || !e->write.pipe || e->proc < 0 ||
		    (size_t)e->proc >= t->nprocs || !by_matches(p->by, e->proc))
			continue;
		nwrites++;
		wrote[e->proc] = true;
		if (pipe_write_wrong(p, e, mid_line[e->proc]) && !nbad++) {
			first = e;
			first_mid = mid_line[e->proc];
		}
		mid_line[e->proc] = e->write.lines >= 0 && !e->write.ends_line;
	}
	free(mid_line);
	if (first) {
		struct buf what = BUF_INIT;
		describe_pipe_write(t, first, first_mid, &what);
		if (p->lines == UNSET)
			buf_addf(&what, _("; every write to a pipe should be at most %ld bytes"),
				 p->max_bytes);
		else if (p->max_bytes == UNSET)
			buf_adds(&what, p->lines == 1 ? _("; every write to a pipe should be one whole line")
					       : _("; every write to a pipe should be whole lines"));
		else
			buf_addf(&what, p->lines == 1 ? _("; every write to a pipe should be one whole "
							  "line of at most %ld bytes")
					       : _("; every write to a pipe should be whole lines of "
						   "at most %ld bytes"), p->max_bytes);
		ok = check_fail(msg, _("%s (%ld of the %ld writes were not)"), buf_str(&what), nbad,
				nwrites);
		buf_free(&what);
		check_blame(c, first);
		check_hint(msg, _("build the line in a buffer (snprintf) and write it with one "
			   "write() call: a write of at most PIPE_BUF bytes is never mixed with "
			   "another writer's, but stdio (printf, fputs) on a pipe writes when its "
			   "buffer fills, cutting lines anywhere, and a line written in pieces can "
			   "be interleaved"));
	}
	if (p->writers != UNSET) {
		long n = 0;
		for (size_t i = 0; i < t->nprocs; i++)
			n += wrote[i];
		if (n != p->writers) {
			struct buf who = BUF_INIT;
			list_procs(wrote, t->nprocs, &who);
			ok = check_fail(msg, _("expected %ld different processes to write to pipes; "
					"%ld did (%s)"), p->writers, n, buf_str(&who));
			buf_free(&who);
		}
	}
	free(wrote);
	return ok;
}

/* ---- the table ---- */

const struct check trace_checks[] = {
	{"processes", &processes_schema, check_processes, NEEDS_TRACE,
	 "processes created, alive at once, reaped by their parent, orphans, exec, threads"},
	{"writers", &writers_schema, check_writers, NEEDS_TRACE,
	 "which processes wrote each file (distinct, by a child, how many)"},
	{"opened_itself", &opened_schema, check_opened_itself, NEEDS_TRACE,
	 "every writer of some files opened the source file itself"},
	{"order", &order_schema, check_order, NEEDS_TRACE,
	 "every 'then' event (open, close, write, exit, marker, fork, reap, exec) after the last 'first'"},
	{"ipc", &ipc_schema, check_ipc, NEEDS_TRACE,
	 "kinds of IPC used or forbidden: pipe, fifo, shared_memory, semaphore, message_queue, ..."},
	{"markers", &markers_schema, check_markers, NEEDS_TRACE,
	 "the harness's enter/exit markers: count, in flight at once, by how many processes"},
	{"busy_wait", &busy_schema, check_busy_wait, NEEDS_TRACE,
	 "no process burns CPU while it waits"},
	{"signals", &signals_schema, check_signals, NEEDS_TRACE,
	 "signals sent, handlers installed, signals delivered"},
	{"interval", &interval_schema, check_interval, NEEDS_TRACE,
	 "the time between two harness markers, within wide bounds (for timeouts)"},
	{"pipe_writes", &pipe_writes_schema, check_pipe_writes, NEEDS_PIPE_WRITES,
	 "each write to a pipe: whole lines, at most max_bytes; how many processes wrote"},
};
const size_t n_trace_checks = ARRAY_SIZE(trace_checks);
