/*
 * check_vars.c - variables, expressions and ${...} templates (vars.h):
 * values, precedence, C division, every error with its exact message and
 * column, overflow never wrapping.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "vars.h"

Suite *suite_vars(void);

static struct vars *v;

static void setup(void)
{
	static const long xs[] = {3, -1, 4};
	v = vars_new();
	vars_set(v, "seed", 42);
	vars_set(v, "src.size", 12345);
	vars_set(v, "n", 10);
	vars_set(v, "zero", 0);
	vars_set(v, "big", LONG_MAX);
	vars_set(v, "small", LONG_MIN);
	vars_set_list(v, "xs", xs, 3);
	vars_set(v, "xs.count", 3);
}

static void teardown(void)
{
	vars_free(v);
}

START_TEST(test_set_get)
{
	long x = 0;
	ck_assert_int_eq(vars_get(v, "src.size", &x), 0);
	ck_assert_int_eq(x, 12345);
	vars_set(v, "src.size", 7);                 /* replace */
	ck_assert_int_eq(vars_get(v, "src.size", &x), 0);
	ck_assert_int_eq(x, 7);
	ck_assert_int_eq(vars_get(v, "nope", &x), -1);
	ck_assert_str_eq(error_get(), "unknown variable 'nope'");
	ck_assert_int_eq(vars_get(v, "xs", &x), -1);
	ck_assert_str_eq(error_get(), "'xs' is a list of 3 numbers, not a number");
}
END_TEST

START_TEST(test_lists)
{
	size_t n = 0;
	const long *xs = vars_list(v, "xs", &n);
	ck_assert_ptr_nonnull(xs);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(xs[0], 3);
	ck_assert_int_eq(xs[1], -1);
	ck_assert_int_eq(xs[2], 4);
	long copy[] = {9, 8};
	vars_set_list(v, "ys", copy, 2);
	copy[0] = 0;                                /* the values were copied */
	ck_assert_int_eq(vars_list(v, "ys", &n)[0], 9);
	vars_set_list(v, "empty", NULL, 0);
	ck_assert_ptr_nonnull(vars_list(v, "empty", &n));
	ck_assert_int_eq(n, 0);
	ck_assert_ptr_null(vars_list(v, "n", &n));
	ck_assert_str_eq(error_get(), "'n' is a number, not a list (lists come from random_ints inputs)");
	ck_assert_ptr_null(vars_list(v, "zs", &n));
	ck_assert_str_eq(error_get(), "unknown list 'zs' (lists come from random_ints inputs)");
	vars_set(v, "xs", 5);                       /* a scalar replaces the list */
	ck_assert_ptr_null(vars_list(v, "xs", &n));
	long x;
	ck_assert_int_eq(vars_get(v, "xs", &x), 0);
	ck_assert_int_eq(x, 5);
}
END_TEST

static const struct { const char *expr; long value; } values[] = {
	{"0", 0},
	{"42", 42},
	{"1+2*3", 7},
	{"(1+2)*3", 9},
	{"10-4-3", 3},                /* left to right */
	{"100/10/5", 2},
	{"2*3%4", 2},
	{"7/2", 3},
	{"-7/2", -3},                 /* truncates toward zero, like C */
	{"7/-2", -3},
	{"-7%3", -1},
	{"7%-3", 1},
	{"-3*-2", 6},
	{"--5", 5},
	{"+5", 5},
	{"-(2+3)", -5},
	{"- 2 * 3", -6},
	{"((((1))))", 1},
	{"  src.size  /  2 ", 6172},
	{"src.size - src.size/2", 6173},
	{"n*n - seed", 58},
	{"xs.count * 2", 6},
	{"9223372036854775807", LONG_MAX},
	{"big", LONG_MAX},
	{"small", LONG_MIN},
	{"big + small", -1},
	{"small + 1 - 1", LONG_MIN},
	{"-big - 1", LONG_MIN},
	{"small / 1", LONG_MIN},
	{"small % -1", 0},            /* traps in C; mathematically 0 */
	{"n % -1", 0},
	{"n / -1", -10},
	{"-big / -1", LONG_MAX},
	{"${n / 2}", 5},               /* one whole template: its expression */
	{"  ${ -n }  ", -10},
};

START_TEST(test_eval_values)
{
	long x = 12345678;
	int rc = vars_eval(v, values[_i].expr, &x);
	ck_assert_msg(rc == 0, "%s: %s", values[_i].expr, error_get());
	ck_assert_int_eq(x, values[_i].value);
}
END_TEST

static const struct { const char *expr, *error; } eval_errors[] = {
	{"1/0", "in '1/0' at column 2: division by zero"},
	{"n / zero", "in 'n / zero' at column 3: division by zero"},
	{"5 % (n - 10)", "in '5 % (n - 10)' at column 3: remainder by zero"},
	{"", "in '' at column 1: empty expression"},
	{"   ", "in '   ' at column 1: empty expression"},
	{"1 +", "in '1 +' at column 4: expected a number, a variable or '(', got the end"},
	{"1 + * 2", "in '1 + * 2' at column 5: expected a number, a variable or '(', got '*'"},
	{"(1 + 2", "in '(1 + 2' at column 7: expected ')' to close the '(' at column 1, got the end"},
	{"(1 + 2))", "in '(1 + 2))' at column 8: unexpected ')' (an operator + - * / % or the end was expected)"},
	{"1 2", "in '1 2' at column 3: unexpected '2' (an operator + - * / % or the end was expected)"},
	{"2 ^ 3", "in '2 ^ 3' at column 3: unexpected '^' (an operator + - * / % or the end was expected)"},
	{"12abc", "in '12abc' at column 3: unexpected 'a' after the number"},
	{"foo", "in 'foo' at column 1: unknown variable 'foo'"},
	{"src.sise * 2", "in 'src.sise * 2' at column 1: unknown variable 'src.sise' (did you mean 'src.size'?)"},
	{"1 + sed", "in '1 + sed' at column 5: unknown variable 'sed' (did you mean 'seed'?)"},
	{"xs + 1", "in 'xs + 1' at column 1: 'xs' is a list, not a number "
		   "(use xs.count, xs.sum, xs.min or xs.max)"},
	{"big + 1", "in 'big + 1' at column 5: overflow: 9223372036854775807 + 1 does not fit in a long"},
	{"small - 1", "in 'small - 1' at column 7: overflow: -9223372036854775808 - 1 does not fit in a long"},
	{"big * 2", "in 'big * 2' at column 5: overflow: 9223372036854775807 * 2 does not fit in a long"},
	{"-small", "in '-small' at column 1: overflow: -(-9223372036854775808) does not fit in a long"},
	{"small / -1", "in 'small / -1' at column 7: overflow: -9223372036854775808 / -1 does not fit in a long"},
	{"99999999999999999999", "in '99999999999999999999' at column 1: number too large "
				 "(the largest is 9223372036854775807)"},
	{"9223372036854775808", "in '9223372036854775808' at column 1: number too large "
				"(the largest is 9223372036854775807)"},
	{"${n / zero}", "in '${n / zero}' at column 5: division by zero"},
	{"${n} + 1", "in '${n} + 1' at column 1: expected a number, a variable or '(', got '$'"},
	{"${n}${n}", "in '${n}${n}' at column 1: expected a number, a variable or '(', got '$'"},
	{"${}", "in '${}' at column 3: empty expression"},
	{"3000000000 * 3000000000 * 3000000000",
	 "in '3000000000 * 3000000000 * 3000000000' at column 25: overflow: "
	 "9000000000000000000 * 3000000000 does not fit in a long"},
};

START_TEST(test_eval_errors)
{
	long x = 77;
	ck_assert_int_eq(vars_eval(v, eval_errors[_i].expr, &x), -1);
	ck_assert_str_eq(error_get(), eval_errors[_i].error);
	ck_assert_int_eq(x, 77);         /* untouched on error */
}
END_TEST

static const struct { const char *tmpl, *out; } expansions[] = {
	{"", ""},
	{"plain text\n", "plain text\n"},
	{"${src.size}", "12345"},
	{"size ${src.size}, half ${src.size / 2}\n", "size 12345, half 6172\n"},
	{"${-n}${n}", "-1010"},
	{"cost $5 and $", "cost $5 and $"},      /* a lone '$' is itself */
	{"$$", "$"},
	{"$${n}", "${n}"},
	{"$$$${n}", "$${n}"},
	{"$$${n}", "$10"},
	{"{n}", "{n}"},
	{"${ (n + 2) * 3 }", "36"},
};

START_TEST(test_expand)
{
	char *s = vars_expand(v, expansions[_i].tmpl);
	ck_assert_msg(s != NULL, "%s: %s", expansions[_i].tmpl, error_get());
	ck_assert_str_eq(s, expansions[_i].out);
	free(s);
}
END_TEST

static const struct { const char *tmpl, *error; } expand_errors[] = {
	{"ab ${1/0}", "in 'ab ${1/0}' at column 7: division by zero"},
	{"x=${n", "in 'x=${n' at column 3: '${' is never closed by '}' (write $$ for a literal '$')"},
	{"a ${} b", "in 'a ${} b' at column 5: empty expression"},
	{"${n} ${nn}", "in '${n} ${nn}' at column 8: unknown variable 'nn' (did you mean 'n'?)"},
	{"${n}}${1 +}", "in '${n}}${1 +}' at column 11: expected a number, a variable or '(', got the end"},
	{"${xs}", "in '${xs}' at column 3: 'xs' is a list, not a number (use xs.count, xs.sum, xs.min or xs.max)"},
	/* a multi-line template (stdin): line and column, and the message stays one line */
	{"first ${n}\n\tsecond ${n / zero}\n",
	 "in 'first ${n}\\n\\tsecond ${n / zero}\\n' at line 2, column 13: division by zero"},
	{"a\n${n \x01}", "in 'a\\n${n \\x01}' at line 2, column 5: unexpected '\\x01' "
	 "(an operator + - * / % or the end was expected)"},
};

START_TEST(test_expand_errors)
{
	ck_assert_ptr_null(vars_expand(v, expand_errors[_i].tmpl));
	ck_assert_str_eq(error_get(), expand_errors[_i].error);
}
END_TEST

START_TEST(test_is_template)
{
	ck_assert(vars_is_template("${n}"));
	ck_assert(vars_is_template("a ${n} b"));
	ck_assert(vars_is_template("$$${n}"));
	ck_assert(vars_is_template("${"));          /* broken, but a template */
	ck_assert(!vars_is_template(""));
	ck_assert(!vars_is_template("plain"));
	ck_assert(!vars_is_template("$"));
	ck_assert(!vars_is_template("$${n}"));
	ck_assert(!vars_is_template("$$$${n}"));
	ck_assert(!vars_is_template("{n} $n"));
}
END_TEST

/* Checking a template: names and syntax, never arithmetic. */
START_TEST(test_check_template)
{
	ck_assert_int_eq(vars_check_template(v, "plain"), 0);
	ck_assert_int_eq(vars_check_template(v, "${n / zero} ${big * big} ${-small}"), 0);
	ck_assert_int_eq(vars_check_template(v, "${src.size} $${whatever}"), 0);
	ck_assert_int_eq(vars_check_template(v, "${src.sise}"), -1);
	ck_assert_str_eq(error_get(), "in '${src.sise}' at column 3: unknown variable 'src.sise' "
			 "(did you mean 'src.size'?)");
	ck_assert_int_eq(vars_check_template(v, "${n +}"), -1);
	ck_assert_str_eq(error_get(), "in '${n +}' at column 6: expected a number, a variable or '(', got the end");
	ck_assert_int_eq(vars_check_template(v, "${xs}"), -1);
	ck_assert_int_eq(vars_check_template(v, "${n"), -1);
	ck_assert_int_eq(vars_check_template(v, "${99999999999999999999}"), -1);
}
END_TEST

START_TEST(test_empty_vars)
{
	struct vars *e = vars_new();
	long x;
	ck_assert_int_eq(vars_eval(e, "2 * (3 + 4)", &x), 0);
	ck_assert_int_eq(x, 14);
	ck_assert_int_eq(vars_eval(e, "a", &x), -1);
	ck_assert_str_eq(error_get(), "in 'a' at column 1: unknown variable 'a'");
	vars_free(e);
	vars_free(NULL);
}
END_TEST

Suite *suite_vars(void)
{
	Suite *s = suite_create("vars");
	TCase *tc = tcase_create("vars");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_set_get);
	tcase_add_test(tc, test_lists);
	tcase_add_loop_test(tc, test_eval_values, 0, ARRAY_SIZE(values));
	tcase_add_loop_test(tc, test_eval_errors, 0, ARRAY_SIZE(eval_errors));
	tcase_add_loop_test(tc, test_expand, 0, ARRAY_SIZE(expansions));
	tcase_add_loop_test(tc, test_expand_errors, 0, ARRAY_SIZE(expand_errors));
	tcase_add_test(tc, test_is_template);
	tcase_add_test(tc, test_check_template);
	tcase_add_test(tc, test_empty_vars);
	suite_add_tcase(s, tc);
	return s;
}
