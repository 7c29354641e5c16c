/*
 * schema.c - fill C structures from YAML nodes, as their schemas describe
 * (schema.h): the generic walker under the spec language (spec.c).
 *
 * Theory of operation.
 *
 * 1. The caller composes a document with libyaml (yaml_parser_load; syntax
 *    errors come out through schema_yaml_error()); every node carries its
 *    start position, so every message here is "PATH:LINE:COLUMN: what is
 *    wrong", 1-based, pointing at the node at fault (a key for an unknown
 *    key, the value for a bad value, the mapping for a missing key).
 *
 * 2. schema_fill_object() takes a schema and a node and fills a C
 *    structure: a mapping field by field (merge keys `<<` resolved), or a
 *    scalar given for the schema's F_SHORTHAND field, one parser per field
 *    type (value_parsers[]).  Then the schema's validate hook runs, then
 *    the reader's after_fill hook (the language's own rules, with
 *    positions).  Items of a list whose schema has a parse hook are read by
 *    it instead (the spec's expectations, keyed by a check's name).
 *
 * Every allocation is stored in the structure the moment it is made, so
 * schema_free() can always run, whatever failed.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "schema.h"
#include "util.h"

#define MAX_DEPTH 32

/* ---- positions and messages ---- */

int schema_fail(const struct schema_reader *L, const yaml_node_t *n, const char *fmt, ...)
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

size_t schema_line(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

void schema_set_pos(int *line, int *col, const yaml_node_t *n)
{
	*line = (int)n->start_mark.line + 1;
	*col = (int)n->start_mark.column + 1;
}

/* ---- node helpers ---- */

yaml_node_t *schema_node(const struct schema_reader *L, int id)
{
	return yaml_document_get_node(L->doc, id);
}

const char *schema_scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

bool schema_is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(nulls); i++)
		if (!strcmp(schema_scalar(n), nulls[i]))
			return true;
	return false;
}

const char *schema_describe(const yaml_node_t *n)
{
	if (schema_is_null(n))
		return "nothing";
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a single value";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "an empty node";
	}
}

static size_t seq_len(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

bool schema_is_merge_key(const yaml_node_t *k)
{
	return k && k->type == YAML_SCALAR_NODE && !strcmp(schema_scalar(k), "<<");
}

/* The value of key in a mapping node, or NULL.  YAML merge keys count:
   `<<: *defaults` (or a list of aliases) supplies the keys the mapping does
   not give itself, the first source first. */
static yaml_node_t *map_get_depth(const struct schema_reader *L, const yaml_node_t *map,
				  const char *key, int depth)
{
	if (!map || map->type != YAML_MAPPING_NODE || depth > MAX_DEPTH)
		return NULL;
	SCHEMA_FOR_PAIRS(L, map, pair) {
		yaml_node_t *k = schema_node(L, pair->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp(schema_scalar(k), key))
			return schema_node(L, pair->value);
	}
	SCHEMA_FOR_PAIRS(L, map, pair) {
		yaml_node_t *src = schema_node(L, pair->value), *v = NULL;
		if (!schema_is_merge_key(schema_node(L, pair->key)))
			continue;
		if (src->type == YAML_MAPPING_NODE)
			v = map_get_depth(L, src, key, depth + 1);
		else if (src->type == YAML_SEQUENCE_NODE)
			SCHEMA_FOR_ITEMS(L, src, item)
				if (!v)
					v = map_get_depth(L, schema_node(L, *item), key, depth + 1);
		if (v)
			return v;
	}
	return NULL;
}

yaml_node_t *schema_get(const struct schema_reader *L, const yaml_node_t *map, const char *key)
{
	return map_get_depth(L, map, key, 0);
}

/* Item i of a sequence node, or NULL. */
yaml_node_t *schema_item(const struct schema_reader *L, const yaml_node_t *seq, size_t i)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE || i >= seq_len(seq))
		return NULL;
	return schema_node(L, seq->data.sequence.items.start[i]);
}

/* The best position for a message about key in map: its value, else the map. */
yaml_node_t *schema_pos(const struct schema_reader *L, yaml_node_t *map, const char *key)
{
	yaml_node_t *v = schema_get(L, map, key);
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
int schema_fail_unknown(const struct schema_reader *L, const yaml_node_t *n, const char *what,
			const char *word, const char *where, const char *list_name,
			const char *const *cands, size_t ncands)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "unknown %s '%s'", what, word);
	if (where)
		buf_addf(&b, " in %s", where);
	add_hint(&b, word, list_name, cands, ncands);
	schema_fail(L, n, "%s", buf_str(&b));
	buf_free(&b);
	return -1;
}

/* ---- schema_init / schema_free ---- */

void schema_init(const struct schema *s, void *obj)
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
		case F_STR: case F_STRLIST: case F_STRMAP: case F_OBJLIST:
			break;   /* zeroed by the caller */
		}
	}
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
		case F_STRLIST: case F_STRMAP:
			strv_free(*(char ***)slot);
			*(char ***)slot = NULL;
			break;
		case F_OBJ:
			schema_free(f->sub, slot);
			break;
		case F_OBJLIST: {
			char *items = *(char **)slot;
			size_t *count = (size_t *)(base + f->count_offset);
			for (size_t k = 0; items && k < *count; k++)
				schema_free(f->sub, items + k * f->sub->size);
			free(items);
			*(char **)slot = NULL;
			*count = 0;
			break;
		}
		default:
			break;
		}
	}
	if (s->release)
		s->release(obj);
}

/* ---- explaining a schema (grader lint --explain) ---- */

static void type_name(const struct field *f, struct buf *out)
{
	static const char *const names[] = {
		[F_STR] = "string", [F_LONG] = "integer", [F_SIZE] = "size", [F_MS] = "duration",
		[F_BOOL] = "bool", [F_DOUBLE] = "number", [F_STRLIST] = "strings",
		[F_STRMAP] = "mapping",
	};
	if (f->type == F_OBJ)
		buf_adds(out, f->sub->name);
	else if (f->type == F_OBJLIST)
		buf_addf(out, "list of %s", f->sub->name);
	else if (f->type == F_ENUM)
		for (size_t i = 0; f->names[i]; i++)
			buf_addf(out, "%s%s", i ? "|" : "", f->names[i]);
	else
		buf_adds(out, names[f->type]);
}

/* Does out hold this line? */
static bool has_line(const struct buf *out, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = buf_str(out); (p = strstr(p, line)); p += n)
		if ((p == out->data || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

void schema_explain(const struct schema *s, struct buf *out)
{
	for (size_t i = 0; i < s->nfields; i++) {
		const struct field *f = &s->fields[i];
		struct buf type = BUF_INIT;
		type_name(f, &type);
		if (f->flags & F_REQUIRED)
			buf_adds(&type, ", required");
		buf_addf(out, "  %-18s %-22s %s\n", f->key, buf_str(&type), f->help ? f->help : "");
		buf_free(&type);
	}
	for (size_t i = 0; i < s->nfields; i++) {
		const struct schema *sub = s->fields[i].sub;
		char *head = sub ? xasprintf("%s:", sub->name) : NULL;
		if (head && !has_line(out, head)) {
			buf_addf(out, "%s\n", head);
			schema_explain(sub, out);
		}
		free(head);
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
typedef int value_parser(struct schema_reader *L, const struct field *f, const char *what,
			 yaml_node_t *n, void *slot);


/* The text of a scalar node, or -1 with a message naming what was expected. */
static int need_scalar(struct schema_reader *L, const char *what, const char *expected,
		       yaml_node_t *n, const char **out)
{
	if (schema_is_null(n))
		return schema_fail(L, n, "'%s' needs a value: %s", what, expected);
	if (n->type != YAML_SCALAR_NODE)
		return schema_fail(L, n, "'%s' must be %s, got %s", what, expected, schema_describe(n));
	*out = schema_scalar(n);
	return 0;
}

int schema_parse_str(struct schema_reader *L, const struct field *f, const char *what,
		     yaml_node_t *n, void *slot)
{
	const char *s;
	if (need_scalar(L, what, "a string", n, &s) < 0)
		return -1;
	if (strlen(s) != n->data.scalar.length)
		return schema_fail(L, n, "'%s' contains a NUL character, which is not supported", what);
	*(char **)slot = xstrdup(s);
	return 0;
}

static int parse_long_field(struct schema_reader *L, const struct field *f, const char *what,
			    yaml_node_t *n, void *slot)
{
	const char *s;
	if (need_scalar(L, what, "an integer", n, &s) < 0)
		return -1;
	if (parse_long(s, slot) < 0 || *(long *)slot == UNSET)
		return schema_fail(L, n, "'%s' must be an integer, got '%s'", what, s);
	return 0;
}

static int parse_size(struct schema_reader *L, const struct field *f, const char *what,
		      yaml_node_t *n, void *slot)
{
	const char *s, *like = "a size like 4096, 64KiB or 16MiB";
	if (need_scalar(L, what, like, n, &s) < 0)
		return -1;
	if (parse_quantity(s, size_units, ARRAY_SIZE(size_units), slot) < 0)
		return schema_fail(L, n, "'%s' must be %s, got '%s'", what, like, s);
	return 0;
}

static int parse_ms(struct schema_reader *L, const struct field *f, const char *what,
		    yaml_node_t *n, void *slot)
{
	const char *s, *like = "a duration like 250ms or 2s";
	if (need_scalar(L, what, like, n, &s) < 0)
		return -1;
	if (parse_quantity(s, time_units, ARRAY_SIZE(time_units), slot) < 0)
		return schema_fail(L, n, "'%s' must be %s, got '%s'", what, like, s);
	return 0;
}

static int parse_bool(struct schema_reader *L, const struct field *f, const char *what,
		      yaml_node_t *n, void *slot)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No", "off"};
	const char *s;
	if (need_scalar(L, what, "true or false", n, &s) < 0)
		return -1;
	if (str_in_list(s, yes, ARRAY_SIZE(yes)))
		*(int *)slot = 1;
	else if (str_in_list(s, no, ARRAY_SIZE(no)))
		*(int *)slot = 0;
	else
		return schema_fail(L, n, "'%s' must be true or false, got '%s'", what, s);
	return 0;
}

static int parse_double(struct schema_reader *L, const struct field *f, const char *what,
			yaml_node_t *n, void *slot)
{
	const char *s;
	char *end;
	if (need_scalar(L, what, "a number", n, &s) < 0)
		return -1;
	errno = 0;
	double x = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(x) || *s == ' ')
		return schema_fail(L, n, "'%s' must be a number, got '%s'", what, s);
	*(double *)slot = x;
	return 0;
}

static int parse_enum(struct schema_reader *L, const struct field *f, const char *what,
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
	schema_fail(L, n, "'%s' must be %s; got '%s'%s%s%s", what, buf_str(&names), s,
		close ? " (did you mean '" : "", close ? close : "", close ? "'?)" : "");
fail:
	buf_free(&names);
	return -1;
}

static int strlist_item(struct schema_reader *L, const char *what, yaml_node_t *item, char ***v)
{
	if (schema_is_null(item) || item->type != YAML_SCALAR_NODE)
		return schema_fail(L, item, "each item of '%s' must be a string, got %s", what, schema_describe(item));
	if (strlen(schema_scalar(item)) != item->data.scalar.length)
		return schema_fail(L, item, "an item of '%s' contains a NUL character", what);
	strv_push(v, schema_scalar(item));
	return 0;
}

static int parse_strlist(struct schema_reader *L, const struct field *f, const char *what,
			 yaml_node_t *n, void *slot)
{
	char ***v = slot;
	*v = xcalloc(1, sizeof(char *));      /* given, even if empty */
	if (schema_is_null(n))
		return schema_fail(L, n, "'%s' needs a value: a list such as [a, b]", what);
	if (n->type == YAML_SCALAR_NODE)
		return strlist_item(L, what, n, v);
	if (n->type != YAML_SEQUENCE_NODE)
		return schema_fail(L, n, "'%s' must be a list such as [a, b], got %s", what, schema_describe(n));
	SCHEMA_FOR_ITEMS(L, n, item)
		if (strlist_item(L, what, schema_node(L, *item), v) < 0)
			return -1;
	return 0;
}

static bool is_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] == '\0';
}

static int parse_strmap(struct schema_reader *L, const struct field *f, const char *what,
			yaml_node_t *n, void *slot)
{
	char ***v = slot;
	*v = xcalloc(1, sizeof(char *));      /* given, even if empty */
	if (n->type != YAML_MAPPING_NODE)
		return schema_fail(L, n, "'%s' must be a mapping such as {k: 0..9}, got %s", what,
			       schema_describe(n));
	if (schema_check_keys(L, n) < 0)
		return -1;
	SCHEMA_FOR_PAIRS(L, n, pair) {
		yaml_node_t *k = schema_node(L, pair->key), *val = schema_node(L, pair->value);
		if (k->type != YAML_SCALAR_NODE || !is_name(schema_scalar(k)))
			return schema_fail(L, k, "a key of '%s' must be a name (letters, digits, '_'; "
				       "not starting with a digit)", what);
		strv_push(v, schema_scalar(k));
		if (strlist_item(L, what, val, v) < 0)
			return -1;
	}
	return 0;
}

static int parse_obj(struct schema_reader *L, const struct field *f, const char *what,
		     yaml_node_t *n, void *slot)
{
	return schema_fill_object(L, f->sub, what, f->sub->name, n, slot);
}

static int parse_objlist(struct schema_reader *L, const struct field *f, const char *what,
			 yaml_node_t *n, void *slot)
{
	char *base = (char *)slot - f->offset;
	size_t *count = (size_t *)(base + f->count_offset);
	if (n->type != YAML_SEQUENCE_NODE)
		return schema_fail(L, n, "'%s' must be a list (start each item with '- '), got %s",
			       what, schema_describe(n));
	size_t len = seq_len(n), size = f->sub->size;
	char *items = xcalloc(len ? len : 1, size);
	*(char **)slot = items;
	*count = len;
	for (size_t i = 0; i < len; i++)
		schema_init(f->sub, items + i * size);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = schema_item(L, n, i);
		int rc = f->sub->parse
			 ? f->sub->parse(L, item, items + i * size)
			 : schema_fill_object(L, f->sub, what, f->sub->name, item, items + i * size);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static value_parser *const value_parsers[] = {
	[F_STR] = schema_parse_str,
	[F_LONG] = parse_long_field,
	[F_SIZE] = parse_size,
	[F_MS] = parse_ms,
	[F_BOOL] = parse_bool,
	[F_DOUBLE] = parse_double,
	[F_STRLIST] = parse_strlist,
	[F_OBJ] = parse_obj,
	[F_OBJLIST] = parse_objlist,
	[F_ENUM] = parse_enum,
	[F_STRMAP] = parse_strmap,
};

int schema_parse_field(struct schema_reader *L, const struct field *f, const char *what,
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

const struct field *schema_shorthand(const struct schema *s)
{
	for (size_t i = 0; s && i < s->nfields; i++)
		if (s->fields[i].flags & F_SHORTHAND)
			return &s->fields[i];
	return NULL;
}

/* Keys must be plain strings and appear once. */
int schema_check_keys(struct schema_reader *L, yaml_node_t *map)
{
	SCHEMA_FOR_PAIRS(L, map, pair) {
		yaml_node_t *k = schema_node(L, pair->key);
		if (k->type != YAML_SCALAR_NODE || schema_is_null(k))
			return schema_fail(L, k, "a key must be a plain name, got %s", schema_describe(k));
		for (yaml_node_pair_t *prev = map->data.mapping.pairs.start; prev < pair; prev++) {
			yaml_node_t *pk = schema_node(L, prev->key);
			if (!strcmp(schema_scalar(pk), schema_scalar(k)))
				return schema_fail(L, k, "duplicate key '%s' (first at line %zu)",
					       schema_scalar(k), schema_line(pk));
		}
	}
	return 0;
}

/* extras: keys accepted beside the fields (a check's label and hint). */
static int fail_unknown_key(struct schema_reader *L, const struct schema *s, const char *where,
			    yaml_node_t *k, const struct schema_extra *extras)
{
	const char *keys[64];
	size_t n = 0;
	for (size_t i = 0; i < s->nfields && n < ARRAY_SIZE(keys) - 4; i++)
		keys[n++] = s->fields[i].key;
	for (size_t i = 0; extras && extras[i].key && n < ARRAY_SIZE(keys); i++)
		keys[n++] = extras[i].key;
	return schema_fail_unknown(L, k, "key", schema_scalar(k), where, "keys", keys, n);
}

/* Every F_REQUIRED field given?  Checked against the keys of map (NULL when
   the object was given as a shorthand scalar, which fills one field). */
int schema_check_required(struct schema_reader *L, const struct schema *s, const char *where,
			  yaml_node_t *map, yaml_node_t *at, const struct field *given)
{
	for (size_t i = 0; i < s->nfields; i++) {
		const struct field *f = &s->fields[i];
		if (!(f->flags & F_REQUIRED) || f == given || (map && schema_get(L, map, f->key)))
			continue;
		if (where)
			return schema_fail(L, at, "missing required key '%s' in %s", f->key, where);
		return schema_fail(L, at, "missing required key '%s'", f->key);
	}
	return 0;
}

/* The pairs a mapping gives, merge keys resolved: its own pairs, then those
   of its `<<` sources whose key it does not give (see schema_get()). */
struct pairs {
	yaml_node_t **keys, **values;
	size_t n, cap;
};

static int collect_pairs(struct schema_reader *L, yaml_node_t *top, yaml_node_t *map,
			 struct pairs *out, int depth)
{
	if (depth > MAX_DEPTH)
		return schema_fail(L, map, "merge keys (<<) nested too deeply");
	if (schema_check_keys(L, map) < 0)
		return -1;
	SCHEMA_FOR_PAIRS(L, map, pair) {
		yaml_node_t *k = schema_node(L, pair->key), *v = schema_node(L, pair->value);
		if (schema_is_merge_key(k) || schema_get(L, top, schema_scalar(k)) != v)
			continue;
		bool seen = false;
		for (size_t i = 0; i < out->n; i++)
			seen |= !strcmp(schema_scalar(out->keys[i]), schema_scalar(k));
		if (seen)
			continue;
		grow(&out->keys, &out->cap, out->n + 1, sizeof(*out->keys));
		out->values = xrealloc(out->values, out->cap * sizeof(*out->values));
		out->keys[out->n] = k;
		out->values[out->n++] = v;
	}
	SCHEMA_FOR_PAIRS(L, map, pair) {
		yaml_node_t *src = schema_node(L, pair->value);
		if (!schema_is_merge_key(schema_node(L, pair->key)))
			continue;
		if (src->type == YAML_MAPPING_NODE) {
			if (collect_pairs(L, top, src, out, depth + 1) < 0)
				return -1;
			continue;
		}
		if (src->type != YAML_SEQUENCE_NODE)
			return schema_fail(L, src, "a merge key (<<) takes an alias such as *defaults, got %s",
				       schema_describe(src));
		SCHEMA_FOR_ITEMS(L, src, item) {
			yaml_node_t *m = schema_node(L, *item);
			if (m->type != YAML_MAPPING_NODE)
				return schema_fail(L, m, "a merge key (<<) takes aliases of mappings, got %s",
					       schema_describe(m));
			if (collect_pairs(L, top, m, out, depth + 1) < 0)
				return -1;
		}
	}
	return 0;
}

static int fill_pair(struct schema_reader *L, const struct schema *s, const char *where,
		     yaml_node_t *k, yaml_node_t *v, void *obj, const struct schema_extra *extras)
{
	const char *key = schema_scalar(k);
	const struct field *f = find_field(s, key);
	for (size_t i = 0; !f && extras && extras[i].key; i++) {
		if (strcmp(key, extras[i].key))
			continue;
		if (*extras[i].value)
			return schema_fail(L, k, "'%s' is given twice for this expectation", key);
		return schema_parse_str(L, NULL, key, v, extras[i].value);
	}
	if (!f)
		return fail_unknown_key(L, s, where, k, extras);
	return schema_parse_field(L, f, f->key, v, obj);
}

/*
 * Fill obj from a mapping node.  where names the structure in messages
 * ("test", "check 'file'"; NULL for the spec itself).  extras: keys that
 * are not fields of the schema, stored in their slots (see schema.h).
 */
int schema_fill_mapping(struct schema_reader *L, const struct schema *s, const char *where,
			yaml_node_t *map, void *obj, const struct schema_extra *extras)
{
	struct pairs p = {NULL, NULL, 0, 0};
	int rc = 0;
	if (++L->depth > MAX_DEPTH)
		return schema_fail(L, map, "nested too deeply");
	rc = collect_pairs(L, map, map, &p, 0);
	for (size_t i = 0; rc == 0 && i < p.n; i++)
		rc = fill_pair(L, s, where, p.keys[i], p.values[i], obj, extras);
	free(p.keys);
	free(p.values);
	L->depth--;
	if (rc < 0)
		return -1;
	return schema_check_required(L, s, where, map, map, NULL);
}

/*
 * Fill obj (already initialised) from node n, given for the key `what`: a
 * mapping, or a shorthand value for the schema's F_SHORTHAND field.  Then run
 * the schema's validate hook and spec.c's own validation.
 */
int schema_fill_object(struct schema_reader *L, const struct schema *s, const char *what,
		       const char *where, yaml_node_t *n, void *obj)
{
	const struct field *sh = schema_shorthand(s);
	if (n->type == YAML_MAPPING_NODE) {
		if (schema_fill_mapping(L, s, where, n, obj, NULL) < 0)
			return -1;
	} else if (sh && !schema_is_null(n)) {
		if (schema_parse_field(L, sh, what, n, obj) < 0 ||
		    schema_check_required(L, s, where, NULL, n, sh) < 0)
			return -1;
	} else {
		return schema_fail(L, n, "'%s' must be a mapping of keys (key: value), got %s",
			       what, schema_describe(n));
	}
	const char *bad = s->validate ? s->validate(obj) : NULL;
	if (bad)
		return schema_fail(L, n, "%s: %s", where ? where : what, bad);
	return L->after_fill ? L->after_fill(L, s, n, obj) : 0;
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

int schema_yaml_error(const char *path, const yaml_parser_t *p, const struct buf *text)
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
