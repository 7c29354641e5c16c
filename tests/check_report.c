/*
 * check_report.c - the reports, on results built by hand: a full-marks
 * result, a failing one (hostile student output, a limit, a small trace)
 * and a compile error.  Each format is parsed back or scanned: JSON with
 * jansson, JUnit with a small well-formedness checker (and xmllint when it
 * is installed), HTML for escaping and its timeline, Markdown for its code
 * fences and escapes (and rendered by cmark-gfm when it is installed),
 * terminal text for colours and escapes, CSV for RFC 4180 quoting.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>
#include "report.h"
#include "report_priv.h"
#include "result.h"
#include "trace.h"
#include "util.h"

Suite *suite_report(void);

/* What a hostile program may print: escapes, a bell, markup, bad UTF-8. */
#define HOSTILE "\033[2J\033]0;pwned\007<script>alert(1)</script> & \"q\" \xff\xfe end\n"

static const struct sandbox_info weak_sandbox = {
	.tier = SANDBOX_BASIC, .name = "basic",
	.missing = "no user namespaces: kernel restriction",
};
static const struct sandbox_info root_sandbox = {.tier = SANDBOX_ROOT, .name = "root"};

static char *tmpdir;

static void setup(void)
{
	tmpdir = make_temp_dir("check-report");
	ck_assert_ptr_nonnull(tmpdir);
}

static void teardown(void)
{
	rm_rf(tmpdir);
	free(tmpdir);
}

static char *tmp_path(const char *name)
{
	return path_join(tmpdir, name);
}

/* ---- building results ---- */

static struct check_result check_of(const char *name, const char *label, bool passed,
				    const char *message)
{
	struct check_result c = {
		.check = xstrdup(name), .label = label ? xstrdup(label) : NULL,
		.line = 12, .passed = passed, .message = message ? xstrdup(message) : NULL,
	};
	return c;
}

static void add_test(struct result *r, const char *name, double pts, bool passed,
		     const char *status)
{
	r->tests = xrealloc(r->tests, (r->ntests + 1) * sizeof(*r->tests));
	struct test_verdict *t = &r->tests[r->ntests++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->visibility = xstrdup("visible");
	t->max_score = pts;
	t->score = passed ? pts : 0;
	t->passed = passed;
	t->status = xstrdup(status);
	t->ran = true;
	t->args = xstrdup("harness src.bin out1.bin out2.bin");
	t->run.outcome = OUT_EXITED;
	t->run.wall_ms = 31.5;
	t->run.cpu_ms = 4;
	t->run.peak_memory = 3 << 20;
	t->run.processes = 3;
	r->score += t->score;
	r->max_score += pts;
}

static void add_check(struct test_verdict *t, struct check_result c)
{
	t->checks = xrealloc(t->checks, (t->nchecks + 1) * sizeof(*t->checks));
	t->checks[t->nchecks++] = c;
}

static void set_output(struct capture *c, const char *text, size_t n)
{
	buf_add(&c->head, text, n);
	c->total = n;
}

static void base_result(struct result *r, const struct sandbox_info *sb)
{
	memset(r, 0, sizeof(*r));
	r->exercise = xstrdup("half_copy");
	r->title = xstrdup("File half-copy");
	r->submission = xstrdup("submissions/alice/half_copy.c");
	r->student = xstrdup("alice");
	r->seed = 4242;
	r->sandbox = sb;
	r->compiled = true;
	r->elapsed_ms = 1234;
}

static void passing_result(struct result *r)
{
	base_result(r, &root_sandbox);
	add_test(r, "odd size", 2, true, "passed");
	add_check(&r->tests[0], check_of("exit", NULL, true, NULL));
	add_check(&r->tests[0], check_of("file", "first half", true, NULL));
	add_test(r, "even size", 3, true, "passed");
	add_check(&r->tests[1], check_of("exit", NULL, true, NULL));
}

static struct event *add_event(struct trace *t, int proc, enum event_kind k, long ret)
{
	t->ev = xrealloc(t->ev, (t->nev + 1) * sizeof(*t->ev));
	struct event *e = &t->ev[t->nev++];
	memset(e, 0, sizeof(*e));
	e->seq = t->nev;
	e->t_ms = 0.25 * (double)t->nev;
	e->proc = proc;
	e->pid = 100 + proc;
	e->kind = k;
	e->ret = ret;
	return e;
}

static struct event *add_open(struct trace *t, int proc, const char *path)
{
	struct event *e = add_event(t, proc, EV_OPEN, 3);
	e->open.flags = O_RDONLY;
	e->open.path = xstrdup(path);
	return e;
}

static void add_exit(struct trace *t, int proc, int code, int sig)
{
	struct event *e = add_event(t, proc, EV_EXIT, 0);
	e->exit.code = code;
	e->exit.signal = sig;
}

/* The program forks child #1 (opens a file, execs, exits, reaped) and
   child #2 (gets SIGUSR1, dies, never reaped). */
static struct trace *small_trace(void)
{
	struct trace *t = xcalloc(1, sizeof(*t));

	t->complete = true;
	t->nprocs = 3;
	t->procs = xcalloc(3, sizeof(*t->procs));
	for (int i = 0; i < 3; i++) {
		t->procs[i].index = i;
		t->procs[i].pid = 100 + i;
		t->procs[i].parent = i ? 0 : -1;
		t->procs[i].reaper = -1;
	}
	add_open(t, 0, "src.bin");
	add_event(t, 0, EV_FORK, 101)->fork.child = 1;
	t->procs[1].seq_start = t->nev;
	add_open(t, 1, "src<&>.bin");
	add_event(t, 1, EV_MARKER, 0)->marker.text = xstrdup("enter copy");
	add_event(t, 0, EV_FORK, 102)->fork.child = 2;
	t->procs[2].seq_start = t->nev;
	add_event(t, 1, EV_EXEC, 0)->exec.path = xstrdup("/bin/<evil>");
	t->procs[1].execed = true;
	struct event *e = add_event(t, 1, EV_CLOSE, 0);
	e->close.fd = 3;
	e->close.path = xstrdup("src.bin");
	add_exit(t, 1, 0, 0);
	t->procs[1].exited = true;
	t->procs[1].seq_exit = t->nev;
	e = add_event(t, 0, EV_SIGNAL_SEND, 0);
	e->signal_send.target = 2;
	e->signal_send.sig = SIGUSR1;
	add_event(t, 2, EV_SIGNAL_DELIVER, 0)->signal_deliver.sig = SIGUSR1;
	add_exit(t, 2, -1, SIGUSR1);
	t->procs[2].exited = true;
	t->procs[2].exit_signal = SIGUSR1;
	t->procs[2].seq_exit = t->nev;
	add_event(t, 0, EV_REAP, 101)->reap.child = 1;
	t->procs[1].reaper = 0;
	t->procs[1].seq_reaped = t->nev;
	add_exit(t, 0, 0, 0);
	t->procs[0].exited = true;
	t->procs[0].seq_exit = t->nev;
	return t;
}

/* Test 1 passes; test 2 is a wrong answer with hostile output and a trace;
   test 3 hit the wall-clock limit; test 4 is hidden and failed. */
static void failing_result(struct result *r)
{
	base_result(r, &weak_sandbox);
	add_test(r, "odd size", 2, true, "passed");
	add_check(&r->tests[0], check_of("exit", NULL, true, NULL));

	add_test(r, "child <writes> & \"halves\"", 3, false, "wrong answer");
	struct test_verdict *t = &r->tests[1];
	add_check(t, check_of("exit", NULL, true, NULL));
	add_check(t, check_of("stdout", "greeting", false,
			      "expected \"hello\\n\" but got \"\\x1b[2J...\"\n  hint: print <hello>"));
	add_check(t, check_of("processes", NULL, false, "child #2 was never reaped"));
	add_check(t, check_of("stdout", "second line", false, "expected \"bye\""));
	set_output(&t->run.out, HOSTILE, strlen(HOSTILE));
	set_output(&t->run.err, "warning\x01\n", 9);
	t->run.trace = small_trace();

	add_test(r, "slow", 1, false, "time limit (wall)");
	t = &r->tests[2];
	t->run.outcome = OUT_TIME_WALL;
	t->run.wall_ms = 7000;
	t->message = xstrdup("time limit (wall): still running after 7000 ms, the limit is 7000 ms\n"
			     "  child #1 is reading an empty pipe whose write end is still open in: "
			     "the program\n");
	add_check(t, check_of("exit", NULL, false, "the program did not finish in 7 s"));

	add_test(r, "secret", 1, false, "runtime error (exit 3)");
	free(r->tests[3].visibility);
	r->tests[3].visibility = xstrdup("hidden");
	strv_push(&r->tests[3].tags, "races");
	strv_push(&r->tests[3].tags, "bonus <1>");
	add_check(&r->tests[3], check_of("exit", NULL, false, "exit code 3, expected 0"));
}

static void compile_error_result(struct result *r)
{
	base_result(r, &root_sandbox);
	r->compiled = false;
	r->compile_output = xstrdup("half_copy.c:3:1: error: expected ';' before '}' token <&>\n");
	for (int i = 0; i < 2; i++) {
		add_test(r, i ? "even size" : "odd size", 2, false, "compile error");
		r->tests[i].ran = false;
	}
}

/* ---- helpers ---- */

static char *terminal_text(const struct result *r, bool color, bool verbose)
{
	char *data = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&data, &n);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(report_terminal(r, f, color, verbose ? TERM_VERBOSE : TERM_NORMAL), 0);
	fclose(f);
	return data;
}

static char *read_text(const char *path)
{
	struct buf b = BUF_INIT;
	ck_assert_msg(file_read(path, &b) == 0, "%s", error_get());
	return buf_detach(&b);
}

static bool has_control_bytes(const char *s, bool allow_esc_codes)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || *p == '\t')
			continue;
		if (*p == 033 && allow_esc_codes && p[1] == '[' && strchr("0123", p[2]) &&
		    (p[3] == 'm' || (p[3] && p[4] == 'm')))
			continue;
		if (*p < 0x20 || *p == 0x7f)
			return true;
	}
	return false;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static size_t dir_entries(const char *dir)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* ---- result.c ---- */

START_TEST(exit_status)
{
	struct result r;

	passing_result(&r);
	ck_assert_int_eq(result_exit_status(&r), 0);
	result_free(&r);
	ck_assert_ptr_null(r.tests);

	failing_result(&r);
	ck_assert_int_eq(result_exit_status(&r), 1);
	result_free(&r);

	compile_error_result(&r);
	ck_assert_int_eq(result_exit_status(&r), 1);
	result_free(&r);

	base_result(&r, &root_sandbox);      /* no tests, but a file missing */
	strv_push(&r.files_missing, "half_copy.c");
	ck_assert_int_eq(result_exit_status(&r), 1);
	result_free(&r);
}
END_TEST

/* ---- terminal ---- */

START_TEST(terminal_plain)
{
	struct result r;
	failing_result(&r);
	char *s = terminal_text(&r, false, false);

	ck_assert_msg(!strchr(s, 033), "ESC byte without colour:\n%s", s);
	ck_assert_msg(!has_control_bytes(s, false), "control bytes in:\n%s", s);
	ck_assert_ptr_nonnull(strstr(s, "half_copy: File half-copy"));
	ck_assert_ptr_nonnull(strstr(s, "replay: --seed 4242"));
	ck_assert_ptr_nonnull(strstr(s, "basic (weaker: no user namespaces: kernel restriction)"));
	ck_assert_ptr_nonnull(strstr(s, "  2/7  (1 of 4 tests passed, 1.2 s)"));
	ck_assert_uint_eq(count(s, "PASS  "), 1);
	ck_assert_uint_eq(count(s, "FAIL  "), 3);
	ck_assert_ptr_nonnull(strstr(s, "wrong answer"));
	/* failed checks with their messages, indented; passed ones hidden */
	ck_assert_ptr_nonnull(strstr(s, "stdout (greeting): expected"));
	ck_assert_ptr_nonnull(strstr(s, "\n            hint: print <hello>\n"));
	ck_assert_ptr_nonnull(strstr(s, "processes: child #2 was never reaped"));
	ck_assert_ptr_null(strstr(s, "ok exit"));
	/* the student's output, escaped */
	ck_assert_ptr_nonnull(strstr(s, "| \\x1b[2J\\x1b]0;pwned\\x07<script>"));
	ck_assert_ptr_nonnull(strstr(s, "\\xff\\xfe end"));
	ck_assert_ptr_nonnull(strstr(s, "warning\\x01"));
	/* the verdict's message (the diagnosis of a hang) above its checks */
	ck_assert_ptr_nonnull(strstr(s, "time limit (wall)\n"
		"        time limit (wall): still running after 7000 ms, the limit is 7000 ms\n"
		"          child #1 is reading an empty pipe whose write end is still open in: "
		"the program\n        x exit: the program did not finish"));
	/* figures for the limit, not for the wrong answer */
	ck_assert_uint_eq(count(s, "wall 7000 ms"), 1);
	ck_assert_uint_eq(count(s, "wall 32 ms"), 0);
	free(s);
	result_free(&r);
}
END_TEST

/* The score column lines up whatever the names: long ones are cut with an
   ellipsis, wide (CJK) characters count two columns. */
START_TEST(terminal_columns_line_up)
{
	struct result r;
	failing_result(&r);
	free(r.tests[0].name);
	r.tests[0].name = xstrdup("a test name far longer than forty columns, which must be cut");
	free(r.tests[2].name);
	r.tests[2].name = xstrdup("\u50f5\u5c38\u8fdb\u7a0b zombie");
	char *s = terminal_text(&r, false, false);
	long col = -1;
	size_t rows = 0;
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		if (!str_starts(line, "  PASS  ") && !str_starts(line, "  FAIL  "))
			continue;
		char *slash = strchr(line + 8, '/');
		ck_assert_ptr_nonnull(slash);
		char *name_end = slash;
		while (name_end > line && name_end[-1] != ' ')
			name_end--;            /* the points start here */
		*name_end = '\0';
		long c = (long)text_cols(line);
		ck_assert_msg(col < 0 || c == col, "points at column %ld, not %ld: %s", c, col, line);
		col = c;
		rows++;
	}
	ck_assert_uint_eq(rows, 4);
	free(s);
	s = terminal_text(&r, false, false);
	ck_assert_ptr_nonnull(strstr(s, "a test name far longer than forty colum\u2026"));
	free(s);
	result_free(&r);
}
END_TEST

/* --quiet: the score line and the failing tests, nothing else. */
START_TEST(terminal_quiet)
{
	struct result r;
	failing_result(&r);
	char *data = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&data, &n);
	ck_assert_int_eq(report_terminal(&r, f, false, TERM_QUIET), 0);
	fclose(f);
	ck_assert(str_starts(data, "  score       2/7  (1 of 4 tests passed"));
	ck_assert_uint_eq(count(data, "FAIL  "), 3);
	ck_assert_uint_eq(count(data, "PASS  "), 0);
	ck_assert_ptr_null(strstr(data, "seed"));
	ck_assert_ptr_null(strstr(data, "sandbox"));
	ck_assert_ptr_nonnull(strstr(data, "child #1 is reading an empty pipe"));
	free(data);
	result_free(&r);
}
END_TEST

START_TEST(terminal_color_and_verbose)
{
	struct result r;
	failing_result(&r);
	char *s = terminal_text(&r, true, true);

	ck_assert_ptr_nonnull(strstr(s, "\033[32mPASS\033[0m"));
	ck_assert_ptr_nonnull(strstr(s, "\033[31mFAIL\033[0m"));
	ck_assert_ptr_nonnull(strstr(s, "\033[33mtime limit (wall)\033[0m"));
	ck_assert_ptr_nonnull(strstr(s, "\033[1mhalf_copy"));
	/* only our own colour codes: the student's ESC [2J is escaped */
	ck_assert_msg(!has_control_bytes(s, true), "foreign control bytes in:\n%s", s);
	ck_assert_ptr_null(strstr(s, "\033[2J"));
	/* verbose: passed checks, figures and the command of every run */
	ck_assert_ptr_nonnull(strstr(s, "exit\n"));
	ck_assert_uint_eq(count(s, "wall 32 ms"), 3);
	ck_assert_ptr_nonnull(strstr(s, "command: harness src.bin"));
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(terminal_compile_error_and_missing)
{
	struct result r;
	compile_error_result(&r);
	strv_push(&r.files_missing, "half_copy.c");
	strv_push(&r.files_found, "main.c");
	strv_push(&r.files_found, "notes\033.txt");
	char *s = terminal_text(&r, false, false);

	ck_assert_ptr_nonnull(strstr(s, "missing files:"));
	ck_assert_ptr_nonnull(strstr(s, "missing: half_copy.c"));
	ck_assert_ptr_nonnull(strstr(s, "found: main.c, notes\\x1b.txt"));
	ck_assert_ptr_nonnull(strstr(s, "  | half_copy.c:3:1: error: expected ';'"));
	ck_assert_uint_eq(count(s, "compile error\n"), 2);
	ck_assert_ptr_nonnull(strstr(s, "0/4"));
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(terminal_long_output_cut)
{
	struct result r;
	struct buf out = BUF_INIT;
	failing_result(&r);
	for (int i = 0; i < 1000; i++)
		buf_addf(&out, "line %d\n", i);
	struct capture *c = &r.tests[1].run.out;
	buf_free(&c->head);
	set_output(c, out.data, out.len);
	char *s = terminal_text(&r, false, false);

	ck_assert_ptr_nonnull(strstr(s, "| line 0\n"));
	ck_assert_ptr_nonnull(strstr(s, "| line 999\n"));
	ck_assert_ptr_null(strstr(s, "| line 500\n"));
	ck_assert_ptr_nonnull(strstr(s, "lines cut ...]"));
	ck_assert_uint_lt(strlen(s), 4000);
	free(s);
	buf_free(&out);
	result_free(&r);
}
END_TEST

START_TEST(truncated_capture_excerpt)
{
	struct result r;
	failing_result(&r);
	struct capture *c = &r.tests[1].run.out;
	buf_reset(&c->head);
	buf_adds(&c->head, "begin\n");
	buf_adds(&c->tail, "the end\n");
	c->total = 100000;
	c->truncated = true;
	char *path = tmp_path("junit.xml");
	ck_assert_int_eq(report_junit(&r, path), 0);
	char *x = read_text(path);

	ck_assert_ptr_nonnull(strstr(x, "<system-out>begin\n[... 99986 bytes not kept ...]\n"
				     "the end\n</system-out>"));
	free(x);
	free(path);
	result_free(&r);
}
END_TEST

/* ---- Gradescope ---- */

static json_t *load_json(const char *path)
{
	json_error_t err;
	json_t *j = json_load_file(path, 0, &err);
	ck_assert_msg(j != NULL, "%s:%d: %s", path, err.line, err.text);
	return j;
}

static const char *jget_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	ck_assert_msg(json_is_string(v), "%s is not a string", key);
	return json_string_value(v);
}

static double jget_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	ck_assert_msg(json_is_number(v), "%s is not a number", key);
	return json_number_value(v);
}

START_TEST(gradescope_fields)
{
	struct result r;
	failing_result(&r);
	char *path = tmp_path("results.json");
	ck_assert_msg(report_gradescope(&r, path) == 0, "%s", error_get());
	ck_assert_uint_eq(dir_entries(tmpdir), 1);      /* no temporary file left */
	json_t *j = load_json(path);

	ck_assert_double_eq(jget_num(j, "score"), 2);
	ck_assert_double_eq_tol(jget_num(j, "execution_time"), 1.234, 1e-9);
	ck_assert_str_eq(jget_str(j, "output_format"), "text");
	ck_assert_str_eq(jget_str(j, "visibility"), "visible");
	ck_assert_str_eq(jget_str(j, "stdout_visibility"), "hidden");
	ck_assert_ptr_nonnull(strstr(jget_str(j, "output"), "--seed 4242"));
	json_t *extra = json_object_get(j, "extra_data");
	ck_assert_int_eq(json_integer_value(json_object_get(extra, "seed")), 4242);
	ck_assert_str_eq(jget_str(extra, "sandbox"), "basic");
	ck_assert_str_eq(jget_str(extra, "sandbox_missing"), "no user namespaces: kernel restriction");

	json_t *tests = json_object_get(j, "tests");
	ck_assert_uint_eq(json_array_size(tests), 4);
	json_t *t0 = json_array_get(tests, 0), *t1 = json_array_get(tests, 1);
	ck_assert_str_eq(jget_str(t0, "status"), "passed");
	ck_assert_str_eq(jget_str(t0, "number"), "1");
	ck_assert_double_eq(jget_num(t0, "score"), 2);
	ck_assert_double_eq(jget_num(t0, "max_score"), 2);
	ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(t0, "extra_data"),
							  "failed_checks")), 0);

	ck_assert_str_eq(jget_str(t1, "status"), "failed");
	ck_assert_str_eq(jget_str(t1, "number"), "2");
	ck_assert_str_eq(jget_str(t1, "name"), "child <writes> & \"halves\"");
	ck_assert_double_eq(jget_num(t1, "score"), 0);
	ck_assert_double_eq(jget_num(t1, "max_score"), 3);
	ck_assert_str_eq(jget_str(t1, "visibility"), "visible");
	const char *out = jget_str(t1, "output");
	ck_assert_ptr_nonnull(strstr(out, "wrong answer\n"));
	ck_assert_ptr_nonnull(strstr(out, "stdout (greeting): expected"));
	ck_assert_ptr_nonnull(strstr(out, "\\x1b[2J"));        /* escaped, not raw */
	ck_assert_ptr_null(strchr(out, 033));
	json_t *x1 = json_object_get(t1, "extra_data");
	ck_assert_str_eq(jget_str(x1, "status"), "wrong answer");
	json_t *failed = json_object_get(x1, "failed_checks");
	ck_assert_uint_eq(json_array_size(failed), 2);
	ck_assert_str_eq(json_string_value(json_array_get(failed, 0)), "stdout");
	ck_assert_str_eq(json_string_value(json_array_get(failed, 1)), "processes");
	ck_assert_int_eq(json_integer_value(json_object_get(x1, "seed")), 4242);

	json_t *t3 = json_array_get(tests, 3);
	ck_assert_str_eq(jget_str(t3, "visibility"), "hidden");
	json_t *tags = json_object_get(t3, "tags");
	ck_assert_uint_eq(json_array_size(tags), 2);
	ck_assert_str_eq(json_string_value(json_array_get(tags, 0)), "races");
	ck_assert_str_eq(json_string_value(json_array_get(tags, 1)), "bonus <1>");
	ck_assert_ptr_null(json_object_get(t0, "tags"));      /* none in its spec */
	ck_assert_str_eq(jget_str(json_object_get(t3, "extra_data"), "status"),
			 "runtime error (exit 3)");
	ck_assert_str_eq(jget_str(json_array_get(tests, 2), "output"),
			 "time limit (wall): still running after 7000 ms, the limit is 7000 ms\n"
			 "  child #1 is reading an empty pipe whose write end is still open in: "
			 "the program\n"
			 "exit: the program did not finish in 7 s\n\n"
			 "command: harness src.bin out1.bin out2.bin\n\n"
			 "cpu 4 ms, wall 7000 ms, peak memory 3.0 MiB, 3 processes, output 0 B\n");
	json_decref(j);

	/* rewriting replaces the file whole */
	result_free(&r);
	passing_result(&r);
	ck_assert_int_eq(report_gradescope(&r, path), 0);
	j = load_json(path);
	ck_assert_double_eq(jget_num(j, "score"), 5);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "tests")), 2);
	json_decref(j);
	free(path);
	result_free(&r);
}
END_TEST

/* The top-level output counts only the tests shown at once: the hidden
   "secret" (1 point, failed) is in neither the score nor the counts. */
START_TEST(gradescope_hidden_tests_stay_hidden)
{
	struct result r;
	failing_result(&r);
	free(r.tests[2].visibility);
	r.tests[2].visibility = xstrdup("after_due_date");
	char *path = tmp_path("results.json");
	ck_assert_msg(report_gradescope(&r, path) == 0, "%s", error_get());
	json_t *j = load_json(path);
	const char *out = jget_str(j, "output");
	ck_assert_msg(strstr(out, "score: 2/5 (1 of 2 tests passed)\n"), "%s", out);
	ck_assert_msg(strstr(out, "2 more tests are shown later or not at all"), "%s", out);
	ck_assert_ptr_null(strstr(out, "secret"));
	ck_assert_double_eq(jget_num(j, "score"), 2);     /* the grade is whole */
	json_t *tests = json_object_get(j, "tests");
	ck_assert_str_eq(jget_str(json_array_get(tests, 2), "visibility"), "after_due_date");
	ck_assert_str_eq(jget_str(json_array_get(tests, 3), "visibility"), "hidden");
	json_decref(j);
	free(path);
	result_free(&r);
}
END_TEST

START_TEST(gradescope_compile_error_and_bad_utf8)
{
	struct result r;
	compile_error_result(&r);
	free(r.tests[0].name);
	r.tests[0].name = xstrdup("bad \xc3\x28 utf8 \xed\xa0\x80");   /* jansson refuses raw */
	char *path = tmp_path("results.json");
	ck_assert_msg(report_gradescope(&r, path) == 0, "%s", error_get());
	json_t *j = load_json(path);

	ck_assert_double_eq(jget_num(j, "score"), 0);
	ck_assert_ptr_nonnull(strstr(jget_str(j, "output"), "compile error:\nhalf_copy.c:3:1: error"));
	json_t *t0 = json_array_get(json_object_get(j, "tests"), 0);
	ck_assert_str_eq(jget_str(t0, "name"), "bad \\xc3( utf8 \\xed\\xa0\\x80");
	ck_assert_str_eq(jget_str(json_object_get(t0, "extra_data"), "status"), "compile error");
	json_decref(j);
	free(path);
	result_free(&r);
}
END_TEST

START_TEST(write_errors_reported)
{
	struct result r;
	passing_result(&r);
	char *path = tmp_path("no/such/dir/results.json");
	ck_assert_int_eq(report_gradescope(&r, path), -1);
	ck_assert_ptr_nonnull(strstr(error_get(), "no/such/dir"));
	ck_assert_int_eq(report_junit(&r, path), -1);
	ck_assert_int_eq(report_html(&r, path), -1);
	ck_assert_int_eq(report_markdown(&r, path), -1);
	free(path);
	result_free(&r);
}
END_TEST

/* ---- JUnit ---- */

/* A small XML 1.0 well-formedness check: valid UTF-8, no forbidden
   characters, balanced tags, quoted attributes, only known entities. */
static const char *xml_problem(const char *s)
{
	static char why[160];
	char stack[32][64];
	int depth = 0;
	const unsigned char *p = (const unsigned char *)s;

	if (strncmp(s, "<?xml ", 6))
		return "no XML declaration";
	p = (const unsigned char *)strstr(s, "?>") + 2;
	while (*p) {
		if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
			return "control character";
		if (*p >= 0x80) {       /* a valid multi-byte sequence */
			int len = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 :
				  (*p & 0xf8) == 0xf0 ? 4 : 0;
			if (!len)
				return "bad UTF-8 lead byte";
			for (int i = 1; i < len; i++)
				if ((p[i] & 0xc0) != 0x80)
					return "bad UTF-8 continuation";
			p += len;
			continue;
		}
		if (*p == '&') {
			const char *ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#10;", "&#9;"};
			size_t i;
			for (i = 0; i < ARRAY_SIZE(ents); i++)
				if (!strncmp((const char *)p, ents[i], strlen(ents[i])))
					break;
			if (i == ARRAY_SIZE(ents))
				return "bare &";
			p += strlen(ents[i]);
			continue;
		}
		if (*p == '>')
			return "bare >";
		if (*p != '<') {
			p++;
			continue;
		}
		bool closing = p[1] == '/';
		const unsigned char *name = p + 1 + closing;
		size_t n = strcspn((const char *)name, " />");
		if (n == 0 || n >= 64)
			return "bad tag name";
		const unsigned char *q = name + n;
		while (*q && *q != '>') {       /* attributes: name="value" */
			if (*q == '"') {
				const char *end = strchr((const char *)q + 1, '"');
				if (!end)
					return "unterminated attribute";
				for (const char *c = (const char *)q + 1; c < end; c++)
					if (*c == '<' || *c == '\n')
						return "raw < or newline in an attribute";
				q = (const unsigned char *)end;
			}
			q++;
		}
		if (!*q)
			return "unterminated tag";
		if (closing) {
			if (depth == 0 || strncmp(stack[depth - 1], (const char *)name, n) ||
			    stack[depth - 1][n]) {
				snprintf(why, sizeof(why), "mismatched </%.*s>", (int)n, name);
				return why;
			}
			depth--;
		} else if (q[-1] != '/') {
			if (depth == 32)
				return "too deep";
			snprintf(stack[depth++], 64, "%.*s", (int)n, name);
		}
		p = q + 1;
	}
	return depth ? "unclosed element" : NULL;
}

START_TEST(junit_well_formed)
{
	struct result r;
	failing_result(&r);
	char *path = tmp_path("junit.xml");
	ck_assert_msg(report_junit(&r, path) == 0, "%s", error_get());
	char *x = read_text(path);

	const char *problem = xml_problem(x);
	ck_assert_msg(problem == NULL, "%s in:\n%s", problem, x);
	ck_assert_ptr_nonnull(strstr(x, "<testsuite name=\"half_copy: score 2/7\" tests=\"4\" failures=\"3\""));
	ck_assert_uint_eq(count(x, "<testcase "), 4);
	ck_assert_uint_eq(count(x, "<failure "), 3);
	ck_assert_uint_eq(count(x, "classname=\"half_copy\""), 4);
	ck_assert_ptr_nonnull(strstr(x, "name=\"child &lt;writes&gt; &amp; &quot;halves&quot;\""));
	/* the first line of the real failure, the status as its type */
	ck_assert_ptr_nonnull(strstr(x, "<failure message=\"stdout (greeting): expected &quot;hello\\n&quot; but got"));
	ck_assert_ptr_nonnull(strstr(x, "type=\"wrong answer\""));
	ck_assert_ptr_nonnull(strstr(x, "<failure message=\"time limit (wall): still running after 7000 ms, the limit is 7000 ms\" type=\"time limit (wall)\">"));
	ck_assert_ptr_nonnull(strstr(x, "  child #1 is reading an empty pipe whose write end is still open in: the program\n"));
	ck_assert_ptr_null(strstr(x, "&#39;"));
	ck_assert_ptr_nonnull(strstr(x, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"q\""));
	ck_assert_ptr_nonnull(strstr(x, "\\x1b[2J"));
	ck_assert_ptr_nonnull(strstr(x, "<system-err>warning\\x01\n</system-err>"));
	ck_assert_ptr_nonnull(strstr(x, "<property name=\"seed\" value=\"4242\"/>"));
	ck_assert_ptr_nonnull(strstr(x, "time=\"7.000\""));

	if (access("/usr/bin/xmllint", X_OK) == 0) {
		char *cmd = xasprintf("/usr/bin/xmllint --noout '%s' 2>&1", path);
		ck_assert_int_eq(system(cmd), 0);
		free(cmd);
	}
	free(x);
	free(path);
	result_free(&r);
}
END_TEST

START_TEST(junit_compile_error)
{
	struct result r;
	compile_error_result(&r);
	char *path = tmp_path("junit.xml");
	ck_assert_int_eq(report_junit(&r, path), 0);
	char *x = read_text(path);

	ck_assert_ptr_null(xml_problem(x));
	/* one failure (the build), the tests skipped */
	ck_assert_uint_eq(count(x, "<failure "), 1);
	ck_assert_ptr_nonnull(strstr(x, "<testcase name=\"build\""));
	ck_assert_ptr_nonnull(strstr(x, "<failure message=\"compile error: the program did not build\" type=\"compile error\">"));
	ck_assert_uint_eq(count(x, "<skipped message=\"not run: the program did not build\"/>"), 2);
	ck_assert_ptr_nonnull(strstr(x, "tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"2\""));
	ck_assert_ptr_nonnull(strstr(x, "expected ';' before '}' token &lt;&amp;&gt;"));
	free(x);
	free(path);
	result_free(&r);
}
END_TEST

/* report_clean and report_markup on random bytes: always valid UTF-8
   without control characters, always well-formed XML text. */
START_TEST(clean_random_bytes)
{
	unsigned seed = 12345;

	for (int round = 0; round < 3000; round++) {
		char raw[64];
		size_t n = rand_r(&seed) % sizeof(raw);
		for (size_t i = 0; i < n; i++) {
			int r = rand_r(&seed);
			/* favour the interesting bytes: controls, UTF-8 leads, markup */
			static const char special[] = "\x00\x1b\x7f\xc2\x85\x9b\xe2\x80\xae\xef\xbf\xbe\xf0<&>\"'\r\n";
			raw[i] = r % 3 ? (char)(r >> 8) : special[(r >> 8) % (sizeof(special) - 1)];
		}
		struct buf clean = BUF_INIT, xml = BUF_INIT;
		report_clean(&clean, raw, n);
		json_t *j = json_stringn(buf_str(&clean), clean.len);
		ck_assert_msg(j != NULL, "round %d: not valid UTF-8 for jansson", round);
		json_decref(j);
		for (const unsigned char *p = (const unsigned char *)buf_str(&clean); *p; p++) {
			ck_assert_msg(*p >= 0x20 || *p == '\n' || *p == '\t', "round %d: control byte", round);
			ck_assert_msg(*p != 0x7f, "round %d: DEL", round);
			ck_assert_msg(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0), "round %d: C1", round);
			ck_assert_msg(!(p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0xae), "round %d: bidi", round);
		}
		ck_assert_uint_eq(strlen(buf_str(&clean)), clean.len);    /* no NUL inside */
		buf_adds(&xml, "<?xml version=\"1.0\"?><a b=\"");
		report_markup(&xml, raw, n, true);
		buf_adds(&xml, "\">");
		report_markup(&xml, raw, n, false);
		buf_adds(&xml, "</a>");
		const char *problem = xml_problem(buf_str(&xml));
		ck_assert_msg(problem == NULL, "round %d: %s", round, problem);
		buf_free(&clean);
		buf_free(&xml);
	}
}
END_TEST

/* ---- HTML ---- */

START_TEST(html_escaped_with_timeline)
{
	struct result r;
	failing_result(&r);
	char *path = tmp_path("report.html");
	ck_assert_msg(report_html(&r, path) == 0, "%s", error_get());
	char *h = read_text(path);

	ck_assert(str_starts(h, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(h, "</html>\n"));
	ck_assert_ptr_nonnull(strstr(h, "<pre class=\"why\">time limit (wall): still running after "
				     "7000 ms, the limit is 7000 ms\n  child #1 is reading"));
	/* student text escaped; none of it becomes markup */
	ck_assert_ptr_null(strstr(h, "<script"));
	ck_assert_ptr_nonnull(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(h, "child &lt;writes&gt; &amp; \"halves\""));
	ck_assert_ptr_nonnull(strstr(h, "\\x1b[2J"));
	ck_assert_msg(!has_control_bytes(h, false), "control bytes in the page");
	/* self-contained: no external resource */
	ck_assert_ptr_null(strstr(h, "src="));
	ck_assert_ptr_null(strstr(h, "href="));
	ck_assert_ptr_null(strstr(h, "@import"));
	/* header and tests */
	ck_assert_ptr_nonnull(strstr(h, "<b>2</b> / 7 points"));
	ck_assert_ptr_nonnull(strstr(h, "--seed 4242"));
	ck_assert_ptr_nonnull(strstr(h, "Weaker sandbox: no user namespaces"));
	ck_assert_uint_eq(count(h, "<details class=\"test\""), 4);
	ck_assert_uint_eq(count(h, " open><summary>"), 3);
	ck_assert_ptr_nonnull(strstr(h, "hint: print &lt;hello&gt;"));
	/* one timeline, for the traced test, with its lanes and marks */
	ck_assert_uint_eq(count(h, "<svg "), 1);
	ck_assert_uint_eq(count(h, "</svg>"), 1);
	ck_assert_ptr_nonnull(strstr(h, ">the program</text>"));
	ck_assert_ptr_nonnull(strstr(h, ">child #1</text>"));
	ck_assert_ptr_nonnull(strstr(h, ">child #2</text>"));
	ck_assert_ptr_nonnull(strstr(h, "killed by SIGUSR1, never reaped"));
	ck_assert_ptr_nonnull(strstr(h, "ran exec(\"/bin/&lt;evil&gt;\")"));
	ck_assert_ptr_nonnull(strstr(h, "opened \"src&lt;&amp;&gt;.bin\" as fd 3"));
	ck_assert_ptr_nonnull(strstr(h, "marker \"enter copy\""));
	ck_assert_ptr_nonnull(strstr(h, "sent SIGUSR1 to child #2"));
	ck_assert_ptr_nonnull(strstr(h, "reaped child #1"));
	ck_assert_ptr_nonnull(strstr(h, "url(#t2-fork)"));
	ck_assert_ptr_nonnull(strstr(h, "zombie"));
	ck_assert_ptr_nonnull(strstr(h, "1.000 ms"));        /* a time in a tooltip */
	free(h);
	free(path);
	result_free(&r);
}
END_TEST

/* A test killed at its time limit: the processes the sandbox killed are
   not zombies nobody waited for, and what each was blocked in reads right. */
START_TEST(svg_killed_at_end)
{
	struct trace *t = small_trace();
	struct proc *p = &t->procs[2];
	p->exit_signal = SIGKILL;
	p->killed_at_end = true;
	add_event(t, 0, EV_BLOCKED, 0)->blocked.what = xstrdup("in waitpid for child #1");
	struct buf b = BUF_INIT;
	report_svg_timeline(t, "k", NULL, &b);
	const char *s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "killed at the end of the test"));
	ck_assert_ptr_nonnull(strstr(s, "the program was in waitpid for child #1 when the time ran out"));
	ck_assert_ptr_null(strstr(s, "in in "));
	/* child #2 is neither a zombie nor never reaped; child #1 still is
	   reaped by the program as before */
	ck_assert_ptr_null(strstr(s, "child #2 (of the program) was a zombie"));
	ck_assert_ptr_null(strstr(s, "killed by SIGKILL"));
	ck_assert_ptr_null(strstr(s, "killed at the end of the test, never reaped"));
	buf_free(&b);
	trace_free(t);
}
END_TEST

/* The loader's opens are left out; paths in the scratch are shown
   relative to it ("/box/out1.bin" is "out1.bin" to the student). */
START_TEST(svg_hides_loader_and_scratch)
{
	struct trace *t = small_trace();
	t->cwd = xstrdup("/box");
	add_open(t, 0, "/etc/ld.so.cache");
	add_open(t, 0, "/lib/x86_64-linux-gnu/libc.so.6");
	struct event *e = add_event(t, 0, EV_CLOSE, 0);
	e->close.fd = 3;
	e->close.path = xstrdup("/usr/lib/x86_64-linux-gnu/libm.so");
	e = add_event(t, 0, EV_WRITE, 10);
	e->write.fd = 4;
	e->write.calls = 1;
	e->write.path = xstrdup("/box/out1.bin");
	add_open(t, 0, "/boxer/x")->ret = 5;
	struct buf b = BUF_INIT;
	report_svg_timeline(t, "l", NULL, &b);
	const char *s = buf_str(&b);
	ck_assert_ptr_null(strstr(s, "ld.so.cache"));
	ck_assert_ptr_null(strstr(s, "libc.so"));
	ck_assert_ptr_null(strstr(s, "libm.so"));
	ck_assert_ptr_null(strstr(s, "events not drawn"));
	ck_assert_ptr_nonnull(strstr(s, "wrote 10 bytes to \"out1.bin\""));
	ck_assert_ptr_nonnull(strstr(s, "opened \"/boxer/x\""));
	ck_assert_ptr_null(strstr(s, "class=\"blamed\""));
	/* an event a failed check names is ringed */
	struct check_blame blame = {{t->ev[t->nev - 2].seq}, 1};
	buf_reset(&b);
	report_svg_timeline(t, "l", &blame, &b);
	ck_assert_uint_eq(count(buf_str(&b), "class=\"blamed\""), 1);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "to \"out1.bin\" (a failed check names this event)"));
	ck_assert(!trace_is_loader_path("/box/libfoo.so.c"));
	ck_assert(trace_is_loader_path("/lib64/ld-linux-x86-64.so.2"));
	ck_assert_str_eq(trace_rel_path(t, "/box/a/b"), "a/b");
	ck_assert_str_eq(trace_rel_path(t, "/box"), "/box");
	buf_free(&b);
	trace_free(t);
}
END_TEST

START_TEST(html_big_trace_is_thinned)
{
	struct result r;
	failing_result(&r);
	struct trace *t = r.tests[1].run.trace;
	size_t before = t->nev;
	for (int i = 0; i < 5000; i++) {
		struct event *e = add_event(t, 1, EV_WRITE, 10);
		e->write.fd = 4;
		e->write.path = xstrdup("out1.bin");
	}
	add_event(t, 0, EV_BLOCKED, 0)->blocked.what = xstrdup("in wait4");  /* lifecycle, after the flood */
	char *path = tmp_path("big.html");
	ck_assert_int_eq(report_html(&r, path), 0);
	char *h = read_text(path);

	/* some writes drawn, the rest said to be left out; lifecycle all there */
	size_t writes = count(h, "wrote 10 bytes to \"out1.bin\"");
	ck_assert_uint_gt(writes, 0);
	ck_assert_uint_lt(writes + before + 1, 1000);
	char note[64];
	snprintf(note, sizeof(note), ">%zu events not drawn", 5000 - writes);
	ck_assert_msg(strstr(h, note) != NULL, "no \"%s\"", note);
	ck_assert_ptr_nonnull(strstr(h, "reaped child #1"));
	ck_assert_ptr_nonnull(strstr(h, "was in wait4 when the time ran out"));
	ck_assert_uint_lt(strlen(h), 300000);
	free(h);
	free(path);
	result_free(&r);
}
END_TEST

START_TEST(html_compile_error)
{
	struct result r;
	compile_error_result(&r);
	char *path = tmp_path("report.html");
	ck_assert_int_eq(report_html(&r, path), 0);
	char *h = read_text(path);

	ck_assert_ptr_nonnull(strstr(h, "<h2>Compile error</h2>"));
	ck_assert_ptr_nonnull(strstr(h, "expected ';' before '}' token &lt;&amp;&gt;"));
	ck_assert_uint_eq(count(h, "Not run: the program did not build."), 2);
	ck_assert_ptr_null(strstr(h, "<svg"));
	free(h);
	free(path);
	result_free(&r);
}
END_TEST

/* ---- Markdown ---- */

/* Split Markdown as CommonMark does for backtick fences: an opening line
   of 3+ backticks (up to 3 spaces before, no backtick after), closed by a
   line of at least as many backticks and nothing else.  Appends the lines
   outside fences to outside, counts the fences; NULL or what is wrong. */
static const char *md_fences(const char *s, struct buf *outside, size_t *fences)
{
	size_t open = 0;
	*fences = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		const char *p = s;
		while (p < s + n && p - s < 3 && *p == ' ')
			p++;
		size_t ticks = 0;
		while (p + ticks < s + n && p[ticks] == '`')
			ticks++;
		const char *rest = p + ticks;
		size_t rest_n = (size_t)(s + n - rest);
		if (!open && ticks >= 3 && !memchr(rest, '`', rest_n)) {
			open = ticks;
			++*fences;
		} else if (open && ticks >= open && strspn(rest, " ") >= rest_n) {
			open = 0;
		} else if (!open) {
			buf_add(outside, s, n);
			buf_addc(outside, '\n');
		}
		s += n + (nl != NULL);
	}
	return open ? "a code fence is never closed" : NULL;
}

/* Outside code fences, no '<' or '&' that Markdown would take as HTML or
   an entity: each is backslash-escaped. */
static bool md_has_bare_html(const char *outside)
{
	for (const char *p = outside; *p; p++)
		if ((*p == '<' || *p == '&') && (p == outside || p[-1] != '\\'))
			return true;
	return false;
}

static char *markdown_text(const struct result *r)
{
	char *path = tmp_path("summary.md");
	ck_assert_msg(report_markdown(r, path) == 0, "%s", error_get());
	char *m = read_text(path);
	free(path);
	return m;
}

/* The summary rendered as GitHub renders it (cmark-gfm with GitHub's
   extensions, raw HTML let through: stricter than GitHub, which filters
   some tags), or NULL when cmark-gfm is not installed (make deps
   installs it). */
static char *markdown_rendered(const char *m)
{
	if (access("/usr/bin/cmark-gfm", X_OK) != 0)
		return NULL;
	char *md = tmp_path("render.md"), *html = tmp_path("render.html");
	ck_assert_int_eq(report_write_file(md, m, strlen(m)), 0);
	char *cmd = xasprintf("/usr/bin/cmark-gfm --unsafe -e table -e strikethrough -e autolink "
			      "'%s' >'%s'", md, html);
	ck_assert_int_eq(system(cmd), 0);
	char *h = read_text(html);
	free(cmd);
	free(html);
	free(md);
	return h;
}

START_TEST(markdown_summary)
{
	struct result r;
	failing_result(&r);
	char *m = markdown_text(&r);
	struct buf outside = BUF_INIT;
	size_t fences;

	const char *problem = md_fences(m, &outside, &fences);
	ck_assert_msg(problem == NULL, "%s in:\n%s", problem, m);
	ck_assert_msg(!md_has_bare_html(buf_str(&outside)), "bare HTML in:\n%s", buf_str(&outside));
	ck_assert_msg(!has_control_bytes(m, false), "control bytes in the summary");
	/* the score, the count, the tier, the seed */
	ck_assert(str_starts(m, "## half_copy: 2/7\n"));
	ck_assert_ptr_nonnull(strstr(m, "**1 of 4 tests passed**"));
	ck_assert_ptr_nonnull(strstr(m, "- Sandbox: basic (weaker: no user namespaces: kernel restriction)\n"));
	ck_assert_ptr_nonnull(strstr(m, "--seed 4242"));
	/* one row per test, the failing ones with their status */
	ck_assert_uint_eq(count(m, "\n| ✅ "), 1);
	ck_assert_uint_eq(count(m, "\n| ❌ "), 3);
	ck_assert_ptr_nonnull(strstr(m, "| ❌ time limit (wall) | slow | 0/1 |\n"));
	ck_assert_ptr_nonnull(strstr(m, "| ❌ wrong answer | child \\<writes\\> \\& \"halves\" | 0/3 |\n"));
	/* a section per failing test: the verdict's message first, then the
	   checks; the program's output in its own fence */
	ck_assert_uint_eq(count(m, "\n### ❌ "), 3);
	ck_assert_ptr_nonnull(strstr(m, "### ❌ slow: time limit (wall)\n\n```text\n"
				     "time limit (wall): still running after 7000 ms, the limit is 7000 ms\n"
				     "  child #1 is reading an empty pipe"));
	ck_assert_ptr_nonnull(strstr(m, "exit: the program did not finish in 7 s\n"));
	ck_assert_ptr_nonnull(strstr(m, "stdout (greeting): expected \"hello\\n\" but got"));
	ck_assert_ptr_nonnull(strstr(m, "command: harness src.bin out1.bin out2.bin\n"));
	ck_assert_ptr_nonnull(strstr(m, "<script>alert(1)</script>"));    /* inside a fence */
	ck_assert_ptr_null(strstr(buf_str(&outside), "alert(1)"));
	ck_assert_ptr_nonnull(strstr(m, "\\x1b[2J"));
	ck_assert_ptr_nonnull(strstr(m, "warning\\x01\n"));
	/* 3 messages, stdout and stderr of test 2 */
	ck_assert_uint_eq(fences, 5);
	char *h = markdown_rendered(m);
	if (h) {
		ck_assert_ptr_nonnull(strstr(h, "<h2>half_copy: 2/7</h2>"));
		ck_assert_uint_eq(count(h, "<tr>"), 5);
		ck_assert_uint_eq(count(h, "<h3>"), 3);
		ck_assert_uint_eq(count(h, "<pre><code"), 5);
		ck_assert_ptr_null(strstr(h, "<script"));
		ck_assert_ptr_nonnull(strstr(h, "<td align=\"left\">child &lt;writes&gt; &amp; &quot;halves&quot;</td>"));
	}
	free(h);
	buf_free(&outside);
	free(m);
	result_free(&r);
}
END_TEST

/* Output written to break out of its code block and render: backtick
   runs up to 5 long, HTML, a heading, a table row, a tilde fence. */
START_TEST(markdown_hostile_output_stays_in_its_fence)
{
	static const char evil[] =
		"ok\n```\n<img src=x onerror=alert(1)>\n# owned heading\n"
		"| a | b |\n~~~\n`````js\n**bold** [link](http://x) <details>\n";
	struct result r;
	failing_result(&r);
	struct test_verdict *t = &r.tests[1];
	buf_reset(&t->run.out.head);
	set_output(&t->run.out, evil, strlen(evil));
	free(t->name);
	t->name = xstrdup("name ``` <b>x</b> | # *y* [z](u) $m$ \\");
	char *m = markdown_text(&r);
	struct buf outside = BUF_INIT;
	size_t fences;

	ck_assert_ptr_null(md_fences(m, &outside, &fences));
	ck_assert_uint_eq(fences, 5);
	const char *o = buf_str(&outside);
	ck_assert_msg(!md_has_bare_html(o), "bare HTML in:\n%s", o);
	ck_assert_ptr_null(strstr(o, "onerror"));
	ck_assert_ptr_null(strstr(o, "# owned"));
	ck_assert_ptr_null(strstr(o, "**bold**"));
	/* the output whole, in a fence one backtick longer than its longest run */
	ck_assert_ptr_nonnull(strstr(m, "\n``````text\nok\n```\n<img src=x onerror=alert(1)>\n"));
	ck_assert_ptr_nonnull(strstr(m, "<details>\n``````\n"));
	/* the name escaped wherever it is shown: the table and its heading */
	const char *escaped = "name \\`\\`\\` \\<b\\>x\\</b\\> \\| \\# \\*y\\* \\[z\\](u) \\$m\\$ \\\\";
	ck_assert_uint_eq(count(m, escaped), 2);
	/* rendered: one table, a code block per fence, none of the
	   student's markup, the name as it was */
	char *h = markdown_rendered(m);
	if (h) {
		ck_assert_uint_eq(count(h, "<table>"), 1);
		ck_assert_uint_eq(count(h, "<pre><code"), 5);
		static const char *const tags[] = {"<img", "<details", "<b>", "<h1", "<em>", "<a ",
						   "<strong>bold", "<del>"};
		for (size_t i = 0; i < ARRAY_SIZE(tags); i++)
			ck_assert_msg(!strstr(h, tags[i]), "%s rendered in:\n%s", tags[i], h);
		ck_assert_ptr_nonnull(strstr(h, ">name ``` &lt;b&gt;x&lt;/b&gt; | # *y* [z](u) $m$ \\</td>"));
		ck_assert_ptr_nonnull(strstr(h, "<pre><code class=\"language-text\">ok\n```\n"
					     "&lt;img src=x onerror=alert(1)&gt;\n# owned heading\n"));
	}
	free(h);
	buf_free(&outside);
	free(m);
	result_free(&r);
}
END_TEST

START_TEST(markdown_compile_error)
{
	struct result r;
	compile_error_result(&r);
	char *m = markdown_text(&r);
	struct buf outside = BUF_INIT;
	size_t fences;

	ck_assert_ptr_null(md_fences(m, &outside, &fences));
	ck_assert_uint_eq(fences, 1);
	ck_assert(str_starts(m, "## half_copy: 0/4\n"));
	ck_assert_ptr_nonnull(strstr(m, "### ❌ Compile error\n"));
	/* the compiler's messages once, not once per test */
	ck_assert_uint_eq(count(m, "expected ';' before '}' token <&>"), 1);
	ck_assert_uint_eq(count(m, "| ❌ compile error | "), 2);
	ck_assert_uint_eq(count(m, "\n### "), 1);
	buf_free(&outside);
	free(m);
	result_free(&r);
}
END_TEST

/* A missing file: said once, with what the submission held; nothing
   was built, so no compile error. */
START_TEST(markdown_missing_files)
{
	struct result r;
	base_result(&r, &root_sandbox);
	r.compiled = false;
	strv_push(&r.files_missing, "half_copy.c");
	strv_push(&r.files_found, "notes <1>.txt");
	add_test(&r, "odd size", 2, false, "missing file");
	r.tests[0].ran = false;
	char *m = markdown_text(&r);

	ck_assert_ptr_nonnull(strstr(m, "### ❌ Missing files\n"));
	ck_assert_ptr_nonnull(strstr(m, "- Missing: half_copy.c\n- Found: notes \\<1\\>.txt\n"));
	ck_assert_ptr_null(strstr(m, "Compile error"));
	ck_assert_ptr_nonnull(strstr(m, "| ❌ missing file | odd size | 0/2 |\n"));
	ck_assert_uint_eq(count(m, "\n### "), 1);
	free(m);
	result_free(&r);
}
END_TEST

/* Many failing tests with a lot of output: the summary stays under
   64 KiB, whole sections only, and says how many it left out. */
START_TEST(markdown_kept_small)
{
	struct result r;
	failing_result(&r);
	struct buf flood = BUF_INIT;
	for (int i = 0; i < 4000; i++)
		buf_addf(&flood, "line %d of a flood ```` <b>\n", i);
	for (int i = 0; i < 30; i++) {
		char name[32];
		snprintf(name, sizeof(name), "flood %d", i);
		add_test(&r, name, 1, false, "wrong answer");
		struct test_verdict *t = &r.tests[r.ntests - 1];
		add_check(t, check_of("stdout", NULL, false, flood.data));
		set_output(&t->run.out, flood.data, flood.len);
		set_output(&t->run.err, flood.data, flood.len);
	}
	char *m = markdown_text(&r);
	struct buf outside = BUF_INIT;
	size_t fences, left_out = 0;

	ck_assert_uint_lt(strlen(m), 64 * 1024);
	ck_assert_ptr_null(md_fences(m, &outside, &fences));
	ck_assert_ptr_nonnull(strstr(m, "lines cut ...]"));
	const char *note = strstr(m, "\n_");
	ck_assert_ptr_nonnull(note);
	ck_assert_int_eq(sscanf(note, "\n_%zu more failing tests not shown", &left_out), 1);
	ck_assert_uint_gt(left_out, 0);
	ck_assert_uint_eq(count(m, "\n### ❌ ") + left_out, r.ntests - report_tests_passed(&r));
	ck_assert_uint_eq(count(m, "\n| ❌ "), r.ntests - report_tests_passed(&r));
	buf_free(&outside);
	buf_free(&flood);
	free(m);
	result_free(&r);
}
END_TEST

/* ---- CSV ---- */

START_TEST(csv_rows)
{
	struct result r;
	char *data = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&data, &n);

	report_csv_header(f);
	failing_result(&r);
	free(r.student);
	r.student = xstrdup("Doe, \"Jo\"");
	report_csv_row(&r, f);
	result_free(&r);
	compile_error_result(&r);
	free(r.submission);
	r.submission = xstrdup("line\nbreak.c");
	report_csv_row(&r, f);
	result_free(&r);
	passing_result(&r);
	report_csv_row(&r, f);
	result_free(&r);
	base_result(&r, &root_sandbox);
	strv_push(&r.files_missing, "half_copy.c");
	r.compiled = false;
	r.max_score = 7;
	report_csv_row(&r, f);
	result_free(&r);
	fclose(f);

	ck_assert_str_eq(data,
		"student,lms,lms_id,late,score,max_score,percent,status,tests_passed,tests_total,"
		"seed,feedback,submission\n"
		"\"Doe, \"\"Jo\"\"\",,,,2,7,28.6,graded,1,4,4242,"
		"\"1/4 tests passed; failed: child <writes> & \"\"halves\"\", slow and 1 hidden\","
		"submissions/alice/half_copy.c\n"
		"alice,,,,0,4,0.0,compile error,0,2,4242,"
		"not graded: the program does not compile,\"line\nbreak.c\"\n"
		"alice,,,,5,5,100.0,graded,2,2,4242,2/2 tests passed,submissions/alice/half_copy.c\n"
		"alice,,,,0,7,0.0,missing files,0,0,4242,not graded: missing half_copy.c,"
		"submissions/alice/half_copy.c\n");
	free(data);
}
END_TEST

/* What report_csv_field writes, report_csv_next reads back (batch resumes
   from grades.csv); a record cut short is torn, not a shorter record. */
START_TEST(csv_fields_round_trip)
{
	static const char *const fields[] = {
		"plain", "", "a,b", "say \"hi\"", "\"", "two\nlines", "cr\r\nlf", "x\r",
		" lead", "trail ", " ", ",,", "Zoë Ünal", "last",
	};
	size_t n = sizeof(fields) / sizeof(fields[0]), pos = 0;
	struct buf row = BUF_INIT;
	char **back;

	for (size_t i = 0; i < n; i++)
		report_csv_field(&row, fields[i], i + 1 == n);
	report_csv_field(&row, "next record", true);
	ck_assert_int_eq(report_csv_next(row.data, row.len, &pos, &back), 1);
	ck_assert_uint_eq(strv_len(back), n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(back[i], fields[i]);
	strv_free(back);
	ck_assert_int_eq(report_csv_next(row.data, row.len, &pos, &back), 1);
	ck_assert_str_eq(back[0], "next record");
	strv_free(back);
	ck_assert_int_eq(report_csv_next(row.data, row.len, &pos, &back), 0);

	pos = 0;
	ck_assert_int_eq(report_csv_next(row.data, strchr(row.data, '\n') - row.data, &pos, &back), -1);
	ck_assert_ptr_null(back);
	ck_assert_uint_eq(pos, 0);
	buf_free(&row);
}
END_TEST

/* A cell a spreadsheet would run as a formula gets a "'" in front, quoted
   (OWASP CSV Injection); 1-2 and a@b, not at the start, are left alone. */
START_TEST(csv_formula_neutralised)
{
	static const char *const cells[][2] = {
		{"=1+2", "\"'=1+2\","}, {"+1", "\"'+1\","}, {"-2+3", "\"'-2+3\","},
		{"@SUM(A1)", "\"'@SUM(A1)\","}, {"\tx", "\"'\tx\","}, {"\rx", "\"'\rx\","},
		{"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\","},
		{"1-2", "1-2,"}, {"a@b", "a@b,"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cells); i++) {
		struct buf row = BUF_INIT;
		report_csv_field(&row, cells[i][0], false);
		ck_assert_str_eq(buf_str(&row), cells[i][1]);
		buf_free(&row);
	}
}
END_TEST

Suite *suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, exit_status);
	tcase_add_test(tc, terminal_plain);
	tcase_add_test(tc, terminal_color_and_verbose);
	tcase_add_test(tc, terminal_compile_error_and_missing);
	tcase_add_test(tc, terminal_long_output_cut);
	tcase_add_test(tc, truncated_capture_excerpt);
	tcase_add_test(tc, gradescope_fields);
	tcase_add_test(tc, gradescope_hidden_tests_stay_hidden);
	tcase_add_test(tc, gradescope_compile_error_and_bad_utf8);
	tcase_add_test(tc, write_errors_reported);
	tcase_add_test(tc, junit_well_formed);
	tcase_add_test(tc, junit_compile_error);
	tcase_add_test(tc, clean_random_bytes);
	tcase_add_test(tc, html_escaped_with_timeline);
	tcase_add_test(tc, html_big_trace_is_thinned);
	tcase_add_test(tc, svg_killed_at_end);
	tcase_add_test(tc, svg_hides_loader_and_scratch);
	tcase_add_test(tc, terminal_columns_line_up);
	tcase_add_test(tc, terminal_quiet);
	tcase_add_test(tc, html_compile_error);
	tcase_add_test(tc, markdown_summary);
	tcase_add_test(tc, markdown_hostile_output_stays_in_its_fence);
	tcase_add_test(tc, markdown_compile_error);
	tcase_add_test(tc, markdown_missing_files);
	tcase_add_test(tc, markdown_kept_small);
	tcase_add_test(tc, csv_rows);
	tcase_add_test(tc, csv_fields_round_trip);
	tcase_add_test(tc, csv_formula_neutralised);
	suite_add_tcase(s, tc);
	return s;
}
