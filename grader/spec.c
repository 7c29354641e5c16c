/*
 * spec.c - load spec.yaml into a struct spec: libyaml -> schemas -> checks.
 *
 * Theory of operation.
 *
 * 1. The whole file is read and composed by libyaml into a node tree
 *    (yaml_parser_load): exactly one document whose root is a mapping.
 *
 * 2. The tree is walked with schemas by schema.c (schema.h), which reports
 *    every problem as "PATH:LINE:COLUMN: what is wrong".  The spec's own
 *    structures are declared below (spec, build, limits, test, input,
 *    fault); each check declares its parameters next to its code (check.c,
 *    check_trace.c).
 *
 * 3. The `expect:` list is the one special case: each item is a mapping with
 *    one check name (found with check_find()), an optional `label:` and an
 *    optional `hint:` and `hint_zh:` (either beside the check or among its parameters); the
 *    check's value is parsed through the check's own schema, a scalar going
 *    to the field flagged F_SHORTHAND ("exit: 0").  expect_schema's parse
 *    hook (parse_expect) reads the items, its release hook frees them.
 *
 * 4. After a structure is filled, its schema's validate hook runs (checks'
 *    cross-field rules), then spec.c's own validation for its structures
 *    (after_fill_hooks[]), which may look up the nodes again for precise
 *    positions and fills the defaults (points 1, visibility "visible",
 *    repeat 1, input name = file name, trace when needed).
 *
 * Templates in `run`, `stdin` and the checks' string parameters are checked
 * here against the variables the test's inputs will publish (see vars.h), so
 * that a typo such as ${src.sise} is a lint error, not a failure at run time.
 *
 * On any error spec_load() frees what it built (schema_free() can always
 * run).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "check.h"
#include "schema.h"
#include "spec.h"
#include "util.h"
#include "vars.h"

#define MAX_REPEAT 1000
#define MAX_RANDOM_INTS 10000000L
#define MAX_TIME_MS 3600000L     /* no run, no build may last longer */

/* ---- the schemas of the spec language ---- */

static const struct schema spec_schema, build_schema, limits_schema, test_schema,
	input_schema, random_ints_schema, fault_schema, expect_schema, pace_schema, send_schema;

#define FIELD(T, k, t, member, fl, h) \
	{.key = k, .type = t, .offset = offsetof(T, member), .flags = fl, .help = h}
#define OBJ(T, k, member, s, h) \
	{.key = k, .type = F_OBJ, .offset = offsetof(T, member), .sub = s, .help = h}
#define LIST(T, k, member, count, fl, s, h) \
	{.key = k, .type = F_OBJLIST, .offset = offsetof(T, member), .flags = fl, .sub = s, \
	 .count_offset = offsetof(T, count), .help = h}

static const struct field limits_fields[] = {
	FIELD(struct limits, "cpu", F_MS, cpu_ms, 0, "CPU time of the whole process tree (250ms, 2s)"),
	FIELD(struct limits, "wall", F_MS, wall_ms, 0, "wall-clock time (default 3 x cpu + 1s)"),
	FIELD(struct limits, "memory", F_SIZE, memory, 0, "memory of the whole tree (256MiB)"),
	FIELD(struct limits, "processes", F_LONG, processes, 0, "processes alive at once, the program included"),
	FIELD(struct limits, "output", F_SIZE, output, 0, "bytes kept per stream; more is an output-limit verdict"),
	FIELD(struct limits, "file_size", F_SIZE, file_size, 0, "largest file the program may write"),
	FIELD(struct limits, "open_files", F_LONG, open_files, 0, "open file descriptors per process"),
};

static const struct field build_fields[] = {
	FIELD(struct build, "sources", F_STRLIST, sources, 0, "files to compile: the student's and the harness's"),
	FIELD(struct build, "cflags", F_STRLIST, cflags, 0, "compiler flags, e.g. [-std=gnu11, -O0, -g]"),
	FIELD(struct build, "ldflags", F_STRLIST, ldflags, 0, "linker flags, e.g. [-pthread, -lrt]"),
	OBJ(struct build, "limits", limits, &limits_schema, "limits of the compiler run"),
};

static const struct field random_ints_fields[] = {
	FIELD(struct random_ints, "count", F_LONG, count, F_REQUIRED, "how many integers"),
	FIELD(struct random_ints, "min", F_LONG, min, F_REQUIRED, "smallest possible value"),
	FIELD(struct random_ints, "max", F_LONG, max, F_REQUIRED, "largest possible value"),
};

static const struct field input_fields[] = {
	FIELD(struct input, "name", F_STR, name, 0, "variable prefix: ${NAME.size}... (default: the file name)"),
	FIELD(struct input, "file", F_STR, file, F_REQUIRED, "path in the run directory"),
	FIELD(struct input, "random_bytes", F_SIZE, random_bytes, 0, "that many random bytes from the seed"),
	FIELD(struct input, "text", F_STR, text, 0, "this text"),
	OBJ(struct input, "random_ints", random_ints, &random_ints_schema,
	    "{count, min, max}: one random integer per line"),
	FIELD(struct input, "missing", F_BOOL, missing, 0, "true: make sure the file does not exist"),
};

static const struct field fault_fields[] = {
	FIELD(struct fault, "call", F_STR, call, F_REQUIRED, "the call to fail: fork, pipe, open, ..."),
	FIELD(struct fault, "nth", F_LONG, nth, 0, "which call fails, counted over the tree (default 1)"),
	FIELD(struct fault, "errno", F_STR, errno_name, F_REQUIRED, "the error it returns: EAGAIN, EMFILE, ..."),
};

static const char *pace_validate(const void *obj)
{
	const struct pace *p = obj;
	if (!p->marker == (p->writes != 1))
		return "give one of 'marker' (a harness marker) or 'writes: true'";
	if (p->ms < 1 || p->ms > 1000)
		return "'ms' is between 1ms and 1s";
	return NULL;
}

static const struct field pace_fields[] = {
	FIELD(struct pace, "marker", F_STR, marker, 0,
	      "each harness marker starting with this text (or it and a space) sleeps first"),
	FIELD(struct pace, "writes", F_BOOL, writes, 0,
	      "true: each write to a pipe or a written file sleeps first"),
	FIELD(struct pace, "ms", F_MS, ms, F_REQUIRED, "how long each sleeps (1ms to 1s)"),
};

static const char *send_validate(const void *obj)
{
	const struct send *p = obj;
	if (!check_signal_number(p->signal))
		return "unknown signal name (write it like SIGUSR1)";
	int triggers = !!p->after_output + !!p->after_marker + (p->before_wait != UNSET);
	if (triggers > 1)
		return "give at most one of 'after_output', 'after_marker' and 'before_wait'";
	if (p->before_wait != UNSET && p->before_wait < 1)
		return "'before_wait' counts the waits from 1";
	if (p->times != UNSET && (p->times < 1 || p->times > 1000))
		return "'times' is between 1 and 1000";
	if (p->child != UNSET && (p->child < 0 || p->child > 1000))
		return "'child' is K for child #K, 0 for the program";
	if ((p->delay_ms != UNSET && p->delay_ms < 0) || (p->gap_ms != UNSET && p->gap_ms < 0))
		return "'delay' and 'gap' are durations (100ms)";
	return NULL;
}

static const struct field send_fields[] = {
	FIELD(struct send, "signal", F_STR, signal, F_REQUIRED, "the signal: SIGUSR1, SIGTERM, ..."),
	FIELD(struct send, "after_output", F_STR, after_output, 0,
	      "right after the write of this line to stdout returns (any process)"),
	FIELD(struct send, "after_marker", F_STR, after_marker, 0,
	      "when this harness marker (or it and a space) is written"),
	FIELD(struct send, "before_wait", F_LONG, before_wait, 0,
	      "just before the target's Nth pause/sigsuspend/sigtimedwait: the worst moment"),
	FIELD(struct send, "delay", F_MS, delay_ms, 0, "after the trigger (or the start), wait this long"),
	FIELD(struct send, "times", F_LONG, times, 0, "how many (default 1)"),
	FIELD(struct send, "gap", F_MS, gap_ms, 0, "between two of them"),
	FIELD(struct send, "child", F_LONG, child, 0, "to child #K (0, the default: the program)"),
};

static const struct field expect_fields[] = {
	FIELD(struct expect, "label", F_STR, label, 0, "shown in messages"),
	FIELD(struct expect, "hint", F_STR, hint, 0, "advice shown under the check's failure"),
	FIELD(struct expect, "hint_zh", F_STR, hint_zh, 0, "the hint in Chinese, shown instead when the grader speaks Chinese (--lang zh)"),
};

static const struct field test_fields[] = {
	FIELD(struct test, "name", F_STR, name, F_REQUIRED, "unique name shown to students"),
	FIELD(struct test, "points", F_DOUBLE, points, 0, "points for passing (default 1)"),
	FIELD(struct test, "visibility", F_STR, visibility, 0,
	      "visible (default), hidden, after_due_date, after_published"),
	FIELD(struct test, "tags", F_STRLIST, tags, 0, "labels shown with the test (Gradescope's tags)"),
	FIELD(struct test, "run", F_STRLIST, run, F_REQUIRED, "the command: [harness, ARGS...]; templates allowed"),
	FIELD(struct test, "stdin", F_STR, stdin_text, 0, "text for standard input (template); default empty"),
	LIST(struct test, "inputs", inputs, ninputs, 0, &input_schema, "files generated before the run"),
	FIELD(struct test, "vars", F_STRMAP, vars, 0,
	      "{nsenders: 5, total: nsenders * 100}: integers for templates (expressions over seed, the inputs' and earlier vars)"),
	LIST(struct test, "faults", faults, nfaults, 0, &fault_schema, "calls that fail on purpose (traced)"),
	LIST(struct test, "expect", expects, nexpects, F_REQUIRED, &expect_schema,
	     "the checks, one per item: - exit: 0"),
	OBJ(struct test, "limits", limits, &limits_schema, "this test's limits (override the spec's)"),
	FIELD(struct test, "trace", F_BOOL, trace, 0, "true: every event traced (the default when a check, a fault or race needs it; otherwise only the processes' lives and a hang's diagnosis are); false: not traced"),
	FIELD(struct test, "repeat", F_LONG, repeat, 0, "run N times; every run must pass (default 1)"),
	FIELD(struct test, "race", F_LONG, race, 0,
	      "provoke races: single-step the children in seeded bursts for up to N steps (traced)"),
	LIST(struct test, "send", sends, nsends, 0, &send_schema,
	     "signals the grader sends: [{signal: SIGUSR1, after_output: ready, times: 3, gap: 50ms}] (traced)"),
	OBJ(struct test, "pace", pace, &pace_schema,
	    "{marker: TEXT, ms: 20} or {writes: true, ms: 2}: the program sleeps there, so that "
	    "concurrency shows without sleeps in the harness (traced)"),
};

static const struct field spec_fields[] = {
	FIELD(struct spec, "exercise", F_STR, exercise, F_REQUIRED, "the exercise name (its folder)"),
	FIELD(struct spec, "title", F_STR, title, 0, "a title for reports"),
	FIELD(struct spec, "title_zh", F_STR, title_zh, 0, "the title in Chinese, for reports in Chinese (--lang zh)"),
	FIELD(struct spec, "student_files", F_STRLIST, student_files, F_REQUIRED,
	      "the files a student submits, e.g. [half_copy.c]"),
	OBJ(struct spec, "build", build, &build_schema, "how to compile"),
	OBJ(struct spec, "limits", limits, &limits_schema, "default limits of every test"),
	LIST(struct spec, "tests", tests, ntests, F_REQUIRED, &test_schema, "the tests, in order"),
};

static const struct schema spec_schema = SCHEMA(struct spec, "spec", spec_fields, NULL);
static const struct schema build_schema = SCHEMA(struct build, "build", build_fields, NULL);
static const struct schema limits_schema = SCHEMA(struct limits, "limits", limits_fields, NULL);
static const struct schema test_schema = SCHEMA(struct test, "test", test_fields, NULL);
static const struct schema input_schema = SCHEMA(struct input, "input", input_fields, NULL);
static const struct schema random_ints_schema =
	SCHEMA(struct random_ints, "random_ints", random_ints_fields, NULL);
static const struct schema fault_schema = SCHEMA(struct fault, "fault", fault_fields, NULL);
static const struct schema pace_schema = SCHEMA(struct pace, "pace", pace_fields, pace_validate);
static const struct schema send_schema = SCHEMA(struct send, "send", send_fields, send_validate);
static int parse_expect(struct schema_reader *L, yaml_node_t *item, void *obj);
static void expect_free(void *obj);
static const struct schema expect_schema = {
	"expectation", sizeof(struct expect), expect_fields, ARRAY_SIZE(expect_fields), NULL,
	parse_expect, expect_free,
};

/* ---- names the spec may use ---- */

static const char *const visibilities[] = {"visible", "hidden", "after_due_date", "after_published"};

/* ---- expectations ---- */

static void add_check_name(const struct check *c, void *arg)
{
	const char ***names = arg;
	size_t n = 0;
	while ((*names)[n])
		n++;
	*names = xrealloc(*names, (n + 2) * sizeof(char *));
	(*names)[n] = c->name;
	(*names)[n + 1] = NULL;
}

static int fail_unknown_check(struct schema_reader *L, yaml_node_t *k)
{
	const char **names = xcalloc(1, sizeof(char *));
	check_each(add_check_name, &names);
	size_t n = 0;
	while (names[n])
		n++;
	schema_fail_unknown(L, k, "check", schema_scalar(k), NULL, "checks", names, n);
	free(names);
	return -1;
}

/* The keys an expectation item carries beside its check. */
static const char *const expect_extras[] = {"label", "hint", "hint_zh"};

static bool is_expect_extra(const char *key)
{
	return str_in_list(key, expect_extras, ARRAY_SIZE(expect_extras));
}

/* Which key of an expectation item names the check.  NULL and error set. */
static yaml_node_t *expect_check_key(struct schema_reader *L, yaml_node_t *item)
{
	yaml_node_t *found = NULL;
	SCHEMA_FOR_PAIRS(L, item, pair) {
		yaml_node_t *k = schema_node(L, pair->key);
		if (is_expect_extra(schema_scalar(k)))
			continue;
		if (schema_is_merge_key(k)) {
			schema_fail(L, k, "merge keys (<<) are not supported in an expectation");
			return NULL;
		}
		if (found) {
			schema_fail(L, k, "one check per item: '%s' follows '%s' in the same item "
				"(start a new item with '- ')", schema_scalar(k), schema_scalar(found));
			return NULL;
		}
		found = k;
	}
	if (!found)
		schema_fail(L, item, "this expectation names no check, e.g. '- exit: 0'");
	return found;
}

/* The check's value: a mapping of parameters, or a shorthand value. */
static int parse_check_value(struct schema_reader *L, struct expect *e, const char *where, yaml_node_t *v)
{
	const struct schema *ps = e->check->params;
	const char *name = e->check->name;
	const struct schema_extra extras[] = {{"label", &e->label}, {"hint", &e->hint},
					      {"hint_zh", &e->hint_zh}, {NULL, NULL}};
	if (!ps) {
		bool empty = schema_is_null(v) || (v->type == YAML_MAPPING_NODE && !schema_get(L, v, "label") &&
					    !schema_get(L, v, "hint") && !schema_get(L, v, "hint_zh") &&
					    v->data.mapping.pairs.top == v->data.mapping.pairs.start);
		if (!empty)
			return schema_fail(L, v, "check '%s' takes no parameters", name);
		return 0;
	}
	e->params = xcalloc(1, ps->size);
	schema_init(ps, e->params);
	const struct field *sh = schema_shorthand(ps);
	if (schema_is_null(v) && sh && sh->type == F_STR)
		return schema_fail(L, v, "'%s' needs a value (write %s: \"\" for an empty string)",
			       name, name);
	if (schema_is_null(v) && sh)
		return schema_fail(L, v, "'%s' needs a value or a mapping of parameters", name);
	if (schema_is_null(v) || v->type == YAML_MAPPING_NODE) {
		if (v->type == YAML_MAPPING_NODE &&
		    schema_fill_mapping(L, ps, where, v, e->params, extras) < 0)
			return -1;
		if (schema_is_null(v) && schema_check_required(L, ps, where, NULL, v, NULL) < 0)
			return -1;
	} else if (sh) {
		if (schema_parse_field(L, sh, name, v, e->params) < 0 ||
		    schema_check_required(L, ps, where, NULL, v, sh) < 0)
			return -1;
	} else {
		return schema_fail(L, v, "check '%s' takes a mapping of parameters such as {%s: ...}, got %s",
			       name, ps->nfields ? ps->fields[0].key : "key", schema_describe(v));
	}
	const char *bad = ps->validate ? ps->validate(e->params) : NULL;
	if (bad)
		return schema_fail(L, v, "%s: %s", where, bad);
	return 0;
}

static int parse_expect(struct schema_reader *L, yaml_node_t *item, void *obj)
{
	struct expect *e = obj;
	if (item->type != YAML_MAPPING_NODE) {
		if (item->type == YAML_SCALAR_NODE && !schema_is_null(item) && check_find(schema_scalar(item)))
			return schema_fail(L, item, "'- %s' needs a value: write '- %s: VALUE' or '- %s: {...}'",
				       schema_scalar(item), schema_scalar(item), schema_scalar(item));
		return schema_fail(L, item, "each expectation is a mapping such as '- exit: 0', got %s",
			       schema_describe(item));
	}
	if (schema_check_keys(L, item) < 0)
		return -1;
	yaml_node_t *k = expect_check_key(L, item);
	if (!k)
		return -1;
	e->check = check_find(schema_scalar(k));
	if (!e->check)
		return fail_unknown_check(L, k);
	schema_set_pos(&e->line, &e->col, k);
	char **slots[] = {&e->label, &e->hint, &e->hint_zh};
	for (size_t i = 0; i < ARRAY_SIZE(expect_extras); i++) {
		yaml_node_t *x = schema_get(L, item, expect_extras[i]);
		if (x && schema_parse_str(L, NULL, expect_extras[i], x, slots[i]) < 0)
			return -1;
	}
	char *where = xasprintf("check '%s'", e->check->name);
	int rc = parse_check_value(L, e, where, schema_get(L, item, schema_scalar(k)));
	free(where);
	if (rc == 0 && e->hint_zh && !e->hint)
		rc = schema_fail(L, item, "'hint_zh' goes with 'hint' (the English one, for the "
				 "grader in English)");
	return rc;
}

/* Frees the parameters (the label and the hint are fields). */
static void expect_free(void *obj)
{
	struct expect *e = obj;
	if (e->params && e->check && e->check->params)
		schema_free(e->check->params, e->params);
	free(e->params);
	e->params = NULL;
}

/* ---- validation of the spec's own structures ---- */

static bool is_safe_relative_path(const char *p)
{
	if (!*p || *p == '/')
		return false;
	for (const char *s = p; *s; ) {
		size_t n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return false;
		s += n;
		while (*s == '/')
			s++;
	}
	return strcmp(p, ".") != 0;
}

static int check_path(struct schema_reader *L, yaml_node_t *at, const char *what, const char *p)
{
	if (!is_safe_relative_path(p))
		return schema_fail(L, at, "%s '%s' must be a relative path inside the run directory "
			       "(no leading '/', no '..')", what, p);
	return 0;
}

static int validate_limits(struct schema_reader *L, yaml_node_t *n, void *obj)
{
	const struct limits *l = obj;
	const struct { const char *key; long v; } positive[] = {
		{"cpu", l->cpu_ms}, {"wall", l->wall_ms}, {"memory", l->memory},
		{"processes", l->processes}, {"open_files", l->open_files},
	};
	for (size_t i = 0; i < ARRAY_SIZE(positive); i++)
		if (positive[i].v != UNSET && positive[i].v <= 0)
			return schema_fail(L, schema_pos(L, n, positive[i].key), "'%s' must be greater than 0, got %ld",
				       positive[i].key, positive[i].v);
	if (l->cpu_ms != UNSET && l->cpu_ms > MAX_TIME_MS)
		return schema_fail(L, schema_pos(L, n, "cpu"), "'cpu' must be at most 1h");
	if (l->wall_ms != UNSET && l->wall_ms > MAX_TIME_MS)
		return schema_fail(L, schema_pos(L, n, "wall"), "'wall' must be at most 1h");
	const struct { const char *key; long v; } nonneg[] = {
		{"output", l->output}, {"file_size", l->file_size},
	};
	for (size_t i = 0; i < ARRAY_SIZE(nonneg); i++)
		if (nonneg[i].v != UNSET && nonneg[i].v < 0)
			return schema_fail(L, schema_pos(L, n, nonneg[i].key), "'%s' must not be negative", nonneg[i].key);
	return 0;
}

static int validate_random_ints(struct schema_reader *L, yaml_node_t *n, void *obj)
{
	const struct random_ints *r = obj;
	if (r->count < 0 || r->count > MAX_RANDOM_INTS)
		return schema_fail(L, schema_pos(L, n, "count"), "'count' must be between 0 and %ld, got %ld",
			       MAX_RANDOM_INTS, r->count);
	if (r->min > r->max)
		return schema_fail(L, schema_pos(L, n, "min"), "'min' (%ld) is greater than 'max' (%ld)",
			       r->min, r->max);
	return 0;
}

static bool is_var_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")] == '\0';
}

static int validate_input(struct schema_reader *L, yaml_node_t *n, void *obj)
{
	struct input *in = obj;
	static const char *const kinds[] = {"random_bytes", "text", "random_ints", "missing"};
	bool given[] = {in->random_bytes != UNSET, in->text != NULL,
			in->random_ints.count != UNSET, in->missing == 1};
	const char *first = NULL;
	schema_set_pos(&in->line, &in->col, n);
	if (check_path(L, schema_pos(L, n, "file"), "input file", in->file) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!given[i])
			continue;
		if (first)
			return schema_fail(L, schema_pos(L, n, kinds[i]), "input '%s' gives both '%s' and '%s': "
				       "give exactly one", in->file, first, kinds[i]);
		first = kinds[i];
	}
	if (!first)
		return schema_fail(L, n, "input '%s' needs one of random_bytes, text, random_ints "
			       "or missing: true", in->file);
	if (in->name) {
		static const char *const reserved[] = {"seed", "x", "i", "n"};
		if (!is_var_name(in->name))
			return schema_fail(L, schema_pos(L, n, "name"), "input name '%s' must be a variable name "
				       "(letters, digits, '_'; not starting with a digit)", in->name);
		if (str_in_list(in->name, reserved, ARRAY_SIZE(reserved)))
			return schema_fail(L, schema_pos(L, n, "name"), "input name '%s' is reserved "
				       "(seed, x, i and n have a meaning in templates)", in->name);
	} else {
		in->name = xstrdup(in->file);
	}
	return 0;
}

/* The names fault_call_name() or fault_errno_name() lists, for a message. */
static size_t fault_names(const char *(*name_at)(size_t), const char **names, size_t cap)
{
	size_t n = 0;
	while (n < cap && (names[n] = name_at(n)))
		n++;
	return n;
}

static int validate_fault(struct schema_reader *L, yaml_node_t *n, void *obj)
{
	struct fault *fl = obj;
	const char *names[64];
	schema_set_pos(&fl->line, &fl->col, n);
	if (fault_class(fl->call) < 0)
		return schema_fail_unknown(L, schema_pos(L, n, "call"), "call", fl->call, NULL,
				    "calls that can fail", names,
				    fault_names(fault_call_name, names, ARRAY_SIZE(names)));
	if (fault_errno(fl->errno_name) < 0)
		return schema_fail_unknown(L, schema_pos(L, n, "errno"), "errno", fl->errno_name, NULL,
				    "known", names,
				    fault_names(fault_errno_name, names, ARRAY_SIZE(names)));
	if (fl->nth == UNSET)
		fl->nth = 1;
	if (fl->nth < 1)
		return schema_fail(L, schema_pos(L, n, "nth"), "'nth' counts calls from 1, got %ld", fl->nth);
	return 0;
}

/* The variables a test's inputs publish (values 0: for checking names). */
static struct vars *test_vars(const struct test *t)
{
	static const char *const stats[] = {"count", "sum", "min", "max"};
	struct vars *v = vars_new();
	vars_set(v, "seed", 0);
	for (size_t i = 0; i < t->ninputs; i++) {
		const struct input *in = &t->inputs[i];
		char *name;
		name = xasprintf("%s.size", in->name);
		vars_set(v, name, 0);
		free(name);
		if (in->random_ints.count == UNSET)
			continue;
		vars_set_list(v, in->name, NULL, 0);
		for (size_t k = 0; k < ARRAY_SIZE(stats); k++) {
			name = xasprintf("%s.%s", in->name, stats[k]);
			vars_set(v, name, 0);
			free(name);
		}
	}
	return v;
}

/* One string of a check: a template, an expression or a range (see the
   F_TEMPLATE flags in schema.h) over v. */
static int check_string(struct schema_reader *L, const struct vars *v, unsigned flags,
			yaml_node_t *at, const char *s)
{
	int rc = 0;
	if (flags & F_TEMPLATE) {
		rc = vars_check_template(v, s);
	} else if (flags & F_EXPR) {
		rc = vars_check_expr(v, s);
	} else if (flags & (F_RANGE | F_LOOP)) {
		const char *sep = flags & F_LOOP ? ".." : ":";
		const char *at_sep = strstr(s, sep);
		char *from = xstrndup(s, at_sep ? (size_t)(at_sep - s) : strlen(s));
		rc = vars_check_expr(v, from);
		if (rc == 0 && at_sep)
			rc = vars_check_expr(v, at_sep + strlen(sep));
		free(from);
	}
	return rc < 0 ? schema_fail(L, at, "%s", error_get()) : 0;
}

/* The test's variables, those of the check's `for:` loops (F_LOOP) and
   those the field sets itself ("x i"); loops' own bounds see only the
   test's. */
static struct vars *field_vars(const struct vars *test, const struct expect *e, const struct field *f)
{
	const struct schema *ps = e->check->params;
	struct vars *v = vars_copy(test);
	for (size_t i = 0; !(f->flags & F_LOOP) && i < ps->nfields; i++) {
		char **loop = ps->fields[i].flags & F_LOOP
			      ? *(char ***)((char *)e->params + ps->fields[i].offset) : NULL;
		for (size_t k = 0; loop && loop[k]; k += 2)
			vars_set(v, loop[k], 0);
	}
	for (const char *p = f->locals ? f->locals : ""; *p; ) {
		size_t n = strcspn(p, " ");
		char *name = xstrndup(p, n);
		vars_set(v, name, 0);
		free(name);
		p += n + strspn(p + n, " ");
	}
	return v;
}

/* Every name a check's strings use is one the run will know. */
static int check_param_templates(struct schema_reader *L, const struct vars *tv,
				 const struct expect *e, yaml_node_t *item)
{
	const struct schema *ps = e->check->params;
	yaml_node_t *value = schema_get(L, item, e->check->name);
	int rc = 0;
	for (size_t i = 0; rc == 0 && ps && e->params && i < ps->nfields; i++) {
		const struct field *f = &ps->fields[i];
		/* a string that says nothing of itself is checked as a template */
		unsigned kind = f->flags & (F_TEMPLATE | F_EXPR | F_RANGE | F_LOOP);
		if (!kind && (f->type == F_STR || f->type == F_STRLIST))
			kind = F_TEMPLATE;
		if (!kind)
			continue;
		yaml_node_t *at = value && value->type == YAML_MAPPING_NODE
				  ? schema_get(L, value, f->key) : value;
		if (!at)
			at = item;
		void *slot = (char *)e->params + f->offset;
		struct vars *v = field_vars(tv, e, f);
		if (f->type == F_STR && *(char **)slot)
			rc = check_string(L, v, kind, at, *(char **)slot);
		char **list = f->type == F_STRLIST ? *(char ***)slot : NULL;
		for (size_t k = 0; rc == 0 && list && list[k]; k++) {
			yaml_node_t *it = schema_item(L, at, k);
			rc = check_string(L, v, kind, it ? it : at, list[k]);
		}
		char **map = f->type == F_STRMAP ? *(char ***)slot : NULL;
		for (size_t k = 0; rc == 0 && map && map[k]; k += 2) {
			yaml_node_t *it = schema_get(L, at, map[k]);
			rc = check_string(L, v, kind, it ? it : at, map[k + 1]);
		}
		vars_free(v);
	}
	return rc;
}

static int check_test_templates(struct schema_reader *L, yaml_node_t *n, const struct test *t)
{
	struct vars *v = test_vars(t);
	yaml_node_t *run = schema_get(L, n, "run"), *expect = schema_get(L, n, "expect");
	yaml_node_t *vars = schema_get(L, n, "vars");
	int rc = 0;
	for (size_t i = 0; rc == 0 && t->vars && t->vars[i]; i += 2) {
		long ignored;
		if (vars_get(v, t->vars[i], &ignored) == 0)
			rc = schema_fail(L, schema_get(L, vars, t->vars[i]), "'%s' is already a variable of "
				     "this test", t->vars[i]);
		else
			rc = check_string(L, v, F_EXPR, schema_get(L, vars, t->vars[i]), t->vars[i + 1]);
		vars_set(v, t->vars[i], 0);
	}
	for (size_t i = 0; rc == 0 && t->run[i]; i++) {
		yaml_node_t *at = schema_item(L, run, i);
		rc = check_string(L, v, F_TEMPLATE, at ? at : run, t->run[i]);
	}
	if (rc == 0 && t->stdin_text)
		rc = check_string(L, v, F_TEMPLATE, schema_get(L, n, "stdin"), t->stdin_text);
	for (size_t i = 0; rc == 0 && i < t->nexpects; i++)
		rc = check_param_templates(L, v, &t->expects[i], schema_item(L, expect, i));
	vars_free(v);
	return rc;
}

/* Inputs of one test: distinct names and files. */
static int check_inputs_distinct(struct schema_reader *L, yaml_node_t *n, const struct test *t)
{
	yaml_node_t *list = schema_get(L, n, "inputs");
	for (size_t i = 0; i < t->ninputs; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct input *a = &t->inputs[j], *b = &t->inputs[i];
			yaml_node_t *at = schema_item(L, list, i);
			if (!strcmp(a->file, b->file))
				return schema_fail(L, schema_pos(L, at, "file"), "input file '%s' is generated twice "
					       "(first at line %d)", b->file, a->line);
			if (!strcmp(a->name, b->name))
				return schema_fail(L, schema_pos(L, at, "name"), "two inputs are named '%s' "
					       "(first at line %d)", b->name, a->line);
		}
	}
	return 0;
}

/* Run under the tracer?  Given: must agree with the checks and faults. */
static int decide_trace(struct schema_reader *L, yaml_node_t *n, struct test *t)
{
	const struct check *needs = NULL;
	for (size_t i = 0; i < t->nexpects && !needs; i++)
		if (t->expects[i].check->needs != NEEDS_OUTPUT)
			needs = t->expects[i].check;
	if (t->trace == 0 && needs)
		return schema_fail(L, schema_pos(L, n, "trace"), "'trace: false' but check '%s' needs the tracer",
			       needs->name);
	if (t->trace == 0 && t->nfaults)
		return schema_fail(L, schema_pos(L, n, "trace"), "'trace: false' but faults are injected by the tracer");
	if (t->race == UNSET)
		t->race = 0;
	if (t->race < 0)
		return schema_fail(L, schema_pos(L, n, "race"), "'race' is a number of steps (e.g. 200000), got %ld",
			       t->race);
	if (t->trace == 0 && t->race)
		return schema_fail(L, schema_pos(L, n, "trace"), "'trace: false' but 'race' needs the tracer");
	bool paced = t->pace.ms != UNSET;
	if (t->trace == 0 && paced)
		return schema_fail(L, schema_pos(L, n, "trace"), "'trace: false' but 'pace' needs the tracer");
	if (t->trace == 0 && t->nsends)
		return schema_fail(L, schema_pos(L, n, "trace"), "'trace: false' but 'send' needs the tracer");
	if (t->trace < 0)
		t->trace = needs || t->nfaults || t->race || paced || t->nsends ?
			TRACE_FULL : TRACE_LIFECYCLE;
	t->pipe_writes = t->pace.writes == 1;
	for (size_t i = 0; i < t->nexpects; i++)
		t->pipe_writes |= t->expects[i].check->needs == NEEDS_PIPE_WRITES;
	return 0;
}

static int validate_test(struct schema_reader *L, yaml_node_t *n, void *obj)
{
	struct test *t = obj;
	schema_set_pos(&t->line, &t->col, n);
	if (!*t->name)
		return schema_fail(L, schema_pos(L, n, "name"), "a test name must not be empty");
	if (isnan(t->points))
		t->points = 1;
	if (t->points < 0)
		return schema_fail(L, schema_pos(L, n, "points"), "'points' must not be negative, got %g", t->points);
	if (!t->visibility)
		t->visibility = xstrdup("visible");
	if (!str_in_list(t->visibility, visibilities, ARRAY_SIZE(visibilities)))
		return schema_fail_unknown(L, schema_pos(L, n, "visibility"), "visibility", t->visibility, NULL,
				    "one of", visibilities, ARRAY_SIZE(visibilities));
	if (!t->run[0])
		return schema_fail(L, schema_pos(L, n, "run"), "'run' is empty: give the program and its "
			       "arguments, e.g. [harness, in.txt]");
	if (t->repeat == UNSET)
		t->repeat = 1;
	if (t->repeat < 1 || t->repeat > MAX_REPEAT)
		return schema_fail(L, schema_pos(L, n, "repeat"), "'repeat' must be between 1 and %d, got %ld",
			       MAX_REPEAT, t->repeat);
	if (t->nexpects == 0)
		return schema_fail(L, schema_pos(L, n, "expect"), "test '%s' expects nothing: "
			       "add at least one check, e.g. '- exit: 0'", t->name);
	if (check_inputs_distinct(L, n, t) < 0 || decide_trace(L, n, t) < 0)
		return -1;
	return check_test_templates(L, n, t);
}

static bool is_plain_name(const char *s)
{
	return *s && s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")] == '\0'
		&& *s != '.';
}

/* Each build source is a student file or exists in the exercise folder. */
static int check_sources(struct schema_reader *L, yaml_node_t *root, const struct spec *s)
{
	yaml_node_t *list = schema_get(L, schema_get(L, root, "build"), "sources");
	char **src = s->build.sources;
	const char *dir = L->arg;
	for (size_t i = 0; src && src[i]; i++) {
		yaml_node_t *at = schema_item(L, list, i);
		at = at ? at : list;
		if (check_path(L, at, "build source", src[i]) < 0)
			return -1;
		bool student = false;
		for (size_t k = 0; s->student_files[k]; k++)
			student |= !strcmp(src[i], s->student_files[k]);
		char *p = path_join(dir, src[i]);
		bool found = student || path_exists(p);
		free(p);
		if (!found)
			return schema_fail(L, at, "build source '%s' is neither a student file nor a file of "
				       "the exercise folder %s", src[i], dir);
	}
	return 0;
}

static int validate_spec(struct schema_reader *L, yaml_node_t *n, void *obj)
{
	struct spec *s = obj;
	yaml_node_t *files = schema_get(L, n, "student_files"), *tests = schema_get(L, n, "tests");
	if (!is_plain_name(s->exercise))
		return schema_fail(L, schema_pos(L, n, "exercise"), "'exercise' must be a plain name "
			       "(letters, digits, '_', '-'), got '%s'", s->exercise);
	if (!s->student_files[0])
		return schema_fail(L, files, "'student_files' is empty: name the files students submit");
	for (size_t i = 0; s->student_files[i]; i++) {
		yaml_node_t *at = schema_item(L, files, i);
		if (check_path(L, at ? at : files, "student file", s->student_files[i]) < 0)
			return -1;
	}
	if (check_sources(L, n, s) < 0)
		return -1;
	if (s->ntests == 0)
		return schema_fail(L, tests, "'tests' is empty: add at least one test");
	for (size_t i = 0; i < s->ntests; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(s->tests[i].name, s->tests[j].name))
				continue;
			yaml_node_t *first = schema_pos(L, schema_item(L, tests, j), "name");
			return schema_fail(L, schema_pos(L, schema_item(L, tests, i), "name"),
				       "duplicate test name '%s' (first at line %zu)",
				       s->tests[i].name, schema_line(first));
		}
	}
	return 0;
}

static const struct {
	const struct schema *schema;
	int (*validate)(struct schema_reader *L, yaml_node_t *n, void *obj);
} after_fill_hooks[] = {
	{&spec_schema, validate_spec},
	{&limits_schema, validate_limits},
	{&random_ints_schema, validate_random_ints},
	{&input_schema, validate_input},
	{&fault_schema, validate_fault},
	{&test_schema, validate_test},
};

static int after_fill(struct schema_reader *L, const struct schema *s, yaml_node_t *n, void *obj)
{
	for (size_t i = 0; i < ARRAY_SIZE(after_fill_hooks); i++)
		if (after_fill_hooks[i].schema == s)
			return after_fill_hooks[i].validate(L, n, obj);
	return 0;
}

/* Parse text as exactly one YAML document whose root is a mapping. */
static int load_document(const char *path, const struct buf *text, yaml_document_t *doc)
{
	yaml_parser_t p;
	yaml_document_t extra;
	int rc = 0;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)buf_str(text), text->len);
	if (!yaml_parser_load(&p, doc)) {
		schema_yaml_error(path, &p, text);
		yaml_parser_delete(&p);
		return -1;
	}
	yaml_node_t *root = yaml_document_get_root_node(doc);
	struct schema_reader L = {.path = path, .doc = doc};
	if (!root) {
		rc = error_set("%s:1:1: the spec is empty: it needs exercise:, student_files: and tests:", path);
	} else if (root->type != YAML_MAPPING_NODE) {
		rc = schema_fail(&L, root, "the spec must be a mapping of keys (exercise:, student_files:, "
			     "tests:, ...), got %s", schema_describe(root));
	} else if (!yaml_parser_load(&p, &extra)) {
		rc = schema_yaml_error(path, &p, text);
	} else {
		yaml_node_t *second = yaml_document_get_root_node(&extra);
		if (second) {
			struct schema_reader L2 = {.path = path, .doc = &extra};
			rc = schema_fail(&L2, second, "a second YAML document: a spec is one document "
				     "(remove the '---')");
		}
		yaml_document_delete(&extra);
	}
	if (rc < 0)
		yaml_document_delete(doc);
	yaml_parser_delete(&p);
	return rc;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int spec_load(const char *path, struct spec *out)
{
	struct buf text = BUF_INIT;
	yaml_document_t doc;
	memset(out, 0, sizeof(*out));
	if (file_read(path, &text) < 0) {
		buf_free(&text);
		return error_prefix("cannot load the spec");
	}
	if (load_document(path, &text, &doc) < 0) {
		buf_free(&text);
		return -1;
	}
	schema_init(&spec_schema, out);
	out->path = xstrdup(path);
	out->dir = dir_of(path);
	struct schema_reader L = {.path = path, .doc = &doc, .after_fill = after_fill,
				  .arg = out->dir};
	int rc = schema_fill_object(&L, &spec_schema, "spec", NULL, yaml_document_get_root_node(&doc), out);
	yaml_document_delete(&doc);
	buf_free(&text);
	if (rc < 0)
		spec_free(out);
	return rc;
}

void spec_free(struct spec *s)
{
	if (!s)
		return;
	schema_free(&spec_schema, s);
	free(s->path);
	free(s->dir);
	memset(s, 0, sizeof(*s));
}

/* ---- the visible part, for a handout ---- */

/* Append text's lines [from, to) (0-based). */
static void add_lines(struct buf *out, const char *text, size_t from, size_t to)
{
	size_t line = 0;
	for (const char *p = text; *p; p++) {
		if (line >= from && line < to)
			buf_addc(out, *p);
		line += *p == '\n';
	}
}

/* Is line n (0-based) of text a comment line ("  # ...")? */
static bool is_comment_line(const char *text, size_t n)
{
	const char *p = text;
	for (size_t line = 0; line < n && p; line++)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	if (!p)
		return false;
	p += strspn(p, " \t");
	return *p == '#';
}

/* line, moved up over the comment lines just above it (they introduce it). */
static size_t with_comments(const char *text, size_t line)
{
	while (line > 0 && is_comment_line(text, line - 1))
		line--;
	return line;
}

/* The first line of each item of `tests:` (and, after the last, the line
   where the last item ends) into starts[ntests + 1]. */
static int test_item_lines(const struct spec *s, yaml_document_t *doc, size_t *starts)
{
	struct schema_reader L = {.path = s->path, .doc = doc};
	yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_t *tests = root ? schema_get(&L, root, "tests") : NULL;
	if (!tests || tests->type != YAML_SEQUENCE_NODE ||
	    tests->data.sequence.style == YAML_FLOW_SEQUENCE_STYLE)
		return error_set("%s: 'tests:' must be a block list ('- name: ...' items) to cut "
				 "hidden tests from it", s->path);
	size_t i = 0;
	SCHEMA_FOR_ITEMS(&L, tests, item) {
		yaml_node_t *t = schema_node(&L, *item);
		if (i >= s->ntests || t->start_mark.line == tests->start_mark.line - 1)
			return error_set("%s: cannot cut the tests apart", s->path);
		starts[i++] = t->start_mark.line;
		starts[s->ntests] = t->end_mark.line + (t->end_mark.column > 0);
	}
	return i == s->ntests ? 0 : error_set("%s: cannot cut the tests apart", s->path);
}

int spec_visible_text(const struct spec *s, struct buf *out)
{
	struct buf text = BUF_INIT;
	yaml_document_t doc;
	size_t *starts = xcalloc(s->ntests + 1, sizeof(size_t)), nvisible = 0;
	int rc = file_read(s->path, &text);
	if (rc == 0 && (rc = load_document(s->path, &text, &doc)) == 0) {
		rc = test_item_lines(s, &doc, starts);
		yaml_document_delete(&doc);
	}
	size_t at = 0;
	for (size_t i = 0; rc == 0 && i < s->ntests; i++) {
		if (!strcmp(s->tests[i].visibility, "visible")) {
			nvisible++;
			continue;
		}
		add_lines(out, buf_str(&text), at, with_comments(buf_str(&text), starts[i]));
		at = with_comments(buf_str(&text), starts[i + 1]);
	}
	if (rc == 0)
		add_lines(out, buf_str(&text), at, SIZE_MAX);
	if (rc == 0 && nvisible == 0)
		rc = error_set("%s: no visible test to hand out", s->path);
	/* loaded beside the original, whose folder holds the build sources */
	char *copy = rc == 0 ? path_join(s->dir, ".spec-visible-XXXXXX.yaml") : NULL;
	int fd = copy ? mkstemps(copy, 5) : -1;
	struct spec check;
	if (copy && fd < 0)
		rc = error_errno("cannot create %s", copy);
	else if (fd >= 0 && (write_all(fd, out->data, out->len) < 0 || close(fd) < 0))
		rc = error_prefix("%s", copy);
	if (rc == 0 && spec_load(copy, &check) < 0)
		rc = error_prefix("the spec without its hidden tests is not valid");
	else if (rc == 0) {
		if (check.ntests != nvisible)
			rc = error_set("%s: cutting the hidden tests left %zu tests, not %zu", s->path,
				       check.ntests, nvisible);
		spec_free(&check);
	}
	if (fd >= 0)
		unlink(copy);
	free(copy);
	free(starts);
	buf_free(&text);
	return rc;
}

/* ---- the language, explained ---- */

static void explain_check(const struct check *c, void *arg)
{
	struct buf *out = arg;
	buf_addf(out, "\ncheck %s: %s%s\n", c->name, c->summary, c->needs != NEEDS_OUTPUT ? " (traced)" : "");
	if (c->params)
		schema_explain(c->params, out);
}

void spec_explain(struct buf *out)
{
	buf_adds(out, "spec:\n");
	schema_explain(&spec_schema, out);
	buf_adds(out, "\nEach item of 'expect' is one check, with an optional 'label' "
		 "shown in messages and an optional 'hint' (with 'hint_zh', its Chinese) shown under its "
		 "failure:\n");
	check_each(explain_check, out);
}

/* ---- limits ---- */

static long pick(long a, long b, long fallback)
{
	return a != UNSET ? a : b != UNSET ? b : fallback;
}

struct limits spec_limits(const struct spec *s, const struct test *t)
{
	static const struct limits none = {UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET};
	const struct limits *a = t ? &t->limits : &none, *b = s ? &s->limits : &none;
	struct limits l;
	l.cpu_ms = pick(a->cpu_ms, b->cpu_ms, 2000);
	l.wall_ms = pick(a->wall_ms, b->wall_ms,
			 l.cpu_ms > (LONG_MAX - 1000) / 3 ? LONG_MAX : 3 * l.cpu_ms + 1000);
	l.memory = pick(a->memory, b->memory, 256L << 20);
	l.processes = pick(a->processes, b->processes, 64);
	l.output = pick(a->output, b->output, 64L << 10);
	l.file_size = pick(a->file_size, b->file_size, 64L << 20);
	l.open_files = pick(a->open_files, b->open_files, 64);
	return l;
}

struct limits spec_build_limits(const struct spec *s)
{
	static const struct limits none = {UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET};
	const struct limits *a = s ? &s->build.limits : &none;
	struct limits l;
	l.cpu_ms = pick(a->cpu_ms, UNSET, 20000);
	l.wall_ms = pick(a->wall_ms, UNSET, 40000);
	l.memory = pick(a->memory, UNSET, 1L << 30);
	l.processes = pick(a->processes, UNSET, 32);
	l.output = pick(a->output, UNSET, 256L << 10);
	l.file_size = pick(a->file_size, UNSET, 64L << 20);
	l.open_files = pick(a->open_files, UNSET, 256);
	return l;
}
