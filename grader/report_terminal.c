/*
 * report_terminal.c - the human report: a header (exercise, submission,
 * seed, sandbox, score), compiler messages when the build failed, then one
 * line per test and, under a failing test, why it failed and what the
 * program printed.
 *
 * Everything that came from the student is cleaned (report_clean): no
 * control character of theirs reaches the terminal.  Colour codes are the
 * report's own, and only when asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_priv.h"
#include "i18n.h"

#define NAME_WIDTH_MAX 40
#define OUTPUT_BYTES 1500
#define OUTPUT_LINES 12
#define COMPILE_BYTES 6000
#define COMPILE_LINES 40

enum colour { C_NONE, C_GREEN, C_RED, C_YELLOW, C_BOLD };

struct term {
	struct buf b;
	bool color;
	bool verbose;
	bool quiet;
};

static void paint(struct term *t, enum colour c, const char *text)
{
	static const char *const codes[] = {
		[C_NONE] = "", [C_GREEN] = "\033[32m", [C_RED] = "\033[31m",
		[C_YELLOW] = "\033[33m", [C_BOLD] = "\033[1m",
	};
	if (t->color && c != C_NONE)
		buf_addf(&t->b, "%s%s\033[0m", codes[c], text);
	else
		buf_adds(&t->b, text);
}

/* Append each line of raw text, cleaned, after indent. */
static void add_block(struct term *t, const char *indent, const char *raw)
{
	struct buf clean = BUF_INIT;

	report_cleans(&clean, raw);
	const char *p = buf_str(&clean);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		buf_adds(&t->b, indent);
		buf_add(&t->b, p, n);
		buf_addc(&t->b, '\n');
		p += n + (nl != NULL);
	}
	buf_free(&clean);
}

/* "  key         ": a heading of the header, in 11 columns and a space */
static void add_key(struct term *t, const char *key)
{
	buf_adds(&t->b, "  ");
	buf_adds(&t->b, key);
	for (size_t cols = text_cols(key); cols < 12; cols++)
		buf_addc(&t->b, ' ');
}

static void add_field(struct term *t, const char *key, const char *raw)
{
	add_key(t, key);
	report_cleans(&t->b, raw);
	buf_addc(&t->b, '\n');
}

static void add_score(struct term *t, const struct result *r)
{
	struct buf line = BUF_INIT;

	report_points(&line, r->score);
	buf_addc(&line, '/');
	report_points(&line, r->max_score);
	enum colour c = r->score >= r->max_score && result_exit_status(r) == 0 ? C_GREEN :
			r->score > 0 ? C_YELLOW : C_RED;
	add_key(t, _("score"));
	paint(t, c, buf_str(&line));
	buf_addf(&t->b, _("  (%zu of %zu tests passed, %.1f s)\n"),
		 report_tests_passed(r), r->ntests, r->elapsed_ms / 1000);
	buf_free(&line);
}

static void add_header(struct term *t, const struct result *r)
{
	struct buf line = BUF_INIT;

	report_cleans(&line, r->exercise ? r->exercise : "exercise");
	if (r->title && *r->title) {
		buf_adds(&line, ": ");
		report_cleans(&line, r->title);
	}
	paint(t, C_BOLD, buf_str(&line));
	buf_addc(&t->b, '\n');
	if (r->submission)
		add_field(t, _("submission"), r->submission);
	add_key(t, _("seed"));
	buf_addf(&t->b, _("%lu (replay: --seed %lu)"), r->seed, r->seed);
	buf_addc(&t->b, '\n');

	buf_reset(&line);
	report_sandbox(r, &line);
	add_key(t, _("sandbox"));
	paint(t, r->sandbox && r->sandbox->missing[0] ? C_YELLOW : C_NONE, buf_str(&line));
	buf_addc(&t->b, '\n');
	buf_free(&line);
	add_score(t, r);
}

static void add_file_list(struct term *t, const char *what, char *const *files)
{
	buf_addf(&t->b, "  %s%s", what, _(": "));
	if (!files || !files[0])
		buf_adds(&t->b, _("none"));
	for (size_t i = 0; files && files[i]; i++) {
		if (i)
			buf_adds(&t->b, ", ");
		report_cleans(&t->b, files[i]);
	}
	buf_addc(&t->b, '\n');
}

static void add_build(struct term *t, const struct result *r)
{
	for (size_t i = 0; r->intake_notes && r->intake_notes[i]; i++) {
		buf_addf(&t->b, "  %s%s", _("note"), _(": "));
		report_cleans(&t->b, r->intake_notes[i]);
		buf_addc(&t->b, '\n');
	}
	if (r->files_missing && r->files_missing[0]) {
		buf_addc(&t->b, '\n');
		paint(t, C_RED, _("missing files"));
		buf_addf(&t->b, "%s\n", _(":"));
		add_file_list(t, _("missing"), r->files_missing);
		add_file_list(t, _("found"), r->files_found);
	}
	if (r->compiled)
		return;
	buf_addc(&t->b, '\n');
	paint(t, C_RED, _("compile error"));
	buf_addf(&t->b, "%s\n", _(":"));
	if (r->compile_output && *r->compile_output) {
		char *cut = report_cut(r->compile_output, COMPILE_BYTES, COMPILE_LINES);
		add_block(t, "  | ", cut);
		free(cut);
	}
}

static void add_output(struct term *t, const char *stream, const struct capture *c)
{
	char *text = report_excerpt(c, OUTPUT_BYTES, OUTPUT_LINES);

	if (!text)
		return;
	buf_adds(&t->b, "        ");
	buf_addf(&t->b, _n("%s (%zu byte):\n", "%s (%zu bytes):\n", c->total), stream, c->total);
	add_block(t, "        | ", text);
	free(text);
}

static void add_checks(struct term *t, const struct test_verdict *tr)
{
	for (size_t i = 0; i < tr->nchecks; i++) {
		const struct check_result *c = &tr->checks[i];
		struct buf title = BUF_INIT;

		if (c->passed && !t->verbose)
			continue;
		buf_adds(&t->b, "        ");
		report_check_title(c, &title);
		paint(t, c->passed ? C_GREEN : C_RED, c->passed ? "ok" : "x");
		buf_addc(&t->b, ' ');
		report_cleans(&t->b, buf_str(&title));
		buf_free(&title);
		if (c->passed) {
			buf_addc(&t->b, '\n');
			continue;
		}
		buf_adds(&t->b, ": ");
		struct buf msg = BUF_INIT;
		report_cleans(&msg, c->message && *c->message ? c->message : _("failed"));
		/* first line inline, the rest indented under it */
		const char *p = buf_str(&msg), *nl = strchr(p, '\n');
		buf_add(&t->b, p, nl ? (size_t)(nl - p) : strlen(p));
		buf_addc(&t->b, '\n');
		if (nl)
			add_block(t, "          ", nl + 1);
		buf_free(&msg);
	}
}

/* The name in exactly width columns: padded, or cut with an ellipsis. */
static void add_name(struct term *t, const char *raw, size_t width)
{
	struct buf s = BUF_INIT;
	report_cleans(&s, raw);
	const char *name = buf_str(&s);
	size_t cols = text_cols(name);
	if (cols > width) {
		buf_add(&t->b, name, text_fit(name, width - 1, &cols));
		buf_adds(&t->b, "\u2026");
		cols++;
	} else {
		buf_adds(&t->b, name);
	}
	for (; cols < width; cols++)
		buf_addc(&t->b, ' ');
	buf_free(&s);
}

static void add_test(struct term *t, const struct test_verdict *tr, size_t width)
{
	struct buf s = BUF_INIT;

	if (tr->passed && t->quiet)
		return;
	buf_adds(&t->b, "  ");
	paint(t, tr->passed ? C_GREEN : C_RED, tr->passed ? _("PASS") : _("FAIL"));
	buf_adds(&t->b, "  ");
	add_name(t, tr->name ? tr->name : "?", width);
	buf_reset(&s);
	report_points(&s, tr->score);
	buf_addc(&s, '/');
	report_points(&s, tr->max_score);
	buf_addf(&t->b, "  %7s", buf_str(&s));
	if (!tr->passed && tr->status) {
		buf_reset(&s);
		report_cleans(&s, report_status(tr));
		buf_adds(&t->b, "  ");
		paint(t, tr->ran && outcome_is_limit(tr->run.outcome) ? C_YELLOW : C_RED, buf_str(&s));
	}
	buf_addc(&t->b, '\n');
	buf_free(&s);

	if (tr->passed && !t->verbose)
		return;
	if (!tr->passed && tr->ran && tr->message && *tr->message)
		add_block(t, "        ", tr->message);
	add_checks(t, tr);
	if (!tr->ran)
		return;
	if (t->verbose && tr->args) {
		buf_addf(&t->b, "        %s%s", _("command"), _(": "));
		report_cleans(&t->b, tr->args);
		buf_addc(&t->b, '\n');
	}
	if (t->verbose || outcome_is_limit(tr->run.outcome)) {
		buf_adds(&t->b, "        ");
		report_figures(&tr->run, &t->b);
		buf_addc(&t->b, '\n');
	}
	if (!tr->passed) {
		add_output(t, "stdout", &tr->run.out);
		add_output(t, "stderr", &tr->run.err);
	}
}

static size_t name_width(const struct result *r)
{
	size_t width = 0;
	for (size_t i = 0; i < r->ntests; i++) {
		struct buf s = BUF_INIT;
		report_cleans(&s, r->tests[i].name ? r->tests[i].name : "?");
		size_t w = text_cols(buf_str(&s));
		if (w > width)
			width = w;
		buf_free(&s);
	}
	return width > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : width;
}

int report_terminal(const struct result *r, FILE *f, bool color, enum term_detail detail)
{
	struct term t = {BUF_INIT, color, detail == TERM_VERBOSE, detail == TERM_QUIET};

	if (t.quiet)
		add_score(&t, r);
	else
		add_header(&t, r);
	add_build(&t, r);
	if (!t.quiet)
		buf_addc(&t.b, '\n');
	size_t width = name_width(r);
	for (size_t i = 0; i < r->ntests; i++)
		add_test(&t, &r->tests[i], width);
	if (r->ntests == 0)
		buf_addf(&t.b, "  %s\n", _("(no tests)"));

	size_t n = fwrite(t.b.data ? t.b.data : "", 1, t.b.len, f);
	bool ok = n == t.b.len && fflush(f) != EOF;
	buf_free(&t.b);
	if (!ok)
		return error_errno("cannot write the report");
	return 0;
}
