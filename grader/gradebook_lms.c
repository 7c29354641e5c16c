/*
 * gradebook_lms.c - a batch gradebook (grades.csv) as the file an LMS
 * imports (see gradebook_lms.h).
 *
 * Canvas, Grades > Import: a CSV whose columns are Student, ID, SIS User
 * ID, SIS Login ID, Section, then one column per assignment; rows are
 * matched by ID (the Canvas user id, which a submissions download puts in
 * every file name), the assignment by its column's name ("Name (id)" in
 * Canvas's own export; another name is offered to be matched or created).
 *
 * Moodle, assignment > View all submissions > Upload grading worksheet:
 * Moodle's own worksheet's columns, of which it reads "Identifier"
 * ("Participant N", N the number a submissions download puts in every
 * folder name), "Grade", "Last modified (grade)" (a grade changed in Moodle
 * after that time is kept unless the TA says otherwise) and "Feedback
 * comments" (with the feedback comments plugin).
 *
 * Both are written UTF-8 with a byte order mark (Excel reads UTF-8 only
 * with it; Canvas and Moodle skip it), quoted as report_csv_field does
 * (formula-like cells neutralised).  Rows of other LMSs, or without an id,
 * and grader errors are left out, and counted on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "gradebook_lms.h"
#include "report.h"
#include "util.h"

#define UTF8_BOM "\xef\xbb\xbf"

struct table {
	char **header;
	char ***rows;
	size_t n;
};

static int col(const struct table *t, const char *name)
{
	for (int i = 0; t->header && t->header[i]; i++)
		if (!strcmp(t->header[i], name))
			return i;
	return -1;
}

static const char *cell(const struct table *t, size_t row, const char *name)
{
	int c = col(t, name);
	return c >= 0 && (size_t)c < strv_len(t->rows[row]) ? t->rows[row][c] : "";
}

static int read_table(const char *csv, struct table *t)
{
	struct buf data = BUF_INIT;
	size_t pos = 0, cap = 0;
	char **fields;
	memset(t, 0, sizeof(*t));
	if (file_read(csv, &data) < 0)
		return -1;
	if (report_csv_next(data.data, data.len, &pos, &t->header) != 1) {
		buf_free(&data);
		return error_set("%s has no header", csv);
	}
	while (report_csv_next(data.data, data.len, &pos, &fields) == 1) {
		grow(&t->rows, &cap, t->n + 1, sizeof(*t->rows));
		t->rows[t->n++] = fields;
	}
	buf_free(&data);
	return 0;
}

static void table_free(struct table *t)
{
	strv_free(t->header);
	for (size_t i = 0; i < t->n; i++)
		strv_free(t->rows[i]);
	free(t->rows);
}

static void add_row(struct buf *out, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		report_csv_field(out, cells[i], i + 1 == n);
}

static void canvas_row(struct buf *out, const struct table *t, size_t i)
{
	const char *cells[] = {cell(t, i, "student"), cell(t, i, "lms_id"), "", "", "",
			       cell(t, i, "score")};
	add_row(out, cells, ARRAY_SIZE(cells));
}

static void moodle_row(struct buf *out, const struct table *t, size_t i, const char *when)
{
	char *who = xasprintf("Participant %s", cell(t, i, "lms_id"));
	const char *cells[] = {who, cell(t, i, "student"), cell(t, i, "score"),
			       cell(t, i, "max_score"), when, cell(t, i, "feedback")};
	add_row(out, cells, ARRAY_SIZE(cells));
	free(who);
}

bool gradebook_format_known(const char *format)
{
	return !strcmp(format, "canvas") || !strcmp(format, "moodle");
}

int gradebook_export(const char *format, const char *grades_csv, const char *assignment,
		     const char *path)
{
	static const char *const canvas_head[] = {"Student", "ID", "SIS User ID", "SIS Login ID",
						  "Section", NULL};
	static const char *const moodle_head[] = {"Identifier", "Full name", "Grade",
						  "Maximum Grade", "Last modified (grade)",
						  "Feedback comments"};
	struct table t;
	struct buf out = BUF_INIT;
	bool canvas = !strcmp(format, "canvas");
	size_t left_out = 0;
	char when[32];
	time_t now = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&now));
	if (!gradebook_format_known(format))
		return error_set("unknown gradebook format '%s' (canvas or moodle)", format);
	if (read_table(grades_csv, &t) < 0)
		return -1;
	buf_adds(&out, UTF8_BOM);
	if (canvas) {
		const char *head[ARRAY_SIZE(canvas_head)];
		memcpy(head, canvas_head, sizeof(head));
		head[ARRAY_SIZE(head) - 1] = assignment;
		add_row(&out, head, ARRAY_SIZE(head));
	} else {
		add_row(&out, moodle_head, ARRAY_SIZE(moodle_head));
	}
	for (size_t i = 0; i < t.n; i++) {
		if (strcmp(cell(&t, i, "lms"), format) || !*cell(&t, i, "lms_id") ||
		    !strcmp(cell(&t, i, "status"), "error")) {
			left_out++;
			continue;
		}
		if (canvas)
			canvas_row(&out, &t, i);
		else
			moodle_row(&out, &t, i, when);
	}
	int rc = file_write(path, out.data, out.len, 0644);
	if (rc == 0 && left_out)
		fprintf(stderr, "%s: %zu of %zu rows left out (not from %s, or a grader error)\n",
			path, left_out, t.n, canvas ? "Canvas" : "Moodle");
	buf_free(&out);
	table_free(&t);
	return rc;
}
