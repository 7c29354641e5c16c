/*
 * report_csv.c - the gradebook: one row per graded submission.
 *
 *   student,score,max_score,percent,status,tests_passed,tests_total,seed,submission
 *
 * status is "graded", "compile error", "missing files" or "ambiguous files".  Fields are
 * quoted as RFC 4180 says (a field holding a comma, a double quote, CR or
 * LF is quoted, quotes doubled); rows end with "\n".  Names are written as
 * they are (cleaned of control characters only): batch resumes by reading
 * the student column back (report_csv_next, the reader beside the writer),
 * so it must round-trip.
 */
#include <stdio.h>
#include <string.h>
#include "report.h"
#include "report_priv.h"

void report_csv_field(struct buf *row, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n") || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '))) {
		buf_addc(row, '"');
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

void report_csv_header(FILE *f)
{
	fputs("student,score,max_score,percent,status,tests_passed,tests_total,seed,submission\n", f);
}

void report_csv_row(const struct result *r, FILE *f)
{
	struct buf row = BUF_INIT, num = BUF_INIT;

	add_field(&row, r->student ? r->student : r->submission, false);
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
	add_field(&row, r->submission, true);
	/* one fwrite per row: the FILE's lock keeps rows whole between threads */
	fwrite(row.data, 1, row.len, f);
	buf_free(&row);
	buf_free(&num);
}
