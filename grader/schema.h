/*
 * schema.h - describe a C structure so that a YAML mapping can fill it.
 *
 * A schema is a table of fields: the YAML key, a type, the offset of the
 * member in the structure and flags.  spec.c walks a YAML mapping with such a
 * table, so that every structure of the spec language (the spec itself, a
 * test, the parameters of each check) is declared once, next to the code
 * that uses it, and errors (unknown key, wrong type, missing field) come out
 * uniformly as "spec.yaml:LINE:COLUMN: what is wrong".
 *
 * Unset values: before parsing, every F_LONG/F_SIZE/F_MS member is set to
 * UNSET, every F_BOOL member to -1, pointers to NULL and counts to 0.  A
 * check tests "was it given" with `x != UNSET`, `b >= 0`, `s != NULL`.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <limits.h>
#include <stddef.h>

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
};

#define F_REQUIRED  0x1  /* a missing key is an error                       */
#define F_SHORTHAND 0x2  /* a scalar given where the mapping was expected
			    sets this field (e.g. "exit: 0" = "exit: {code: 0}") */

struct schema;

struct field {
	const char *key;
	enum field_type type;
	size_t offset;
	unsigned flags;
	const struct schema *sub;  /* F_OBJ, F_OBJLIST */
	size_t count_offset;       /* F_OBJLIST: size_t member holding the count */
	const char *const *names;  /* F_ENUM */
	const char *help;          /* one line, shown by `grader lint --explain` */
};

struct schema {
	const char *name;          /* used in messages: "in test", "in check 'file'" */
	size_t size;               /* sizeof the structure */
	const struct field *fields;
	size_t nfields;
	/* Optional: cross-field validation after parsing.  Returns NULL when
	   valid, else a static message such as "give either 'exact' or 'regex'". */
	const char *(*validate)(const void *obj);
};

#define SCHEMA(type, nm, table, check) \
	{ nm, sizeof(type), table, sizeof(table) / sizeof((table)[0]), check }

#endif
