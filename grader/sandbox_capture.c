/*
 * sandbox_capture.c - what runs printed: the capped capture of stdout and
 * stderr (the first bytes up to the cap, then a ring of the last cap/4).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sandbox.h"
#include "sandbox_internal.h"
#include "util.h"

/* ---- one output stream: head up to cap, then a ring of the last cap/4 ---- */

void sbx_stream_init(struct sbx_stream *s, int fd, struct capture *c, long cap)
{
	memset(c, 0, sizeof(*c));
	s->fd = fd;
	s->c = c;
	s->cap = cap > 0 ? (size_t)cap : 0;
	s->ring_cap = s->cap / 4 ? s->cap / 4 : 1;
	s->ring = NULL;
	s->ring_len = s->ring_pos = 0;
}

static void stream_add(struct sbx_stream *s, const char *data, size_t n)
{
	size_t room = s->cap > s->c->head.len ? s->cap - s->c->head.len : 0;
	size_t take = n < room ? n : room;

	s->c->total += n;
	buf_add(&s->c->head, data, take);
	data += take;
	n -= take;
	if (!n)
		return;
	if (!s->ring)
		s->ring = xmalloc(s->ring_cap);
	if (n > s->ring_cap) {          /* only the last ring_cap bytes matter */
		data += n - s->ring_cap;
		n = s->ring_cap;
	}
	while (n) {
		size_t chunk = s->ring_cap - s->ring_pos;
		if (chunk > n)
			chunk = n;
		memcpy(s->ring + s->ring_pos, data, chunk);
		s->ring_pos = (s->ring_pos + chunk) % s->ring_cap;
		s->ring_len = s->ring_len + chunk > s->ring_cap ? s->ring_cap
							       : s->ring_len + chunk;
		data += chunk;
		n -= chunk;
	}
}

void sbx_stream_finish(struct sbx_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->ring_len) {
		size_t start = (s->ring_pos + s->ring_cap - s->ring_len) % s->ring_cap;
		size_t first = s->ring_cap - start < s->ring_len ? s->ring_cap - start
								 : s->ring_len;
		buf_add(&s->c->tail, s->ring + start, first);
		buf_add(&s->c->tail, s->ring, s->ring_len - first);
	}
	s->c->truncated = s->c->total > s->c->head.len + s->c->tail.len ||
			  s->c->total > s->cap;
	free(s->ring);
	s->ring = NULL;
}

/* Read what is there, but stop past the cap (the caller then kills the
   tree) or after a few chunks (the loop has other things to watch).
   Returns false at EOF/error (fd closed). */
bool sbx_stream_read(struct sbx_stream *s, bool draining)
{
	char chunk[65536];

	for (int rounds = 0; draining || rounds < 16; rounds++) {
		ssize_t n = read(s->fd, chunk, sizeof(chunk));
		if (n > 0) {
			stream_add(s, chunk, n);
			if ((size_t)n < sizeof(chunk) || (!draining && s->c->total > s->cap))
				return true;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		close(s->fd);
		s->fd = -1;
		return false;
	}
	return true;
}
