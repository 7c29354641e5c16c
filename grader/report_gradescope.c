/*
 * report_gradescope.c - Gradescope's results.json, with jansson.
 *
 * Field names are exactly those of Gradescope's specification:
 *   { score, execution_time, output, output_format, visibility,
 *     stdout_visibility, extra_data, tests: [ { score, max_score, status,
 *     name, number, output, output_format, tags, visibility,
 *     extra_data } ] }
 * Our own data lives in extra_data: at the top {seed, sandbox,
 * sandbox_missing}, per test {status, failed_checks, seed}; failed_checks
 * names each failed check once, in spec order.  The
 * submissions test runner reads extra_data.status and
 * extra_data.failed_checks: keep those names.
 *
 * Hidden tests stay hidden: each test keeps its own visibility; the
 * top-level output, which students see at once, counts only the tests
 * visible at once; run_autograder's stdout (the terminal report of every
 * test) is for staff (stdout_visibility hidden).  The top-level score is
 * the whole grade: Gradescope hides the total from students while some
 * test is hidden.
 *
 * Every string is cleaned first (jansson refuses invalid UTF-8, and
 * Gradescope shows the text to students).  The file is written atomically.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "report.h"
#include "report_priv.h"
#include "i18n.h"

#define OUTPUT_BYTES 4000
#define OUTPUT_LINES 40
#define COMPILE_BYTES 12000
#define COMPILE_LINES 100

/* A JSON string of cleaned raw text (never NULL). */
static json_t *jstr(const char *raw)
{
	struct buf b = BUF_INIT;
	report_cleans(&b, raw);
	json_t *s = json_stringn(buf_str(&b), b.len);
	buf_free(&b);
	return s ? s : json_string("");
}

static json_t *jseed(unsigned long seed)
{
	if (seed <= (unsigned long)LLONG_MAX)
		return json_integer((json_int_t)seed);
	char s[32];
	snprintf(s, sizeof(s), "%lu", seed);
	return json_string(s);
}

static void add_files(struct buf *b, const char *what, char *const *files)
{
	buf_addf(b, "%s%s", what, _(": "));
	if (!files || !files[0])
		buf_adds(b, _("none"));
	for (size_t i = 0; files && files[i]; i++)
		buf_addf(b, "%s%s", i ? ", " : "", files[i]);
	buf_addc(b, '\n');
}

/* Shown to the student before the due date (Gradescope shows every test
   to staff, the others to students later or never). */
static bool shown_now(const struct test_verdict *t)
{
	return !t->visibility || strcmp(t->visibility, "visible") == 0;
}

/* The score line: of the tests shown now only, so that the top-level
   output, which students see at once, tells nothing of the others. */
static void score_text(const struct result *r, struct buf *b)
{
	double score = 0, max = 0;
	size_t shown = 0, passed = 0;

	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_verdict *t = &r->tests[i];
		if (!shown_now(t))
			continue;
		shown++;
		passed += t->passed;
		score += t->score;
		max += t->max_score;
	}
	buf_addf(b, "%s%s", _("score"), _(": "));
	report_points(b, score);
	buf_addc(b, '/');
	report_points(b, max);
	buf_addf(b, _(" (%zu of %zu tests passed)\n"), passed, shown);
	if (shown < r->ntests)
		buf_addf(b, _n("%zu more test is shown later or not at all, not counted above\n",
			       "%zu more tests are shown later or not at all, not counted above\n",
			       r->ntests - shown), r->ntests - shown);
}

/* The top-level output: summary, then the build's problems. */
static void summary_text(const struct result *r, struct buf *b)
{
	buf_addf(b, "%s", r->exercise ? r->exercise : "exercise");
	if (r->title && *r->title)
		buf_addf(b, ": %s", r->title);
	buf_addc(b, '\n');
	score_text(r, b);
	buf_addf(b, "%s%s", _("seed"), _(": "));
	buf_addf(b, _("%lu (replay: --seed %lu)"), r->seed, r->seed);
	buf_addf(b, "\n%s%s", _("sandbox"), _(": "));
	report_sandbox(r, b);
	buf_addc(b, '\n');
	for (size_t i = 0; r->intake_notes && r->intake_notes[i]; i++)
		buf_addf(b, "%s%s%s\n", _("note"), _(": "), r->intake_notes[i]);
	if (r->files_missing && r->files_missing[0]) {
		buf_addf(b, "\n%s\n", _("missing files"));
		add_files(b, _("missing"), r->files_missing);
		add_files(b, _("found"), r->files_found);
	}
	if (!r->compiled) {
		buf_addf(b, "\n%s%s\n", _("compile error"), _(":"));
		char *cut = report_cut(r->compile_output, COMPILE_BYTES, COMPILE_LINES);
		buf_adds(b, cut);
		free(cut);
	}
}

static void add_stream(struct buf *b, const char *name, const struct capture *c)
{
	char *text = report_excerpt(c, OUTPUT_BYTES, OUTPUT_LINES);
	if (!text)
		return;
	buf_addc(b, '\n');
	buf_addf(b, _n("%s (%zu byte):\n", "%s (%zu bytes):\n", c->total), name, c->total);
	buf_adds(b, text);
	if (b->len && b->data[b->len - 1] != '\n')
		buf_addc(b, '\n');
	free(text);
}

static void test_text(const struct test_verdict *t, struct buf *b)
{
	const char *status = report_status(t);
	/* a limit's message begins with the status already */
	if (t->passed || !t->message || strncmp(t->message, status, strlen(status)))
		buf_addf(b, "%s\n", status);
	report_check_messages(t, false, b);
	if (!t->ran || t->passed)
		return;
	if (t->args)
		buf_addf(b, "\n%s%s%s\n", _("command"), _(": "), t->args);
	if (outcome_is_limit(t->run.outcome)) {
		buf_addc(b, '\n');
		report_figures(&t->run, b);
		buf_addc(b, '\n');
	}
	add_stream(b, "stdout", &t->run.out);
	add_stream(b, "stderr", &t->run.err);
}

/* Append name to the array of strings unless it is there (two failed
   "file" checks are one failed check name). */
static void add_once(json_t *array, const char *raw)
{
	json_t *name = jstr(raw);
	size_t i;
	json_t *v;

	json_array_foreach(array, i, v)
		if (json_equal(v, name)) {
			json_decref(name);
			return;
		}
	json_array_append_new(array, name);
}

static json_t *test_json(const struct result *r, const struct test_verdict *t, size_t i)
{
	json_t *o = json_object(), *extra = json_object(), *failed = json_array();
	struct buf text = BUF_INIT;
	char number[32];

	test_text(t, &text);
	snprintf(number, sizeof(number), "%zu", i + 1);
	json_object_set_new(o, "score", json_real(t->score));
	json_object_set_new(o, "max_score", json_real(t->max_score));
	json_object_set_new(o, "status", json_string(t->passed ? "passed" : "failed"));
	json_object_set_new(o, "name", jstr(t->name ? t->name : "?"));
	json_object_set_new(o, "number", json_string(number));
	json_object_set_new(o, "output", jstr(buf_str(&text)));
	json_object_set_new(o, "output_format", json_string("text"));
	json_object_set_new(o, "visibility", jstr(t->visibility ? t->visibility : "visible"));
	if (t->tags) {
		json_t *tags = json_array();
		for (size_t k = 0; t->tags[k]; k++)
			json_array_append_new(tags, jstr(t->tags[k]));
		json_object_set_new(o, "tags", tags);
	}

	for (size_t k = 0; k < t->nchecks; k++)
		if (!t->checks[k].passed)
			add_once(failed, t->checks[k].check ? t->checks[k].check : "?");
	json_object_set_new(extra, "status", jstr(t->status ? t->status :
						   (t->passed ? "passed" : "failed")));
	json_object_set_new(extra, "failed_checks", failed);
	json_object_set_new(extra, "seed", jseed(r->seed));
	json_object_set_new(o, "extra_data", extra);
	buf_free(&text);
	return o;
}

static json_t *result_json(const struct result *r)
{
	json_t *o = json_object(), *extra = json_object(), *tests = json_array();
	struct buf text = BUF_INIT;

	summary_text(r, &text);
	json_object_set_new(o, "score", json_real(r->score));
	json_object_set_new(o, "execution_time", json_real(r->elapsed_ms / 1000));
	json_object_set_new(o, "output", jstr(buf_str(&text)));
	json_object_set_new(o, "output_format", json_string("text"));
	json_object_set_new(o, "visibility", json_string("visible"));
	/* run_autograder's output is the terminal report of every test */
	json_object_set_new(o, "stdout_visibility", json_string("hidden"));

	json_object_set_new(extra, "seed", jseed(r->seed));
	json_object_set_new(extra, "sandbox", jstr(r->sandbox && r->sandbox->name ?
						    r->sandbox->name : "unknown"));
	json_object_set_new(extra, "sandbox_missing", jstr(r->sandbox ? r->sandbox->missing : ""));
	json_object_set_new(o, "extra_data", extra);

	for (size_t i = 0; i < r->ntests; i++)
		json_array_append_new(tests, test_json(r, &r->tests[i], i));
	json_object_set_new(o, "tests", tests);
	buf_free(&text);
	return o;
}

int report_gradescope(const struct result *r, const char *path)
{
	json_t *o = result_json(r);
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(o);
	if (!text)
		return error_set("cannot format %s", path);
	struct buf b = BUF_INIT;
	buf_adds(&b, text);
	buf_addc(&b, '\n');
	free(text);     /* jansson's allocator is the default malloc */
	int rc = report_write_file(path, b.data, b.len);
	buf_free(&b);
	return rc;
}
