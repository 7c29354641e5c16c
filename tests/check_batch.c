/*
 * check_batch.c - batch_run: rows, reports, grader faults, parallelism,
 * resuming (after a clean run, a torn row, SIGTERM and SIGKILL), duplicate
 * names and LMS bulk downloads.
 *
 * The grading function is a fake (batch_run_with), so these tests run in
 * milliseconds and do not depend on the sandbox: each submission file says
 * what the fake does with it ("both", "first", "none" tests passed; "fail"
 * returns -1; "crash" aborts; "hang" never returns; "sleep MS" or "spin MS"
 * first, the latter on the CPU).  The
 * fake logs every call, with how many fakes were running at that moment.
 * Reports, CSV rows and intake are the real ones.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "batch.h"
#include "intake.h"
#include "report.h"
#include "result.h"
#include "schema.h"
#include "util.h"

Suite *suite_batch(void);

static char *tmp;               /* everything of one test */
static char *outdir, *calls_log, *running_dir;
static char *wanted_files[] = {"half_copy.c", NULL};

#define NO_LIMITS {UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET}
static struct test fake_tests[] = {
	{.name = "first", .points = 4, .limits = NO_LIMITS},
	{.name = "second", .points = 6, .limits = NO_LIMITS},
};
static struct spec fake_spec = {
	.exercise = "fake", .title = "Fake exercise", .student_files = wanted_files,
	.tests = fake_tests, .ntests = 2, .limits = NO_LIMITS,
	.build = {.limits = NO_LIMITS},
};

/* ---- the fake grader (runs in the worker processes) ---- */

static void log_call(const char *student, int running)
{
	FILE *f = fopen(calls_log, "a");
	if (f) {
		fprintf(f, "%d %d %s\n", (int)getpid(), running, student);
		fclose(f);
	}
}

static int count_running(void)
{
	DIR *d = opendir(running_dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* The submission's text: the file, or half_copy.c found by intake. */
static char *submission_text(const char *submission)
{
	struct buf b = BUF_INIT;
	if (!path_is_dir(submission)) {
		file_read(submission, &b);
		return buf_detach(&b);
	}
	struct intake in;
	char *d = make_temp_dir("fake");
	if (d && intake_collect(submission, wanted_files, d, &in) == 0) {
		char *p = path_join(d, "half_copy.c");
		if (path_exists(p))
			file_read(p, &b);
		free(p);
		intake_free(&in);
	}
	if (d)
		rm_rf(d);
	free(d);
	return buf_detach(&b);
}

static void fake_test(struct result *r, size_t i, bool passed)
{
	struct test_verdict *t = &r->tests[i];
	t->name = xstrdup(fake_tests[i].name);
	t->visibility = xstrdup("visible");
	t->max_score = fake_tests[i].points;
	t->score = passed ? t->max_score : 0;
	t->passed = passed;
	t->status = xstrdup(passed ? "passed" : "wrong answer");
	t->ran = true;
	r->score += t->score;
}

static int fake_grade(const struct spec *s, const char *submission, const struct grade_opts *o,
		      struct result *r)
{
	char *text = submission_text(submission), *cmd = text;
	char *name = intake_student_name(submission);
	char *me = xasprintf("%s/%d", running_dir, (int)getpid());
	file_write(me, "", 0, 0644);
	log_call(name, count_running());
	free(name);
	if (str_starts(cmd, "sleep ") || str_starts(cmd, "spin ")) {
		double until = now_ms() + atoi(cmd + strcspn(cmd, " ") + 1);
		if (*cmd == 's' && cmd[1] == 'l')
			usleep((useconds_t)(until - now_ms()) * 1000);
		while (now_ms() < until)
			;
		cmd += strcspn(cmd, " \n") + 1;
		cmd += strcspn(cmd, " \n") + 1;
	}
	if (str_starts(cmd, "crash"))
		abort();
	if (str_starts(cmd, "hang")) {
		/* leave a scratch directory behind, as a killed grader would */
		char *scratch = make_temp_dir("hang"), *note = path_join(tmp, "hang.path");
		file_write(note, scratch, strlen(scratch), 0644);
		for (;;)
			pause();
	}
	unlink(me);
	free(me);
	if (str_starts(cmd, "fail")) {
		free(text);
		return error_set("fake grader fault");
	}
	memset(r, 0, sizeof(*r));
	r->exercise = xstrdup(s->exercise);
	r->title = xstrdup(s->title);
	r->submission = xstrdup(submission);
	r->student = intake_student_name(submission);
	r->seed = o->seed;
	r->compiled = true;
	r->max_score = 10;
	r->tests = xcalloc(2, sizeof(*r->tests));
	r->ntests = 2;
	bool none = str_starts(cmd, "none") || !*cmd;
	fake_test(r, 0, !none);
	fake_test(r, 1, !none && !str_starts(cmd, "first"));
	free(text);
	return 0;
}

/* ---- helpers ---- */

static void setup(void)
{
	tmp = make_temp_dir("batch-test");
	ck_assert_ptr_nonnull(tmp);
	outdir = path_join(tmp, "out");
	calls_log = path_join(tmp, "calls.log");
	running_dir = path_join(tmp, "running");
	ck_assert_int_eq(mkdir_p(running_dir, 0755), 0);
}

static void teardown(void)
{
	rm_rf(tmp);
	free(tmp);
	free(outdir);
	free(calls_log);
	free(running_dir);
}

/* Write tmp/rel holding text; returns its path (caller frees). */
static char *submission(const char *rel, const char *text)
{
	char *p = path_join(tmp, rel);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	ck_assert_int_eq(mkdir_p(p, 0755), 0);
	*slash = '/';
	ck_assert_int_eq(file_write(p, text, strlen(text), 0644), 0);
	return p;
}

static double (*runnable)(void);   /* the batch's measure, when not NULL */

/* batch_run_with the fake, its progress lines going to tmp/progress.log */
static int run_spec(const struct spec *spec, char **subs, int jobs)
{
	struct batch_opts o = {.outdir = outdir, .jobs = jobs, .grade = {.seed = 42, .quiet = true},
			       .runnable = runnable};
	char *log = path_join(tmp, "progress.log");
	int saved = dup(STDERR_FILENO), fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	ck_assert(saved >= 0 && fd >= 0);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	close(fd);
	int rc = batch_run_with(spec, subs, &o, fake_grade);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	free(log);
	return rc;
}

static int run(char **subs, int jobs)
{
	return run_spec(&fake_spec, subs, jobs);
}

static char *progress(void)
{
	char *p = path_join(tmp, "progress.log");
	struct buf b = BUF_INIT;
	file_read(p, &b);
	free(p);
	return buf_detach(&b);
}

static char *out_file(const char *rel)
{
	char *p = path_join(outdir, rel);
	struct buf b = BUF_INIT;
	file_read(p, &b);
	free(p);
	return buf_detach(&b);
}

/* grades.csv as rows of fields (our names and paths hold no ',' or '"'). */
struct rows {
	char **lines;
	size_t n;               /* rows, header excluded */
};

static struct rows read_rows(void)
{
	struct rows r = {0};
	char *csv = out_file("grades.csv");
	ck_assert_msg(!*csv || csv[strlen(csv) - 1] == '\n', "grades.csv ends mid-row");
	for (char *line = strtok(csv, "\n"); line; line = strtok(NULL, "\n"))
		strv_push(&r.lines, line);
	free(csv);
	ck_assert_uint_ge(strv_len(r.lines), 1);
	r.n = strv_len(r.lines) - 1;
	return r;
}

/* Field col of the row of student, or NULL; fails on a duplicate row. */
static char *row_field(const struct rows *r, const char *student, int col)
{
	char *found = NULL;
	for (size_t i = 1; i <= r->n; i++) {
		char *copy = xstrdup(r->lines[i]), *rest = copy, *f = strsep(&rest, ",");
		if (!strcmp(f, student)) {
			ck_assert_msg(!found, "two rows for %s", student);
			for (int c = 0; c < col && f; c++)
				f = strsep(&rest, ",");
			found = xstrdup(f ? f : "");
		}
		free(copy);
	}
	return found;
}

static void assert_row(const struct rows *r, const char *student, const char *score,
		       const char *status)
{
	char *sc = row_field(r, student, 4), *st = row_field(r, student, 7);
	ck_assert_msg(sc && st, "no row for %s", student);
	ck_assert_msg(!strcmp(sc, score), "%s: score %s, not %s", student, sc, score);
	ck_assert_msg(!strcmp(st, status), "%s: status %s, not %s", student, st, status);
	free(sc);
	free(st);
}

static void assert_unique_rows(const struct rows *r)
{
	for (size_t i = 1; i <= r->n; i++)
		for (size_t j = i + 1; j <= r->n; j++) {
			size_t a = strcspn(r->lines[i], ","), b = strcspn(r->lines[j], ",");
			ck_assert_msg(a != b || strncmp(r->lines[i], r->lines[j], a),
				      "duplicate row: %s", r->lines[i]);
		}
}

static void rows_free(struct rows *r)
{
	strv_free(r->lines);
}

/* Lines of the calls log: how many calls, the largest "running" seen. */
static size_t calls(int *max_running, const char *student)
{
	struct buf b = BUF_INIT;
	size_t n = 0;
	if (max_running)
		*max_running = 0;
	if (path_exists(calls_log))
		file_read(calls_log, &b);
	for (char *line = b.data; line && *line; line = strchr(line, '\n') + 1) {
		int pid, running;
		char name[256];
		if (sscanf(line, "%d %d %255[^\n]", &pid, &running, name) == 3 &&
		    (!student || !strcmp(name, student)))
			n++;
		if (max_running && running > *max_running)
			*max_running = running;
	}
	buf_free(&b);
	return n;
}

static void forget_calls(void)
{
	unlink(calls_log);
}

/* ---- tests ---- */

static char **five_students(void)
{
	char **subs = NULL;
	static const char *files[][2] = {
		{"a/ada.c", "both"}, {"a/bob.c", "first"}, {"a/cy.c", "none"},
		{"a/dan.c", "fail"}, {"a/eve.c", "crash"}, {"b/ada.c", "both"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *p = submission(files[i][0], files[i][1]);
		strv_push(&subs, p);
		free(p);
	}
	return subs;
}

START_TEST(test_rows_reports_errors)
{
	char **subs = five_students();
	ck_assert_int_eq(run(subs, 2), 0);
	struct rows r = read_rows();
	char *header = NULL;
	size_t hn = 0;
	FILE *f = open_memstream(&header, &hn);
	report_csv_header(f);
	fclose(f);
	ck_assert_uint_eq(strlen(r.lines[0]) + 1, hn);
	ck_assert(!strncmp(r.lines[0], header, hn - 1));
	free(header);
	ck_assert_uint_eq(r.n, 6);
	assert_unique_rows(&r);
	assert_row(&r, "ada", "10", "graded");
	assert_row(&r, "ada-2", "10", "graded");
	assert_row(&r, "bob", "4", "graded");
	assert_row(&r, "cy", "0", "graded");
	assert_row(&r, "dan", "", "error");
	assert_row(&r, "eve", "", "error");
	rows_free(&r);
	static const char *reports[] = {"ada.txt", "ada.json", "ada.html", "ada-2.txt", "cy.json"};
	for (size_t i = 0; i < ARRAY_SIZE(reports); i++) {
		char *rel = path_join("reports", reports[i]), *text = out_file(rel);
		ck_assert_msg(strlen(text) > 0, "%s is empty or missing", rel);
		free(text);
		free(rel);
	}
	char *json = out_file("reports/bob.json");
	ck_assert_msg(strstr(json, "\"score\": 4") || strstr(json, "\"score\":4"), "%s", json);
	free(json);
	char *errors = out_file("errors.txt");
	ck_assert_msg(strstr(errors, "dan: fake grader fault\n"), "%s", errors);
	ck_assert_msg(strstr(errors, "eve: the grader process was killed by signal 6"), "%s", errors);
	free(errors);
	char *summary = out_file("summary.txt");
	ck_assert_msg(strstr(summary, "4 graded, 2 grader errors, 0 to do"), "%s", summary);
	ck_assert_msg(strstr(summary, "mean 6.00, median 7"), "%s", summary);
	ck_assert_msg(strstr(summary, "dan: fake grader fault"), "%s", summary);
	/* failures by test: cy failed both, bob the second */
	char *first = strstr(summary, "  first"), *second = strstr(summary, "  second");
	ck_assert_msg(first && second, "%s", summary);
	ck_assert_int_eq(atoi(first + strcspn(first, "0123456789")), 1);
	ck_assert_int_eq(atoi(second + strcspn(second, "0123456789")), 2);
	free(summary);
	/* one progress line per student */
	char *lines = progress();
	ck_assert_msg(strstr(lines, "/6] bob: 4/10 ("), "%s", lines);
	ck_assert_msg(strstr(lines, "/6] dan: error: fake grader fault\n"), "%s", lines);
	ck_assert_msg(strstr(lines, "[6/6] "), "%s", lines);
	free(lines);
	strv_free(subs);
}
END_TEST

START_TEST(test_resume_skips_done_retries_errors)
{
	char **subs = five_students();
	ck_assert_int_eq(run(subs, 2), 0);
	ck_assert_uint_eq(calls(NULL, NULL), 6);
	forget_calls();
	ck_assert_int_eq(run(subs, 2), 0);
	/* only the two grader faults were graded again */
	ck_assert_uint_eq(calls(NULL, NULL), 2);
	ck_assert_uint_eq(calls(NULL, "dan"), 1);
	ck_assert_uint_eq(calls(NULL, "eve"), 1);
	struct rows r = read_rows();
	ck_assert_uint_eq(r.n, 6);
	assert_unique_rows(&r);
	rows_free(&r);
	/* dan's grader fault is gone: the retry gives a grade */
	free(submission("a/dan.c", "first"));
	forget_calls();
	ck_assert_int_eq(run(subs, 2), 0);
	ck_assert_uint_eq(calls(NULL, NULL), 2);
	r = read_rows();
	ck_assert_uint_eq(r.n, 6);
	assert_unique_rows(&r);
	assert_row(&r, "dan", "4", "graded");
	assert_row(&r, "eve", "", "error");
	rows_free(&r);
	strv_free(subs);
}
END_TEST

START_TEST(test_torn_row_repaired)
{
	char **subs = five_students();
	ck_assert_int_eq(run(subs, 2), 0);
	/* a crash: bob's row never written, a row torn mid-write */
	struct rows r = read_rows();
	struct buf csv = BUF_INIT;
	for (size_t i = 0; i <= r.n; i++)
		if (!str_starts(r.lines[i], "bob,"))
			buf_addf(&csv, "%s\n", r.lines[i]);
	buf_adds(&csv, "zed,4,10,40.0,gra");
	rows_free(&r);
	char *path = path_join(outdir, "grades.csv");
	ck_assert_int_eq(file_write(path, csv.data, csv.len, 0644), 0);
	buf_free(&csv);
	forget_calls();
	ck_assert_int_eq(run(subs, 2), 0);
	ck_assert_uint_eq(calls(NULL, "bob"), 1);
	ck_assert_uint_eq(calls(NULL, "ada"), 0);
	r = read_rows();
	ck_assert_uint_eq(r.n, 6);
	assert_unique_rows(&r);
	assert_row(&r, "bob", "4", "graded");
	for (size_t i = 0; i <= r.n; i++)
		ck_assert_msg(!strstr(r.lines[i], "zed"), "torn row kept: %s", r.lines[i]);
	rows_free(&r);
	free(path);
	strv_free(subs);
}
END_TEST

START_TEST(test_other_header_refused)
{
	char *sub = submission("x/ada.c", "both"), *subs[] = {sub, NULL};
	char *csv = path_join(outdir, "grades.csv");
	ck_assert_int_eq(mkdir_p(outdir, 0755), 0);
	ck_assert_int_eq(file_write(csv, "name,points\nada,3\n", 18, 0644), 0);
	ck_assert_int_eq(run(subs, 1), -1);
	ck_assert_msg(strstr(error_get(), "other columns"), "%s", error_get());
	char *text = out_file("grades.csv");
	ck_assert_str_eq(text, "name,points\nada,3\n");
	ck_assert_uint_eq(calls(NULL, NULL), 0);
	free(text);
	free(csv);
	free(sub);
}
END_TEST

START_TEST(test_jobs_limit_parallelism)
{
	char **subs = NULL;
	for (int i = 0; i < 8; i++) {
		char *rel = xasprintf("p/s%d.c", i);
		char *p = submission(rel, "sleep 150 both");
		strv_push(&subs, p);
		free(p);
		free(rel);
	}
	int max;
	double t = now_ms();
	ck_assert_int_eq(run(subs, 3), 0);
	double parallel = now_ms() - t;
	ck_assert_uint_eq(calls(&max, NULL), 8);
	ck_assert_int_le(max, 3);
	ck_assert_int_ge(max, 2);
	ck_assert_msg(parallel < 8 * 150, "8 x 150 ms with -j 3 took %.0f ms", parallel);
	rm_rf(outdir);
	forget_calls();
	ck_assert_int_eq(run(subs, 1), 0);
	ck_assert_uint_eq(calls(&max, NULL), 8);
	ck_assert_int_eq(max, 1);
	strv_free(subs);
}
END_TEST

/* n students whose fake does cmd */
static char **students(int n, const char *cmd)
{
	char **subs = NULL;
	for (int i = 0; i < n; i++) {
		char *rel = xasprintf("a/s%d.c", i);
		char *p = submission(rel, cmd);
		strv_push(&subs, p);
		free(p);
		free(rel);
	}
	return subs;
}

static int cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* By default (jobs 0), graders that sleep make room for more (batch.c:
   "How many at once"), counted from /proc; at most 16 per CPU. */
START_TEST(test_sleepers_make_room)
{
	char **subs = students(8 * cpus() + 4, "sleep 700 both");
	int max;
	ck_assert_int_eq(run(subs, 0), 0);
	ck_assert_uint_eq(calls(&max, NULL), strv_len(subs));
	ck_assert_int_gt(max, cpus());
	ck_assert_int_le(max, 16 * cpus());
	/* the closing line says how many graders ran at once: at least as
	   many as the fakes saw overlap (a grader starts a little before its
	   fake runs, so it may say more) */
	char *text = progress();
	const char *at = strstr(text, " at most at once");
	ck_assert_msg(at != NULL, "no 'at most at once' in %s", text);
	const char *num = at;
	while (num > text && num[-1] >= '0' && num[-1] <= '9')
		num--;
	int said = atoi(num);
	ck_assert_int_ge(said, max);
	ck_assert_int_le(said, 16 * cpus());
	free(text);
	strv_free(subs);
}
END_TEST

/* Graders that keep the CPUs busy keep one per CPU. */
START_TEST(test_spinners_keep_one_per_cpu)
{
	char **subs = students(3 * cpus(), "spin 400 both");
	int max;
	ck_assert_int_eq(run(subs, 0), 0);
	ck_assert_uint_eq(calls(&max, NULL), strv_len(subs));
	ck_assert_int_le(max, cpus());
	strv_free(subs);
}
END_TEST

static double many_runnable(void)
{
	return 100;
}

/* The measure decides: so many running that no grader is added. */
START_TEST(test_busy_measure_adds_none)
{
	char **subs = students(4 * cpus(), "sleep 300 both");
	int max;
	runnable = many_runnable;
	ck_assert_int_eq(run(subs, 0), 0);
	runnable = NULL;
	ck_assert_uint_eq(calls(&max, NULL), strv_len(subs));
	ck_assert_int_le(max, cpus());
	strv_free(subs);
}
END_TEST

/* Start a batch of n slow students in a child; return its pid. */
static pid_t start_batch(char ***subs, int n)
{
	for (int i = 0; i < n; i++) {
		char *rel = xasprintf("k/student%02d.c", i);
		char *p = submission(rel, "sleep 120 both");
		strv_push(subs, p);
		free(p);
		free(rel);
	}
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		_exit(run(*subs, 2) < 0 ? 2 : 0);
	}
	return pid;
}

static void wait_rows(size_t want)
{
	char *path = path_join(outdir, "grades.csv");
	for (int i = 0; i < 1000; i++) {
		struct buf b = BUF_INIT;
		size_t lines = 0;
		if (path_exists(path))
			file_read(path, &b);
		for (size_t j = 0; j < b.len; j++)
			lines += b.data[j] == '\n';
		buf_free(&b);
		if (lines >= want + 1)
			break;
		usleep(10000);
	}
	free(path);
}

static bool alive(int pid)
{
	char *stat = xasprintf("/proc/%d/stat", pid);
	struct buf b = BUF_INIT;
	bool live = file_read(stat, &b) == 0 && !strstr(b.data, ") Z ");
	buf_free(&b);
	free(stat);
	return live;
}

static void assert_workers_gone(void)
{
	struct buf b = BUF_INIT;
	file_read(calls_log, &b);
	for (int tries = 0; tries < 100; tries++) {
		bool any = false;
		for (char *line = b.data; line && *line; line = strchr(line, '\n') + 1)
			any |= alive(atoi(line));
		if (!any)
			break;
		ck_assert_msg(tries < 99, "a worker outlived the batch");
		usleep(20000);
	}
	buf_free(&b);
}

static void assert_complete(int n)
{
	struct rows r = read_rows();
	ck_assert_uint_eq(r.n, (size_t)n);
	assert_unique_rows(&r);
	for (int i = 0; i < n; i++) {
		char *name = xasprintf("student%02d", i);
		assert_row(&r, name, "10", "graded");
		free(name);
	}
	rows_free(&r);
}

START_TEST(test_sigkill_then_resume)
{
	char **subs = NULL;
	int status;
	pid_t pid = start_batch(&subs, 12);
	wait_rows(4);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	assert_workers_gone();
	struct rows r = read_rows();
	size_t before = r.n;
	ck_assert_uint_ge(before, 4);
	ck_assert_uint_lt(before, 12);
	assert_unique_rows(&r);
	rows_free(&r);
	size_t first = calls(NULL, NULL);
	char *stale = out_file(".batch/tmpdir");
	ck_assert(path_exists(stale));  /* the killed run could not remove it */
	ck_assert_int_eq(run(subs, 2), 0);
	assert_complete(12);
	ck_assert_msg(!path_exists(stale), "%s is left", stale);
	free(stale);
	char *lines = progress();
	ck_assert_msg(strstr(lines, "resuming: "), "%s", lines);
	free(lines);
	/* graded again: only the rest, and the two that were running */
	ck_assert_uint_le(calls(NULL, NULL) - first, 12 - before + 2);
	strv_free(subs);
}
END_TEST

START_TEST(test_sigterm_then_resume)
{
	char **subs = NULL;
	int status;
	pid_t pid = start_batch(&subs, 10);
	wait_rows(2);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 2);   /* batch_run said "interrupted" */
	assert_workers_gone();
	struct rows r = read_rows();
	ck_assert_uint_lt(r.n, 10);
	rows_free(&r);
	char *summary = out_file("summary.txt");
	ck_assert_msg(strstr(summary, "to do"), "%s", summary);
	free(summary);
	ck_assert_int_eq(run(subs, 3), 0);
	assert_complete(10);
	strv_free(subs);
}
END_TEST

START_TEST(test_overdue_worker_killed)
{
	/* small limits: the time budget is 2 x (build + tests) + 5 s */
	struct spec quick = fake_spec;
	struct test tests[2];
	memcpy(tests, fake_tests, sizeof(tests));
	tests[0].limits.wall_ms = tests[1].limits.wall_ms = 100;
	quick.tests = tests;
	quick.build.limits.wall_ms = 100;
	char *hang = submission("h/hang.c", "hang"), *ok = submission("h/ok.c", "both");
	char *subs[] = {hang, ok, NULL};
	double t = now_ms();
	ck_assert_int_eq(run_spec(&quick, subs, 2), 0);
	ck_assert_double_lt(now_ms() - t, 15000);
	struct rows r = read_rows();
	assert_row(&r, "hang", "", "error");
	assert_row(&r, "ok", "10", "graded");
	rows_free(&r);
	char *errors = out_file("errors.txt");
	ck_assert_msg(strstr(errors, "hang: the grader took longer than"), "%s", errors);
	free(errors);
	/* its scratch directory went with it */
	char *note = path_join(tmp, "hang.path");
	struct buf scratch = BUF_INIT;
	ck_assert_int_eq(file_read(note, &scratch), 0);
	ck_assert(str_starts(scratch.data, "/"));
	ck_assert_msg(!path_exists(scratch.data), "%s is left", scratch.data);
	buf_free(&scratch);
	free(note);
	assert_workers_gone();
	free(hang);
	free(ok);
}
END_TEST

START_TEST(test_bulk_download)
{
	/* a Canvas bulk zip: two flat files and one student's own zip */
	char *a = submission("dl/lovelace_12345_67890_half_copy.c", "both");
	char *b = submission("dl/turing_late_23456_78901_half_copy.c", "first");
	char *inner = submission("inner/hw/half_copy.c", "none");
	char *cmd = xasprintf("cd '%s/inner' && zip -qr ../dl/hopper_34567_89012_hw.zip hw && "
			      "cd ../dl && zip -q ../bulk.zip *", tmp);
	ck_assert_int_eq(system(cmd), 0);
	char *zip = path_join(tmp, "bulk.zip"), *subs[] = {zip, NULL};
	ck_assert_int_eq(run(subs, 2), 0);
	struct rows r = read_rows();
	ck_assert_uint_eq(r.n, 3);
	assert_row(&r, "lovelace", "10", "graded");
	assert_row(&r, "turing", "4", "graded");
	assert_row(&r, "hopper", "0", "graded");
	rows_free(&r);
	char *split = path_join(outdir, "submissions/1/hopper/hw.zip");
	ck_assert(path_exists(split));
	/* resuming splits again and grades nobody twice */
	forget_calls();
	ck_assert_int_eq(run(subs, 2), 0);
	ck_assert_uint_eq(calls(NULL, NULL), 0);
	r = read_rows();
	ck_assert_uint_eq(r.n, 3);
	rows_free(&r);
	free(split);
	free(zip);
	free(cmd);
	free(a);
	free(b);
	free(inner);
}
END_TEST

/* Two bulk downloads, a folder of students and one student at once: every
   student graded as one student, whatever the number of arguments. */
START_TEST(test_every_argument_expanded)
{
	char *files[] = {
		submission("canvas/lovelace_12345_67890_half_copy.c", "both"),
		submission("canvas/turing_late_23456_78901_half_copy.c", "first"),
		submission("moodle/Grace Hopper_1001_assignsubmission_file_half_copy.c", "none"),
		submission("moodle/Alan Kay_1002_assignsubmission_file_half_copy.c", "both"),
		submission("subs/alice/half_copy.c", "both"),
		submission("subs/bob/hw/half_copy.c", "first"),
		submission("subs/carol/notes.txt", "no code"),
		submission("dan.c", "none"),
	};
	char *cmd = xasprintf("cd '%s/canvas' && zip -q ../canvas.zip * && "
			      "cd ../moodle && zip -q ../moodle.zip *", tmp);
	ck_assert_int_eq(system(cmd), 0);
	char *canvas = path_join(tmp, "canvas.zip"), *moodle = path_join(tmp, "moodle.zip");
	char *subs_dir = path_join(tmp, "subs");
	char *subs[] = {canvas, moodle, subs_dir, files[7], NULL};
	ck_assert_int_eq(run(subs, 2), 0);
	struct rows r = read_rows();
	ck_assert_uint_eq(r.n, 8);
	assert_row(&r, "lovelace", "10", "graded");
	assert_row(&r, "turing", "4", "graded");
	assert_row(&r, "Grace Hopper", "0", "graded");
	assert_row(&r, "Alan Kay", "10", "graded");
	assert_row(&r, "alice", "10", "graded");
	assert_row(&r, "bob", "4", "graded");
	assert_row(&r, "carol", "0", "graded");   /* the fake grades a missing file 0 */
	assert_row(&r, "dan", "0", "graded");
	rows_free(&r);
	char *p = progress();
	ck_assert_msg(strstr(p, "subs: a folder of 3 students"), "%s", p);
	free(p);
	free(subs_dir);
	free(moodle);
	free(canvas);
	free(cmd);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		free(files[i]);
}
END_TEST

/* An archive of several students' folders is refused, never graded as one. */
START_TEST(test_archive_of_students_refused)
{
	char *a = submission("class/alice/half_copy.c", "both");
	char *b = submission("class/bob/half_copy.c", "none");
	char *cmd = xasprintf("cd '%s' && zip -qr class.zip class", tmp);
	ck_assert_int_eq(system(cmd), 0);
	char *zip = path_join(tmp, "class.zip"), *subs[] = {zip, NULL};
	ck_assert_int_eq(run(subs, 1), -1);
	ck_assert_msg(strstr(error_get(), "2 folders (alice/, bob/)"), "%s", error_get());
	ck_assert_uint_eq(calls(NULL, NULL), 0);
	/* the folder it came from is a folder of students */
	char *folder = path_join(tmp, "class");
	subs[0] = folder;
	ck_assert_int_eq(run(subs, 1), 0);
	struct rows r = read_rows();
	ck_assert_uint_eq(r.n, 2);
	assert_row(&r, "alice", "10", "graded");
	assert_row(&r, "bob", "0", "graded");
	rows_free(&r);
	/* a folder of loose files only (no folder, no archive) is one student */
	char *l1 = submission("loose/one.c", "both"), *l2 = submission("loose/two.c", "none");
	char *loose = path_join(tmp, "loose");
	subs[0] = loose;
	ck_assert_int_eq(run(subs, 1), 0);
	r = read_rows();
	ck_assert_uint_eq(r.n, 3);
	assert_row(&r, "loose", "0", "graded");
	rows_free(&r);
	free(loose);
	free(l1);
	free(l2);
	free(folder);
	free(zip);
	free(cmd);
	free(a);
	free(b);
}
END_TEST

/* Field col (by header name) of the data row whose line holds key. */
static char *csv_cell(const char *file, const char *key, const char *name)
{
	char *text = out_file(file), **head, **fields, *found = NULL;
	size_t pos = 0, len = strlen(text), skip = str_starts(text, "\xef\xbb\xbf") ? 3 : 0;
	pos = skip;
	ck_assert_int_eq(report_csv_next(text, len, &pos, &head), 1);
	int c = -1;
	for (int i = 0; head[i]; i++)
		if (!strcmp(head[i], name))
			c = i;
	ck_assert_msg(c >= 0, "%s: no column %s", file, name);
	for (size_t start = pos; report_csv_next(text, len, &pos, &fields) == 1; start = pos) {
		if (memmem(text + start, pos - start, key, strlen(key))) {
			ck_assert_msg(!found, "%s: two rows with %s", file, key);
			found = xstrdup(fields[c]);
		}
		strv_free(fields);
	}
	strv_free(head);
	free(text);
	ck_assert_msg(found, "%s: no row with %s", file, key);
	return found;
}

static void assert_cell(const char *file, const char *key, const char *name, const char *want)
{
	char *got = csv_cell(file, key, name);
	ck_assert_msg(!strcmp(got, want), "%s, %s, %s: '%s', not '%s'", file, key, name, got, want);
	free(got);
}

/* LMS identities: two John Smiths stay two students (rows told apart by
   their ids, on resume too), Canvas's late mark and user id, a formula in
   a folder name neutralised; the Canvas and Moodle files hold their own. */
START_TEST(test_lms_identity_and_exports)
{
	char *files[] = {
		submission("m/John Smith_1001_assignsubmission_file_/half_copy.c", "both"),
		submission("m/John Smith_1002_assignsubmission_file_/half_copy.c", "first"),
		submission("m/=1+2_2006_assignsubmission_file_/half_copy.c", "none"),
		submission("c/smithjohn_LATE_4411_98765_half_copy.c", "both"),
	};
	char *cmd = xasprintf("cd '%s/m' && zip -qr ../moodle.zip . && cd ../c && zip -q ../canvas.zip *",
			      tmp);
	ck_assert_int_eq(system(cmd), 0);
	char *moodle = path_join(tmp, "moodle.zip"), *canvas = path_join(tmp, "canvas.zip");
	char *subs[] = {moodle, canvas, NULL};
	struct batch_opts o = {.outdir = outdir, .jobs = 2, .format = "moodle",
			       .grade = {.seed = 42, .quiet = true}};
	for (int run_no = 0; run_no < 2; run_no++) {
		ck_assert_int_eq(batch_run_with(&fake_spec, subs, &o, fake_grade), 0);
		struct rows r = read_rows();
		ck_assert_uint_eq(r.n, 4);
		rows_free(&r);
	}
	ck_assert_uint_eq(calls(NULL, NULL), 4);  /* the second run graded nobody */
	assert_cell("grades.csv", ",1001,", "score", "10");
	assert_cell("grades.csv", ",1002,", "score", "4");
	assert_cell("grades.csv", ",1002,", "student", "John Smith");
	assert_cell("grades.csv", ",1002,", "feedback", "1/2 tests passed; failed: second");
	assert_cell("grades.csv", ",2006,", "student", "'=1+2");
	assert_cell("grades.csv", ",4411,", "late", "yes");
	assert_cell("grades.csv", ",4411,", "lms", "canvas");
	assert_cell("grades.csv", ",1001,", "late", "");
	char *m = out_file("moodle.csv");
	ck_assert(str_starts(m, "\xef\xbb\xbfIdentifier,Full name,Grade,Maximum Grade,"
				"Last modified (grade),Feedback comments\n"));
	ck_assert_msg(!strstr(m, "4411") && !strstr(m, "smithjohn"), "%s", m);
	free(m);
	assert_cell("moodle.csv", "Participant 1002,", "Grade", "4");
	assert_cell("moodle.csv", "Participant 1001,", "Grade", "10");
	assert_cell("moodle.csv", "Participant 2006,", "Full name", "'=1+2");
	o.format = "canvas";
	ck_assert_int_eq(batch_run_with(&fake_spec, subs, &o, fake_grade), 0);
	char *c = out_file("canvas.csv");
	ck_assert_str_eq(c, "\xef\xbb\xbfStudent,ID,SIS User ID,SIS Login ID,Section,fake\n"
			    "smithjohn,4411,,,,10\n");
	free(c);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		free(files[i]);
	free(canvas);
	free(moodle);
	free(cmd);
}
END_TEST

/* What a batch prints on a terminal cols wide (a pseudo-terminal). */
static char *batch_on_terminal(char **subs, unsigned short cols)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(slave, 0);
	struct winsize ws = {.ws_row = 24, .ws_col = cols};
	ck_assert_int_eq(ioctl(slave, TIOCSWINSZ, &ws), 0);
	struct termios tio;
	tcgetattr(slave, &tio);
	tio.c_oflag &= ~(tcflag_t)OPOST;        /* bytes as written */
	tcsetattr(slave, TCSANOW, &tio);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(slave, STDERR_FILENO);
		struct batch_opts o = {.outdir = outdir, .jobs = 2, .grade = {.seed = 1, .quiet = true}};
		_exit(batch_run_with(&fake_spec, subs, &o, fake_grade) < 0 ? 2 : 0);
	}
	close(slave);
	struct buf out = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	while ((n = read(master, chunk, sizeof(chunk))) > 0)
		buf_add(&out, chunk, (size_t)n);     /* EIO once the child is gone */
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(master);
	return buf_detach(&out);
}

/* On a terminal: one live line redrawn in place, never wider than the
   terminal, saying who runs and for how long; a grader error printed
   above it; a closing line.  In a log: a line per student, and the same
   closing line. */
START_TEST(test_progress_live_and_plain)
{
	char **subs = NULL;
	static const char *texts[] = {"sleep 1200 both", "sleep 1200 first", "fail", "sleep 1200 both"};
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		char *rel = xasprintf("p/student%zu.c", i), *p = submission(rel, texts[i]);
		strv_push(&subs, p);
		free(p);
		free(rel);
	}
	char *tty = batch_on_terminal(subs, 72);
	ck_assert_msg(strstr(tty, "\r[0/4] 0 at full marks, 2 running (slowest "), "%s", tty);
	ck_assert_msg(strstr(tty, "] student2: error: fake grader fault\n"), "%s", tty);
	ck_assert_msg(!strstr(tty, "student0:"), "%s", tty);    /* no line per student */
	ck_assert_msg(strstr(tty, "done: 4 of 4 in the gradebook, 2 at full marks, 1 grader errors"),
		      "%s", tty);
	size_t redraws = 0, cut = 0;
	for (char *c = strchr(tty, '\r'); c; c = strchr(c + 1, '\r')) {
		size_t n = strcspn(c + 1, "\x1b\r\n");
		char *line = xstrndup(c + 1, n);
		ck_assert_msg(text_cols(line) <= 71, "wider than the terminal: %s", line);
		redraws += n > 0;
		cut += text_cols(line) == 71;   /* "... 1 grader errors, 1 running (slowest ..." */
		free(line);
	}
	ck_assert_uint_ge(redraws, 2);
	ck_assert_uint_ge(cut, 1);
	ck_assert_msg(strstr(tty, "/s, ETA 0:0"), "%s", tty);
	free(tty);
	/* a log: plain lines */
	rm_rf(outdir);
	ck_assert_int_eq(run(subs, 2), 0);
	char *log = progress();
	ck_assert_msg(strstr(log, "] student0: 10/10 ("), "%s", log);
	ck_assert_msg(!strchr(log, '\r') && !strstr(log, "\x1b"), "%s", log);
	ck_assert_msg(strstr(log, "\ndone: 4 of 4 in the gradebook, 2 at full marks, 1 grader errors; "
				  "4 graded in 0:0"), "%s", log);
	free(log);
	strv_free(subs);
}
END_TEST

/* summary.txt: the counts of "failures by test" in one column, whatever
   the widths of the tests' names (wide characters count two). */
START_TEST(test_summary_columns)
{
	struct test tests[] = {
		{.name = "a", .points = 1, .limits = NO_LIMITS},
		{.name = "\u4e24\u4e2a\u8fdb\u7a0b", .points = 1, .limits = NO_LIMITS},
		{.name = "a rather long test name, longer than thirty-two", .points = 1,
		 .limits = NO_LIMITS},
	};
	struct spec spec = fake_spec;
	spec.tests = tests;
	spec.ntests = 3;
	char *a = submission("s/ann.c", "first"), *subs[] = {a, NULL};
	ck_assert_int_eq(run_spec(&spec, subs, 1), 0);
	char *summary = out_file("summary.txt");
	char *at = strstr(summary, "failures by test");
	ck_assert_ptr_nonnull(at);
	size_t col = 0;
	int lines = 0;
	for (char *l = strchr(at, '\n') + 1; str_starts(l, "  "); l = strchr(l, '\n') + 1) {
		char *line = xstrndup(l, strcspn(l, "\n"));
		*strrchr(line, '(') = '\0';            /* "  name   count  (" */
		size_t c = text_cols(line);
		ck_assert_msg(!col || c == col, "not in one column:\n%s", at);
		col = c;
		lines++;
		free(line);
	}
	ck_assert_int_eq(lines, 5);     /* the spec's three, the fake's two */
	free(summary);
	free(a);
}
END_TEST

/* The student column of OUTDIR dir's grades.csv, sorted, one a line. */
static char *students_of(const char *dir)
{
	char *cmd = xasprintf("tail -n +2 '%s/grades.csv' | cut -d, -f1 | sort", dir);
	FILE *f = popen(cmd, "r");
	struct buf b = BUF_INIT;
	char line[256];
	while (f && fgets(line, sizeof(line), f))
		buf_adds(&b, line);
	ck_assert_int_eq(pclose(f), 0);
	free(cmd);
	return buf_detach(&b);
}

/* --shard K/N: shares by a hash of the student, whatever the order of the
   listing; they cover everyone once; merge joins them, and refuses a
   shard twice or reports the students of a missing one. */
START_TEST(test_shards_and_merge)
{
	char **subs = NULL, **reversed = NULL;
	for (int i = 0; i < 12; i++) {
		char *rel = xasprintf("sh/student%02d.c", i);
		char *p = submission(rel, i % 3 ? "both" : "first");
		strv_push(&subs, p);
		free(p);
		free(rel);
	}
	for (size_t i = strv_len(subs); i-- > 0;)
		strv_push(&reversed, subs[i]);
	char *dirs[3], *rdirs[3], *all = outdir;
	struct buf joined = BUF_INIT;
	for (unsigned k = 0; k < 3; k++) {
		dirs[k] = xasprintf("%s/shard%u", tmp, k);
		rdirs[k] = xasprintf("%s/rshard%u", tmp, k);
		struct batch_opts o = {.outdir = dirs[k], .jobs = 2, .shard = k, .shards = 3,
				       .grade = {.seed = 1, .quiet = true}};
		ck_assert_int_eq(batch_run_with(&fake_spec, subs, &o, fake_grade), 0);
		o.outdir = rdirs[k];
		ck_assert_int_eq(batch_run_with(&fake_spec, reversed, &o, fake_grade), 0);
		char *a = students_of(dirs[k]), *b = students_of(rdirs[k]);
		ck_assert_msg(*a, "shard %u is empty", k);
		ck_assert_str_eq(a, b);                /* the listing's order does not matter */
		buf_adds(&joined, a);
		free(a);
		free(b);
	}
	ck_assert_uint_eq(calls(NULL, NULL), 24); /* each student once per listing */
	/* merged: everyone once, as one batch run grades them */
	char *merged = path_join(tmp, "merged");
	char *in[] = {dirs[0], dirs[1], dirs[2], NULL};
	struct batch_opts m = {.outdir = merged};
	ck_assert_msg(batch_merge(in, &m) == 0, "%s", error_get());
	ck_assert_int_eq(run(subs, 2), 0);
	char *whole = students_of(all), *got = students_of(merged);
	ck_assert_str_eq(got, whole);
	ck_assert_uint_eq(strlen(got), joined.len);
	char *summary = path_join(merged, "summary.txt"), *report = path_join(merged,
									 "reports/student00.txt");
	struct buf text = BUF_INIT;
	ck_assert_int_eq(file_read(summary, &text), 0);
	ck_assert_msg(strstr(text.data, "12 in the gradebook, 12 graded"), "%s", text.data);
	ck_assert(path_exists(report));
	/* a shard twice: refused */
	char *twice[] = {dirs[0], dirs[1], dirs[1], NULL};
	m.outdir = path_join(tmp, "twice");
	ck_assert_int_eq(batch_merge(twice, &m), -1);
	ck_assert_msg(strstr(error_get(), "is in two shards"), "%s", error_get());
	free((char *)m.outdir);
	/* a shard missing: its students named */
	char *two[] = {dirs[0], dirs[2], NULL};
	m.outdir = path_join(tmp, "two");
	ck_assert_int_eq(batch_merge(two, &m), -1);
	ck_assert_msg(strstr(error_get(), "students are in no shard's gradebook"), "%s", error_get());
	free((char *)m.outdir);
	for (int k = 0; k < 3; k++) {
		free(dirs[k]);
		free(rdirs[k]);
	}
	buf_free(&text);
	free(summary);
	free(report);
	free(whole);
	free(got);
	free(merged);
	buf_free(&joined);
	strv_free(reversed);
	strv_free(subs);
}
END_TEST

START_TEST(test_lock_refuses_second_batch)
{
	char **subs = NULL;
	int status;
	pid_t pid = start_batch(&subs, 6);
	wait_rows(1);
	ck_assert_int_eq(run(subs, 1), -1);
	ck_assert_msg(strstr(error_get(), "another batch"), "%s", error_get());
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_complete(6);
	strv_free(subs);
}
END_TEST

Suite *suite_batch(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("batch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_rows_reports_errors);
	tcase_add_test(tc, test_resume_skips_done_retries_errors);
	tcase_add_test(tc, test_torn_row_repaired);
	tcase_add_test(tc, test_other_header_refused);
	tcase_add_test(tc, test_jobs_limit_parallelism);
	tcase_add_test(tc, test_sleepers_make_room);
	tcase_add_test(tc, test_spinners_keep_one_per_cpu);
	tcase_add_test(tc, test_busy_measure_adds_none);
	tcase_add_test(tc, test_sigkill_then_resume);
	tcase_add_test(tc, test_sigterm_then_resume);
	tcase_add_test(tc, test_overdue_worker_killed);
	tcase_add_test(tc, test_bulk_download);
	tcase_add_test(tc, test_every_argument_expanded);
	tcase_add_test(tc, test_archive_of_students_refused);
	tcase_add_test(tc, test_lms_identity_and_exports);
	tcase_add_test(tc, test_progress_live_and_plain);
	tcase_add_test(tc, test_summary_columns);
	tcase_add_test(tc, test_shards_and_merge);
	tcase_add_test(tc, test_lock_refuses_second_batch);
	suite_add_tcase(s, tc);
	return s;
}
