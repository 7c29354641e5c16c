/*
 * report_csv.c - the gradebook: one row per graded submission.
 *
 *   student,lms,lms_id,late,score,max_score,percent,status,tests_passed,
 *   tests_total,seed,feedback,submission
 *
 * lms and lms_id say who the student is in the LMS the submission came
 * from (empty when none); late is "yes" when the LMS marked it late;
 * feedback is one short line for the student ("9/11 tests passed; failed:
 * fork fails, odd size and 1 hidden": hidden tests are not named).
 * status is "graded", "compile error", "missing files" or "ambiguous files".  Fields are
 * quoted as RFC 4180 says (a field holding a comma, a double quote, CR or
 * LF is quoted, quotes doubled); rows end with "\n".  Names are written as
 * they are (cleaned of control characters only) but for one thing: a
 * field that begins with '=', '+', '-', '@', a tab or a carriage return
 * gets a "'" in front and is quoted, as OWASP's "CSV Injection" page says,
 * so that no spreadsheet runs a student's folder name as a formula.  batch
 * resumes by reading the student column back (report_csv_next, the reader
 * beside the writer) and compares with what the writer made of a name.
 */
#include <stdio.h>
#include <string.h>
#include "report.h"
#include "report_priv.h"
#include "i18n.h"

/* Would a spreadsheet read this cell as a formula (OWASP CSV Injection)? */
static bool formula_like(const char *s)
{
	return *s && strchr("=+-@\t\r", *s);
}

void report_csv_field(struct buf *row, const char *s, bool last)
{
	bool formula = formula_like(s);
	if (formula || strpbrk(s, ",\"\r\n") || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '))) {
		buf_addc(row, '"');
		if (formula)
			buf_addc(row, '\'');
		for (; *s; s++) {
			if (*s == '"')
				buf_addc(row, '"');
			buf_addc(row, *s);
		}
		buf_addc(row, '"');
	} else {
		buf_adds(row, s);
	}
	buf_addc(row, last ? '\n' : ',');
}

int report_csv_next(const char *d, size_t len, size_t *pos, char ***out)
{
	struct buf f = BUF_INIT;
	bool quoted = false;
	size_t i = *pos;
	*out = NULL;
	if (i >= len)
		return 0;
	for (; i < len; i++) {
		char c = d[i];
		if (quoted) {
			if (c == '"' && i + 1 < len && d[i + 1] == '"')
				buf_addc(&f, d[++i]);
			else if (c == '"')
				quoted = false;
			else
				buf_addc(&f, c);
		} else if (c == '"') {
			quoted = true;
		} else if (c == ',' || c == '\n') {
			strv_push(out, buf_str(&f));
			buf_reset(&f);
			if (c == '\n')
				break;
		} else if (c != '\r') {
			buf_addc(&f, c);
		}
	}
	buf_free(&f);
	if (i >= len) {         /* no newline: torn */
		strv_free(*out);
		*out = NULL;
		return -1;
	}
	*pos = i + 1;
	return 1;
}

static void add_field(struct buf *row, const char *raw, bool last)
{
	struct buf clean = BUF_INIT;

	report_cleans(&clean, raw ? raw : "");
	report_csv_field(row, buf_str(&clean), last);
	buf_free(&clean);
}

static const char *csv_status(const struct result *r)
{
	if (r->files_ambiguous && r->files_ambiguous[0])
		return "ambiguous files";
	if (r->files_missing && r->files_missing[0])
		return "missing files";
	if (!r->compiled)
		return "compile error";
	return "graded";
}

/* One line for the student: what kept them from full marks. */
static void feedback(struct buf *b, const struct result *r)
{
	enum { FEEDBACK_MAX = 200 };
	if (r->files_ambiguous && r->files_ambiguous[0]) {
		buf_addf(b, _("not graded: %s is there more than once, equally deep"),
			 r->files_ambiguous[0]);
		return;
	}
	if (r->files_missing && r->files_missing[0]) {
		buf_adds(b, _("not graded: missing"));
		for (size_t i = 0; r->files_missing[i]; i++)
			buf_addf(b, " %s", r->files_missing[i]);
		return;
	}
	if (!r->compiled) {
		buf_adds(b, _("not graded: the program does not compile"));
		return;
	}
	buf_addf(b, _("%zu/%zu tests passed"), report_tests_passed(r), r->ntests);
	const char *sep = _("; failed: "), *comma = _(", ");
	size_t hidden = 0, cut = 0;
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_verdict *t = &r->tests[i];
		if (t->passed)
			continue;
		if (t->visibility && !strcmp(t->visibility, "hidden"))
			hidden++;
		else if (b->len + strlen(sep) + strlen(t->name) > FEEDBACK_MAX)
			cut++;
		else {
			buf_addf(b, "%s%s", sep, t->name);
			sep = comma;
		}
	}
	if (cut)
		buf_addf(b, _("%s%zu more"), sep, cut);
	if (hidden)
		buf_addf(b, _("%s%zu hidden"), cut || sep != comma ? sep : _(" and "), hidden);
}

void report_csv_header(FILE *f)
{
	fputs("student,lms,lms_id,late,score,max_score,percent,status,tests_passed,tests_total,"
	      "seed,feedback,submission\n", f);
}

void report_csv_row(const struct result *r, FILE *f)
{
	struct buf row = BUF_INIT, num = BUF_INIT;

	add_field(&row, r->student ? r->student : r->submission, false);
	add_field(&row, r->lms, false);
	add_field(&row, r->lms_id, false);
	add_field(&row, r->late ? "yes" : "", false);
	report_points(&num, r->score);
	add_field(&row, buf_str(&num), false);
	buf_reset(&num);
	report_points(&num, r->max_score);
	add_field(&row, buf_str(&num), false);
	buf_reset(&num);
	buf_addf(&num, "%.1f", r->max_score > 0 ? 100 * r->score / r->max_score : 0.0);
	add_field(&row, buf_str(&num), false);
	add_field(&row, csv_status(r), false);
	buf_reset(&num);
	buf_addf(&num, "%zu", report_tests_passed(r));
	add_field(&row, buf_str(&num), false);
	buf_reset(&num);
	buf_addf(&num, "%zu", r->ntests);
	add_field(&row, buf_str(&num), false);
	buf_reset(&num);
	buf_addf(&num, "%lu", r->seed);
	add_field(&row, buf_str(&num), false);
	buf_reset(&num);
	feedback(&num, r);
	add_field(&row, buf_str(&num), false);
	add_field(&row, r->submission, true);
	/* one fwrite per row: the FILE's lock keeps rows whole between threads */
	fwrite(row.data, 1, row.len, f);
	buf_free(&row);
	buf_free(&num);
}
