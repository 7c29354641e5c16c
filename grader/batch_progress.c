/*
 * batch_progress.c - what a TA watches while a batch runs (see
 * batch_progress.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "batch_progress.h"
#include "util.h"

/* The terminal's width in columns (80 when it does not say). */
static size_t term_cols(int fd)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* "0:15", "12:03", "1:02:03" */
static void add_duration(struct buf *b, double seconds)
{
	long s = seconds < 0 ? 0 : (long)(seconds + 0.5);
	if (s >= 3600)
		buf_addf(b, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		buf_addf(b, "%ld:%02ld", s / 60, s % 60);
}

static void put(const struct progress *p, const struct buf *b)
{
	write_all(p->fd, b->data, b->len);
}

/* Take the live line off the screen. */
static void erase(struct progress *p)
{
	if (p->live && p->drawn)
		write_all(p->fd, "\r\x1b[K", 4);
	p->drawn = false;
}

void progress_start(struct progress *p, int fd, size_t total, size_t done, size_t full)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->live = isatty(fd);
	p->total = total;
	p->done = p->resumed = done;
	p->full = full;
	p->start = now_ms();
}

void progress_student(struct progress *p, const char *name, const char *what, bool full,
		      bool error)
{
	struct buf b = BUF_INIT;
	p->done++;
	p->full += full;
	p->errors += error;
	if (p->live && !error)
		return;         /* the live line says it */
	erase(p);
	buf_addf(&b, "[%zu/%zu] %s: %s\n", p->done, p->total, name, what);
	put(p, &b);
	buf_free(&b);
}

void progress_tick(struct progress *p, size_t running, double slowest_ms)
{
	if (!p->live)
		return;
	struct buf b = BUF_INIT;
	double secs = (now_ms() - p->start) / 1000;
	size_t now = p->done - p->resumed;
	buf_addf(&b, "[%zu/%zu] %zu at full marks", p->done, p->total, p->full);
	if (p->errors)
		buf_addf(&b, ", %zu grader errors", p->errors);
	buf_addf(&b, ", %zu running", running);
	if (running)
		buf_addf(&b, " (slowest %.1f s)", slowest_ms / 1000);
	if (now && secs > 0) {
		double rate = now / secs;
		buf_addf(&b, ", %.2f/s, ETA ", rate);
		add_duration(&b, (double)(p->total - p->done) / rate);
	}
	size_t cols = term_cols(p->fd);
	size_t keep = text_fit(buf_str(&b), cols > 1 ? cols - 1 : 1, NULL);
	struct buf line = BUF_INIT;
	buf_adds(&line, "\r");
	buf_add(&line, b.data, keep);
	buf_adds(&line, "\x1b[K");
	put(p, &line);
	p->drawn = true;
	buf_free(&line);
	buf_free(&b);
}

void progress_end(struct progress *p, size_t most)
{
	struct buf b = BUF_INIT;
	double secs = (now_ms() - p->start) / 1000;
	size_t now = p->done - p->resumed;
	erase(p);
	buf_addf(&b, "done: %zu of %zu in the gradebook, %zu at full marks, %zu grader errors; "
		 "%zu graded in ", p->done, p->total, p->full, p->errors, now);
	add_duration(&b, secs);
	if (now)
		buf_addf(&b, " (%.2f s per submission, %zu at most at once)", secs / now, most);
	buf_adds(&b, "\n");
	put(p, &b);
	buf_free(&b);
}
