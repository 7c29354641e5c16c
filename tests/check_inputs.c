/*
 * check_inputs.c - generated inputs are replayable from the seed, differ
 * between seeds and tests, and publish the right variables.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "inputs.h"
#include "util.h"

static struct input bytes_input(long n)
{
	struct input in = {.name = "src", .file = "src.bin", .random_bytes = n, .missing = -1,
			   .random_ints = {UNSET, UNSET, UNSET}};
	return in;
}

static struct input ints_input(long count, long lo, long hi)
{
	struct input in = {.name = "xs", .file = "d/xs.txt", .random_bytes = UNSET, .missing = -1,
			   .random_ints = {count, lo, hi}};
	return in;
}

static void generate(struct input *in, size_t n, const char *name, unsigned long seed,
		     const char *dir, struct vars *v)
{
	struct test t = {.name = (char *)name, .inputs = in, .ninputs = n};
	ck_assert_msg(inputs_generate(&t, dir, seed, v) == 0, "%s", error_get());
}

static void read_into(const char *dir, const char *file, struct buf *b)
{
	char *p = path_join(dir, file);
	buf_reset(b);
	ck_assert_int_eq(file_read(p, b), 0);
	free(p);
}

START_TEST(bytes_replay_and_vary)
{
	char *dir = make_temp_dir("inputs");
	struct input in = bytes_input(1001);
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct vars *v = vars_new();
	long size;
	generate(&in, 1, "t1", 7, dir, v);
	read_into(dir, "src.bin", &a);
	ck_assert_uint_eq(a.len, 1001);
	ck_assert_int_eq(vars_get(v, "src.size", &size), 0);
	ck_assert_int_eq(size, 1001);
	generate(&in, 1, "t1", 7, dir, v);
	read_into(dir, "src.bin", &b);
	ck_assert_mem_eq(a.data, b.data, 1001);
	generate(&in, 1, "t1", 8, dir, v);
	read_into(dir, "src.bin", &b);
	ck_assert(memcmp(a.data, b.data, 1001) != 0);
	generate(&in, 1, "t2", 7, dir, v);
	read_into(dir, "src.bin", &b);
	ck_assert(memcmp(a.data, b.data, 1001) != 0);
	buf_free(&a);
	buf_free(&b);
	vars_free(v);
	rm_rf(dir);
	free(dir);
}
END_TEST

START_TEST(ints_variables_match_file)
{
	char *dir = make_temp_dir("inputs");
	struct input in = ints_input(500, -20, 30);
	struct vars *v = vars_new();
	struct buf text = BUF_INIT;
	generate(&in, 1, "t", 99, dir, v);
	read_into(dir, "d/xs.txt", &text);
	long sum = 0, count = 0, lo = 1000, hi = -1000, x;
	char *p = text.data, *end;
	while (*p) {
		x = strtol(p, &end, 10);
		ck_assert(end != p && *end == '\n');
		sum += x, count++;
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
		p = end + 1;
	}
	long got;
	ck_assert_int_eq(vars_get(v, "xs.count", &got), 0);
	ck_assert_int_eq(got, count);
	ck_assert_int_eq(count, 500);
	ck_assert_int_eq(vars_get(v, "xs.sum", &got), 0);
	ck_assert_int_eq(got, sum);
	ck_assert_int_eq(vars_get(v, "xs.min", &got), 0);
	ck_assert_int_eq(got, lo);
	ck_assert_int_eq(vars_get(v, "xs.max", &got), 0);
	ck_assert_int_eq(got, hi);
	ck_assert(lo >= -20 && hi <= 30 && lo < hi);
	size_t n;
	const long *list = vars_list(v, "xs", &n);
	ck_assert_ptr_nonnull(list);
	ck_assert_uint_eq(n, 500);
	ck_assert_int_eq(list[0], strtol(text.data, NULL, 10));
	buf_free(&text);
	vars_free(v);
	rm_rf(dir);
	free(dir);
}
END_TEST

/* vars: computed after the inputs, in order, each seeing the earlier. */
START_TEST(test_vars_after_inputs)
{
	char *dir = make_temp_dir("inputs");
	struct input in = bytes_input(10);
	char *defs[] = {"n", "src.size / 2", "total", "n * 3 + seed", NULL};
	struct test t = {.name = "t", .inputs = &in, .ninputs = 1, .vars = defs};
	struct vars *v = vars_new();
	long got;
	ck_assert_msg(inputs_generate(&t, dir, 4, v) == 0, "%s", error_get());
	ck_assert_int_eq(vars_get(v, "n", &got), 0);
	ck_assert_int_eq(got, 5);
	ck_assert_int_eq(vars_get(v, "total", &got), 0);
	ck_assert_int_eq(got, 19);
	vars_free(v);
	rm_rf(dir);
	free(dir);
}
END_TEST

START_TEST(rng_range_bounds)
{
	struct rng r;
	rng_seed(&r, 1, "x");
	int seen[5] = {0};
	for (int i = 0; i < 1000; i++) {
		long x = rng_range(&r, 3, 7);
		ck_assert(x >= 3 && x <= 7);
		seen[x - 3] = 1;
	}
	for (int i = 0; i < 5; i++)
		ck_assert(seen[i]);
}
END_TEST

Suite *suite_inputs(void);
Suite *suite_inputs(void)
{
	Suite *s = suite_create("inputs");
	TCase *tc = tcase_create("generate");
	tcase_add_test(tc, bytes_replay_and_vary);
	tcase_add_test(tc, ints_variables_match_file);
	tcase_add_test(tc, rng_range_bounds);
	tcase_add_test(tc, test_vars_after_inputs);
	suite_add_tcase(s, tc);
	return s;
}
