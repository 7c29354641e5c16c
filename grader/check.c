/*
 * check.c - the table of checks, and the checks on output and files.
 *
 * The checks that read the trace live in check_trace.c; both tables are
 * searched by check_find().  Every check here reads only the finished run
 * and the files it left; expected values come from templates expanded with
 * the grader's own variables (vars.h).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "check.h"
#include "i18n.h"
#include "run.h"
#include "spec.h"
#include "vars.h"

/* ---- messages ---- */

int check_fail(struct buf *msg, const char *fmt, ...)
{
	va_list ap;
	if (msg->len && msg->data[msg->len - 1] != '\n')
		buf_addc(msg, '\n');
	va_start(ap, fmt);
	buf_vaddf(msg, fmt, ap);
	va_end(ap);
	buf_addc(msg, '\n');
	return 0;
}

int check_hint(struct buf *msg, const char *fmt, ...)
{
	va_list ap;
	buf_adds(msg, "  ");
	buf_adds(msg, _("hint: "));
	va_start(ap, fmt);
	buf_vaddf(msg, fmt, ap);
	va_end(ap);
	buf_addc(msg, '\n');
	return 0;
}

void check_quote(struct buf *msg, const char *data, size_t len, size_t max)
{
	buf_addc(msg, '"');
	for (size_t i = 0; i < len && i < max; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\n')
			buf_adds(msg, "\\n");
		else if (c == '\t')
			buf_adds(msg, "\\t");
		else if (c == '"' || c == '\\')
			buf_addf(msg, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			buf_addf(msg, "\\x%02x", c);
		else
			buf_addc(msg, (char)c);
	}
	buf_addc(msg, '"');
	if (len > max)
		buf_addf(msg, _("... (%zu bytes in all)"), len);
}

/* ---- exit ---- */

struct exit_params {
	long code;
	char *signal;
};

int check_signal_number(const char *name)
{
	if (str_starts(name, "SIG"))
		name += 3;
	for (int s = 1; s < NSIG; s++) {
		const char *abbrev = sigabbrev_np(s);
		if (abbrev && !strcmp(abbrev, name))
			return s;
	}
	return 0;
}

static const char *exit_validate(const void *obj)
{
	const struct exit_params *p = obj;
	if ((p->code == UNSET) == (p->signal == NULL))
		return "give either 'code' or 'signal'";
	if (p->signal && !check_signal_number(p->signal))
		return "unknown signal name (write it like SIGSEGV)";
	return NULL;
}

static const struct field exit_fields[] = {
	{"code", F_LONG, offsetof(struct exit_params, code), F_SHORTHAND, .help = "expected exit code"},
	{"signal", F_STR, offsetof(struct exit_params, signal), 0, .help = "expected terminating signal, e.g. SIGABRT"},
};
static const struct schema exit_schema = SCHEMA(struct exit_params, "check 'exit'", exit_fields, exit_validate);

/* One failure line: "expected ...; it exited with code 3". */
static void fail_end(struct buf *msg, const char *expected, const struct run *r)
{
	char sig[32];

	if (r->outcome == OUT_EXITED)
		check_fail(msg, _("%s; it exited with code %d"), expected, r->exit_code);
	else if (r->outcome == OUT_SIGNALED)
		check_fail(msg, _("%s; it was killed by signal %s (%s)"), expected,
			   signal_name(r->signal, sig, sizeof(sig)), strsignal(r->signal));
	else
		check_fail(msg, _("%s; it ended with: %s"), expected, _(outcome_name(r->outcome)));
}

static int check_exit(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct exit_params *p = params;
	const struct run *r = c->run;
	if (p->signal) {
		int sig = check_signal_number(p->signal);
		if (r->outcome == OUT_SIGNALED && r->signal == sig)
			return 1;
		char name[32];
		char *want = xasprintf(_("expected the program to be killed by %s"),
				       signal_name(sig, name, sizeof(name)));
		fail_end(msg, want, r);
		free(want);
		return 0;
	}
	if (r->outcome == OUT_EXITED && r->exit_code == p->code)
		return 1;
	char *want = xasprintf(_("expected exit code %ld"), p->code);
	fail_end(msg, want, r);
	free(want);
	if (r->outcome == OUT_SIGNALED && r->signal == SIGSEGV)
		check_hint(msg, _("a segmentation fault is an invalid memory access: "
			   "check pointers and buffer sizes (run it under gdb or valgrind)"));
	else if (r->outcome == OUT_EXITED && r->exit_code != 0 && c->test)
		check_hint(msg, _("the harness exits non-zero when your function fails or a child "
			   "process called exit() in the harness's code path; see the output below"));
	return 0;
}

/* ---- stdout / stderr ---- */

struct stream_params {
	char *exact;
	char *contains;
	char *not_contains;
	char *regex;
	char **lines_any_order;
	char *each_line;
	char *over;
	char **loop;        /* `for:` NAME, "FROM..TO", ... */
};

static const char *stream_validate(const void *obj)
{
	const struct stream_params *p = obj;
	int n = !!p->exact + !!p->contains + !!p->not_contains + !!p->regex +
		!!p->lines_any_order + !!p->each_line;
	if (n != 1)
		return "give exactly one of 'exact', 'contains', 'not_contains', 'regex', "
		       "'lines_any_order', 'each_line'";
	if (p->each_line && !p->over == !p->loop)
		return "'each_line' takes 'over' (an input's numbers) or 'for' (ranges), one of them";
	if (p->over && !p->each_line)
		return "'over' goes with 'each_line'";
	if (p->loop && !p->each_line && !p->lines_any_order)
		return "'for' goes with 'each_line' or 'lines_any_order'";
	for (size_t i = 0; p->loop && p->loop[i]; i += 2)
		if (!strstr(p->loop[i + 1], ".."))
			return "each range of 'for' is FROM..TO, e.g. k: 0..n-1";
	if (p->regex) {
		regex_t re;
		if (regcomp(&re, p->regex, REG_EXTENDED | REG_NOSUB))
			return "'regex' is not a valid POSIX extended regular expression";
		regfree(&re);
	}
	return NULL;
}

#define STREAM_FIELDS(type) \
	{"exact", F_STR, offsetof(type, exact), F_SHORTHAND | F_TEMPLATE, .help = "the whole stream, exactly (template)"}, \
	{"contains", F_STR, offsetof(type, contains), F_TEMPLATE, .help = "text that must appear (template)"}, \
	{"not_contains", F_STR, offsetof(type, not_contains), F_TEMPLATE, .help = "text that must not appear"}, \
	{"regex", F_STR, offsetof(type, regex), 0, .help = "POSIX ERE that must match somewhere"}, \
	{"lines_any_order", F_STRLIST, offsetof(type, lines_any_order), F_TEMPLATE, .help = "these lines, in any order (templates)"}, \
	{"each_line", F_STR, offsetof(type, each_line), F_TEMPLATE, .help = "template per element of 'over' (x = the element, i = its index)", .locals = "x i"}, \
	{"over", F_STR, offsetof(type, over), 0, .help = "a random_ints input name"}, \
	{"for", F_STRMAP, offsetof(type, loop), F_LOOP, \
	 .help = "{k: 0..n-1, m: 0..9}: expand the templates for every k and m (FROM..TO inclusive)"}

static const struct field stream_fields[] = { STREAM_FIELDS(struct stream_params) };
static const struct schema stdout_schema = SCHEMA(struct stream_params, "check 'stdout'", stream_fields, stream_validate);
static const struct schema stderr_schema = SCHEMA(struct stream_params, "check 'stderr'", stream_fields, stream_validate);


static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "  expected: " / "  got:      ": a label, aligned, for a value after it. */
static void add_label(struct buf *msg, const char *label)
{
	size_t cols = text_cols(label);
	buf_adds(msg, "  ");
	buf_adds(msg, label);
	do
		buf_addc(msg, ' ');
	while (++cols < 10);
}

/* Report where two texts first differ, line by line. */
static void describe_difference(struct buf *msg, const char *want, const char *got, size_t got_len)
{
	size_t line = 1, i = 0;
	size_t wl = strlen(want);
	while (i < wl && i < got_len && want[i] == got[i]) {
		if (want[i] == '\n')
			line++;
		i++;
	}
	size_t ws = i, gs = i;
	while (ws > 0 && want[ws - 1] != '\n')
		ws--;
	gs = ws;
	const char *we = memchr(want + ws, '\n', wl - ws);
	const char *ge = memchr(got + gs, '\n', got_len - gs);
	size_t wn = (we ? (size_t)(we - want) : wl) - ws;
	size_t gn = (ge ? (size_t)(ge - got) : got_len) - gs;
	if (got_len == 0) {
		check_fail(msg, _("expected output, but the program printed nothing"));
		return;
	}
	check_fail(msg, _("the output differs at line %zu:"), line);
	add_label(msg, _("expected:"));
	if (ws >= wl)
		buf_adds(msg, _("(end of output)"));
	else
		check_quote(msg, want + ws, wn, 200);
	buf_addc(msg, '\n');
	add_label(msg, _("got:"));
	if (gs >= got_len)
		buf_adds(msg, _("(end of output)"));
	else
		check_quote(msg, got + gs, gn, 200);
	buf_addc(msg, '\n');
}

static int stream_exact(const char *want, const char *got, size_t len, struct buf *msg)
{
	if (strlen(want) == len && memcmp(want, got, len) == 0)
		return 1;
	describe_difference(msg, want, got, len);
	if (strlen(want) + 1 == len && got[len - 1] == '\n' && !memcmp(want, got, len - 1))
		check_hint(msg, _("there is an extra newline at the end"));
	else if (len + 1 == strlen(want) && want[len] == '\n' && !memcmp(want, got, len))
		check_hint(msg, _("the last line lacks its newline"));
	return 0;
}

/* At most this many missing and this many unexpected lines are quoted. */
#define LINES_SHOWN 10

/* The lines of one side that the other lacks (missing: the expected
   side), the first LINES_SHOWN quoted. */
static void quote_lines(struct buf *msg, bool missing, char **v, size_t n)
{
	if (!n)
		return;
	buf_adds(msg, "  ");
	buf_addf(msg, missing ? _n("%zu missing line", "%zu missing lines", n)
			      : _n("%zu unexpected line", "%zu unexpected lines", n), n);
	if (n > LINES_SHOWN)
		buf_addf(msg, _(" (the first %d)"), LINES_SHOWN);
	buf_adds(msg, ":\n");
	for (size_t i = 0; i < n && i < LINES_SHOWN; i++) {
		buf_adds(msg, "    ");
		check_quote(msg, v[i], strlen(v[i]), 120);
		buf_addc(msg, '\n');
	}
}

/* Compare the sorted expected lines with the sorted lines got. */
static int compare_line_sets(char **exp, char **lines, struct buf *msg)
{
	size_t ne = strv_len(exp), nl = strv_len(lines), i = 0, j = 0;
	size_t nmissing = 0, nextra = 0;
	char **missing = xcalloc(ne + 1, sizeof(char *)), **extra = xcalloc(nl + 1, sizeof(char *));
	qsort(exp, ne, sizeof(char *), cmp_str);
	qsort(lines, nl, sizeof(char *), cmp_str);
	while (i < ne || j < nl) {
		int c = i == ne ? 1 : j == nl ? -1 : strcmp(exp[i], lines[j]);
		if (c == 0)
			i++, j++;
		else if (c < 0)
			missing[nmissing++] = exp[i++];
		else
			extra[nextra++] = lines[j++];
	}
	int ok = !nmissing && !nextra;
	if (!ok) {
		check_fail(msg, _("expected these %zu lines in any order; got %zu lines"), ne, nl);
		quote_lines(msg, true, missing, nmissing);
		quote_lines(msg, false, extra, nextra);
	}
	free(missing);
	free(extra);
	return ok;
}

/* No `for:` expands to more lines than this (a spec error beyond). */
#define MAX_LOOP_LINES 1000000

/* The bounds of each loop of `for:` (from[k]..to[k], inclusive). */
static int loop_bounds(const struct vars *vars, char **loop, size_t nloops, long *from, long *to)
{
	for (size_t k = 0; k < nloops; k++) {
		const char *range = loop[2 * k + 1], *dots = strstr(range, "..");
		char *a = xstrndup(range, (size_t)(dots - range));
		int rc = vars_eval(vars, a, &from[k]);
		free(a);
		if (rc < 0 || vars_eval(vars, dots + 2, &to[k]) < 0)
			return error_prefix("for: %s: %s", loop[2 * k], range);
	}
	return 0;
}

/* Every template expanded for every value of the loops (the last loop
   varies fastest; none: once), in a new list.  NULL and error set. */
static char **expand_loops(const struct vars *vars, char **loop, char *const *templates)
{
	size_t nloops = strv_len(loop) / 2, total = strv_len(templates);
	long *from = xcalloc(nloops + 1, sizeof(long)), *to = xcalloc(nloops + 1, sizeof(long));
	long *at = xcalloc(nloops + 1, sizeof(long));
	char **out = xcalloc(1, sizeof(char *));
	struct vars *v = vars_copy(vars);
	int rc = loop_bounds(vars, loop, nloops, from, to);
	for (size_t k = 0; rc == 0 && k < nloops; k++) {
		size_t span = to[k] < from[k] ? 0 : (size_t)(to[k] - from[k]) + 1;
		if (span && total > MAX_LOOP_LINES / span)
			rc = error_set("for: more than %d lines", MAX_LOOP_LINES);
		total *= span;
		at[k] = from[k];
	}
	for (size_t line = 0; rc == 0 && line < total; ) {
		for (size_t k = 0; k < nloops; k++)
			vars_set(v, loop[2 * k], at[k]);
		for (size_t i = 0; rc == 0 && templates[i]; i++, line++) {
			char *s = vars_expand(v, templates[i]);
			if (!s)
				rc = -1;
			else
				strv_push(&out, s);
			free(s);
		}
		for (size_t k = nloops; k-- > 0 && ++at[k] > to[k]; )
			at[k] = from[k];
	}
	vars_free(v);
	free(from);
	free(to);
	free(at);
	if (rc < 0) {
		strv_free(out);
		return NULL;
	}
	return out;
}

static int stream_lines_any_order(const struct stream_params *p, const struct vars *vars,
				  const char *got, size_t len, struct buf *msg)
{
	char **exp = expand_loops(vars, p->loop, p->lines_any_order);
	if (!exp)
		return -1;
	char **lines = strv_split_lines(got, len);
	int ok = compare_line_sets(exp, lines, msg);
	strv_free(exp);
	strv_free(lines);
	return ok;
}

/* The lines each_line expects: one per element of `over` (x, i), or one
   per value of the `for:` loops. */
static char **each_line_expected(const struct stream_params *p, const struct vars *vars)
{
	char *tmpl[] = {p->each_line, NULL};
	if (p->loop)
		return expand_loops(vars, p->loop, tmpl);
	size_t n;
	const long *xs = vars_list(vars, p->over, &n);
	if (!xs)
		return NULL;
	struct vars *local = vars_copy(vars);
	char **want = xcalloc(1, sizeof(char *));
	for (size_t i = 0; want && i < n; i++) {
		vars_set(local, "x", xs[i]);
		vars_set(local, "i", (long)i);
		char *s = vars_expand(local, p->each_line);
		if (s)
			strv_push(&want, s);
		else
			strv_free(want), want = NULL;
		free(s);
	}
	vars_free(local);
	return want;
}

static int stream_each_line(const struct stream_params *p, const struct vars *vars,
			    const char *got, size_t len, struct buf *msg)
{
	char **want = each_line_expected(p, vars);
	if (!want)
		return -1;
	const long *xs = p->over ? vars_list(vars, p->over, &(size_t){0}) : NULL;
	const char *per = p->over ? _("one per input") : _("one per value of 'for'");
	char **lines = strv_split_lines(got, len);
	size_t n = strv_len(want), nl = strv_len(lines);
	int rc = 1;
	for (size_t i = 0; i < n && rc == 1; i++) {
		if (i >= nl) {
			rc = check_fail(msg, _("expected %zu lines (%s); the output stops after %zu lines"),
					n, per, nl);
		} else if (strcmp(want[i], lines[i])) {
			if (xs)
				rc = check_fail(msg, _("line %zu (for input #%zu = %ld) is wrong:"), i + 1, i, xs[i]);
			else
				rc = check_fail(msg, _("line %zu is wrong:"), i + 1);
			add_label(msg, _("expected:"));
			check_quote(msg, want[i], strlen(want[i]), 120);
			buf_addc(msg, '\n');
			add_label(msg, _("got:"));
			check_quote(msg, lines[i], strlen(lines[i]), 120);
			buf_addc(msg, '\n');
		}
	}
	if (rc == 1 && nl > n)
		rc = check_fail(msg, _("expected %zu lines (%s); got %zu"), n, per, nl);
	strv_free(want);
	strv_free(lines);
	return rc;
}

static int check_stream(const struct stream_params *p, const struct check_ctx *c,
			const struct capture *cap, const char *name, struct buf *msg)
{
	const char *got = buf_str(&cap->head);
	size_t len = cap->head.len;
	if (cap->truncated)
		return check_fail(msg, _("%s was cut at %zu of %zu bytes (output limit), so it "
				  "cannot be compared"), name, len, cap->total);
	if (p->lines_any_order)
		return stream_lines_any_order(p, c->vars, got, len, msg);
	if (p->each_line)
		return stream_each_line(p, c->vars, got, len, msg);
	if (p->regex) {
		regex_t re;
		if (regcomp(&re, p->regex, REG_EXTENDED | REG_NOSUB))
			return error_set("bad regex '%s'", p->regex);
		int match = regexec(&re, got, 0, NULL, 0) == 0 && strlen(got) == len;
		regfree(&re);
		if (match)
			return 1;
		check_fail(msg, _("expected %s to match /%s/; got "), name, p->regex);
		check_quote(msg, got, len, 300);
		return 0;
	}
	const char *tmpl = p->exact ? p->exact : p->contains ? p->contains : p->not_contains;
	char *want = vars_expand(c->vars, tmpl);
	if (!want)
		return -1;
	int rc;
	if (p->exact) {
		rc = stream_exact(want, got, len, msg);
	} else {
		bool found = memmem(got, len, want, strlen(want)) != NULL;
		rc = found == (p->contains != NULL);
		if (!rc) {
			check_fail(msg, p->contains ? _("expected %s to contain ") : _("expected %s not to contain "),
				   name);
			check_quote(msg, want, strlen(want), 200);
			buf_adds(msg, _("; got "));
			check_quote(msg, got, len, 300);
		}
	}
	free(want);
	return rc;
}

static int check_stdout(const void *params, const struct check_ctx *c, struct buf *msg)
{
	return check_stream(params, c, &c->run->out, "stdout", msg);
}

static int check_stderr(const void *params, const struct check_ctx *c, struct buf *msg)
{
	return check_stream(params, c, &c->run->err, "stderr", msg);
}

/* ---- number ---- */

struct number_params {
	char *stream;
	char *regex;
	char *min, *max;
};

static const char *number_validate(const void *obj)
{
	const struct number_params *p = obj;
	regex_t re;
	if (p->stream && strcmp(p->stream, "stdout") && strcmp(p->stream, "stderr"))
		return "'stream' is stdout or stderr";
	if (regcomp(&re, p->regex, REG_EXTENDED))
		return "'regex' is not a valid POSIX extended regular expression";
	size_t groups = re.re_nsub;
	regfree(&re);
	if (groups != 1)
		return "'regex' must have exactly one group (the number)";
	if (!p->min && !p->max)
		return "give 'min', 'max' or both";
	return NULL;
}

static const struct field number_fields[] = {
	{"stream", F_STR, offsetof(struct number_params, stream), 0, .help = "stdout (default) or stderr"},
	{"regex", F_STR, offsetof(struct number_params, regex), F_REQUIRED, .help = "ERE with one group capturing an integer"},
	{"min", F_STR, offsetof(struct number_params, min), F_EXPR, .help = "lowest accepted value (expression)"},
	{"max", F_STR, offsetof(struct number_params, max), F_EXPR, .help = "highest accepted value (expression)"},
};
static const struct schema number_schema = SCHEMA(struct number_params, "check 'number'", number_fields, number_validate);

static int eval_bound(const struct vars *v, const char *expr, long dflt, long *out)
{
	if (!expr) {
		*out = dflt;
		return 0;
	}
	return vars_eval(v, expr, out);
}

static int check_number(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct number_params *p = params;
	bool err = p->stream && !strcmp(p->stream, "stderr");
	const struct capture *cap = err ? &c->run->err : &c->run->out;
	const char *text = buf_str(&cap->head);
	long lo, hi;
	if (eval_bound(c->vars, p->min, LONG_MIN, &lo) < 0 || eval_bound(c->vars, p->max, LONG_MAX, &hi) < 0)
		return -1;
	regex_t re;
	regmatch_t m[2];
	if (regcomp(&re, p->regex, REG_EXTENDED))
		return error_set("bad regex '%s'", p->regex);
	int found = regexec(&re, text, 2, m, 0) == 0 && m[1].rm_so >= 0;
	regfree(&re);
	if (!found) {
		check_fail(msg, _("expected %s to contain a line matching /%s/; got "), err ? "stderr" : "stdout", p->regex);
		check_quote(msg, text, cap->head.len, 300);
		return 0;
	}
	char *digits = xstrndup(text + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
	char *end;
	errno = 0;
	long value = strtol(digits, &end, 10);
	int ok = !errno && *digits && !*end && value >= lo && value <= hi;
	if (!ok && p->min && p->max)
		check_fail(msg, _("expected a value in [%ld, %ld]; got '%s'"), lo, hi, digits);
	else if (!ok)
		check_fail(msg, p->min ? _("expected a value of at least %ld; got '%s'")
				       : _("expected a value of at most %ld; got '%s'"), p->min ? lo : hi, digits);
	free(digits);
	return ok;
}

/* ---- file ---- */

struct file_params {
	char *path;
	int exists;
	char *size;
	char *equals;
	char *range;
	char *contains;
};

static const char *file_validate(const void *obj)
{
	const struct file_params *p = obj;
	if (strstr(p->path, "..") || p->path[0] == '/')
		return "'path' must be relative to the run directory, without '..'";
	if (p->range && !p->equals)
		return "'range' needs 'equals'";
	if (p->exists == 0 && (p->size || p->equals || p->contains))
		return "'exists: false' cannot go with 'size', 'equals' or 'contains'";
	if (p->exists < 0 && !p->size && !p->equals && !p->contains)
		return "say what to check: 'exists', 'size', 'equals' or 'contains'";
	if (p->range && !strchr(p->range, ':'))
		return "'range' is \"FROM:TO\", e.g. \"0:n/2\"";
	return NULL;
}

static const struct field file_fields[] = {
	{"path", F_STR, offsetof(struct file_params, path), F_REQUIRED | F_SHORTHAND, .help = "file in the run directory"},
	{"exists", F_BOOL, offsetof(struct file_params, exists), 0, .help = "whether it must exist"},
	{"size", F_STR, offsetof(struct file_params, size), F_EXPR, .help = "expected size in bytes (expression)"},
	{"equals", F_STR, offsetof(struct file_params, equals), 0, .help = "another file it must equal"},
	{"range", F_STR, offsetof(struct file_params, range), F_RANGE, .help = "byte range FROM:TO of 'equals' (n = its size)", .locals = "n"},
	{"contains", F_STR, offsetof(struct file_params, contains), F_TEMPLATE, .help = "text it must contain (template)"},
};
static const struct schema file_schema = SCHEMA(struct file_params, "check 'file'", file_fields, file_validate);

/* Evaluate "FROM:TO" over the test's variables and n bound to size. */
static int eval_range(const struct vars *test_vars, const char *range, long n, long *from, long *to)
{
	struct vars *v = vars_copy(test_vars);
	vars_set(v, "n", n);
	const char *colon = strchr(range, ':');
	char *a = xstrndup(range, (size_t)(colon - range));
	int rc = vars_eval(v, a, from);
	if (rc == 0)
		rc = vars_eval(v, colon + 1, to);
	free(a);
	vars_free(v);
	if (rc == 0 && (*from < 0 || *to > n || *from > *to))
		rc = error_set("range '%s' is outside the file (n = %ld)", range, n);
	return rc;
}

/* A regular file, not a link, a device or a directory.  (The run is over
   and its processes are dead, so what lstat says stays true.) */
static bool regular_file(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The file the output must equal: the grader's own copy of a generated
   input, else the one in the run directory (never through a link).
   1 read, 0 missing or not a regular file, -1 error. */
static int read_reference(const struct check_ctx *c, const char *name, struct buf *out)
{
	char *path = c->inputs ? path_join(c->inputs, name) : NULL;
	if (!path || !path_exists(path)) {
		free(path);
		path = path_join(c->scratch, name);
	}
	if (!regular_file(path)) {
		free(path);
		return 0;
	}
	int rc = file_read(path, out);
	free(path);
	return rc < 0 ? error_prefix("reference file for check 'file'") : 1;
}

static int file_equals(const struct file_params *p, const struct check_ctx *c,
		       const struct buf *got, struct buf *msg)
{
	struct buf ref = BUF_INIT;
	int rc = read_reference(c, p->equals, &ref);
	if (rc <= 0)
		return rc < 0 ? -1 : check_fail(msg, _("%s, which %s should equal, is gone: the program "
					       "must not remove or replace its input"), p->equals, p->path);
	long from = 0, to = (long)ref.len;
	if (p->range && eval_range(c->vars, p->range, (long)ref.len, &from, &to) < 0) {
		buf_free(&ref);
		return -1;
	}
	size_t want = (size_t)(to - from);
	const char *wd = buf_str(&ref) + from;
	size_t i = 0;
	while (i < want && i < got->len && wd[i] == got->data[i])
		i++;
	if (i == want && got->len == want) {
		rc = 1;
	} else {
		rc = 0;
		if (p->range)
			check_fail(msg, _("%s should hold bytes [%ld, %ld) of %s (%zu bytes); it has %zu bytes"),
				   p->path, from, to, p->equals, want, got->len);
		else
			check_fail(msg, _("%s should equal %s (%zu bytes); it has %zu bytes"),
				   p->path, p->equals, want, got->len);
		if (i < want && i < got->len)
			buf_addf(msg, _("  first difference at byte %zu: expected 0x%02x, got 0x%02x\n"),
				 i, (unsigned char)wd[i], (unsigned char)got->data[i]);
		else if (got->len < want)
			buf_addf(msg, _("  the first %zu bytes are right; the rest is missing\n"), got->len);
		else
			buf_addf(msg, _("  the first %zu bytes are right; %zu extra bytes follow\n"),
				 want, got->len - want);
	}
	buf_free(&ref);
	return rc;
}

static int check_file(const void *params, const struct check_ctx *c, struct buf *msg)
{
	const struct file_params *p = params;
	char *path = path_join(c->scratch, p->path);
	struct stat st;
	bool exists = lstat(path, &st) == 0 && S_ISREG(st.st_mode);  /* a link is not the file */
	int rc = 1;
	if (p->exists == 0) {
		if (exists)
			rc = check_fail(msg, _("%s should not exist, but it does (%lld bytes)"), p->path,
					(long long)st.st_size);
		free(path);
		return rc;
	}
	if (!exists) {
		check_fail(msg, _("%s was not created"), p->path);
		free(path);
		return check_hint(msg, _("open it with O_WRONLY | O_CREAT | O_TRUNC and a mode such as 0644"));
	}
	struct buf got = BUF_INIT;
	if (file_read(path, &got) < 0) {
		free(path);
		return -1;
	}
	free(path);
	if (p->size) {
		long want;
		if (vars_eval(c->vars, p->size, &want) < 0)
			rc = -1;
		else if ((long)got.len != want)
			rc = check_fail(msg, _("%s should be %ld bytes; it is %zu bytes"), p->path, want, got.len);
	}
	if (rc == 1 && p->equals)
		rc = file_equals(p, c, &got, msg);
	if (rc == 1 && p->contains) {
		char *want = vars_expand(c->vars, p->contains);
		if (!want)
			rc = -1;
		else if (!memmem(got.data ? got.data : "", got.len, want, strlen(want))) {
			rc = check_fail(msg, _("%s should contain "), p->path);
			check_quote(msg, want, strlen(want), 200);
		}
		free(want);
	}
	buf_free(&got);
	return rc;
}

/* ---- the table ---- */

const struct check output_checks[] = {
	{"exit", &exit_schema, check_exit, NEEDS_OUTPUT, "how the program ended: exit code or signal"},
	{"stdout", &stdout_schema, check_stdout, NEEDS_OUTPUT, "standard output: exact, contains, regex, lines in any order, one line per input"},
	{"stderr", &stderr_schema, check_stderr, NEEDS_OUTPUT, "standard error, like stdout"},
	{"number", &number_schema, check_number, NEEDS_OUTPUT, "a number printed by the harness lies in a range"},
	{"file", &file_schema, check_file, NEEDS_OUTPUT, "a file the program left: exists, size, equals (a byte range of) another"},
};
const size_t n_output_checks = ARRAY_SIZE(output_checks);

/* Every table of checks, in the order they are listed. */
static const struct { const struct check *checks; const size_t *n; } tables[] = {
	{output_checks, &n_output_checks},
	{lines_checks, &n_lines_checks},
	{trace_checks, &n_trace_checks},
};

const struct check *check_find(const char *name)
{
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			if (!strcmp(tables[t].checks[i].name, name))
				return &tables[t].checks[i];
	return NULL;
}

void check_each(void (*fn)(const struct check *, void *), void *arg)
{
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			fn(&tables[t].checks[i], arg);
}
