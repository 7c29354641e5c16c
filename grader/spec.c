/*
 * spec.c - load spec.yaml into a struct spec: libyaml -> schemas -> checks.
 *
 * Theory of operation.
 *
 * 1. The whole file is read and composed by libyaml into a node tree
 *    (yaml_parser_load); every node carries its start position, so every
 *    message below is "PATH:LINE:COLUMN: what is wrong", 1-based, pointing
 *    at the node at fault (a key for an unknown key, the value for a bad
 *    value, the mapping for a missing key).
 *
 * 2. The tree is walked with schemas (schema.h): fill_mapping() takes a
 *    table of fields and a mapping node and fills a C structure, one parser
 *    per field type (value_parsers[]).  The spec's own structures are
 *    declared below (spec, build, limits, test, input, fault); each check
 *    declares its parameters next to its code (check.c, check_trace.c).
 *
 * 3. The `expect:` list is the one special case: each item is a mapping with
 *    one check name (found with check_find()) and an optional `label:`; the
 *    check's value is parsed through the check's own schema, a scalar going
 *    to the field flagged F_SHORTHAND ("exit: 0").  The walker recognises
 *    the list by its item schema, expect_schema.
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
 * On any error spec_load() frees what it built: every allocation is stored in
 * the structure the moment it is made, so schema_free() can always run.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "check.h"
#include "spec.h"
#include "util.h"
#include "vars.h"

#define MAX_DEPTH 32
#define MAX_REPEAT 1000
#define MAX_RANDOM_INTS 10000000L
#define MAX_TIME_MS 3600000L     /* no run, no build may last longer */

struct loader {
	const char *path;          /* as given, for messages */
	yaml_document_t *doc;
	const char *dir;           /* the exercise directory */
	int depth;
};

/* ---- positions and messages ---- */

static int fail_at(const struct loader *L, const yaml_node_t *n, const char *fmt, ...) PRINTF(3, 4);
static int fail_at(const struct loader *L, const yaml_node_t *n, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	buf_addf(&b, "%s:%zu:%zu: ", L->path, n->start_mark.line + 1, n->start_mark.column + 1);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	error_set("%s", buf_str(&b));
	buf_free(&b);
	return -1;
}

static size_t line_of(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

static void set_pos(int *line, int *col, const yaml_node_t *n)
{
	*line = (int)n->start_mark.line + 1;
	*col = (int)n->start_mark.column + 1;
}

/* ---- node helpers ---- */

static yaml_node_t *node(const struct loader *L, int id)
{
	return yaml_document_get_node(L->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(nulls); i++)
		if (!strcmp(scalar(n), nulls[i]))
			return true;
	return false;
}

static const char *describe(const yaml_node_t *n)
{
	if (is_null(n))
		return "nothing";
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a single value";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "an empty node";
	}
}

#define FOR_PAIRS(L, map, pair) \
	for (yaml_node_pair_t *pair = (map)->data.mapping.pairs.start; \
	     pair < (map)->data.mapping.pairs.top; pair++)
#define FOR_ITEMS(L, seq, item) \
	for (yaml_node_item_t *item = (seq)->data.sequence.items.start; \
	     item < (seq)->data.sequence.items.top; item++)

static size_t seq_len(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static bool is_merge_key(const yaml_node_t *k)
{
	return k && k->type == YAML_SCALAR_NODE && !strcmp(scalar(k), "<<");
}

/* The value of key in a mapping node, or NULL.  YAML merge keys count:
   `<<: *defaults` (or a list of aliases) supplies the keys the mapping does
   not give itself, the first source first. */
static yaml_node_t *map_get_depth(const struct loader *L, const yaml_node_t *map,
				  const char *key, int depth)
{
	if (!map || map->type != YAML_MAPPING_NODE || depth > MAX_DEPTH)
		return NULL;
	FOR_PAIRS(L, map, pair) {
		yaml_node_t *k = node(L, pair->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp(scalar(k), key))
			return node(L, pair->value);
	}
	FOR_PAIRS(L, map, pair) {
		yaml_node_t *src = node(L, pair->value), *v = NULL;
		if (!is_merge_key(node(L, pair->key)))
			continue;
		if (src->type == YAML_MAPPING_NODE)
			v = map_get_depth(L, src, key, depth + 1);
		else if (src->type == YAML_SEQUENCE_NODE)
			FOR_ITEMS(L, src, item)
				if (!v)
					v = map_get_depth(L, node(L, *item), key, depth + 1);
		if (v)
			return v;
	}
	return NULL;
}

static yaml_node_t *map_get(const struct loader *L, const yaml_node_t *map, const char *key)
{
	return map_get_depth(L, map, key, 0);
}

/* Item i of a sequence node, or NULL. */
static yaml_node_t *seq_get(const struct loader *L, const yaml_node_t *seq, size_t i)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE || i >= seq_len(seq))
		return NULL;
	return node(L, seq->data.sequence.items.start[i]);
}

/* The best position for a message about key in map: its value, else the map. */
static yaml_node_t *pos_of(const struct loader *L, yaml_node_t *map, const char *key)
{
	yaml_node_t *v = map_get(L, map, key);
	return v ? v : map;
}

/* ---- suggestions ("did you mean") ---- */

/* Edit distance with transpositions (optimal string alignment). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 40 || m > 40)
		return 99;
	size_t d[41][41];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m];
}

/* The candidate closest to word (case-insensitively close enough), or NULL. */
static const char *suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = strlen(word) >= 5 ? 3 : 2;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		size_t d = strcasecmp(word, cands[i]) ? edit_distance(word, cands[i]) : 0;
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}

/* Append " (did you mean 'x'?)" or " (WHAT: a, b, c)" to b. */
static void add_hint(struct buf *b, const char *word, const char *what,
		     const char *const *cands, size_t n)
{
	const char *s = suggest(word, cands, n);
	if (s) {
		buf_addf(b, " (did you mean '%s'?)", s);
		return;
	}
	buf_addf(b, " (%s: ", what);
	for (size_t i = 0, k = 0; i < n; i++)
		if (cands[i])
			buf_addf(b, "%s%s", k++ ? ", " : "", cands[i]);
	buf_adds(b, ")");
}

/* "unknown WHAT 'word' (did you mean ...)" at node n. */
static int fail_unknown(const struct loader *L, const yaml_node_t *n, const char *what,
			const char *word, const char *where, const char *list_name,
			const char *const *cands, size_t ncands)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "unknown %s '%s'", what, word);
	if (where)
		buf_addf(&b, " in %s", where);
	add_hint(&b, word, list_name, cands, ncands);
	fail_at(L, n, "%s", buf_str(&b));
	buf_free(&b);
	return -1;
}

/* ---- the schemas of the spec language ---- */

static const struct schema spec_schema, build_schema, limits_schema, test_schema,
	input_schema, random_ints_schema, fault_schema, expect_schema;

#define FIELD(T, key, type, member, flags, help) \
	{key, type, offsetof(T, member), flags, NULL, 0, NULL, help}
#define OBJ(T, key, member, sub, help) \
	{key, F_OBJ, offsetof(T, member), 0, sub, 0, NULL, help}
#define LIST(T, key, member, count, flags, sub, help) \
	{key, F_OBJLIST, offsetof(T, member), flags, sub, offsetof(T, count), NULL, help}

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

static const struct field expect_fields[] = {
	FIELD(struct expect, "label", F_STR, label, 0, "shown in messages"),
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
	LIST(struct test, "faults", faults, nfaults, 0, &fault_schema, "calls that fail on purpose (traced)"),
	LIST(struct test, "expect", expects, nexpects, F_REQUIRED, &expect_schema,
	     "the checks, one per item: - exit: 0"),
	OBJ(struct test, "limits", limits, &limits_schema, "this test's limits (override the spec's)"),
	FIELD(struct test, "trace", F_BOOL, trace, 0, "true: every event traced (the default when a check, a fault or race needs it; otherwise only the processes' lives and a hang's diagnosis are); false: not traced"),
	FIELD(struct test, "repeat", F_LONG, repeat, 0, "run N times; every run must pass (default 1)"),
	FIELD(struct test, "race", F_LONG, race, 0,
	      "provoke races: single-step the children in seeded bursts for up to N steps (traced)"),
};

static const struct field spec_fields[] = {
	FIELD(struct spec, "exercise", F_STR, exercise, F_REQUIRED, "the exercise name (its folder)"),
	FIELD(struct spec, "title", F_STR, title, 0, "a title for reports"),
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
static const struct schema expect_schema = SCHEMA(struct expect, "expectation", expect_fields, NULL);

/* ---- names the spec may use ---- */

static const char *const visibilities[] = {"visible", "hidden", "after_due_date", "after_published"};

/* Calls the tracer can make fail (struct fault). */
static const char *const fault_calls[] = {
	"fork", "vfork", "clone", "execve", "pipe", "pipe2", "mkfifo", "socketpair",
	"open", "openat", "creat", "close", "read", "write", "dup", "dup2",
	"mmap", "munmap", "ftruncate", "shm_open", "shm_unlink",
	"sem_open", "sem_unlink", "mq_open", "mq_send", "mq_receive", "mq_unlink",
	"semget", "semop", "shmget", "shmat", "msgget", "msgsnd", "msgrcv",
	"kill", "sigaction", "wait", "waitpid", "wait4", "waitid",
};

#define ERRNO(e) {#e, e}
static const struct { const char *name; int value; } errnos[] = {
	ERRNO(EPERM), ERRNO(ENOENT), ERRNO(ESRCH), ERRNO(EINTR), ERRNO(EIO), ERRNO(ENXIO),
	ERRNO(E2BIG), ERRNO(ENOEXEC), ERRNO(EBADF), ERRNO(ECHILD), ERRNO(EAGAIN),
	ERRNO(EWOULDBLOCK), ERRNO(ENOMEM), ERRNO(EACCES), ERRNO(EFAULT), ERRNO(EBUSY),
	ERRNO(EEXIST), ERRNO(ENOTDIR), ERRNO(EISDIR), ERRNO(EINVAL), ERRNO(ENFILE),
	ERRNO(EMFILE), ERRNO(EFBIG), ERRNO(ENOSPC), ERRNO(ESPIPE), ERRNO(EROFS),
	ERRNO(EMLINK), ERRNO(EPIPE), ERRNO(ERANGE), ERRNO(EDEADLK), ERRNO(ENAMETOOLONG),
	ERRNO(ENOSYS), ERRNO(ENOTEMPTY), ERRNO(EOVERFLOW), ERRNO(ETIMEDOUT), ERRNO(EDQUOT),
	ERRNO(ENOTSUP), ERRNO(EMSGSIZE), ERRNO(EIDRM), ERRNO(ENOMSG),
};

int spec_errno_value(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(errnos); i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].value;
	return -1;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* ---- schema_init / schema_free ---- */

static void schema_init(const struct schema *s, void *obj)
{
	char *base = obj;
	for (size_t i = 0; i < s->nfields; i++) {
		const struct field *f = &s->fields[i];
		void *slot = base + f->offset;
		switch (f->type) {
		case F_LONG: case F_SIZE: case F_MS:
			*(long *)slot = UNSET;
			break;
		case F_BOOL: case F_ENUM:
			*(int *)slot = -1;
			break;
		case F_DOUBLE:
			*(double *)slot = NAN;
			break;
		case F_OBJ:
			schema_init(f->sub, slot);
			break;
		case F_STR: case F_STRLIST: case F_OBJLIST:
			break;   /* zeroed by the caller */
		}
	}
}

static void expect_free(struct expect *e)
{
	if (e->params && e->check && e->check->params)
		schema_free(e->check->params, e->params);
	free(e->params);
	free(e->label);
}

void schema_free(const struct schema *s, void *obj)
{
	char *base = obj;
	for (size_t i = 0; i < s->nfields; i++) {
		const struct field *f = &s->fields[i];
		void *slot = base + f->offset;
		switch (f->type) {
		case F_STR:
			free(*(char **)slot);
			*(char **)slot = NULL;
			break;
		case F_STRLIST:
			strv_free(*(char ***)slot);
			*(char ***)slot = NULL;
			break;
		case F_OBJ:
			schema_free(f->sub, slot);
			break;
		case F_OBJLIST: {
			char *items = *(char **)slot;
			size_t *count = (size_t *)(base + f->count_offset);
			for (size_t k = 0; items && k < *count; k++) {
				if (f->sub == &expect_schema)
					expect_free((struct expect *)(items + k * f->sub->size));
				else
					schema_free(f->sub, items + k * f->sub->size);
			}
			free(items);
			*(char **)slot = NULL;
			*count = 0;
			break;
		}
		default:
			break;
		}
	}
}

/* ---- scalar values ---- */

struct unit {
	const char *name;
	double factor;
};

static const struct unit size_units[] = {
	{"", 1}, {"B", 1},
	{"K", 1024.0}, {"KiB", 1024.0}, {"KB", 1e3}, {"kB", 1e3},
	{"M", 1048576.0}, {"MiB", 1048576.0}, {"MB", 1e6},
	{"G", 1073741824.0}, {"GiB", 1073741824.0}, {"GB", 1e9},
	{"T", 1099511627776.0}, {"TiB", 1099511627776.0}, {"TB", 1e12},
};

static const struct unit time_units[] = {
	{"", 1}, {"ms", 1}, {"s", 1000}, {"sec", 1000}, {"m", 60000}, {"min", 60000}, {"h", 3600000},
};

/* "1.5GiB" -> bytes, "250ms" -> ms: a non-negative decimal number, optional
   blanks, a unit from the table.  0, or -1 (not such a quantity). */
static int parse_quantity(const char *s, const struct unit *units, size_t nunits, long *out)
{
	const char *p = s;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	if (p == s || (p == s + 1 && *s == '.'))
		return -1;
	char *num = xstrndup(s, (size_t)(p - s)), *end;
	errno = 0;
	double x = strtod(num, &end);
	bool ok = !errno && *end == '\0';
	free(num);
	while (*p == ' ')
		p++;
	for (size_t i = 0; ok && i < nunits; i++) {
		if (strcmp(p, units[i].name))
			continue;
		double v = x * units[i].factor;
		if (!(v < 9.2e18))
			return -1;
		*out = (long)(v + 0.5);
		return 0;
	}
	return -1;
}

static int parse_long(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || errno || *s == ' ')
		return -1;
	*out = v;
	return 0;
}

/* A value parser fills the slot of field f from node n; what names the key. */
typedef int value_parser(struct loader *L, const struct field *f, const char *what,
			 yaml_node_t *n, void *slot);

static int fill_mapping(struct loader *L, const struct schema *s, const char *where,
			yaml_node_t *map, void *obj, char **label);
static int fill_object(struct loader *L, const struct schema *s, const char *what,
		       const char *where, yaml_node_t *n, void *obj);

/* The text of a scalar node, or -1 with a message naming what was expected. */
static int need_scalar(struct loader *L, const char *what, const char *expected,
		       yaml_node_t *n, const char **out)
{
	if (is_null(n))
		return fail_at(L, n, "'%s' needs a value: %s", what, expected);
	if (n->type != YAML_SCALAR_NODE)
		return fail_at(L, n, "'%s' must be %s, got %s", what, expected, describe(n));
	*out = scalar(n);
	return 0;
}

static int parse_str(struct loader *L, const struct field *f, const char *what,
		     yaml_node_t *n, void *slot)
{
	const char *s;
	if (need_scalar(L, what, "a string", n, &s) < 0)
		return -1;
	if (strlen(s) != n->data.scalar.length)
		return fail_at(L, n, "'%s' contains a NUL character, which is not supported", what);
	*(char **)slot = xstrdup(s);
	return 0;
}

static int parse_long_field(struct loader *L, const struct field *f, const char *what,
			    yaml_node_t *n, void *slot)
{
	const char *s;
	if (need_scalar(L, what, "an integer", n, &s) < 0)
		return -1;
	if (parse_long(s, slot) < 0 || *(long *)slot == UNSET)
		return fail_at(L, n, "'%s' must be an integer, got '%s'", what, s);
	return 0;
}

static int parse_size(struct loader *L, const struct field *f, const char *what,
		      yaml_node_t *n, void *slot)
{
	const char *s, *like = "a size like 4096, 64KiB or 16MiB";
	if (need_scalar(L, what, like, n, &s) < 0)
		return -1;
	if (parse_quantity(s, size_units, ARRAY_SIZE(size_units), slot) < 0)
		return fail_at(L, n, "'%s' must be %s, got '%s'", what, like, s);
	return 0;
}

static int parse_ms(struct loader *L, const struct field *f, const char *what,
		    yaml_node_t *n, void *slot)
{
	const char *s, *like = "a duration like 250ms or 2s";
	if (need_scalar(L, what, like, n, &s) < 0)
		return -1;
	if (parse_quantity(s, time_units, ARRAY_SIZE(time_units), slot) < 0)
		return fail_at(L, n, "'%s' must be %s, got '%s'", what, like, s);
	return 0;
}

static int parse_bool(struct loader *L, const struct field *f, const char *what,
		      yaml_node_t *n, void *slot)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No", "off"};
	const char *s;
	if (need_scalar(L, what, "true or false", n, &s) < 0)
		return -1;
	if (in_list(s, yes, ARRAY_SIZE(yes)))
		*(int *)slot = 1;
	else if (in_list(s, no, ARRAY_SIZE(no)))
		*(int *)slot = 0;
	else
		return fail_at(L, n, "'%s' must be true or false, got '%s'", what, s);
	return 0;
}

static int parse_double(struct loader *L, const struct field *f, const char *what,
			yaml_node_t *n, void *slot)
{
	const char *s;
	char *end;
	if (need_scalar(L, what, "a number", n, &s) < 0)
		return -1;
	errno = 0;
	double x = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(x) || *s == ' ')
		return fail_at(L, n, "'%s' must be a number, got '%s'", what, s);
	*(double *)slot = x;
	return 0;
}

static int parse_enum(struct loader *L, const struct field *f, const char *what,
		      yaml_node_t *n, void *slot)
{
	struct buf names = BUF_INIT;
	size_t count = 0;
	const char *s;
	buf_adds(&names, "one of ");
	for (; f->names[count]; count++)
		buf_addf(&names, "%s%s", count ? ", " : "", f->names[count]);
	if (need_scalar(L, what, buf_str(&names), n, &s) < 0)
		goto fail;
	for (size_t i = 0; i < count; i++) {
		if (!strcmp(s, f->names[i])) {
			*(int *)slot = (int)i;
			buf_free(&names);
			return 0;
		}
	}
	const char *close = suggest(s, f->names, count);
	fail_at(L, n, "'%s' must be %s; got '%s'%s%s%s", what, buf_str(&names), s,
		close ? " (did you mean '" : "", close ? close : "", close ? "'?)" : "");
fail:
	buf_free(&names);
	return -1;
}

static int strlist_item(struct loader *L, const char *what, yaml_node_t *item, char ***v)
{
	if (is_null(item) || item->type != YAML_SCALAR_NODE)
		return fail_at(L, item, "each item of '%s' must be a string, got %s", what, describe(item));
	if (strlen(scalar(item)) != item->data.scalar.length)
		return fail_at(L, item, "an item of '%s' contains a NUL character", what);
	strv_push(v, scalar(item));
	return 0;
}

static int parse_strlist(struct loader *L, const struct field *f, const char *what,
			 yaml_node_t *n, void *slot)
{
	char ***v = slot;
	*v = xcalloc(1, sizeof(char *));      /* given, even if empty */
	if (is_null(n))
		return fail_at(L, n, "'%s' needs a value: a list such as [a, b]", what);
	if (n->type == YAML_SCALAR_NODE)
		return strlist_item(L, what, n, v);
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(L, n, "'%s' must be a list such as [a, b], got %s", what, describe(n));
	FOR_ITEMS(L, n, item)
		if (strlist_item(L, what, node(L, *item), v) < 0)
			return -1;
	return 0;
}

static int parse_obj(struct loader *L, const struct field *f, const char *what,
		     yaml_node_t *n, void *slot)
{
	return fill_object(L, f->sub, what, f->sub->name, n, slot);
}

static int parse_expect(struct loader *L, yaml_node_t *item, struct expect *e);

static int parse_objlist(struct loader *L, const struct field *f, const char *what,
			 yaml_node_t *n, void *slot)
{
	char *base = (char *)slot - f->offset;
	size_t *count = (size_t *)(base + f->count_offset);
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(L, n, "'%s' must be a list (start each item with '- '), got %s",
			       what, describe(n));
	size_t len = seq_len(n), size = f->sub->size;
	char *items = xcalloc(len ? len : 1, size);
	*(char **)slot = items;
	*count = len;
	for (size_t i = 0; i < len; i++)
		if (f->sub != &expect_schema)
			schema_init(f->sub, items + i * size);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = seq_get(L, n, i);
		int rc = f->sub == &expect_schema
			 ? parse_expect(L, item, (struct expect *)(items + i * size))
			 : fill_object(L, f->sub, what, f->sub->name, item, items + i * size);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static value_parser *const value_parsers[] = {
	[F_STR] = parse_str,
	[F_LONG] = parse_long_field,
	[F_SIZE] = parse_size,
	[F_MS] = parse_ms,
	[F_BOOL] = parse_bool,
	[F_DOUBLE] = parse_double,
	[F_STRLIST] = parse_strlist,
	[F_OBJ] = parse_obj,
	[F_OBJLIST] = parse_objlist,
	[F_ENUM] = parse_enum,
};

static int parse_field(struct loader *L, const struct field *f, const char *what,
		       yaml_node_t *n, void *obj)
{
	return value_parsers[f->type](L, f, what, n, (char *)obj + f->offset);
}

/* ---- mappings and objects ---- */

static const struct field *find_field(const struct schema *s, const char *key)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (!strcmp(s->fields[i].key, key))
			return &s->fields[i];
	return NULL;
}

static const struct field *shorthand_field(const struct schema *s)
{
	for (size_t i = 0; s && i < s->nfields; i++)
		if (s->fields[i].flags & F_SHORTHAND)
			return &s->fields[i];
	return NULL;
}

/* Keys must be plain strings and appear once. */
static int check_keys(struct loader *L, yaml_node_t *map)
{
	FOR_PAIRS(L, map, pair) {
		yaml_node_t *k = node(L, pair->key);
		if (k->type != YAML_SCALAR_NODE || is_null(k))
			return fail_at(L, k, "a key must be a plain name, got %s", describe(k));
		for (yaml_node_pair_t *prev = map->data.mapping.pairs.start; prev < pair; prev++) {
			yaml_node_t *pk = node(L, prev->key);
			if (!strcmp(scalar(pk), scalar(k)))
				return fail_at(L, k, "duplicate key '%s' (first at line %zu)",
					       scalar(k), line_of(pk));
		}
	}
	return 0;
}

/* with_label: `label` is a key too (a check's parameters). */
static int fail_unknown_key(struct loader *L, const struct schema *s, const char *where,
			    yaml_node_t *k, bool with_label)
{
	const char *keys[64];
	size_t n = 0;
	for (size_t i = 0; i < s->nfields && n < ARRAY_SIZE(keys) - 1; i++)
		keys[n++] = s->fields[i].key;
	if (with_label)
		keys[n++] = "label";
	return fail_unknown(L, k, "key", scalar(k), where, "keys", keys, n);
}

/* Every F_REQUIRED field given?  Checked against the keys of map (NULL when
   the object was given as a shorthand scalar, which fills one field). */
static int check_required(struct loader *L, const struct schema *s, const char *where,
			  yaml_node_t *map, yaml_node_t *at, const struct field *given)
{
	for (size_t i = 0; i < s->nfields; i++) {
		const struct field *f = &s->fields[i];
		if (!(f->flags & F_REQUIRED) || f == given || (map && map_get(L, map, f->key)))
			continue;
		if (where)
			return fail_at(L, at, "missing required key '%s' in %s", f->key, where);
		return fail_at(L, at, "missing required key '%s'", f->key);
	}
	return 0;
}

/* The pairs a mapping gives, merge keys resolved: its own pairs, then those
   of its `<<` sources whose key it does not give (see map_get()). */
struct pairs {
	yaml_node_t **keys, **values;
	size_t n, cap;
};

static int collect_pairs(struct loader *L, yaml_node_t *top, yaml_node_t *map,
			 struct pairs *out, int depth)
{
	if (depth > MAX_DEPTH)
		return fail_at(L, map, "merge keys (<<) nested too deeply");
	if (check_keys(L, map) < 0)
		return -1;
	FOR_PAIRS(L, map, pair) {
		yaml_node_t *k = node(L, pair->key), *v = node(L, pair->value);
		if (is_merge_key(k) || map_get(L, top, scalar(k)) != v)
			continue;
		bool seen = false;
		for (size_t i = 0; i < out->n; i++)
			seen |= !strcmp(scalar(out->keys[i]), scalar(k));
		if (seen)
			continue;
		grow(&out->keys, &out->cap, out->n + 1, sizeof(*out->keys));
		out->values = xrealloc(out->values, out->cap * sizeof(*out->values));
		out->keys[out->n] = k;
		out->values[out->n++] = v;
	}
	FOR_PAIRS(L, map, pair) {
		yaml_node_t *src = node(L, pair->value);
		if (!is_merge_key(node(L, pair->key)))
			continue;
		if (src->type == YAML_MAPPING_NODE) {
			if (collect_pairs(L, top, src, out, depth + 1) < 0)
				return -1;
			continue;
		}
		if (src->type != YAML_SEQUENCE_NODE)
			return fail_at(L, src, "a merge key (<<) takes an alias such as *defaults, got %s",
				       describe(src));
		FOR_ITEMS(L, src, item) {
			yaml_node_t *m = node(L, *item);
			if (m->type != YAML_MAPPING_NODE)
				return fail_at(L, m, "a merge key (<<) takes aliases of mappings, got %s",
					       describe(m));
			if (collect_pairs(L, top, m, out, depth + 1) < 0)
				return -1;
		}
	}
	return 0;
}

static int fill_pair(struct loader *L, const struct schema *s, const char *where,
		     yaml_node_t *k, yaml_node_t *v, void *obj, char **label)
{
	const struct field *f = find_field(s, scalar(k));
	if (!f && label && !strcmp(scalar(k), "label")) {
		if (*label)
			return fail_at(L, k, "'label' is given twice for this expectation");
		return parse_str(L, NULL, "label", v, label);
	}
	if (!f)
		return fail_unknown_key(L, s, where, k, label != NULL);
	return parse_field(L, f, f->key, v, obj);
}

/*
 * Fill obj from a mapping node.  where names the structure in messages
 * ("test", "check 'file'"; NULL for the spec itself).  label: when not NULL
 * and the schema has no `label` field, a `label:` key is stored there.
 */
static int fill_mapping(struct loader *L, const struct schema *s, const char *where,
			yaml_node_t *map, void *obj, char **label)
{
	struct pairs p = {NULL, NULL, 0, 0};
	int rc = 0;
	if (++L->depth > MAX_DEPTH)
		return fail_at(L, map, "nested too deeply");
	rc = collect_pairs(L, map, map, &p, 0);
	for (size_t i = 0; rc == 0 && i < p.n; i++)
		rc = fill_pair(L, s, where, p.keys[i], p.values[i], obj, label);
	free(p.keys);
	free(p.values);
	L->depth--;
	if (rc < 0)
		return -1;
	return check_required(L, s, where, map, map, NULL);
}

static int after_fill(struct loader *L, const struct schema *s, yaml_node_t *n, void *obj);

/*
 * Fill obj (already initialised) from node n, given for the key `what`: a
 * mapping, or a shorthand value for the schema's F_SHORTHAND field.  Then run
 * the schema's validate hook and spec.c's own validation.
 */
static int fill_object(struct loader *L, const struct schema *s, const char *what,
		       const char *where, yaml_node_t *n, void *obj)
{
	const struct field *sh = shorthand_field(s);
	if (n->type == YAML_MAPPING_NODE) {
		if (fill_mapping(L, s, where, n, obj, NULL) < 0)
			return -1;
	} else if (sh && !is_null(n)) {
		if (parse_field(L, sh, what, n, obj) < 0 ||
		    check_required(L, s, where, NULL, n, sh) < 0)
			return -1;
	} else {
		return fail_at(L, n, "'%s' must be a mapping of keys (key: value), got %s",
			       what, describe(n));
	}
	const char *bad = s->validate ? s->validate(obj) : NULL;
	if (bad)
		return fail_at(L, n, "%s: %s", where ? where : what, bad);
	return after_fill(L, s, n, obj);
}

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

static int fail_unknown_check(struct loader *L, yaml_node_t *k)
{
	const char **names = xcalloc(1, sizeof(char *));
	check_each(add_check_name, &names);
	size_t n = 0;
	while (names[n])
		n++;
	fail_unknown(L, k, "check", scalar(k), NULL, "checks", names, n);
	free(names);
	return -1;
}

/* Which key of an expectation item names the check.  NULL and error set. */
static yaml_node_t *expect_check_key(struct loader *L, yaml_node_t *item)
{
	yaml_node_t *found = NULL;
	FOR_PAIRS(L, item, pair) {
		yaml_node_t *k = node(L, pair->key);
		if (!strcmp(scalar(k), "label"))
			continue;
		if (is_merge_key(k)) {
			fail_at(L, k, "merge keys (<<) are not supported in an expectation");
			return NULL;
		}
		if (found) {
			fail_at(L, k, "one check per item: '%s' follows '%s' in the same item "
				"(start a new item with '- ')", scalar(k), scalar(found));
			return NULL;
		}
		found = k;
	}
	if (!found)
		fail_at(L, item, "this expectation names no check, e.g. '- exit: 0'");
	return found;
}

/* The check's value: a mapping of parameters, or a shorthand value. */
static int parse_check_value(struct loader *L, struct expect *e, const char *where, yaml_node_t *v)
{
	const struct schema *ps = e->check->params;
	const char *name = e->check->name;
	if (!ps) {
		bool empty = is_null(v) || (v->type == YAML_MAPPING_NODE && !map_get(L, v, "label") &&
					    v->data.mapping.pairs.top == v->data.mapping.pairs.start);
		if (!empty)
			return fail_at(L, v, "check '%s' takes no parameters", name);
		return 0;
	}
	e->params = xcalloc(1, ps->size);
	schema_init(ps, e->params);
	const struct field *sh = shorthand_field(ps);
	if (is_null(v) && sh && sh->type == F_STR)
		return fail_at(L, v, "'%s' needs a value (write %s: \"\" for an empty string)",
			       name, name);
	if (is_null(v) && sh)
		return fail_at(L, v, "'%s' needs a value or a mapping of parameters", name);
	if (is_null(v) || v->type == YAML_MAPPING_NODE) {
		if (v->type == YAML_MAPPING_NODE &&
		    fill_mapping(L, ps, where, v, e->params, &e->label) < 0)
			return -1;
		if (is_null(v) && check_required(L, ps, where, NULL, v, NULL) < 0)
			return -1;
	} else if (sh) {
		if (parse_field(L, sh, name, v, e->params) < 0 ||
		    check_required(L, ps, where, NULL, v, sh) < 0)
			return -1;
	} else {
		return fail_at(L, v, "check '%s' takes a mapping of parameters such as {%s: ...}, got %s",
			       name, ps->nfields ? ps->fields[0].key : "key", describe(v));
	}
	const char *bad = ps->validate ? ps->validate(e->params) : NULL;
	if (bad)
		return fail_at(L, v, "%s: %s", where, bad);
	return 0;
}

static int parse_expect(struct loader *L, yaml_node_t *item, struct expect *e)
{
	if (item->type != YAML_MAPPING_NODE) {
		if (item->type == YAML_SCALAR_NODE && !is_null(item) && check_find(scalar(item)))
			return fail_at(L, item, "'- %s' needs a value: write '- %s: VALUE' or '- %s: {...}'",
				       scalar(item), scalar(item), scalar(item));
		return fail_at(L, item, "each expectation is a mapping such as '- exit: 0', got %s",
			       describe(item));
	}
	if (check_keys(L, item) < 0)
		return -1;
	yaml_node_t *k = expect_check_key(L, item);
	if (!k)
		return -1;
	e->check = check_find(scalar(k));
	if (!e->check)
		return fail_unknown_check(L, k);
	set_pos(&e->line, &e->col, k);
	yaml_node_t *label = map_get(L, item, "label");
	if (label && parse_str(L, NULL, "label", label, &e->label) < 0)
		return -1;
	char *where = xasprintf("check '%s'", e->check->name);
	int rc = parse_check_value(L, e, where, map_get(L, item, scalar(k)));
	free(where);
	return rc;
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

static int check_path(struct loader *L, yaml_node_t *at, const char *what, const char *p)
{
	if (!is_safe_relative_path(p))
		return fail_at(L, at, "%s '%s' must be a relative path inside the run directory "
			       "(no leading '/', no '..')", what, p);
	return 0;
}

static int validate_limits(struct loader *L, yaml_node_t *n, void *obj)
{
	const struct limits *l = obj;
	const struct { const char *key; long v; } positive[] = {
		{"cpu", l->cpu_ms}, {"wall", l->wall_ms}, {"memory", l->memory},
		{"processes", l->processes}, {"open_files", l->open_files},
	};
	for (size_t i = 0; i < ARRAY_SIZE(positive); i++)
		if (positive[i].v != UNSET && positive[i].v <= 0)
			return fail_at(L, pos_of(L, n, positive[i].key), "'%s' must be greater than 0, got %ld",
				       positive[i].key, positive[i].v);
	if (l->cpu_ms != UNSET && l->cpu_ms > MAX_TIME_MS)
		return fail_at(L, pos_of(L, n, "cpu"), "'cpu' must be at most 1h");
	if (l->wall_ms != UNSET && l->wall_ms > MAX_TIME_MS)
		return fail_at(L, pos_of(L, n, "wall"), "'wall' must be at most 1h");
	const struct { const char *key; long v; } nonneg[] = {
		{"output", l->output}, {"file_size", l->file_size},
	};
	for (size_t i = 0; i < ARRAY_SIZE(nonneg); i++)
		if (nonneg[i].v != UNSET && nonneg[i].v < 0)
			return fail_at(L, pos_of(L, n, nonneg[i].key), "'%s' must not be negative", nonneg[i].key);
	return 0;
}

static int validate_random_ints(struct loader *L, yaml_node_t *n, void *obj)
{
	const struct random_ints *r = obj;
	if (r->count < 0 || r->count > MAX_RANDOM_INTS)
		return fail_at(L, pos_of(L, n, "count"), "'count' must be between 0 and %ld, got %ld",
			       MAX_RANDOM_INTS, r->count);
	if (r->min > r->max)
		return fail_at(L, pos_of(L, n, "min"), "'min' (%ld) is greater than 'max' (%ld)",
			       r->min, r->max);
	return 0;
}

static bool is_var_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")] == '\0';
}

static int validate_input(struct loader *L, yaml_node_t *n, void *obj)
{
	struct input *in = obj;
	static const char *const kinds[] = {"random_bytes", "text", "random_ints", "missing"};
	bool given[] = {in->random_bytes != UNSET, in->text != NULL,
			in->random_ints.count != UNSET, in->missing == 1};
	const char *first = NULL;
	set_pos(&in->line, &in->col, n);
	if (check_path(L, pos_of(L, n, "file"), "input file", in->file) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!given[i])
			continue;
		if (first)
			return fail_at(L, pos_of(L, n, kinds[i]), "input '%s' gives both '%s' and '%s': "
				       "give exactly one", in->file, first, kinds[i]);
		first = kinds[i];
	}
	if (!first)
		return fail_at(L, n, "input '%s' needs one of random_bytes, text, random_ints "
			       "or missing: true", in->file);
	if (in->name) {
		static const char *const reserved[] = {"seed", "x", "i", "n"};
		if (!is_var_name(in->name))
			return fail_at(L, pos_of(L, n, "name"), "input name '%s' must be a variable name "
				       "(letters, digits, '_'; not starting with a digit)", in->name);
		if (in_list(in->name, reserved, ARRAY_SIZE(reserved)))
			return fail_at(L, pos_of(L, n, "name"), "input name '%s' is reserved "
				       "(seed, x, i and n have a meaning in templates)", in->name);
	} else {
		in->name = xstrdup(in->file);
	}
	return 0;
}

static int validate_fault(struct loader *L, yaml_node_t *n, void *obj)
{
	struct fault *fl = obj;
	const char *names[ARRAY_SIZE(errnos)];
	set_pos(&fl->line, &fl->col, n);
	if (!in_list(fl->call, fault_calls, ARRAY_SIZE(fault_calls)))
		return fail_unknown(L, pos_of(L, n, "call"), "call", fl->call, NULL,
				    "calls that can fail", fault_calls, ARRAY_SIZE(fault_calls));
	if (spec_errno_value(fl->errno_name) < 0) {
		for (size_t i = 0; i < ARRAY_SIZE(errnos); i++)
			names[i] = errnos[i].name;
		return fail_unknown(L, pos_of(L, n, "errno"), "errno", fl->errno_name, NULL,
				    "known", names, ARRAY_SIZE(errnos));
	}
	if (fl->nth == UNSET)
		fl->nth = 1;
	if (fl->nth < 1)
		return fail_at(L, pos_of(L, n, "nth"), "'nth' counts calls from 1, got %ld", fl->nth);
	return 0;
}

/* The variables a test's inputs publish (values 0: for checking names). */
static struct vars *test_vars(const struct test *t, bool in_check)
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
	if (in_check) {
		/* each_line: x = the element, i = its index; file ranges: n */
		vars_set(v, "x", 0);
		vars_set(v, "i", 0);
		vars_set(v, "n", 0);
	}
	return v;
}

static int check_template(struct loader *L, const struct vars *v, yaml_node_t *at, const char *s)
{
	if (vars_check_template(v, s) < 0)
		return fail_at(L, at, "%s", error_get());
	return 0;
}

/* The templates among a check's string parameters. */
static int check_param_templates(struct loader *L, const struct vars *v,
				 const struct expect *e, yaml_node_t *item)
{
	const struct schema *ps = e->check->params;
	yaml_node_t *value = map_get(L, item, e->check->name);
	for (size_t i = 0; ps && e->params && i < ps->nfields; i++) {
		const struct field *f = &ps->fields[i];
		yaml_node_t *at = value && value->type == YAML_MAPPING_NODE
				  ? map_get(L, value, f->key) : value;
		if (!at)
			at = item;
		void *slot = (char *)e->params + f->offset;
		if (f->type == F_STR && *(char **)slot &&
		    check_template(L, v, at, *(char **)slot) < 0)
			return -1;
		char **list = f->type == F_STRLIST ? *(char ***)slot : NULL;
		for (size_t k = 0; list && list[k]; k++) {
			yaml_node_t *it = seq_get(L, at, k);
			if (check_template(L, v, it ? it : at, list[k]) < 0)
				return -1;
		}
	}
	return 0;
}

static int check_test_templates(struct loader *L, yaml_node_t *n, const struct test *t)
{
	struct vars *v = test_vars(t, false), *cv = test_vars(t, true);
	yaml_node_t *run = map_get(L, n, "run"), *expect = map_get(L, n, "expect");
	int rc = 0;
	for (size_t i = 0; rc == 0 && t->run[i]; i++) {
		yaml_node_t *at = seq_get(L, run, i);
		rc = check_template(L, v, at ? at : run, t->run[i]);
	}
	if (rc == 0 && t->stdin_text)
		rc = check_template(L, v, map_get(L, n, "stdin"), t->stdin_text);
	for (size_t i = 0; rc == 0 && i < t->nexpects; i++)
		rc = check_param_templates(L, cv, &t->expects[i], seq_get(L, expect, i));
	vars_free(v);
	vars_free(cv);
	return rc;
}

/* Inputs of one test: distinct names and files. */
static int check_inputs_distinct(struct loader *L, yaml_node_t *n, const struct test *t)
{
	yaml_node_t *list = map_get(L, n, "inputs");
	for (size_t i = 0; i < t->ninputs; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct input *a = &t->inputs[j], *b = &t->inputs[i];
			yaml_node_t *at = seq_get(L, list, i);
			if (!strcmp(a->file, b->file))
				return fail_at(L, pos_of(L, at, "file"), "input file '%s' is generated twice "
					       "(first at line %d)", b->file, a->line);
			if (!strcmp(a->name, b->name))
				return fail_at(L, pos_of(L, at, "name"), "two inputs are named '%s' "
					       "(first at line %d)", b->name, a->line);
		}
	}
	return 0;
}

/* Run under the tracer?  Given: must agree with the checks and faults. */
static int decide_trace(struct loader *L, yaml_node_t *n, struct test *t)
{
	const struct check *needs = NULL;
	for (size_t i = 0; i < t->nexpects && !needs; i++)
		if (t->expects[i].check->needs_trace)
			needs = t->expects[i].check;
	if (t->trace == 0 && needs)
		return fail_at(L, pos_of(L, n, "trace"), "'trace: false' but check '%s' needs the tracer",
			       needs->name);
	if (t->trace == 0 && t->nfaults)
		return fail_at(L, pos_of(L, n, "trace"), "'trace: false' but faults are injected by the tracer");
	if (t->race == UNSET)
		t->race = 0;
	if (t->race < 0)
		return fail_at(L, pos_of(L, n, "race"), "'race' is a number of steps (e.g. 200000), got %ld",
			       t->race);
	if (t->trace == 0 && t->race)
		return fail_at(L, pos_of(L, n, "trace"), "'trace: false' but 'race' needs the tracer");
	if (t->trace < 0)
		t->trace = needs || t->nfaults || t->race ? TRACE_FULL : TRACE_LIFECYCLE;
	return 0;
}

static int validate_test(struct loader *L, yaml_node_t *n, void *obj)
{
	struct test *t = obj;
	set_pos(&t->line, &t->col, n);
	if (!*t->name)
		return fail_at(L, pos_of(L, n, "name"), "a test name must not be empty");
	if (isnan(t->points))
		t->points = 1;
	if (t->points < 0)
		return fail_at(L, pos_of(L, n, "points"), "'points' must not be negative, got %g", t->points);
	if (!t->visibility)
		t->visibility = xstrdup("visible");
	if (!in_list(t->visibility, visibilities, ARRAY_SIZE(visibilities)))
		return fail_unknown(L, pos_of(L, n, "visibility"), "visibility", t->visibility, NULL,
				    "one of", visibilities, ARRAY_SIZE(visibilities));
	if (!t->run[0])
		return fail_at(L, pos_of(L, n, "run"), "'run' is empty: give the program and its "
			       "arguments, e.g. [harness, in.txt]");
	if (t->repeat == UNSET)
		t->repeat = 1;
	if (t->repeat < 1 || t->repeat > MAX_REPEAT)
		return fail_at(L, pos_of(L, n, "repeat"), "'repeat' must be between 1 and %d, got %ld",
			       MAX_REPEAT, t->repeat);
	if (t->nexpects == 0)
		return fail_at(L, pos_of(L, n, "expect"), "test '%s' expects nothing: "
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
static int check_sources(struct loader *L, yaml_node_t *root, const struct spec *s)
{
	yaml_node_t *list = map_get(L, map_get(L, root, "build"), "sources");
	char **src = s->build.sources;
	for (size_t i = 0; src && src[i]; i++) {
		yaml_node_t *at = seq_get(L, list, i);
		at = at ? at : list;
		if (check_path(L, at, "build source", src[i]) < 0)
			return -1;
		bool student = false;
		for (size_t k = 0; s->student_files[k]; k++)
			student |= !strcmp(src[i], s->student_files[k]);
		char *p = path_join(L->dir, src[i]);
		bool found = student || path_exists(p);
		free(p);
		if (!found)
			return fail_at(L, at, "build source '%s' is neither a student file nor a file of "
				       "the exercise folder %s", src[i], L->dir);
	}
	return 0;
}

static int validate_spec(struct loader *L, yaml_node_t *n, void *obj)
{
	struct spec *s = obj;
	yaml_node_t *files = map_get(L, n, "student_files"), *tests = map_get(L, n, "tests");
	if (!is_plain_name(s->exercise))
		return fail_at(L, pos_of(L, n, "exercise"), "'exercise' must be a plain name "
			       "(letters, digits, '_', '-'), got '%s'", s->exercise);
	if (!s->student_files[0])
		return fail_at(L, files, "'student_files' is empty: name the files students submit");
	for (size_t i = 0; s->student_files[i]; i++) {
		yaml_node_t *at = seq_get(L, files, i);
		if (check_path(L, at ? at : files, "student file", s->student_files[i]) < 0)
			return -1;
	}
	if (check_sources(L, n, s) < 0)
		return -1;
	if (s->ntests == 0)
		return fail_at(L, tests, "'tests' is empty: add at least one test");
	for (size_t i = 0; i < s->ntests; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(s->tests[i].name, s->tests[j].name))
				continue;
			yaml_node_t *first = pos_of(L, seq_get(L, tests, j), "name");
			return fail_at(L, pos_of(L, seq_get(L, tests, i), "name"),
				       "duplicate test name '%s' (first at line %zu)",
				       s->tests[i].name, line_of(first));
		}
	}
	return 0;
}

static const struct {
	const struct schema *schema;
	int (*validate)(struct loader *L, yaml_node_t *n, void *obj);
} after_fill_hooks[] = {
	{&spec_schema, validate_spec},
	{&limits_schema, validate_limits},
	{&random_ints_schema, validate_random_ints},
	{&input_schema, validate_input},
	{&fault_schema, validate_fault},
	{&test_schema, validate_test},
};

static int after_fill(struct loader *L, const struct schema *s, yaml_node_t *n, void *obj)
{
	for (size_t i = 0; i < ARRAY_SIZE(after_fill_hooks); i++)
		if (after_fill_hooks[i].schema == s)
			return after_fill_hooks[i].validate(L, n, obj);
	return 0;
}

/* ---- YAML documents ---- */

/* 1-based line and column of byte offset in text. */
static void offset_pos(const struct buf *text, size_t offset, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset && i < text->len; i++) {
		if (text->data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text->data[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static int yaml_error(const char *path, const yaml_parser_t *p, const struct buf *text)
{
	size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
	struct buf b = BUF_INIT;
	if (p->error == YAML_READER_ERROR)
		offset_pos(text, p->problem_offset, &line, &col);
	buf_addf(&b, "%s:%zu:%zu: YAML syntax error: %s", path, line, col,
		 p->problem ? p->problem : "cannot parse");
	if (p->error == YAML_READER_ERROR && p->problem_value != -1)
		buf_addf(&b, " (byte 0x%02X)", p->problem_value & 0xFF);
	if (p->context)
		buf_addf(&b, " (%s at line %zu, column %zu)", p->context,
			 p->context_mark.line + 1, p->context_mark.column + 1);
	if (p->error != YAML_READER_ERROR && p->problem_mark.index < text->len &&
	    text->data[p->problem_mark.index] == '\t')
		buf_adds(&b, "; YAML does not allow tabs for indentation, use spaces");
	error_set("%s", buf_str(&b));
	buf_free(&b);
	return -1;
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
		yaml_error(path, &p, text);
		yaml_parser_delete(&p);
		return -1;
	}
	yaml_node_t *root = yaml_document_get_root_node(doc);
	struct loader L = {path, doc, NULL, 0};
	if (!root) {
		rc = error_set("%s:1:1: the spec is empty: it needs exercise:, student_files: and tests:", path);
	} else if (root->type != YAML_MAPPING_NODE) {
		rc = fail_at(&L, root, "the spec must be a mapping of keys (exercise:, student_files:, "
			     "tests:, ...), got %s", describe(root));
	} else if (!yaml_parser_load(&p, &extra)) {
		rc = yaml_error(path, &p, text);
	} else {
		yaml_node_t *second = yaml_document_get_root_node(&extra);
		if (second) {
			struct loader L2 = {path, &extra, NULL, 0};
			rc = fail_at(&L2, second, "a second YAML document: a spec is one document "
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
	struct loader L = {path, &doc, out->dir, 0};
	int rc = fill_object(&L, &spec_schema, "spec", NULL, yaml_document_get_root_node(&doc), out);
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
