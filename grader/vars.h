/*
 * vars.h - the values a run's inputs produce, and templates that use them.
 *
 * Expected values are computed here, in the grader, from the inputs it
 * generated (never by the program under test).  A template is a string with
 * ${EXPR} parts; EXPR is integer arithmetic (+ - * / %, unary -, parentheses)
 * over decimal numbers and variable names such as seed, src.size,
 * deposits.sum.  Division truncates toward zero like C; division by zero and
 * unknown names are errors.  "$$" is a literal '$'.
 *
 * List variables (from random_ints) hold the generated values, used by the
 * `each_line` form of the stdout check: the template is expanded once per
 * element with x = the element and i = its index.
 */
#ifndef VARS_H
#define VARS_H

#include <stddef.h>

struct vars;

struct vars *vars_new(void);
void vars_free(struct vars *v);
/* Set (or replace) a scalar variable. */
void vars_set(struct vars *v, const char *name, long value);
/* Set (or replace) a list variable; the values are copied. */
void vars_set_list(struct vars *v, const char *name, const long *values, size_t n);
/* A new set holding the same variables (v may be NULL: empty). */
struct vars *vars_copy(const struct vars *v);
/* 0 and *out, or -1 (unknown name; error set). */
int vars_get(const struct vars *v, const char *name, long *out);
/* The list, or NULL (error set) if name is not a list. */
const long *vars_list(const struct vars *v, const char *name, size_t *n);

/* Evaluate an expression.  0 and *out, or -1 with a message naming the
   position ("in 'n/0' at column 2: division by zero").  An expression
   written as one whole template, "${n/2}", is evaluated the same as "n/2". */
int vars_eval(const struct vars *v, const char *expr, long *out);
/* Check an expression without computing it (names and syntax, as
   vars_check_template does).  0 or -1. */
int vars_check_expr(const struct vars *v, const char *expr);
/* Expand a template into a new string (caller frees), or NULL (error set). */
char *vars_expand(const struct vars *v, const char *tmpl);
/* Check a template without computing it: its syntax, and that every name it
   uses is known to v (values are ignored, so no division by zero).  Used by
   spec_load() to reject a bad template before anything runs.  0 or -1. */
int vars_check_template(const struct vars *v, const char *tmpl);
/* True if s contains a ${...} part. */
int vars_is_template(const char *s);

#endif
