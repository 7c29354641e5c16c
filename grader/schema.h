/*
 * schema.h - describe a C structure so that a YAML mapping can fill it.
 *
 * A schema is a table of fields: the YAML key, a type, the offset of the
 * member in the structure and flags.  schema.c walks a YAML mapping with
 * such a table, so that every structure of the spec language (the spec
 * itself, a test, the parameters of each check) is declared once, next to
 * the code that uses it, and errors (unknown key, wrong type, missing
 * field) come out uniformly as "spec.yaml:LINE:COLUMN: what is wrong".
 *
 * Unset values: before parsing, every F_LONG/F_SIZE/F_MS member is set to
 * UNSET, every F_BOOL member to -1, pointers to NULL and counts to 0.  A
 * check tests "was it given" with `x != UNSET`, `b >= 0`, `s != NULL`.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>
#include "util.h"

#define UNSET LONG_MIN

enum field_type {
	F_STR,     /* char *                                                   */
	F_LONG,    /* long: integer                                            */
	F_SIZE,    /* long: bytes; "4096", "64KiB", "16MiB", "1GiB"            */
	F_MS,      /* long: milliseconds; "250ms", "2s", or a bare number = ms */
	F_BOOL,    /* int: 0, 1 (-1 unset)                                     */
	F_DOUBLE,  /* double (NaN unset)                                       */
	F_STRLIST, /* char ** NULL-terminated; a scalar is a one-item list     */
	F_OBJ,     /* embedded struct described by .sub                        */
	F_OBJLIST, /* pointer to array of .sub structs; count at .count_offset */
	F_ENUM,    /* int: index of the value in .names (NULL-terminated)      */
	F_STRMAP,  /* char ** NULL-terminated: key, value, key, value... in the
		      order given; keys are names (letters, digits, '_')     */
};

#define F_REQUIRED  0x1  /* a missing key is an error                       */
#define F_SHORTHAND 0x2  /* a scalar given where the mapping was expected
			    sets this field (e.g. "exit: 0" = "exit: {code: 0}") */
/* What a string is, for lint (spec.c checks every name it uses, see vars.h):
   a template or an integer expression over the test's variables and the
   field's own `locals`; F_RANGE: "FROM:TO", two expressions over them.  A
   string with none of these flags is checked as a template (a plain text
   has no ${...} to check). */
#define F_TEMPLATE  0x4
#define F_EXPR      0x8
#define F_RANGE     0x10
/* F_STRMAP: loops NAME: "FROM..TO" (inclusive, expressions over the test's
   variables); each NAME is a variable of the check's templates. */
#define F_LOOP      0x20

struct schema;
struct schema_reader;

struct field {
	const char *key;
	enum field_type type;
	size_t offset;
	unsigned flags;
	const struct schema *sub;  /* F_OBJ, F_OBJLIST */
	size_t count_offset;       /* F_OBJLIST: size_t member holding the count */
	const char *const *names;  /* F_ENUM */
	const char *help;          /* one line, shown by `grader lint --explain` */
	const char *locals;        /* F_TEMPLATE/F_EXPR/F_RANGE: the variables the
				      check sets for this field, e.g. "x i" */
};

struct schema {
	const char *name;          /* used in messages: "in test", "in check 'file'" */
	size_t size;               /* sizeof the structure */
	const struct field *fields;
	size_t nfields;
	/* Optional: cross-field validation after parsing.  Returns NULL when
	   valid, else a static message such as "give either 'exact' or 'regex'". */
	const char *(*validate)(const void *obj);
	/* Optional: an item of a list is read by this function instead of
	   field by field (the spec's expectations, keyed by a check's name).
	   0, or -1 with the error set. */
	int (*parse)(struct schema_reader *r, yaml_node_t *n, void *obj);
	/* Optional: frees what obj owns beyond its fields (schema_free calls
	   it after freeing them). */
	void (*release)(void *obj);
};

#define SCHEMA(type, nm, table, check) \
	{ nm, sizeof(type), table, sizeof(table) / sizeof((table)[0]), check, NULL, NULL }

/* Set every member described by schema to "unset" (see above); obj must be
   zeroed first.  Free the members of obj (not obj itself). */
void schema_init(const struct schema *schema, void *obj);
void schema_free(const struct schema *schema, void *obj);
/* Append schema's keys to out, one line each ("  key  type  help"), then
   those of each structure it holds that out does not show yet, under a
   line "NAME:" (for `grader lint --explain`). */
void schema_explain(const struct schema *schema, struct buf *out);

/* ---- reading YAML with schemas (schema.c), for a language such as spec.c ---- */

/* One YAML document being read.  Messages are "PATH:LINE:COL: ...". */
struct schema_reader {
	const char *path;          /* as given, for messages */
	yaml_document_t *doc;
	int depth;
	/* Optional: the language's own rules for a structure just filled (and
	   validated by its schema), with the node for precise positions. */
	int (*after_fill)(struct schema_reader *r, const struct schema *s, yaml_node_t *n, void *obj);
	const void *arg;           /* the language's (spec.c: the exercise dir) */
};

/*
 * Fill obj (already initialised) from node n, given for the key `what`: a
 * mapping, or a shorthand value for the schema's F_SHORTHAND field.  where
 * names the structure in messages ("test", "check 'file'"; NULL for the
 * root).  Then run the schema's validate hook and the reader's after_fill.
 * 0, or -1 with the error set.
 */
int schema_fill_object(struct schema_reader *r, const struct schema *s, const char *what,
		       const char *where, yaml_node_t *n, void *obj);
/* Keys a mapping may carry beside its schema's fields (an expectation's
   `label:` and `hint:`): a string stored in *value, given at most once. */
struct schema_extra {
	const char *key;
	char **value;
};
/* Fill obj from a mapping node.  extras (NULL, or ended by a NULL key): keys
   that are not fields of the schema, each stored in its slot. */
int schema_fill_mapping(struct schema_reader *r, const struct schema *s, const char *where,
			yaml_node_t *map, void *obj, const struct schema_extra *extras);
/* Fill the member f of obj from n (what names the key in messages). */
int schema_parse_field(struct schema_reader *r, const struct field *f, const char *what,
		       yaml_node_t *n, void *obj);
/* A string value into *(char **)slot (f may be NULL). */
int schema_parse_str(struct schema_reader *r, const struct field *f, const char *what,
		     yaml_node_t *n, void *slot);
/* Keys of map are plain strings, each given once. */
int schema_check_keys(struct schema_reader *r, yaml_node_t *map);
/* Every F_REQUIRED field given?  Checked against the keys of map (NULL when
   the object was given as a shorthand scalar, which fills the field given);
   a message points at `at`. */
int schema_check_required(struct schema_reader *r, const struct schema *s, const char *where,
			  yaml_node_t *map, yaml_node_t *at, const struct field *given);
/* The schema's F_SHORTHAND field, or NULL. */
const struct field *schema_shorthand(const struct schema *s);

/* Nodes.  A merge key (`<<: *defaults`, or a list of aliases) supplies the
   keys a mapping does not give itself. */
yaml_node_t *schema_node(const struct schema_reader *r, int id);
const char *schema_scalar(const yaml_node_t *n);
bool schema_is_null(const yaml_node_t *n);
bool schema_is_merge_key(const yaml_node_t *k);
/* "nothing", "a single value", "a list", "a mapping": for messages. */
const char *schema_describe(const yaml_node_t *n);
/* The value of key in a mapping node (merge keys count), or NULL. */
yaml_node_t *schema_get(const struct schema_reader *r, const yaml_node_t *map, const char *key);
/* Item i of a sequence node, or NULL. */
yaml_node_t *schema_item(const struct schema_reader *r, const yaml_node_t *seq, size_t i);
/* The best position for a message about key in map: its value, else the map. */
yaml_node_t *schema_pos(const struct schema_reader *r, yaml_node_t *map, const char *key);
size_t schema_line(const yaml_node_t *n);
void schema_set_pos(int *line, int *col, const yaml_node_t *n);
#define SCHEMA_FOR_PAIRS(r, map, pair) \
	for (yaml_node_pair_t *pair = (map)->data.mapping.pairs.start; \
	     pair < (map)->data.mapping.pairs.top; pair++)
#define SCHEMA_FOR_ITEMS(r, seq, item) \
	for (yaml_node_item_t *item = (seq)->data.sequence.items.start; \
	     item < (seq)->data.sequence.items.top; item++)

/* Messages: set the error to "PATH:LINE:COL: ..." at node n and return -1. */
int schema_fail(const struct schema_reader *r, const yaml_node_t *n, const char *fmt, ...) PRINTF(3, 4);
/* "unknown WHAT 'word' [in WHERE] (did you mean 'x'?)", or the candidates
   listed as "(LIST_NAME: a, b, c)". */
int schema_fail_unknown(const struct schema_reader *r, const yaml_node_t *n, const char *what,
			const char *word, const char *where, const char *list_name,
			const char *const *cands, size_t ncands);
/* libyaml's parse error p, as "PATH:LINE:COL: YAML syntax error: ...". */
int schema_yaml_error(const char *path, const yaml_parser_t *p, const struct buf *text);

#endif
