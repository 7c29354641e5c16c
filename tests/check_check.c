/*
 * check_check.c - the output and file checks (grader/check.c), each made to
 * pass and to fail.  Expectations are written as spec YAML, parsed by
 * spec_load, and applied to a hand-made run and run directory.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "run.h"
#include "spec.h"
#include "vars.h"
#include "util.h"

struct fixture {
	char *dir;
	char *inputs;       /* the grader's copies of the inputs (NULL: none) */
	struct spec spec;
	struct run run;
	struct vars *vars;
	struct buf msg;
};

/* A spec with one test whose expect list is `expect` (YAML lines). */
static void load(struct fixture *f, const char *expect)
{
	memset(f, 0, sizeof(*f));
	f->dir = make_temp_dir("checktest");
	ck_assert_ptr_nonnull(f->dir);
	char *yaml = xasprintf("exercise: t\nstudent_files: [t.c]\n"
			       "build: {sources: [t.c]}\n"
			       "tests:\n  - name: one\n    run: [harness]\n"
			       "    inputs:\n"
			       "      - {name: a, file: a.txt, random_ints: {count: 1, min: 0, max: 1}}\n"
			       "      - {name: y, file: y.txt, random_ints: {count: 1, min: 0, max: 1}}\n"
			       "      - {name: xs, file: xs.txt, random_ints: {count: 1, min: 0, max: 1}}\n"
			       "      - {name: t, file: t.txt, random_ints: {count: 1, min: 0, max: 1}}\n"
			       "      - {name: src, file: src, random_bytes: 1}\n"
			       "    expect:\n%s", expect);
	char *path = path_join(f->dir, "spec.yaml");
	ck_assert_int_eq(file_write(path, yaml, strlen(yaml), 0644), 0);
	int rc = spec_load(path, &f->spec);
	ck_assert_msg(rc == 0, "spec_load: %s", error_get());
	free(path);
	free(yaml);
	f->vars = vars_new();
	f->run.outcome = OUT_EXITED;
}

static void set_stdout(struct fixture *f, const char *text)
{
	buf_adds(&f->run.out.head, text);
	f->run.out.total = strlen(text);
}

static void put_file(struct fixture *f, const char *name, const char *data, size_t n)
{
	char *path = path_join(f->dir, name);
	ck_assert_int_eq(file_write(path, data, n, 0644), 0);
	free(path);
}

/* Run expectation i; returns 1/0/-1 and leaves the message in f->msg. */
static int run_check(struct fixture *f, size_t i)
{
	const struct test *t = &f->spec.tests[0];
	ck_assert_uint_lt(i, t->nexpects);
	struct check_ctx c = {&f->spec, t, &f->run, NULL, f->vars, f->dir, f->inputs, NULL};
	buf_reset(&f->msg);
	return t->expects[i].check->fn(t->expects[i].params, &c, &f->msg);
}

static void done(struct fixture *f)
{
	rm_rf(f->dir);
	free(f->dir);
	spec_free(&f->spec);
	buf_free(&f->run.out.head);
	buf_free(&f->run.err.head);
	vars_free(f->vars);
	buf_free(&f->msg);
}

START_TEST(exit_code)
{
	struct fixture f;
	load(&f, "      - exit: 0\n      - exit: {signal: SIGSEGV}\n");
	ck_assert_int_eq(run_check(&f, 0), 1);
	ck_assert_int_eq(run_check(&f, 1), 0);
	f.run.exit_code = 3;
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_msg(strstr(f.msg.data, "expected exit code 0") && strstr(f.msg.data, "code 3"),
		      "message: %s", f.msg.data);
	f.run.outcome = OUT_SIGNALED;
	f.run.signal = 11;
	ck_assert_int_eq(run_check(&f, 1), 1);
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_ptr_nonnull(strstr(f.msg.data, "SEGV"));
	ck_assert_ptr_nonnull(strstr(f.msg.data, "hint"));
	done(&f);
}
END_TEST

START_TEST(stdout_exact_with_template)
{
	struct fixture f;
	load(&f, "      - stdout: \"total ${a.sum + 1}\\n\"\n");
	vars_set(f.vars, "a.sum", 41);
	set_stdout(&f, "total 42\n");
	ck_assert_int_eq(run_check(&f, 0), 1);
	done(&f);
	load(&f, "      - stdout: \"total ${a.sum + 1}\\n\"\n");
	vars_set(f.vars, "a.sum", 41);
	set_stdout(&f, "total 41\n");
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_msg(strstr(f.msg.data, "line 1") && strstr(f.msg.data, "total 42"), "%s", f.msg.data);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "total 42");
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_ptr_nonnull(strstr(f.msg.data, "newline"));
	done(&f);
}
END_TEST

/* A variable the spec names but the run did not publish: a grader fault. */
START_TEST(stdout_unknown_variable_is_grader_fault)
{
	struct fixture f;
	load(&f, "      - stdout: \"${a.sum}\"\n");
	set_stdout(&f, "x");
	ck_assert_int_eq(run_check(&f, 0), -1);
	done(&f);
}
END_TEST

START_TEST(stdout_contains_regex_not)
{
	struct fixture f;
	load(&f, "      - stdout: {contains: \"lo w\"}\n      - stdout: {regex: \"^hel+o\"}\n"
		 "      - stdout: {not_contains: \"PASS\"}\n");
	set_stdout(&f, "hello world\n");
	ck_assert_int_eq(run_check(&f, 0), 1);
	ck_assert_int_eq(run_check(&f, 1), 1);
	ck_assert_int_eq(run_check(&f, 2), 1);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "PASS\n");
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_int_eq(run_check(&f, 1), 0);
	ck_assert_int_eq(run_check(&f, 2), 0);
	ck_assert_ptr_nonnull(strstr(f.msg.data, "not to contain"));
	done(&f);
}
END_TEST

START_TEST(stdout_lines_any_order)
{
	struct fixture f;
	load(&f, "      - stdout: {lines_any_order: [a, \"b ${y.count}\", c]}\n");
	vars_set(f.vars, "y.count", 2);
	set_stdout(&f, "c\na\nb 2\n");
	ck_assert_int_eq(run_check(&f, 0), 1);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "c\na\nb 3\n");
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_msg(strstr(f.msg.data, "1 missing line:\n    \"b 2\"") &&
		      strstr(f.msg.data, "1 unexpected line:\n    \"b 3\""), "%s", f.msg.data);
	done(&f);
}
END_TEST

/* A stub's failure stays short: counts, then the first 10 of each side. */
static size_t count_of(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

START_TEST(stdout_lines_any_order_is_cut)
{
	struct fixture f;
	struct buf yaml = BUF_INIT, out = BUF_INIT;
	buf_adds(&yaml, "      - stdout:\n          lines_any_order:\n");
	for (int i = 0; i < 500; i++)
		buf_addf(&yaml, "            - \"want %03d\"\n", i);
	for (int i = 0; i < 30; i++)
		buf_addf(&out, "got %03d\n", i);
	load(&f, buf_str(&yaml));
	set_stdout(&f, buf_str(&out));
	ck_assert_int_eq(run_check(&f, 0), 0);
	const char *m = f.msg.data;
	ck_assert_msg(strstr(m, "expected these 500 lines in any order; got 30 lines\n"), "%s", m);
	ck_assert_msg(strstr(m, "500 missing lines (the first 10):\n"), "%s", m);
	ck_assert_msg(strstr(m, "30 unexpected lines (the first 10):\n"), "%s", m);
	ck_assert_uint_eq(count_of(m, "\"want "), 10);
	ck_assert_uint_eq(count_of(m, "\"got "), 10);
	ck_assert_msg(strstr(m, "\"want 009\"") && !strstr(m, "\"want 010\""), "%s", m);
	ck_assert_uint_le(count_of(m, "\n"), 23);
	buf_free(&yaml);
	buf_free(&out);
	done(&f);
}
END_TEST

START_TEST(stdout_each_line)
{
	struct fixture f;
	long xs[] = {3, -2, 5};
	load(&f, "      - stdout: {each_line: \"${x * x + i}\", over: xs}\n");
	vars_set_list(f.vars, "xs", xs, 3);
	set_stdout(&f, "9\n5\n27\n");
	ck_assert_int_eq(run_check(&f, 0), 1);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "9\n4\n27\n");
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_msg(strstr(f.msg.data, "line 2") && strstr(f.msg.data, "\"5\""), "%s", f.msg.data);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "9\n5\n");
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_ptr_nonnull(strstr(f.msg.data, "stops after 2"));
	done(&f);
	/* the template sees the test's variables too */
	load(&f, "      - stdout: {each_line: \"${x + a.sum}\", over: xs}\n");
	vars_set_list(f.vars, "xs", xs, 3);
	vars_set(f.vars, "a.sum", 10);
	set_stdout(&f, "13\n8\n15\n");
	ck_assert_int_eq(run_check(&f, 0), 1);
	done(&f);
}
END_TEST

/* Expected lines from templates over ranges: no generated spec. */
START_TEST(stdout_lines_from_ranges)
{
	struct fixture f;
	load(&f, "      - stdout: {lines_any_order: [\"sender ${k} message ${m}\"],\n"
		 "                 for: {k: 0..a.sum-1, m: \"0..${a.sum * 2 - 1}\"}}\n"
		 "      - stdout: {each_line: \"${k}:${m}\", for: {k: 1..2, m: 5..6}}\n"
		 "      - stdout: {lines_any_order: [x], for: {k: 1..0}}\n"
		 "      - stdout: {lines_any_order: [x], for: {k: 0..999, m: 0..9999}}\n");
	vars_set(f.vars, "a.sum", 2);
	set_stdout(&f, "sender 1 message 3\nsender 0 message 0\nsender 1 message 0\n"
		   "sender 0 message 2\nsender 1 message 1\nsender 0 message 3\n"
		   "sender 0 message 1\nsender 1 message 2\n");
	ck_assert_int_eq(run_check(&f, 0), 1);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "sender 1 message 3\nsender 0 message 0\n");
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_msg(strstr(f.msg.data, "expected these 8 lines in any order; got 2 lines") &&
		      strstr(f.msg.data, "\"sender 0 message 1\""), "%s", f.msg.data);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "1:5\n1:6\n2:5\n2:6\n");      /* the last loop varies fastest */
	ck_assert_int_eq(run_check(&f, 1), 1);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "1:5\n2:5\n1:6\n2:6\n");
	ck_assert_int_eq(run_check(&f, 1), 0);
	ck_assert_msg(strstr(f.msg.data, "line 2 is wrong") && strstr(f.msg.data, "\"1:6\""), "%s",
		      f.msg.data);
	buf_reset(&f.run.out.head);
	ck_assert_int_eq(run_check(&f, 2), 1);              /* an empty range: no line */
	ck_assert_int_eq(run_check(&f, 3), -1);             /* 10 million lines: a spec fault */
	ck_assert_ptr_nonnull(strstr(error_get(), "more than"));
	done(&f);
}
END_TEST

START_TEST(stdout_truncated_never_passes)
{
	struct fixture f;
	load(&f, "      - stdout: {contains: \"x\"}\n");
	set_stdout(&f, "xxxx");
	f.run.out.truncated = true;
	f.run.out.total = 1 << 20;
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_ptr_nonnull(strstr(f.msg.data, "output limit"));
	done(&f);
}
END_TEST

START_TEST(number_range)
{
	struct fixture f;
	load(&f, "      - number: {regex: \"waited ([0-9]+) ms\", min: \"t.sum - 50\", max: \"t.sum + 500\"}\n");
	vars_set(f.vars, "t.sum", 200);
	set_stdout(&f, "event_wait: false\nwaited 210 ms\n");
	ck_assert_int_eq(run_check(&f, 0), 1);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "waited 3 ms\n");
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_msg(strstr(f.msg.data, "expected a value in [150, 700]; got '3'"), "%s", f.msg.data);
	ck_assert_msg(!strstr(f.msg.data, "t.sum") && !strstr(strstr(f.msg.data, "]") + 1, "150"),
		      "the range is said once: %s", f.msg.data);
	buf_reset(&f.run.out.head);
	set_stdout(&f, "nothing\n");
	ck_assert_int_eq(run_check(&f, 0), 0);
	done(&f);
}
END_TEST

START_TEST(file_equals_range)
{
	struct fixture f;
	load(&f, "      - file: {path: out1, equals: src, range: \"0:n/2\"}\n"
		 "      - file: {path: out2, equals: src, range: \"n/2:n\"}\n"
		 "      - file: {path: out1, size: \"src.size / 2\"}\n"
		 "      - file: {path: gone, exists: false}\n"
		 "      - file: {path: out2, contains: \"de\"}\n");
	vars_set(f.vars, "src.size", 5);
	put_file(&f, "src", "abcde", 5);
	put_file(&f, "out1", "ab", 2);
	put_file(&f, "out2", "cde", 3);
	for (size_t i = 0; i < 5; i++)
		ck_assert_msg(run_check(&f, i) == 1, "check %zu: %s", i, f.msg.data);
	put_file(&f, "out2", "cdx", 3);
	ck_assert_int_eq(run_check(&f, 1), 0);
	ck_assert_msg(strstr(f.msg.data, "byte 2") && strstr(f.msg.data, "[2, 5)"), "%s", f.msg.data);
	ck_assert_int_eq(run_check(&f, 4), 0);
	put_file(&f, "out1", "abc", 3);
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_ptr_nonnull(strstr(f.msg.data, "extra"));
	ck_assert_int_eq(run_check(&f, 2), 0);
	put_file(&f, "gone", "", 0);
	ck_assert_int_eq(run_check(&f, 3), 0);
	done(&f);
}
END_TEST

/* A program that rewrites its input to match its output, or swaps it for a
   link, gains nothing: the grader compares with its own copy. */
START_TEST(file_reference_is_the_graders_copy)
{
	struct fixture f;
	load(&f, "      - file: {path: out1, equals: src}\n");
	f.inputs = path_join(f.dir, "pristine");
	ck_assert_int_eq(mkdir_p(f.inputs, 0755), 0);
	char *pristine = path_join(f.inputs, "src");
	ck_assert_int_eq(file_write(pristine, "abcdef", 6, 0644), 0);
	put_file(&f, "src", "", 0);
	put_file(&f, "out1", "", 0);
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_msg(strstr(f.msg.data, "6 bytes"), "%s", f.msg.data);
	put_file(&f, "out1", "abcdef", 6);
	ck_assert_int_eq(run_check(&f, 0), 1);
	/* no copy of the grader's: the run dir's file, but never through a link */
	unlink(pristine);
	char *src = path_join(f.dir, "src");
	unlink(src);
	ck_assert_int_eq(symlink("/etc/hostname", src), 0);
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_msg(strstr(f.msg.data, "is gone"), "%s", f.msg.data);
	free(src);
	free(pristine);
	free(f.inputs);
	done(&f);
}
END_TEST

START_TEST(file_missing)
{
	struct fixture f;
	load(&f, "      - file: {path: out1, equals: src}\n");
	put_file(&f, "src", "abc", 3);
	ck_assert_int_eq(run_check(&f, 0), 0);
	ck_assert_ptr_nonnull(strstr(f.msg.data, "was not created"));
	done(&f);
}
END_TEST

START_TEST(every_check_is_findable)
{
	ck_assert_ptr_nonnull(check_find("exit"));
	ck_assert_ptr_nonnull(check_find("stdout"));
	ck_assert_ptr_nonnull(check_find("file"));
	ck_assert_ptr_null(check_find("stdot"));
	struct buf b = BUF_INIT;
	check_quote(&b, "a\n\x01\"", 4, 100);
	ck_assert_str_eq(b.data, "\"a\\n\\x01\\\"\"");
	buf_free(&b);
}
END_TEST

Suite *suite_check(void);
Suite *suite_check(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("output and files");
	tcase_add_test(tc, exit_code);
	tcase_add_test(tc, stdout_exact_with_template);
	tcase_add_test(tc, stdout_unknown_variable_is_grader_fault);
	tcase_add_test(tc, stdout_contains_regex_not);
	tcase_add_test(tc, stdout_lines_any_order);
	tcase_add_test(tc, stdout_lines_any_order_is_cut);
	tcase_add_test(tc, stdout_lines_from_ranges);
	tcase_add_test(tc, stdout_each_line);
	tcase_add_test(tc, stdout_truncated_never_passes);
	tcase_add_test(tc, number_range);
	tcase_add_test(tc, file_equals_range);
	tcase_add_test(tc, file_missing);
	tcase_add_test(tc, file_reference_is_the_graders_copy);
	tcase_add_test(tc, every_check_is_findable);
	suite_add_tcase(s, tc);
	return s;
}
