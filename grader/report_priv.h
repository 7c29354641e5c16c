/*
 * report_priv.h - helpers shared by the report_*.c files (not a public
 * contract: only reports include it).
 *
 * Everything a report prints that came from a student (output, file names,
 * messages quoting output) goes through report_clean() first: the result is
 * valid UTF-8 with no control character except '\n' and '\t', so it is
 * safe on a terminal, in JSON (jansson rejects invalid UTF-8) and, after
 * report_markup(), in XML 1.0 and HTML.
 */
#ifndef REPORT_PRIV_H
#define REPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include "result.h"
#include "util.h"

struct trace;

/* Append s[0, n) made safe: invalid UTF-8 bytes become "\xNN", control
   characters (C0 but '\n' and '\t', DEL, C1), bidi overrides and the
   non-characters U+FFFE/U+FFFF become "\xNN" / "\uNNNN", '\r' becomes "\r". */
void report_clean(struct buf *out, const char *s, size_t n);
/* report_clean of a string; NULL appends nothing. */
void report_cleans(struct buf *out, const char *s);
/* report_clean, then escape & < > for XML and HTML text.  attr: for a
   value in double quotes: also '"', '\n' and '\t' (attribute values are
   normalised otherwise).  An apostrophe is never escaped. */
void report_markup(struct buf *out, const char *s, size_t n, bool attr);
void report_markups(struct buf *out, const char *s, bool attr);

/* What a stream captured, raw (not cleaned), cut to at most max_lines lines
   and about max_bytes bytes, keeping the beginning and the end with a
   "[... N lines cut ...]" line between.  NULL when nothing was written. */
char *report_excerpt(const struct capture *c, size_t max_bytes, size_t max_lines);
/* The same cut for any text (e.g. compiler messages).  Caller frees. */
char *report_cut(const char *s, size_t max_bytes, size_t max_lines);

/* Points without useless decimals: "7", "2.5", "0.33". */
void report_points(struct buf *out, double p);
/* "cpu 12 ms, wall 30 ms, peak memory 3.2 MiB, 3 processes, output 120 B" */
void report_figures(const struct run *run, struct buf *out);
/* "1.5 KiB" */
void report_bytes(struct buf *out, double bytes);
/* Why the test failed, raw: the verdict's own message first (a limit and
   what each process was blocked in, "failed on run N of M"), then the
   failed checks' messages (or every check's when all), one block per
   check: "stdout (label): first line\n  more lines\n". */
void report_check_messages(const struct test_verdict *t, bool all, struct buf *out);
/* A failed test's whole story, raw: report_check_messages, then
   "command: ARGS" and, after a limit, the run's figures. */
void report_failure_text(const struct test_verdict *t, struct buf *out);
/* "check" or "check (label)". */
void report_check_title(const struct check_result *c, struct buf *out);
/* One line: "sandbox: basic (weaker: ...)" without the "sandbox: ". */
void report_sandbox(const struct result *r, struct buf *out);
/* The test's status for people, in the grader's language (i18n.h). */
const char *report_status(const struct test_verdict *t);
/* Count of passed tests. */
size_t report_tests_passed(const struct result *r);

/* Write data to path atomically (a temporary file in the same directory,
   then rename).  "-" writes to stdout.  0 or -1 (error set). */
int report_write_file(const char *path, const char *data, size_t n);

/* report_svg.c: an inline <svg> timeline of the traced processes.  id: a
   prefix unique in the page (for marker ids).  blame (may be NULL): events
   a failed check names, ringed in red and always drawn.  Appends nothing
   when the trace has no process. */
void report_svg_timeline(const struct trace *t, const char *id, const struct check_blame *blame,
			 struct buf *out);

#endif
