/*
 * selftest.c - an exercise against its reference, its stub and its faulty
 * submissions (selftest.h).
 *
 * Each submission is graded in a worker process (at most `jobs` at once),
 * which judges its own result and leaves its lines in a file; the parent
 * prints them in order.  Worker exit: 0 as expected, 1 not, 2 could not
 * grade (the file holds the error).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "build.h"
#include "grade.h"
#include "selftest.h"
#include "stage.h"

enum kind { REFERENCE, STUB, FAULTY };

struct item {
	enum kind kind;
	char *path;
	char *label;        /* what the lines call it: solutions/NAME, ... */
	char *out;          /* the worker's lines */
	pid_t pid;
	int status;         /* the worker's exit: 0 / 1 / 2 */
};

/* ---- where things are ---- */

static char *project_path(const struct spec *s, const char *rel)
{
	char *root = path_join(s->dir, "../..");
	char *p = path_join(root, rel);
	free(root);
	return p;
}

char *selftest_reference(const struct spec *s)
{
	char *rel = path_join("solutions", s->exercise);
	char *p = project_path(s, rel);
	free(rel);
	return p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *faulty_dir(const struct spec *s)
{
	char *rel = xasprintf("tests/submissions/%s", s->exercise);
	char *dir = project_path(s, rel);
	free(rel);
	return dir;
}

/* The file names in tests/submissions/NAME/ *.c, sorted. */
static char **faulty_submissions(const struct spec *s)
{
	char *dir = faulty_dir(s);
	char **v = xcalloc(1, sizeof(char *));
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] != '.' && str_ends(e->d_name, ".c"))
			strv_push(&v, e->d_name);
	}
	if (d)
		closedir(d);
	qsort(v, strv_len(v), sizeof(char *), cmp_str);
	free(dir);
	return v;
}

/* ---- what a faulty submission expects ---- */

/* "a, b ,a" -> "a,b" (sorted, each once). */
static char *check_set(const char *list)
{
	char **v = xcalloc(1, sizeof(char *));
	char *copy = xstrdup(list), *save = NULL;
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		bool seen = false;
		for (size_t i = 0; v[i]; i++)
			seen |= !strcmp(v[i], w);
		if (!seen)
			strv_push(&v, w);
	}
	free(copy);
	qsort(v, strv_len(v), sizeof(char *), cmp_str);
	struct buf b = BUF_INIT;
	for (size_t i = 0; v[i]; i++)
		buf_addf(&b, "%s%s", i ? "," : "", v[i]);
	strv_free(v);
	return buf_detach(&b);
}

/* The header's lines "TEST => STATUS [CHECKS]" as "TEST\tSTATUS\tCHECKS"
   (sorted) into want, and "TEST => TEXT" of expect-message as "TEST\tTEXT". */
static int read_expectations(const char *path, char ***want, char ***messages)
{
	struct buf text = BUF_INIT;
	if (file_read(path, &text) < 0)
		return -1;
	*want = xcalloc(1, sizeof(char *));
	*messages = xcalloc(1, sizeof(char *));
	char *save = NULL;
	for (char *line = strtok_r(text.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		bool msg = str_starts(line, "// expect-message: ");
		if (!msg && !str_starts(line, "// expect: "))
			continue;
		char *body = strchr(line, ':') + 2, *arrow = strstr(body, " => ");
		if (!arrow)
			continue;
		*arrow = '\0';
		char *rest = arrow + 4, *open = strrchr(rest, '[');
		size_t n = strlen(rest);
		if (msg) {
			char *m = xasprintf("%s\t%s", body, rest);
			strv_push(messages, m);
			free(m);
		} else if (open && n && rest[n - 1] == ']' && open > rest && open[-1] == ' ') {
			rest[n - 1] = '\0';
			open[-1] = '\0';
			char *checks = check_set(open + 1);
			char *w = xasprintf("%s\t%s\t%s", body, rest, checks);
			strv_push(want, w);
			free(w);
			free(checks);
		}
	}
	buf_free(&text);
	qsort(*want, strv_len(*want), sizeof(char *), cmp_str);
	return 0;
}

/* "TEST\tSTATUS\tCHECKS" of every test that did not pass, sorted. */
static char **verdicts(const struct result *r)
{
	char **v = xcalloc(1, sizeof(char *));
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_verdict *t = &r->tests[i];
		if (t->passed)
			continue;
		struct buf names = BUF_INIT;
		for (size_t k = 0; k < t->nchecks; k++)
			if (!t->checks[k].passed)
				buf_addf(&names, "%s ", t->checks[k].check);
		char *checks = check_set(buf_str(&names));
		char *line = xasprintf("%s\t%s\t%s", t->name, t->status ? t->status : "failed", checks);
		strv_push(&v, line);
		free(line);
		free(checks);
		buf_free(&names);
	}
	qsort(v, strv_len(v), sizeof(char *), cmp_str);
	return v;
}

/* Is text in the messages of test name? */
static bool message_shown(const struct result *r, const char *name, const char *text)
{
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_verdict *t = &r->tests[i];
		if (strcmp(t->name, name))
			continue;
		if (t->message && strstr(t->message, text))
			return true;
		for (size_t k = 0; k < t->nchecks; k++)
			if (t->checks[k].message && strstr(t->checks[k].message, text))
				return true;
	}
	return false;
}

static void add_tabbed(struct buf *out, const char *head, char **lines)
{
	buf_addf(out, "     %s\n", head);
	for (size_t i = 0; lines[i]; i++) {
		buf_adds(out, "       ");
		for (const char *p = lines[i]; *p; p++)
			buf_adds(out, *p == '\t' ? " => " : (char[]){*p, 0});
		buf_addc(out, '\n');
	}
	if (!lines[0])
		buf_adds(out, "       (every test passes)\n");
}

/* 0 as expected, 1 not; lines into out. */
static int judge_faulty(const char *path, const char *label, const struct result *r, struct buf *out)
{
	char **want, **messages;
	if (read_expectations(path, &want, &messages) < 0) {
		buf_addf(out, "FAIL %s: %s\n", label, error_get());
		return 1;
	}
	char **got = verdicts(r);
	int rc = 0;
	if (!want[0]) {
		buf_addf(out, "FAIL %s: no '// expect: TEST => STATUS [CHECKS]' line\n", label);
		rc = 1;
	} else {
		size_t n = strv_len(want);
		bool same = n == strv_len(got);
		for (size_t i = 0; same && i < n; i++)
			same = !strcmp(want[i], got[i]);
		for (size_t i = 0; same && messages[i]; i++) {
			char *tab = strchr(messages[i], '\t');
			*tab = '\0';
			if (!message_shown(r, messages[i], tab + 1)) {
				buf_addf(out, "FAIL %s: test '%s' does not say \"%s\"\n", label, messages[i], tab + 1);
				rc = 1;
			}
			*tab = '\t';
		}
		if (!same) {
			buf_addf(out, "FAIL %s\n", label);
			add_tabbed(out, "want:", want);
			add_tabbed(out, "got:", got);
			rc = 1;
		} else if (rc == 0) {
			buf_addf(out, "ok   %s\n", label);
		}
	}
	strv_free(want);
	strv_free(messages);
	strv_free(got);
	return rc;
}

/* ---- one grading ---- */

static int judge(const struct item *it, const struct result *r, struct buf *out)
{
	if (it->kind == REFERENCE && !r->compiled)
		return error_set("the reference does not compile with the spec's build: %s",
				 r->compile_output ? r->compile_output : "(no compiler message)");
	if (it->kind == REFERENCE) {
		bool full = result_exit_status(r) == 0;
		buf_addf(out, "%s %s: the reference gets full marks (%g/%g)\n", full ? "ok  " : "FAIL",
			 it->label, r->score, r->max_score);
		return !full;
	}
	if (it->kind == STUB) {
		bool full = result_exit_status(r) == 0;
		buf_addf(out, "%s %s: the starter stub does not get full marks (%g/%g)\n",
			 full ? "FAIL" : "ok  ", it->label, r->score, r->max_score);
		return full;
	}
	return judge_faulty(it->path, it->label, r, out);
}

static void __attribute__((noreturn)) worker(const struct spec *s, const struct selftest_opts *o,
					     const struct item *it)
{
	struct grade_opts go = {.seed = o->seed, .quiet = true};
	struct result r;
	struct buf out = BUF_INIT;
	int rc;
	memset(&r, 0, sizeof(r));
	if (grade_submission(s, it->path, &go, &r) < 0 || (rc = judge(it, &r, &out)) < 0) {
		buf_reset(&out);
		buf_adds(&out, error_get());
		rc = 2;
	}
	if (file_write(it->out, out.data ? out.data : "", out.len, 0600) < 0)
		rc = 2;
	_exit(rc);
}

/* Wait for one worker; record its status.  The item, or NULL. */
static struct item *reap_one(struct item *items, size_t n)
{
	int status;
	pid_t pid = wait(&status);
	for (size_t i = 0; pid > 0 && i < n; i++) {
		if (items[i].pid != pid)
			continue;
		items[i].status = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
		items[i].pid = 0;
		return &items[i];
	}
	return NULL;
}

static int run_all(const struct spec *s, const struct selftest_opts *o, struct item *items, size_t n)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t jobs = o->jobs ? o->jobs : cores > 0 ? (size_t)cores : 1, running = 0;
	for (size_t next = 0; next < n || running; ) {
		if (next < n && running < jobs) {
			fflush(NULL);
			pid_t pid = fork();
			if (pid < 0)
				return error_errno("cannot start a grader process");
			if (pid == 0)
				worker(s, o, &items[next]);
			items[next++].pid = pid;
			running++;
			continue;
		}
		if (reap_one(items, n))
			running--;
	}
	return 0;
}

int selftest_run(const struct spec *s, const struct selftest_opts *o, struct buf *out)
{
	char *tmp = make_temp_dir("selftest");
	if (!tmp)
		return -1;
	char **faulty = faulty_submissions(s), *dir = faulty_dir(s);
	size_t n = 2 + strv_len(faulty);
	struct item *items = xcalloc(n, sizeof(*items));
	items[0] = (struct item){REFERENCE, selftest_reference(s),
				 xasprintf("solutions/%s", s->exercise), NULL, 0, 0};
	items[1] = (struct item){STUB, xstrdup(s->dir), xasprintf("exercises/%s", s->exercise), NULL, 0, 0};
	for (size_t i = 2; i < n; i++)
		items[i] = (struct item){FAULTY, path_join(dir, faulty[i - 2]),
					 xasprintf("tests/submissions/%s/%s", s->exercise, faulty[i - 2]),
					 NULL, 0, 0};
	free(dir);
	for (size_t i = 0; i < n; i++) {
		char *name = xasprintf("%zu", i);
		items[i].out = path_join(tmp, name);
		free(name);
	}
	int rc = path_is_dir(items[0].path) ? run_all(s, o, items, n)
		 : error_set("no reference solution: %s", items[0].path);
	size_t bad = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct buf lines = BUF_INIT;
		if (file_read(items[i].out, &lines) < 0)
			rc = -1;
		else if (items[i].status == 2)
			rc = error_set("%s: %s", items[i].label, buf_str(&lines));
		else
			buf_adds(out, buf_str(&lines));
		bad += items[i].status != 0;
		buf_free(&lines);
	}
	if (rc == 0)
		buf_addf(out, "selftest %s: %zu of %zu as expected\n", s->exercise, n - bad, n);
	for (size_t i = 0; i < n; i++) {
		free(items[i].path);
		free(items[i].label);
		free(items[i].out);
	}
	free(items);
	strv_free(faulty);
	rm_rf(tmp);
	free(tmp);
	return rc < 0 ? -1 : bad != 0;
}

/* ---- does the reference compile? (cached) ---- */

extern const char stage_harness_h[];

/* The cache file that says "this reference built with this spec". */
static char *cache_entry(const struct spec *s, const char *reference)
{
	unsigned long long h = HASH_INIT;
	if (hash_tree(&h, s->dir, NULL) < 0 || hash_tree(&h, reference, NULL) < 0)
		return NULL;
	hash_add(&h, stage_harness_h, strlen(stage_harness_h));
	char *name = xasprintf("reference-%s-%016llx", s->exercise, h);
	char *p = cache_path(name);
	free(name);
	return p;
}

int selftest_reference_builds(const struct spec *s)
{
	char *reference = selftest_reference(s);
	if (!path_is_dir(reference)) {
		free(reference);
		return 0;
	}
	char *cached = cache_entry(s, reference);
	if (cached && path_exists(cached)) {
		free(cached);
		free(reference);
		return 0;
	}
	struct stage st;
	struct build_result br = {0};
	int rc = stage_prepare(s, reference, &st);
	if (rc == 0)
		rc = build_run(s, &st, &br);
	if (rc == 0 && !br.ok)
		rc = error_set("the reference %s does not compile with the spec's build (an error "
			       "of the spec or the harness, not of students): %s", reference,
			       br.messages ? br.messages : "(no compiler message)");
	if (rc == 0 && cached && mkdir_parent(cached) == 0)
		file_write(cached, "ok\n", 3, 0644);     /* a cache: failing to write it is harmless */
	build_result_free(&br);
	stage_free(&st);
	free(cached);
	free(reference);
	return rc;
}
