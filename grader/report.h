/*
 * report.h - format a struct result.  Reports only format: they compute
 * nothing that a check or grade.c should have decided.
 * All return 0, or -1 with the error set (e.g. cannot write FILE).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "result.h"

/* How much the human report says. */
enum term_detail {
	TERM_QUIET,     /* the score line and the failing tests, nothing else */
	TERM_NORMAL,    /* a header, every test, why the failing ones failed  */
	TERM_VERBOSE,   /* also passing checks, commands and run figures      */
};
/* Human report.  color: ANSI colours (main decides: tty and no NO_COLOR).
   The score column lines up whatever the test names (long names are cut). */
int report_terminal(const struct result *r, FILE *f, bool color, enum term_detail detail);
/* Gradescope results.json (fields exactly as its specification names them).
   Each test's extra_data holds {"status", "failed_checks": [...], "seed"}. */
int report_gradescope(const struct result *r, const char *path);
/* JUnit XML (one testsuite, a testcase per test, failure elements). */
int report_junit(const struct result *r, const char *path);
/* A self-contained HTML page with every test, its messages and an SVG
   timeline of the traced processes. */
int report_html(const struct result *r, const char *path);
/* GitHub-flavoured Markdown for a CI job's summary ($GITHUB_STEP_SUMMARY):
   the score, a table of the tests, each failing test's messages and
   output in code fences no student text can close; under 64 KiB. */
int report_markdown(const struct result *r, const char *path);
/* Gradebook CSV: header and one row per result (RFC 4180 quoting). */
void report_csv_header(FILE *f);
void report_csv_row(const struct result *r, FILE *f);
/* One field of a row, quoted when it must be, then ',' (or '\n' if last). */
void report_csv_field(struct buf *row, const char *s, bool last);
/* Parse the record at *pos of d[0, len).  1: a complete record (ended by a
   newline outside quotes), fields in *out (strv_free them); 0: no data
   left; -1: the data ends inside the record (a torn write).  Reads back
   what report_csv_field writes. */
int report_csv_next(const char *d, size_t len, size_t *pos, char ***out);

#endif
