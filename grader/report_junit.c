/*
 * report_junit.c - JUnit XML, the dialect GitHub Actions (test reporters)
 * and GitLab (artifacts:reports:junit) display:
 *
 *   <testsuites name="EXERCISE: score S/M" tests failures errors time>
 *     <testsuite name="EXERCISE: score S/M" tests failures errors skipped time>
 *       <properties> seed, sandbox, score </properties>
 *       <testcase name classname=EXERCISE time>
 *         <failure message=FIRST-LINE type=STATUS>messages</failure>
 *         <system-out>stdout excerpt</system-out>
 *         <system-err>stderr excerpt</system-err>
 *       </testcase>
 *     </testsuite>
 *   </testsuites>
 *
 * The score is in the suite's name, which every viewer shows.  A failure's
 * message is the first line of why it failed (what viewers show in their
 * list), its type the status.  A build that failed is one failure, a
 * testcase "build" holding the compiler messages; the tests it kept from
 * running are skipped.  All text goes through report_markup(): escaped,
 * and no character that XML 1.0 forbids (those are shown as visible
 * "\xNN" escapes instead).
 */
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_priv.h"
#include "i18n.h"

#define OUTPUT_BYTES 8000
#define OUTPUT_LINES 80
#define COMPILE_BYTES 12000
#define COMPILE_LINES 100

static void add_attr(struct buf *b, const char *name, const char *raw)
{
	buf_addf(b, " %s=\"", name);
	report_markups(b, raw, true);
	buf_addc(b, '"');
}

static void add_element(struct buf *b, const char *indent, const char *tag, const char *raw)
{
	buf_addf(b, "%s<%s>", indent, tag);
	report_markups(b, raw, false);
	buf_addf(b, "</%s>\n", tag);
}

static void add_properties(struct buf *b, const struct result *r)
{
	struct buf v = BUF_INIT;

	buf_adds(b, "    <properties>\n");
	buf_addf(&v, "%lu", r->seed);
	buf_adds(b, "      <property");
	add_attr(b, "name", "seed");
	add_attr(b, "value", buf_str(&v));
	buf_adds(b, "/>\n");

	buf_reset(&v);
	report_sandbox(r, &v);
	buf_adds(b, "      <property");
	add_attr(b, "name", "sandbox");
	add_attr(b, "value", buf_str(&v));
	buf_adds(b, "/>\n");

	buf_reset(&v);
	report_points(&v, r->score);
	buf_addc(&v, '/');
	report_points(&v, r->max_score);
	buf_adds(b, "      <property");
	add_attr(b, "name", "score");
	add_attr(b, "value", buf_str(&v));
	buf_adds(b, "/>\n");
	if (r->submission) {
		buf_adds(b, "      <property");
		add_attr(b, "name", "submission");
		add_attr(b, "value", r->submission);
		buf_adds(b, "/>\n");
	}
	buf_adds(b, "    </properties>\n");
	buf_free(&v);
}

static void failure_text(const struct result *r, const struct test_verdict *t, struct buf *b)
{
	report_failure_text(t, b);
	if (r->files_missing && r->files_missing[0]) {
		buf_addf(b, "%s%s", _("missing files"), _(":"));
		for (size_t i = 0; r->files_missing[i]; i++)
			buf_addf(b, " %s", r->files_missing[i]);
		buf_addc(b, '\n');
	}
}

/* <failure message="first line of text" type=status>text</failure> */
static void add_failure(struct buf *b, const char *status, const char *text)
{
	const char *nl = strchr(text, '\n');
	char *first = nl ? xstrndup(text, (size_t)(nl - text)) : xstrdup(text);
	buf_adds(b, "      <failure");
	add_attr(b, "message", *first ? first : status);
	add_attr(b, "type", status);
	buf_adds(b, ">");
	report_markups(b, text, false);
	buf_adds(b, "</failure>\n");
	free(first);
}

static void open_testcase(struct buf *b, const struct result *r, const char *name, double secs)
{
	buf_adds(b, "    <testcase");
	add_attr(b, "name", name);
	add_attr(b, "classname", r->exercise ? r->exercise : "exercise");
	buf_addf(b, " time=\"%.3f\"", secs);
}

/* The build, when it failed: the one failure the tests' skips point to. */
static void add_build_failure(struct buf *b, const struct result *r)
{
	char *cut = report_cut(r->compile_output ? r->compile_output : "", COMPILE_BYTES,
			       COMPILE_LINES);
	char *text = xasprintf("%s%s%s\n%s", _("compile error"), _(": "), _("the program did not build"), cut);
	open_testcase(b, r, "build", 0);
	buf_adds(b, ">\n");
	add_failure(b, "compile error", text);
	buf_adds(b, "    </testcase>\n");
	free(text);
	free(cut);
}

static void add_testcase(struct buf *b, const struct result *r, const struct test_verdict *t)
{
	open_testcase(b, r, t->name ? t->name : "?", t->ran ? t->run.wall_ms / 1000 : 0.0);
	if (!t->ran && !r->compiled) {
		buf_adds(b, ">\n      <skipped");
		add_attr(b, "message", _("not run: the program did not build"));
		buf_adds(b, "/>\n    </testcase>\n");
		return;
	}
	if (t->passed && (!t->ran || (!t->run.out.total && !t->run.err.total))) {
		buf_adds(b, "/>\n");
		return;
	}
	buf_adds(b, ">\n");
	if (!t->passed) {
		struct buf text = BUF_INIT;
		failure_text(r, t, &text);
		add_failure(b, t->status ? t->status : "failed", buf_str(&text));
		buf_free(&text);
	}
	if (t->ran) {
		char *out = report_excerpt(&t->run.out, OUTPUT_BYTES, OUTPUT_LINES);
		char *err = report_excerpt(&t->run.err, OUTPUT_BYTES, OUTPUT_LINES);
		if (out)
			add_element(b, "      ", "system-out", out);
		if (err)
			add_element(b, "      ", "system-err", err);
		free(out);
		free(err);
	}
	buf_adds(b, "    </testcase>\n");
}

static void junit_text(const struct result *r, struct buf *b)
{
	/* a failed build: one failure (the build), every test skipped */
	size_t tests = r->ntests + !r->compiled;
	size_t failures = r->compiled ? r->ntests - report_tests_passed(r) : 1;
	size_t skipped = r->compiled ? 0 : r->ntests;
	double secs = r->elapsed_ms / 1000;
	struct buf name = BUF_INIT;

	buf_addf(&name, "%s: %s ", r->exercise ? r->exercise : "exercise", _("score"));
	report_points(&name, r->score);
	buf_addc(&name, '/');
	report_points(&name, r->max_score);
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	add_attr(b, "name", buf_str(&name));
	buf_addf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n",
		 tests, failures, secs);
	buf_adds(b, "  <testsuite");
	add_attr(b, "name", buf_str(&name));
	buf_addf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n",
		 tests, failures, skipped, secs);
	add_properties(b, r);
	if (!r->compiled)
		add_build_failure(b, r);
	for (size_t i = 0; i < r->ntests; i++)
		add_testcase(b, r, &r->tests[i]);
	buf_adds(b, "  </testsuite>\n</testsuites>\n");
	buf_free(&name);
}

int report_junit(const struct result *r, const char *path)
{
	struct buf b = BUF_INIT;

	junit_text(r, &b);
	int rc = report_write_file(path, b.data, b.len);
	buf_free(&b);
	return rc;
}
