/*
 * report_markdown.c - a GitHub-flavoured Markdown summary, for a CI job's
 * page ($GITHUB_STEP_SUMMARY):
 *
 *   ## EXERCISE: S/M
 *   **P of N tests passed** · title, then submission, sandbox tier, seed
 *   the build's problems (missing files; a compile error's messages, once)
 *   | Result | Test | Points |  one row per test
 *   ### ❌ TEST: STATUS       per failing test (but those a failed build
 *                            kept from running): why it failed
 *                            (report_failure_text), stdout, stderr
 *
 * Student text cannot become markup: inline text (names, notes, file
 * names) is cleaned (report_clean), kept on one line and has every
 * character Markdown or HTML would act on backslash-escaped; a block
 * (messages, output, compiler messages) is cleaned and put in a code fence
 * longer than any run of backticks inside it, which nothing in it can
 * close.  GitHub takes up to 1 MiB per step; a summary stays under
 * SUMMARY_MAX, and the failing tests that would not fit are counted, not
 * shown.
 */
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_priv.h"
#include "i18n.h"

#define SUMMARY_MAX (64 * 1024)
#define NOTE_ROOM 512           /* kept for the "not shown" line */
#define TEXT_BYTES 6000         /* why a test failed */
#define TEXT_LINES 80
#define OUTPUT_BYTES 3000
#define OUTPUT_LINES 40
#define COMPILE_BYTES 8000
#define COMPILE_LINES 100

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Raw text as one line of Markdown that renders as itself.  An underscore
   inside a word (half_copy) stays bare: it emphasises nothing there. */
static void add_inline(struct buf *b, const char *raw)
{
	struct buf clean = BUF_INIT;

	report_cleans(&clean, raw);
	const char *s = buf_str(&clean);
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		if (c == '\n' || c == '\t')
			c = ' ';
		else if (c == '_' && i > 0 && is_alnum(s[i - 1]) && is_alnum(s[i + 1]))
			;
		else if (strchr("\\`*_[]<>|~#&$!", c))
			buf_addc(b, '\\');
		buf_addc(b, c);
	}
	buf_free(&clean);
}

static size_t longest_backtick_run(const char *s)
{
	size_t best = 0, run = 0;
	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/* Raw text, cleaned, in a fenced code block nothing inside can close. */
static void add_block(struct buf *b, const char *raw)
{
	struct buf clean = BUF_INIT;

	report_cleans(&clean, raw);
	size_t fence = longest_backtick_run(buf_str(&clean)) + 1;
	if (fence < 3)
		fence = 3;
	buf_addc(b, '\n');
	for (size_t i = 0; i < fence; i++)
		buf_addc(b, '`');
	buf_adds(b, "text\n");
	buf_add(b, clean.data, clean.len);
	if (clean.len && clean.data[clean.len - 1] != '\n')
		buf_addc(b, '\n');
	for (size_t i = 0; i < fence; i++)
		buf_addc(b, '`');
	buf_adds(b, "\n\n");
	buf_free(&clean);
}

static void add_points(struct buf *b, double score, double max)
{
	report_points(b, score);
	buf_addc(b, '/');
	report_points(b, max);
}

static void add_header(struct buf *b, const struct result *r)
{
	struct buf s = BUF_INIT;

	buf_adds(b, "## ");
	add_inline(b, r->exercise ? r->exercise : "exercise");
	buf_adds(b, ": ");
	add_points(b, r->score, r->max_score);
	buf_adds(b, "\n\n**");
	buf_addf(b, _("%zu of %zu tests passed"), report_tests_passed(r), r->ntests);
	buf_adds(b, "**");
	if (r->title && *r->title) {
		buf_adds(b, " · ");
		add_inline(b, r->title);
	}
	buf_adds(b, "\n\n");
	if (r->submission) {
		buf_addf(b, "- %s%s", _("Submission"), _(": "));
		add_inline(b, r->submission);
		buf_addc(b, '\n');
	}
	report_sandbox(r, &s);
	buf_addf(b, "- %s%s", _("Sandbox"), _(": "));
	add_inline(b, buf_str(&s));
	buf_addf(b, "\n- %s%s%lu (%s `--seed %lu`)\n", _("Seed"), _(": "), r->seed, _("replay with"), r->seed);
	for (size_t i = 0; r->intake_notes && r->intake_notes[i]; i++) {
		buf_addf(b, "- %s%s", _("Note"), _(": "));
		add_inline(b, r->intake_notes[i]);
		buf_addc(b, '\n');
	}
	buf_addc(b, '\n');
	buf_free(&s);
}

static void add_file_list(struct buf *b, const char *what, char *const *files)
{
	buf_addf(b, "- %s%s", what, _(": "));
	if (!files || !files[0])
		buf_adds(b, _("none"));
	for (size_t i = 0; files && files[i]; i++) {
		if (i)
			buf_adds(b, ", ");
		add_inline(b, files[i]);
	}
	buf_addc(b, '\n');
}

/* Missing files (then nothing was built), or the compiler's messages. */
static void add_build(struct buf *b, const struct result *r)
{
	if (r->files_missing && r->files_missing[0]) {
		buf_addf(b, "### ❌ %s\n\n%s\n\n", _("Missing files"), _("Nothing was built: no test ran."));
		add_file_list(b, _("Missing"), r->files_missing);
		add_file_list(b, _("Found"), r->files_found);
		buf_addc(b, '\n');
		return;
	}
	if (r->compiled)
		return;
	buf_addf(b, "### ❌ %s\n\n%s\n", _("Compile error"), _("The program did not build: no test ran."));
	if (r->compile_output && *r->compile_output) {
		char *cut = report_cut(r->compile_output, COMPILE_BYTES, COMPILE_LINES);
		add_block(b, cut);
		free(cut);
	} else {
		buf_addc(b, '\n');
	}
}

static void add_table(struct buf *b, const struct result *r)
{
	if (r->ntests == 0) {
		buf_addf(b, "%s\n\n", _("(no tests)"));
		return;
	}
	buf_addf(b, "| %s | %s | %s |\n|:--|:--|--:|\n", _("Result"), _("Test"), _("Points"));
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_verdict *t = &r->tests[i];
		buf_adds(b, t->passed ? "| ✅ " : "| ❌ ");
		add_inline(b, report_status(t));
		buf_adds(b, " | ");
		add_inline(b, t->name ? t->name : "?");
		buf_adds(b, " | ");
		add_points(b, t->score, t->max_score);
		buf_adds(b, " |\n");
	}
	buf_addc(b, '\n');
}

static void add_stream(struct buf *b, const char *name, const struct capture *c)
{
	char *text = report_excerpt(c, OUTPUT_BYTES, OUTPUT_LINES);

	if (!text)
		return;
	buf_addf(b, "**%s** (", name);
	report_bytes(b, (double)c->total);
	buf_adds(b, "):\n");
	add_block(b, text);
	free(text);
}

/* A failing test that ran: why, then what the program printed. */
static void add_failure(struct buf *b, const struct test_verdict *t)
{
	struct buf why = BUF_INIT;

	buf_adds(b, "### ❌ ");
	add_inline(b, t->name ? t->name : "?");
	buf_adds(b, ": ");
	add_inline(b, report_status(t));
	buf_addc(b, '\n');
	report_failure_text(t, &why);
	char *cut = report_cut(buf_str(&why), TEXT_BYTES, TEXT_LINES);
	add_block(b, cut);
	free(cut);
	buf_free(&why);
	add_stream(b, "stdout", &t->run.out);
	add_stream(b, "stderr", &t->run.err);
}

static void add_failures(struct buf *b, const struct result *r)
{
	size_t left_out = 0;

	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_verdict *t = &r->tests[i];
		if (t->passed || (!t->ran && !r->compiled))
			continue;
		struct buf one = BUF_INIT;
		add_failure(&one, t);
		if (left_out == 0 && b->len + one.len + NOTE_ROOM <= SUMMARY_MAX)
			buf_add(b, one.data, one.len);
		else
			left_out++;
		buf_free(&one);
	}
	if (left_out) {
		buf_adds(b, "_");
		buf_addf(b, _n("%zu more failing test not shown: this summary is kept under "
			       "%d KiB (the terminal, HTML and JUnit reports have every test).",
			       "%zu more failing tests not shown: this summary is kept under "
			       "%d KiB (the terminal, HTML and JUnit reports have every test).",
			       left_out), left_out, SUMMARY_MAX / 1024);
		buf_adds(b, "_\n");
	}
}

int report_markdown(const struct result *r, const char *path)
{
	struct buf b = BUF_INIT;

	add_header(&b, r);
	add_build(&b, r);
	add_table(&b, r);
	add_failures(&b, r);
	int rc = report_write_file(path, b.data, b.len);
	buf_free(&b);
	return rc;
}
