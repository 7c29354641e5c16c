/*
 * report_util.c - what every report needs: making student text safe to
 * print, excerpts of captured output, figures, points, atomic file writes.
 * See report_priv.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report_priv.h"
#include "i18n.h"

/* Length of the valid UTF-8 sequence at s and its code point; 0 if none. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Characters shown as an escape rather than printed. */
static bool unsafe_char(uint32_t c)
{
	if (c == '\n' || c == '\t')
		return false;
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0xfffe || c == 0xffff;
}

void report_clean(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t c;
		size_t len = utf8_decode(p + i, n - i, &c);
		if (len == 0) {
			buf_addf(out, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (c == '\r')
			buf_adds(out, "\\r");
		else if (unsafe_char(c) && c < 0x80)
			buf_addf(out, "\\x%02x", (unsigned)c);
		else if (unsafe_char(c))
			buf_addf(out, "\\u%04x", (unsigned)c);
		else
			buf_add(out, p + i, len);
		i += len;
	}
}

void report_cleans(struct buf *out, const char *s)
{
	if (s)
		report_clean(out, s, strlen(s));
}

void report_markup(struct buf *out, const char *s, size_t n, bool attr)
{
	struct buf clean = BUF_INIT;

	report_clean(&clean, s, n);
	for (size_t i = 0; i < clean.len; i++) {
		char c = clean.data[i];
		switch (c) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		/* attributes are ours and always in double quotes: a quote
		   needs escaping there only, an apostrophe nowhere (some
		   JUnit viewers show "&#39;" as it is) */
		case '"': buf_adds(out, attr ? "&quot;" : "\""); break;
		case '\n': buf_adds(out, attr ? "&#10;" : "\n"); break;
		case '\t': buf_adds(out, attr ? "&#9;" : "\t"); break;
		default: buf_addc(out, c);
		}
	}
	buf_free(&clean);
}

void report_markups(struct buf *out, const char *s, bool attr)
{
	if (s)
		report_markup(out, s, strlen(s), attr);
}

/* ---- excerpts ---- */

/* Move a cut position back onto the start of a UTF-8 sequence. */
static size_t utf8_snap(const char *s, size_t pos)
{
	for (int k = 0; k < 3 && pos > 0 && ((unsigned char)s[pos] & 0xc0) == 0x80; k++)
		pos--;
	return pos;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	if (n && s[n - 1] != '\n')
		lines++;
	return lines;
}

/* Offset just after the k-th newline (or n). */
static size_t after_lines(const char *s, size_t n, size_t k)
{
	for (size_t i = 0; i < n && k; i++)
		if (s[i] == '\n' && --k == 0)
			return i + 1;
	return n;
}

/* Offset of the start of the last k lines. */
static size_t last_lines(const char *s, size_t n, size_t k)
{
	size_t i = n;
	if (i && s[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (s[i - 1] == '\n' && --k == 0)
			return i;
		i--;
	}
	return 0;
}

static void cut_middle(const char *s, size_t n, size_t max_bytes, size_t max_lines,
		       struct buf *out)
{
	size_t head = n, tail = n;

	if (count_lines(s, n) > max_lines) {
		head = after_lines(s, n, max_lines - max_lines / 3);
		tail = last_lines(s, n, max_lines / 3);
	}
	if (head > max_bytes - max_bytes / 3)
		head = utf8_snap(s, max_bytes - max_bytes / 3);
	if (n - tail > max_bytes / 3)
		tail = utf8_snap(s, n - max_bytes / 3);
	if (head >= tail) {
		buf_add(out, s, n);
		return;
	}
	buf_add(out, s, head);
	if (head && s[head - 1] != '\n')
		buf_addc(out, '\n');
	size_t lines = 0;
	for (size_t i = head; i < tail; i++)
		lines += s[i] == '\n';
	buf_addf(out, _n("[... %zu bytes, %zu line cut ...]\n", "[... %zu bytes, %zu lines cut ...]\n",
			 lines), tail - head, lines);
	buf_add(out, s + tail, n - tail);
}

char *report_excerpt(const struct capture *c, size_t max_bytes, size_t max_lines)
{
	struct buf all = BUF_INIT, out = BUF_INIT;

	if (c->total == 0 && c->head.len == 0)
		return NULL;
	size_t kept = c->head.len + c->tail.len;
	buf_add(&all, c->head.data, c->head.len);
	if (c->total > kept) {
		if (all.len && all.data[all.len - 1] != '\n')
			buf_addc(&all, '\n');
		buf_addf(&all, _("[... %zu bytes not kept ...]\n"), c->total - kept);
	}
	buf_add(&all, c->tail.data, c->tail.len);
	if (max_lines < 3)
		max_lines = 3;
	if (max_bytes < 64)
		max_bytes = 64;
	cut_middle(all.data ? all.data : "", all.len, max_bytes, max_lines, &out);
	buf_free(&all);
	return buf_detach(&out);
}

char *report_cut(const char *s, size_t max_bytes, size_t max_lines)
{
	struct buf out = BUF_INIT;

	if (max_lines < 3)
		max_lines = 3;
	if (max_bytes < 64)
		max_bytes = 64;
	cut_middle(s ? s : "", s ? strlen(s) : 0, max_bytes, max_lines, &out);
	return buf_detach(&out);
}

/* ---- figures ---- */

void report_points(struct buf *out, double p)
{
	char s[64];
	snprintf(s, sizeof(s), "%.2f", p);
	char *dot = strchr(s, '.');
	if (dot) {
		char *end = s + strlen(s);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	if (!strcmp(s, "-0"))
		strcpy(s, "0");
	buf_adds(out, s);
}

void report_bytes(struct buf *out, double bytes)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;

	while (bytes >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		bytes /= 1024;
		u++;
	}
	if (u == 0)
		buf_addf(out, "%.0f B", bytes);
	else
		buf_addf(out, "%.1f %s", bytes, units[u]);
}

void report_figures(const struct run *run, struct buf *out)
{
	buf_addf(out, _("cpu %.0f ms, wall %.0f ms"), run->cpu_ms, run->wall_ms);
	if (run->peak_memory > 0) {
		buf_adds(out, _(", peak memory "));
		report_bytes(out, (double)run->peak_memory);
	}
	if (run->processes > 0)
		buf_addf(out, _n(", %ld process", ", %ld processes", (unsigned long)run->processes),
			 run->processes);
	buf_adds(out, _(", output "));
	report_bytes(out, (double)run->out.total);
	if (run->err.total) {
		buf_adds(out, " + stderr ");
		report_bytes(out, (double)run->err.total);
	}
}

/* ---- checks and headers ---- */

void report_check_title(const struct check_result *c, struct buf *out)
{
	buf_adds(out, c->check ? c->check : "check");
	if (c->label && *c->label)
		buf_addf(out, " (%s)", c->label);
}

/* Append text with every line after the first indented. */
static void add_indented(struct buf *out, const char *text, const char *indent)
{
	for (const char *p = text; *p; p++) {
		buf_addc(out, *p);
		if (*p == '\n' && p[1])
			buf_adds(out, indent);
	}
	if (out->len && out->data[out->len - 1] != '\n')
		buf_addc(out, '\n');
}

void report_check_messages(const struct test_verdict *t, bool all, struct buf *out)
{
	if (!t->passed && t->message && *t->message)
		add_indented(out, t->message, "");
	for (size_t i = 0; i < t->nchecks; i++) {
		const struct check_result *c = &t->checks[i];
		if (c->passed && !all)
			continue;
		report_check_title(c, out);
		buf_adds(out, ": ");
		if (c->passed)
			add_indented(out, _("ok"), "  ");
		else
			add_indented(out, c->message && *c->message ? c->message : _("failed"), "  ");
	}
}

void report_failure_text(const struct test_verdict *t, struct buf *out)
{
	report_check_messages(t, false, out);
	if (t->ran && t->args)
		buf_addf(out, "%s%s%s\n", _("command"), _(": "), t->args);
	if (t->ran && outcome_is_limit(t->run.outcome)) {
		report_figures(&t->run, out);
		buf_addc(out, '\n');
	}
}

void report_sandbox(const struct result *r, struct buf *out)
{
	const struct sandbox_info *s = r->sandbox;

	if (!s || !s->name) {
		buf_adds(out, _("unknown"));
		return;
	}
	buf_adds(out, s->name);
	if (s->missing[0])
		buf_addf(out, _(" (weaker: %.*s)"), (int)sizeof(s->missing), s->missing);
}

const char *report_status(const struct test_verdict *t)
{
	if (t->status_text)
		return t->status_text;
	if (t->status)
		return t->status;
	return t->passed ? _("passed") : _("failed");
}

size_t report_tests_passed(const struct result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->ntests; i++)
		n += r->tests[i].passed;
	return n;
}

/* ---- files ---- */

int report_write_file(const char *path, const char *data, size_t n)
{
	if (!strcmp(path, "-")) {
		if (fwrite(data, 1, n, stdout) != n || fflush(stdout) == EOF)
			return error_errno("cannot write to stdout");
		return 0;
	}
	char *tmp = xasprintf("%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		error_errno("cannot create %s", tmp);
		free(tmp);
		return -1;
	}
	int rc = 0;
	if (write_all(fd, data, n) < 0)
		rc = error_prefix("%s", path);
	else if (fchmod(fd, 0644) < 0)
		rc = error_errno("cannot chmod %s", tmp);
	if (close(fd) < 0 && rc == 0)
		rc = error_errno("cannot write %s", path);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = error_errno("cannot rename %s to %s", tmp, path);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
