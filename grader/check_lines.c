/*
 * check_lines.c - the check `lines`: the lines of the program's output
 * that match a regular expression, counted, and what their groups say
 * (a pid, its parent, which child it is, how it ended) held against the
 * trace, optionally in the order the processes were reaped.
 *
 *   - lines: {regex: "^reaped ([0-9]+) status ([0-9]+)$", groups: [pid, status],
 *             count: 5, order: reap}
 *
 * A pid is the one the program saw (getpid(), fork()'s value): the trace
 * records it for every process (proc.vpid), whatever the pid namespace.
 *
 * Two roles need no trace: `key` groups the lines (e.g. the sender), and
 * `seq` numbers them within their key, which must come 0, 1, 2, ... in
 * the order of the output; `blocks: true` wants each key's lines together.
 *
 *   - lines: {regex: "^sender ([0-9]+) message ([0-9]+)$", groups: [key, seq]}
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "i18n.h"
#include "run.h"
#include "trace.h"
#include "vars.h"

#define LINES_MAX_PROBLEMS 5

enum role { ROLE_ANY, ROLE_PID, ROLE_PPID, ROLE_CHILD, ROLE_STATUS, ROLE_KEY, ROLE_SEQ,
	    ROLE__COUNT };
static const char *const role_names[] = {"any", "pid", "ppid", "child", "status", "key", "seq",
					 NULL};
enum stream { STREAM_STDOUT, STREAM_STDERR };
static const char *const stream_names[] = {"stdout", "stderr", NULL};
enum line_order { ORDER_NONE, ORDER_REAP };
static const char *const order_names[] = {"none", "reap", NULL};

struct lines_params {
	char *regex;
	char **groups;
	char *count;          /* an expression */
	int stream;
	int order;
	int distinct;
	int blocks;
};

static int role_of(const char *name)
{
	for (int i = 0; role_names[i]; i++)
		if (!strcmp(role_names[i], name))
			return i;
	return -1;
}

static const char *lines_validate(const void *obj)
{
	const struct lines_params *p = obj;
	regex_t re;
	bool pid = false, needs_pid = false, key = false, seq = false;
	if (regcomp(&re, p->regex, REG_EXTENDED))
		return "'regex' is not a POSIX extended regular expression";
	size_t ngroups = re.re_nsub;
	regfree(&re);
	if (strv_len(p->groups) > ngroups)
		return "more 'groups' than the regex has groups";
	for (char **g = p->groups; g && *g; g++) {
		int r = role_of(*g);
		if (r < 0)
			return "each of 'groups' is any, pid, ppid, child or status";
		pid |= r == ROLE_PID;
		key |= r == ROLE_KEY;
		seq |= r == ROLE_SEQ;
		needs_pid |= r == ROLE_PPID || r == ROLE_CHILD || r == ROLE_STATUS;
	}
	if ((needs_pid || p->order == ORDER_REAP) && !pid)
		return "'ppid', 'child', 'status' and 'order: reap' need a 'pid' group";
	if ((seq || p->blocks == 1) && !key)
		return "'seq' and 'blocks' need a 'key' group";
	return NULL;
}

static const struct field lines_fields[] = {
	{"regex", F_STR, offsetof(struct lines_params, regex), F_REQUIRED | F_SHORTHAND,
	 .help = "POSIX extended regex; the lines it matches are checked ('' matches every line)"},
	{"groups", F_STRLIST, offsetof(struct lines_params, groups), 0,
	 .help = "what each group is: pid (a process of the run, as the program saw it), ppid "
		 "(the parent of that pid), child (which child of the program, from 0, in creation "
		 "order), status (its exit status), key (groups the lines), seq (0, 1, 2, ... within "
		 "its key, in output order), any"},
	{"count", F_STR, offsetof(struct lines_params, count), F_EXPR,
	 .help = "exactly this many lines match (expression)"},
	{"stream", F_ENUM, offsetof(struct lines_params, stream), 0, .names = stream_names,
	 .help = "stdout (default) or stderr"},
	{"order", F_ENUM, offsetof(struct lines_params, order), 0, .names = order_names,
	 .help = "reap: the lines name their pids in the order the processes were reaped"},
	{"distinct", F_BOOL, offsetof(struct lines_params, distinct), 0,
	 .help = "no two matching lines alike (default true)"},
	{"blocks", F_BOOL, offsetof(struct lines_params, blocks), 0,
	 .help = "true: the lines of each key come together, one block per key"},
};
static const struct schema lines_schema =
	SCHEMA(struct lines_params, "check 'lines'", lines_fields, lines_validate);

/* The process whose pid the program saw as vpid, or -1. */
static int proc_of_vpid(const struct trace *t, long vpid)
{
	for (size_t i = 0; i < t->nprocs; i++)
		if (t->procs[i].vpid == vpid)
			return (int)i;
	return -1;
}

/* Which child of the program (0, 1, ...) process i is, or -1. */
static long child_rank(const struct trace *t, int i)
{
	long k = 0;
	if (i <= 0 || t->procs[i].parent != 0)
		return -1;
	for (int j = 1; j < i; j++)
		k += t->procs[j].parent == 0;
	return k;
}

#define LINES_MAX_KEYS 1024

struct line_state {
	const struct lines_params *p;
	const struct trace *t;
	struct buf *msg;
	size_t problems;
	int last_proc;            /* for order: reap */
	long keys[LINES_MAX_KEYS], next_seq[LINES_MAX_KEYS];  /* for key, seq, blocks */
	size_t nkeys;
	long last_key;            /* -1: none yet */
};

static void problem(struct line_state *s, size_t lineno, const char *line, const char *what)
{
	if (s->problems++ >= LINES_MAX_PROBLEMS)
		return;
	check_fail(s->msg, _("line %zu: %s"), lineno, what);
	buf_adds(s->msg, "  ");
	buf_adds(s->msg, _("the line: "));
	check_quote(s->msg, line, strlen(line), 100);
	buf_addc(s->msg, '\n');
}

/* The value of group g of a match, or -1 when it is not a number. */
static long group_value(const char *line, const regmatch_t *m)
{
	if (m->rm_so < 0 || m->rm_eo <= m->rm_so || m->rm_eo - m->rm_so > 18)
		return -1;
	char num[20];
	memcpy(num, line + m->rm_so, (size_t)(m->rm_eo - m->rm_so));
	num[m->rm_eo - m->rm_so] = '\0';
	char *end;
	long v = strtol(num, &end, 10);
	return *end || v < 0 ? -1 : v;
}

/* One matching line: its groups against the trace. */
static void judge_line(struct line_state *s, size_t lineno, const char *line, const regmatch_t *m)
{
	const struct trace *t = s->t;
	char what[320], buf1[64];
	const char *n1 = "";
	int proc = -1;
	size_t ng = strv_len(s->p->groups);
	for (size_t g = 0; g < ng; g++)        /* the pid first: the others refer to it */
		if (role_of(s->p->groups[g]) == ROLE_PID) {
			long v = group_value(line, &m[g + 1]);
			proc = v < 0 ? -1 : proc_of_vpid(t, v);
			if (proc < 0) {
				snprintf(what, sizeof(what), _("%ld is not the pid of any process of the run"),
					 v);
				return problem(s, lineno, line, what);
			}
		}
	for (size_t g = 0; g < ng && proc >= 0; g++) {
		const struct proc *pr = &t->procs[proc];
		long v = group_value(line, &m[g + 1]);
		n1 = trace_proc_name(t, proc, buf1, sizeof(buf1));
		switch (role_of(s->p->groups[g])) {
		case ROLE_PPID:
			if (pr->parent >= 0 && v != t->procs[pr->parent].vpid) {
				snprintf(what, sizeof(what), _("%s's parent has pid %d, not %ld"), n1,
					 (int)t->procs[pr->parent].vpid, v);
				problem(s, lineno, line, what);
			}
			break;
		case ROLE_CHILD:
			if (child_rank(t, proc) < 0) {
				snprintf(what, sizeof(what), _("the pid is %s's, not a child's of the program "
					 "(child number %ld was expected)"), n1, v);
				problem(s, lineno, line, what);
			} else if (v != child_rank(t, proc)) {
				snprintf(what, sizeof(what), _("%s is the program's child number %ld "
					 "(from 0, in creation order), not %ld"), n1, child_rank(t, proc), v);
				problem(s, lineno, line, what);
			}
			break;
		case ROLE_STATUS:
			if (!pr->exited || pr->exit_signal || v != pr->exit_code) {
				snprintf(what, sizeof(what), _("%s's exit status was %d, not %ld"), n1,
					 pr->exit_code, v);
				problem(s, lineno, line, what);
			}
			break;
		default:
			break;
		}
	}
	if (s->p->order == ORDER_REAP && proc >= 0) {
		const struct proc *pr = &t->procs[proc];
		if (s->last_proc >= 0 && (!pr->seq_reaped ||
					  pr->seq_reaped < t->procs[s->last_proc].seq_reaped)) {
			char n2[64];
			snprintf(what, sizeof(what), _("names %s, but %s (the line before) was reaped "
				 "after it: the lines are not in the order of the reaps"),
				 trace_proc_name(t, proc, buf1, sizeof(buf1)),
				 trace_proc_name(t, s->last_proc, n2, sizeof(n2)));
			problem(s, lineno, line, what);
		}
		s->last_proc = proc;
	}
}

/* The slot of a key (a new one when unseen; -1 when there are too many). */
static long key_slot(struct line_state *s, long key, bool *seen)
{
	for (size_t i = 0; i < s->nkeys; i++)
		if (s->keys[i] == key)
			return *seen = true, (long)i;
	*seen = false;
	if (s->nkeys == LINES_MAX_KEYS)
		return -1;
	s->keys[s->nkeys] = key;
	s->next_seq[s->nkeys] = 0;
	return (long)s->nkeys++;
}

/* key and seq: each key's numbers 0, 1, 2, ...; blocks: keys not mixed. */
static void judge_sequence(struct line_state *s, size_t lineno, const char *line,
			   const regmatch_t *m)
{
	long key = -1, seq = -1;
	char what[320];
	for (size_t g = 0; s->p->groups && s->p->groups[g]; g++) {
		int r = role_of(s->p->groups[g]);
		if (r == ROLE_KEY)
			key = group_value(line, &m[g + 1]);
		else if (r == ROLE_SEQ)
			seq = group_value(line, &m[g + 1]);
	}
	bool seen;
	long slot = key < 0 ? -1 : key_slot(s, key, &seen);
	if (slot < 0)
		return;
	if (s->p->blocks == 1 && seen && key != s->last_key) {
		snprintf(what, sizeof(what), _("the lines of %ld are not together: other lines came "
			 "between them"), key);
		problem(s, lineno, line, what);
	}
	s->last_key = key;
	bool has_seq = false;
	for (size_t g = 0; s->p->groups && s->p->groups[g]; g++)
		has_seq |= role_of(s->p->groups[g]) == ROLE_SEQ;
	if (has_seq && seq != s->next_seq[slot]) {
		snprintf(what, sizeof(what), _("number %ld of %ld came where number %ld was due"), seq,
			 key, s->next_seq[slot]);
		problem(s, lineno, line, what);
	}
	s->next_seq[slot] = seq + 1;
}

static int check_lines(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct lines_params *p = params;
	const struct capture *cap = p->stream == STREAM_STDERR ? &c->run->err : &c->run->out;
	const char *name = stream_names[p->stream > 0 ? p->stream : 0];
	long count = UNSET;
	if (!c->trace)
		return error_set("check 'lines' needs the trace, but the test ran untraced");
	if (p->count && vars_eval(c->vars, p->count, &count) < 0)
		return error_prefix("check 'lines', count");
	if (cap->truncated)
		return check_fail(msg, _("%s was cut at %zu of %zu bytes (output limit), so its lines "
				  "cannot be checked"), name, cap->head.len, cap->total);
	regex_t re;
	if (regcomp(&re, p->regex, REG_EXTENDED))
		return error_set("check 'lines': bad regex '%s'", p->regex);
	regmatch_t m[10];
	size_t nm = re.re_nsub + 1 < 10 ? re.re_nsub + 1 : 10;
	struct line_state s = {.p = p, .t = c->trace, .msg = msg, .last_proc = -1, .last_key = -1};
	char **lines = strv_split_lines(buf_str(&cap->head), cap->head.len);
	long matched = 0;
	for (size_t i = 0; lines[i]; i++) {
		if (regexec(&re, lines[i], nm, m, 0))
			continue;
		matched++;
		for (size_t j = 0; p->distinct != 0 && j < i; j++)
			if (!strcmp(lines[j], lines[i])) {
				problem(&s, i + 1, lines[i], _("printed a second time (a copy of a stdio "
					"buffer flushed by another process?)"));
				break;
			}
		judge_line(&s, i + 1, lines[i], m);
		judge_sequence(&s, i + 1, lines[i], m);
	}
	regfree(&re);
	strv_free(lines);
	if (s.problems > LINES_MAX_PROBLEMS)
		check_fail(msg, _("(%zu more problems)"), s.problems - LINES_MAX_PROBLEMS);
	if (count != UNSET && matched != count) {
		struct buf got = BUF_INIT;
		buf_addf(&got, _n("there was %ld", "there were %ld", (unsigned long)matched), matched);
		check_fail(msg, _n("expected %ld line of %s matching /%s/; %s",
				   "expected %ld lines of %s matching /%s/; %s", (unsigned long)count),
			   count, name, p->regex, buf_str(&got));
		buf_free(&got);
		return 0;
	}
	return s.problems ? 0 : 1;
}

const struct check lines_checks[] = {
	{"lines", &lines_schema, check_lines, NEEDS_TRACE,
	 "output lines matching a regex: how many, and the pids, parents, children and statuses "
	 "they name, held against the trace"},
};
const size_t n_lines_checks = ARRAY_SIZE(lines_checks);
