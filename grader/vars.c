/*
 * vars.c - named integers and integer lists, expressions and ${...} templates.
 *
 * Theory of operation.  A struct vars is a small array of named values
 * (scalars or lists), searched linearly: a test publishes a few dozen at
 * most.  Expressions are parsed by recursive descent, one function per
 * precedence level:
 *
 *     expr    = term   { ("+" | "-") term }
 *     term    = unary  { ("*" | "/" | "%") unary }
 *     unary   = ("-" | "+") unary | primary
 *     primary = NUMBER | NAME | "(" expr ")"
 *     NAME    = [A-Za-z_][A-Za-z0-9_.]*      (e.g. src.size, xs.count)
 *
 * Arithmetic is on long and every overflow is an error (never wraps).
 * Every message names the text and the 1-based column of the problem:
 *     in 'n/0' at column 2: division by zero
 * For a template the column counts from the start of the template, so the
 * message points into the string the author wrote.
 *
 * The parser also runs "dry" (vars_check_template): names are checked but no
 * arithmetic is done, so a spec can be validated before any value exists
 * without false alarms such as a division by a variable that is zero now.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "vars.h"

struct var {
	char *name;
	long value;
	long *list;        /* NULL for a scalar */
	size_t n;
};

struct vars {
	struct var *v;
	size_t n, cap;
};

struct vars *vars_new(void)
{
	return xcalloc(1, sizeof(struct vars));
}

static void var_clear(struct var *x)
{
	free(x->list);
	x->list = NULL;
	x->n = 0;
}

void vars_free(struct vars *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		var_clear(&v->v[i]);
		free(v->v[i].name);
	}
	free(v->v);
	free(v);
}

static struct var *var_find(const struct vars *v, const char *name, size_t len)
{
	for (size_t i = 0; i < v->n; i++)
		if (strlen(v->v[i].name) == len && !memcmp(v->v[i].name, name, len))
			return &v->v[i];
	return NULL;
}

/* The variable called name, created empty if it does not exist. */
static struct var *var_slot(struct vars *v, const char *name)
{
	struct var *x = var_find(v, name, strlen(name));
	if (x) {
		var_clear(x);
		return x;
	}
	grow(&v->v, &v->cap, v->n + 1, sizeof(*v->v));
	x = &v->v[v->n++];
	memset(x, 0, sizeof(*x));
	x->name = xstrdup(name);
	return x;
}

void vars_set(struct vars *v, const char *name, long value)
{
	var_slot(v, name)->value = value;
}

void vars_set_list(struct vars *v, const char *name, const long *values, size_t n)
{
	struct var *x = var_slot(v, name);
	x->list = xmalloc((n ? n : 1) * sizeof(long));
	if (n)
		memcpy(x->list, values, n * sizeof(long));
	x->n = n;
}

struct vars *vars_copy(const struct vars *v)
{
	struct vars *c = vars_new();
	for (size_t i = 0; v && i < v->n; i++) {
		const struct var *x = &v->v[i];
		if (x->list)
			vars_set_list(c, x->name, x->list, x->n);
		else
			vars_set(c, x->name, x->value);
	}
	return c;
}

int vars_get(const struct vars *v, const char *name, long *out)
{
	const struct var *x = var_find(v, name, strlen(name));
	if (!x)
		return error_set("unknown variable '%s'", name);
	if (x->list)
		return error_set("'%s' is a list of %zu numbers, not a number", name, x->n);
	*out = x->value;
	return 0;
}

const long *vars_list(const struct vars *v, const char *name, size_t *n)
{
	const struct var *x = var_find(v, name, strlen(name));
	if (!x) {
		error_set("unknown list '%s' (lists come from random_ints inputs)", name);
		return NULL;
	}
	if (!x->list) {
		error_set("'%s' is a number, not a list (lists come from random_ints inputs)", name);
		return NULL;
	}
	*n = x->n;
	return x->list;
}

/* ---- the expression parser ---- */

struct parser {
	const struct vars *v;
	const char *text;      /* the whole text named in messages          */
	const char *p;         /* the next character                        */
	const char *end;       /* the end of the expression (exclusive)     */
	bool dry;              /* check names only, compute nothing         */
};

static int parse_expr(struct parser *ps, long *out);

/* Append s with control characters escaped, so that a message is one line. */
static void add_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			buf_adds(b, "\\n");
		else if (*s == '\t')
			buf_adds(b, "\\t");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_addf(b, "\\x%02X", (unsigned char)*s);
		else
			buf_addc(b, *s);
	}
}

static int parse_fail(struct parser *ps, const char *at, const char *fmt, ...) PRINTF(3, 4);
static int parse_fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	size_t line = 1, col = 1;
	va_list ap;
	for (const char *q = ps->text; q < at; q++, col++) {
		if (*q == '\n') {
			line++;
			col = 0;
		}
	}
	buf_adds(&b, "in '");
	add_escaped(&b, ps->text);
	if (line > 1)
		buf_addf(&b, "' at line %zu, column %zu: ", line, col);
	else
		buf_addf(&b, "' at column %zu: ", col);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	error_set("%s", buf_str(&b));
	buf_free(&b);
	return -1;
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && isspace((unsigned char)*ps->p))
		ps->p++;
}

/* Describe the character at p for a message: "'*'" or "the end". */
static const char *what_is_at(struct parser *ps, const char *p, char tmp[8])
{
	if (p >= ps->end)
		return "the end";
	if (isprint((unsigned char)*p))
		snprintf(tmp, 8, "'%c'", *p);
	else
		snprintf(tmp, 8, "'\\x%02X'", (unsigned char)*p);
	return tmp;
}

static bool is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static int parse_number(struct parser *ps, long *out)
{
	const char *start = ps->p;
	long n = 0;
	while (ps->p < ps->end && isdigit((unsigned char)*ps->p)) {
		if (__builtin_mul_overflow(n, 10, &n) ||
		    __builtin_add_overflow(n, *ps->p - '0', &n))
			return parse_fail(ps, start, "number too large (the largest is %ld)", LONG_MAX);
		ps->p++;
	}
	if (ps->p < ps->end && is_name_start(*ps->p))
		return parse_fail(ps, ps->p, "unexpected '%c' after the number", *ps->p);
	*out = n;
	return 0;
}

/* A "did you mean" suggestion among v's names: the closest with at most
   two single-character edits, or NULL. */
static const char *closest_name(const struct vars *v, const char *name, size_t len)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 0; i < v->n; i++) {
		const char *c = v->v[i].name;
		size_t m = strlen(c), d;
		size_t prev[64], cur[64];
		if (len >= 63 || m >= 63)
			continue;
		for (size_t j = 0; j <= m; j++)
			prev[j] = j;
		for (size_t k = 1; k <= len; k++) {
			cur[0] = k;
			for (size_t j = 1; j <= m; j++) {
				size_t sub = prev[j - 1] + (name[k - 1] != c[j - 1]);
				size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
				cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			}
			memcpy(prev, cur, (m + 1) * sizeof(size_t));
		}
		d = prev[m];
		if (d < best_d && d < len) {
			best_d = d;
			best = c;
		}
	}
	return best;
}

static int parse_name(struct parser *ps, long *out)
{
	const char *start = ps->p;
	while (ps->p < ps->end && is_name_char(*ps->p))
		ps->p++;
	size_t len = (size_t)(ps->p - start);
	const struct var *x = var_find(ps->v, start, len);
	if (!x) {
		const char *hint = closest_name(ps->v, start, len);
		if (hint)
			return parse_fail(ps, start, "unknown variable '%.*s' (did you mean '%s'?)",
					  (int)len, start, hint);
		return parse_fail(ps, start, "unknown variable '%.*s'", (int)len, start);
	}
	if (x->list)
		return parse_fail(ps, start, "'%s' is a list, not a number (use %s.count, %s.sum, %s.min or %s.max)",
				  x->name, x->name, x->name, x->name, x->name);
	*out = x->value;
	return 0;
}

static int parse_primary(struct parser *ps, long *out)
{
	char tmp[8];
	skip_space(ps);
	if (ps->p < ps->end && isdigit((unsigned char)*ps->p))
		return parse_number(ps, out);
	if (ps->p < ps->end && is_name_start(*ps->p))
		return parse_name(ps, out);
	if (ps->p < ps->end && *ps->p == '(') {
		const char *open = ps->p++;
		if (parse_expr(ps, out) < 0)
			return -1;
		skip_space(ps);
		if (ps->p >= ps->end || *ps->p != ')')
			return parse_fail(ps, ps->p, "expected ')' to close the '(' at column %zu, got %s",
					  (size_t)(open - ps->text) + 1, what_is_at(ps, ps->p, tmp));
		ps->p++;
		return 0;
	}
	return parse_fail(ps, ps->p, "expected a number, a variable or '(', got %s",
			  what_is_at(ps, ps->p, tmp));
}

static int parse_unary(struct parser *ps, long *out)
{
	skip_space(ps);
	if (ps->p < ps->end && (*ps->p == '-' || *ps->p == '+')) {
		const char *op = ps->p++;
		if (parse_unary(ps, out) < 0)
			return -1;
		if (*op == '-' && !ps->dry) {
			if (*out == LONG_MIN)
				return parse_fail(ps, op, "overflow: -(%ld) does not fit in a long", *out);
			*out = -*out;
		}
		return 0;
	}
	return parse_primary(ps, out);
}

/* Apply one binary operator, detecting overflow and division by zero. */
static int apply(struct parser *ps, const char *op, long a, long b, long *out)
{
	bool overflow = false;
	if (ps->dry) {
		*out = 0;
		return 0;
	}
	switch (*op) {
	case '+': overflow = __builtin_add_overflow(a, b, out); break;
	case '-': overflow = __builtin_sub_overflow(a, b, out); break;
	case '*': overflow = __builtin_mul_overflow(a, b, out); break;
	case '/':
	case '%':
		if (b == 0)
			return parse_fail(ps, op, "%s by zero", *op == '/' ? "division" : "remainder");
		if (b == -1) {          /* LONG_MIN / -1 overflows; C traps on LONG_MIN % -1 */
			overflow = *op == '/' && __builtin_sub_overflow(0, a, out);
			if (*op == '%')
				*out = 0;
			break;
		}
		*out = *op == '/' ? a / b : a % b;
		break;
	}
	if (overflow)
		return parse_fail(ps, op, "overflow: %ld %c %ld does not fit in a long", a, *op, b);
	return 0;
}

static int parse_term(struct parser *ps, long *out)
{
	if (parse_unary(ps, out) < 0)
		return -1;
	for (;;) {
		skip_space(ps);
		if (ps->p >= ps->end || !strchr("*/%", *ps->p))
			return 0;
		const char *op = ps->p++;
		long rhs;
		if (parse_unary(ps, &rhs) < 0 || apply(ps, op, *out, rhs, out) < 0)
			return -1;
	}
}

static int parse_expr(struct parser *ps, long *out)
{
	if (parse_term(ps, out) < 0)
		return -1;
	for (;;) {
		skip_space(ps);
		if (ps->p >= ps->end || !strchr("+-", *ps->p))
			return 0;
		const char *op = ps->p++;
		long rhs;
		if (parse_term(ps, &rhs) < 0 || apply(ps, op, *out, rhs, out) < 0)
			return -1;
	}
}

/* Evaluate text[start, end) as a whole expression; messages name text. */
static int eval_range(const struct vars *v, const char *text, const char *start,
		      const char *end, bool dry, long *out)
{
	struct parser ps = {v, text, start, end, dry};
	char tmp[8];
	skip_space(&ps);
	if (ps.p >= end)
		return parse_fail(&ps, start, "empty expression");
	if (parse_expr(&ps, out) < 0)
		return -1;
	skip_space(&ps);
	if (ps.p < end)
		return parse_fail(&ps, ps.p, "unexpected %s (an operator + - * / %% or the end was expected)",
				  what_is_at(&ps, ps.p, tmp));
	return 0;
}

/* An expression may also be written as one whole template, "${n / 2}", as the
   spec language documents some of them: eval the inside then. */
static void unwrap_template(const char **start, const char **end)
{
	const char *s = *start, *e = *end;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (e - s < 3 || s[0] != '$' || s[1] != '{' || e[-1] != '}' || memchr(s + 2, '}', (size_t)(e - s - 3)))
		return;
	*start = s + 2;
	*end = e - 1;
}

int vars_eval(const struct vars *v, const char *expr, long *out)
{
	const char *start = expr, *end = expr + strlen(expr);
	long value;
	unwrap_template(&start, &end);
	if (eval_range(v, expr, start, end, false, &value) < 0)
		return -1;
	*out = value;
	return 0;
}

int vars_check_expr(const struct vars *v, const char *expr)
{
	const char *start = expr, *end = expr + strlen(expr);
	long value;
	unwrap_template(&start, &end);
	return eval_range(v, expr, start, end, true, &value);
}

/* ---- templates ---- */

/* Walk tmpl; append the expansion to out unless out is NULL (dry run). */
static int expand(const struct vars *v, const char *tmpl, struct buf *out)
{
	const char *p = tmpl;
	while (*p) {
		if (p[0] == '$' && p[1] == '$') {
			if (out)
				buf_addc(out, '$');
			p += 2;
			continue;
		}
		if (p[0] != '$' || p[1] != '{') {
			if (out)
				buf_addc(out, *p);
			p++;
			continue;
		}
		const char *close = strchr(p + 2, '}');
		if (!close) {
			struct parser ps = {v, tmpl, p, p, true};
			return parse_fail(&ps, p, "'${' is never closed by '}' (write $$ for a literal '$')");
		}
		long value = 0;
		if (eval_range(v, tmpl, p + 2, close, out == NULL, &value) < 0)
			return -1;
		if (out)
			buf_addf(out, "%ld", value);
		p = close + 1;
	}
	return 0;
}

char *vars_expand(const struct vars *v, const char *tmpl)
{
	struct buf b = BUF_INIT;
	if (expand(v, tmpl, &b) < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

int vars_check_template(const struct vars *v, const char *tmpl)
{
	return expand(v, tmpl, NULL);
}

int vars_is_template(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (p[0] == '$' && p[1] == '$')
			p++;
		else if (p[0] == '$' && p[1] == '{')
			return 1;
	}
	return 0;
}
