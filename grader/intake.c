/*
 * intake.c - find a student's files in a submission, safely (see intake.h).
 *
 * Theory of operation.  Nothing is ever extracted as-is.  A submission is
 * seen as a list of entries: a directory walked without following links, or
 * an archive read header by header with libarchive.  Each entry is either
 * junk (under __MACOSX/ or a dot path: ignored), unsafe (absolute or ".."
 * path, symbolic or hard link, device, fifo: skipped and noted, never
 * followed), or a regular file.  Regular files are listed in `found`; only
 * the ones that could be a wanted file are read, into memory and capped,
 * and the best candidate per wanted name (the shallowest) is written to
 * dest/<wanted> at the end, under a name intake chose.  Two or more equally
 * shallow ones are ambiguous: none is copied (the submission's verdict
 * names them).
 * An archive inside the submission (a student who zipped a zip) is opened
 * in memory, at most two levels deep, and only while a wanted file is still
 * missing.  When a one-file exercise finds no file of the wanted name but
 * exactly one file with its extension (or the submission is that one file),
 * it is used (students rename files) and a note says so.
 *
 * Formats: the ones libarchive reads itself, without mtree (see
 * intake_new_reader) and without external decompressor programs.  libarchive is
 * loaded on first use (archive_lib.h): a C file or a folder without
 * archives in it never loads it; when it cannot be loaded, reading an
 * archive is an error (the grader's fault), never a missing file.
 *
 * Limits (exceeding one is an error, never a partial intake): 1 MiB per
 * file read, 16 MiB per nested archive, 64 MiB unpacked per submission
 * (archives: the sizes their headers declare, so a zip bomb is refused
 * before anything is inflated), 10 000 entries.
 *
 * LMS bulk downloads (one archive holding every student's submission) are
 * intake_lms.c's.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "archive_lib.h"
#include "i18n.h"
#include "intake.h"
#include "intake_internal.h"
#include "util.h"

#define FILE_MAX        (1L << 20)
#define NESTED_FILE_MAX (16L << 20)
#define TOTAL_MAX       (64L << 20)
#define ENTRIES_MAX     10000
#define NEST_MAX        2       /* archives inside the submission, levels */
#define PATH_MAX_LEN    1024

static const char *const archive_exts[] = {
	".zip", ".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz",
	".tar.zst", ".7z", ".rar",
};

/* ---- small helpers ---- */

size_t intake_archive_ext(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(archive_exts); i++)
		if (strlen(name) > strlen(archive_exts[i]) && str_ends(name, archive_exts[i]))
			return strlen(archive_exts[i]);
	return 0;
}

static const char *ext_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot != name ? dot : "";
}

/* A copy of s fit for a report line: control characters become '?'. */
static char *printable(const char *s)
{
	char *p = xstrdup(s);
	for (unsigned char *c = (unsigned char *)p; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			*c = '?';
	return p;
}

/* "skipped PATH: WHY" */
static void note(char ***notes, const char *path, const char *why)
{
	char *p = printable(path);
	char *line = xasprintf(_("skipped %s: %s"), p, _(why));
	strv_push(notes, line);
	free(line);
	free(p);
}

int intake_depth(const char *path)
{
	int n = 0;
	for (; *path; path++)
		n += *path == '/';
	return n;
}

static bool is_junk_component(const char *c, size_t n)
{
	return (n == 8 && !memcmp(c, "__MACOSX", 8)) || (n > 0 && c[0] == '.');
}

/* Is any component of a clean relative path junk (__MACOSX, dot files)? */
bool intake_is_junk(const char *path)
{
	for (const char *c = path; *c;) {
		size_t n = strcspn(c, "/");
		if (is_junk_component(c, n))
			return true;
		c += n + (c[n] == '/');
	}
	return false;
}

/*
 * Clean an archive entry's path: backslashes become '/', "." and empty
 * components go.  NULL with *why set for an absolute path or one that
 * climbs out with ".."; NULL with *why NULL for the root itself.
 */
char *intake_clean_path(const char *raw, const char **why)
{
	struct buf b = BUF_INIT;
	char *s = xstrdup(raw);
	*why = NULL;
	for (char *c = s; *c; c++)
		if (*c == '\\')
			*c = '/';
	if (s[0] == '/' || (isalpha((unsigned char)s[0]) && s[1] == ':'))
		*why = N_("absolute path");
	for (char *c = s; !*why && *c;) {
		size_t n = strcspn(c, "/");
		if (n == 2 && c[0] == '.' && c[1] == '.')
			*why = N_("path outside the submission");
		else if (n && !(n == 1 && c[0] == '.')) {
			if (b.len)
				buf_addc(&b, '/');
			buf_add(&b, c, n);
		}
		c += n + (c[n] == '/');
	}
	if (!*why && b.len > PATH_MAX_LEN)
		*why = N_("path too long");
	free(s);
	if (*why || !b.len) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/*
 * Every archive format libarchive reads by itself, but not "all": mtree is a
 * text description whose entries name files on the grader's disk (reading
 * one would read /etc/shadow if it said so), and a one-word text file
 * passes for mtree.  Only in-process decompressors, no external programs.
 * NULL (error set) when libarchive cannot be loaded.
 */
struct archive *intake_new_reader(void)
{
	const struct archive_lib *A = archive_lib();
	if (!A)
		return NULL;
	struct archive *a = A->archive_read_new();
	A->archive_read_support_format_tar(a);
	A->archive_read_support_format_zip(a);
	A->archive_read_support_format_7zip(a);
	A->archive_read_support_format_rar(a);
	A->archive_read_support_format_rar5(a);
	A->archive_read_support_format_cpio(a);
	A->archive_read_support_format_iso9660(a);
	A->archive_read_support_format_xar(a);
	A->archive_read_support_format_cab(a);
	A->archive_read_support_format_lha(a);
	A->archive_read_support_format_ar(a);
	A->archive_read_support_filter_gzip(a);
	A->archive_read_support_filter_bzip2(a);
	A->archive_read_support_filter_xz(a);
	A->archive_read_support_filter_lzma(a);
	A->archive_read_support_filter_lzip(a);
	A->archive_read_support_filter_zstd(a);
	A->archive_read_support_filter_lz4(a);
	A->archive_read_support_filter_compress(a);
	return a;
}

static int strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strv_sort(char **v)
{
	qsort(v, strv_len(v), sizeof(*v), strcmp_p);
}

/* ---- the scan: every entry of a submission, whatever holds it ---- */

struct pick {                   /* the best file so far for one name */
	char *path;             /* NULL: none yet */
	int level;              /* 0: not inside a nested archive */
	int depth;
	int seen;
	char **ties;            /* every path placed as well as path (path too) */
	char **all;             /* every path seen, in order */
	struct buf data;
};

struct nested {                 /* an archive inside the submission */
	char *path;
	int level;              /* 1: inside the submission, 2: inside that */
	struct buf data;        /* read already (archives in archives) */
	bool read;
	bool done;
};

struct scan {
	char *const *wanted;
	size_t nwanted;
	struct pick *picks;     /* one per wanted name */
	struct pick alt;        /* one-file exercise: files of the same extension */
	const char *kind;       /* "archive" or "directory", for messages */
	char **found, **notes;
	size_t entries;
	long unpacked;
	int root_fd;            /* a directory submission: its fd */
	bool survey;            /* intake_survey: every nested archive opened */
	struct nested *nested;
	size_t nnested, capnested;
};

/* Reads the current entry's data into b (at most cap bytes, else error). */
typedef int (*read_fn)(void *ctx, struct buf *b, long cap, const char *path);

static int count_entry(struct scan *sc)
{
	if (++sc->entries > ENTRIES_MAX)
		return error_set("%s holds more than %d entries", sc->kind, ENTRIES_MAX);
	return 0;
}

static int count_bytes(struct scan *sc, long n)
{
	sc->unpacked += n;
	if (sc->unpacked > TOTAL_MAX)
		return error_set("%s unpacks to more than %ld MiB", sc->kind, TOTAL_MAX >> 20);
	return 0;
}

/* Direct files beat nested ones, then shallow beat deep: <0 path is
   placed better than p's, 0 as well (a tie), >0 worse. */
static int placement(const struct pick *p, const char *path, int level)
{
	if (!p->path)
		return -1;
	if (level != p->level)
		return level < p->level ? -1 : 1;
	return intake_depth(path) - p->depth;
}

/* Read the entry into pick p if it beats what p holds (ties: by path). */
static int offer(struct scan *sc, struct pick *p, const char *path, int level, long declared,
		 read_fn rd, void *ctx)
{
	struct buf data = BUF_INIT;
	int place = placement(p, path, level);
	p->seen++;
	if (p->path && level < p->level) {
		strv_free(p->all);
		p->all = NULL;
	}
	if (!p->path || level <= p->level)
		strv_push(&p->all, path);
	if (place < 0) {
		strv_free(p->ties);
		p->ties = NULL;
	}
	if (place <= 0)
		strv_push(&p->ties, path);
	if (place > 0 || (place == 0 && strcmp(path, p->path) >= 0))
		return 0;
	if (rd(ctx, &data, FILE_MAX, path) < 0) {
		buf_free(&data);
		return -1;
	}
	if ((long)data.len > declared && count_bytes(sc, (long)data.len - declared) < 0) {
		buf_free(&data);
		return -1;
	}
	buf_free(&p->data);
	free(p->path);
	p->data = data;
	p->path = xstrdup(path);
	p->level = level;
	p->depth = intake_depth(path);
	return 0;
}

static void add_nested(struct scan *sc, const char *path, int level, struct buf *data)
{
	grow(&sc->nested, &sc->capnested, sc->nnested + 1, sizeof(*sc->nested));
	struct nested *n = &sc->nested[sc->nnested++];
	memset(n, 0, sizeof(*n));
	n->path = xstrdup(path);
	n->level = level;
	if (data) {
		n->data = *data;
		n->read = true;
		memset(data, 0, sizeof(*data));
	}
}

/*
 * One regular file at path (clean, relative), declared bytes long, inside
 * an archive (level >= 1 when nested) or a directory.  Records it in found
 * and reads it when it is a candidate.
 */
static int take_file(struct scan *sc, const char *path, long declared, int level,
		     bool in_archive, read_fn rd, void *ctx)
{
	const char *base = path_base(path);
	char *shown = printable(path);
	strv_push(&sc->found, shown);
	free(shown);
	for (size_t i = 0; i < sc->nwanted; i++)
		if (!strcmp(base, path_base(sc->wanted[i])))
			return offer(sc, &sc->picks[i], path, level, declared, rd, ctx);
	if (intake_archive_ext(base) && level < NEST_MAX) {
		if (!in_archive) {
			add_nested(sc, path, level + 1, NULL);
			return 0;
		}
		struct buf data = BUF_INIT;
		if (rd(ctx, &data, NESTED_FILE_MAX, path) < 0 ||
		    ((long)data.len > declared && count_bytes(sc, (long)data.len - declared) < 0)) {
			buf_free(&data);
			return -1;
		}
		add_nested(sc, path, level + 1, &data);
		return 0;
	}
	if (sc->nwanted == 1 && *ext_of(base) && !strcmp(ext_of(base), ext_of(sc->wanted[0])))
		return offer(sc, &sc->alt, path, level, declared, rd, ctx);
	return 0;
}

/* ---- archives ---- */

/* (Who holds a struct archive has libarchive loaded: archive_lib.h.) */
int intake_read_entry(void *ctx, struct buf *b, long cap, const char *path)
{
	const struct archive_lib *A = archive_lib();
	struct archive *a = ctx;
	char chunk[65536];
	for (;;) {
		la_ssize_t n = A->archive_read_data(a, chunk, sizeof(chunk));
		if (n < 0)
			return error_set("cannot read %s: %s", path, A->archive_error_string(a));
		if (n == 0)
			return 0;
		if ((long)b->len + n > cap)
			return error_set("%s is larger than %ld MiB", path, cap >> 20);
		buf_add(b, chunk, (size_t)n);
	}
}

const char *intake_unsafe_type(struct archive_entry *e)
{
	const struct archive_lib *A = archive_lib();
	if (A->archive_entry_hardlink(e))
		return N_("hard link (not followed)");
	switch (A->archive_entry_filetype(e)) {
	case AE_IFREG:
	case AE_IFDIR:
		return NULL;
	case AE_IFLNK:
		return N_("symbolic link (not followed)");
	default:
		return N_("not a regular file");
	}
}

const char *intake_entry_name(struct archive_entry *e)
{
	const struct archive_lib *A = archive_lib();
	const char *p = A->archive_entry_pathname(e);
	return p ? p : A->archive_entry_pathname_utf8(e);
}

/* Every entry of an opened archive; prefix names it in paths ("" at top). */
static int scan_archive(struct scan *sc, struct archive *a, const char *prefix, int level)
{
	const struct archive_lib *A = archive_lib();
	struct archive_entry *e;
	int rc;
	while ((rc = A->archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const char *why, *raw = intake_entry_name(e);
		if (count_entry(sc) < 0)
			return -1;
		if (!raw) {
			strv_push(&sc->notes, _("skipped an entry whose name cannot be read"));
			continue;
		}
		char *clean = intake_clean_path(raw, &why);
		if (!clean) {
			if (why)
				note(&sc->notes, raw, why);
			continue;
		}
		char *path = xasprintf("%s%s", prefix, clean);
		free(clean);
		const char *bad = intake_unsafe_type(e);
		int r = 0;
		if (intake_is_junk(path) || (!bad && A->archive_entry_filetype(e) == AE_IFDIR))
			;
		else if (bad)
			note(&sc->notes, path, bad);
		else {
			long declared = A->archive_entry_size_is_set(e) ?
					(long)A->archive_entry_size(e) : 0;
			if (declared < 0)
				declared = 0;
			r = count_bytes(sc, declared);
			if (r == 0)
				r = take_file(sc, path, declared, level, true, intake_read_entry, a);
		}
		free(path);
		if (r < 0)
			return -1;
	}
	if (rc != ARCHIVE_EOF)
		return error_set("cannot read the %s: %s", sc->kind, A->archive_error_string(a));
	return 0;
}

static int scan_archive_file(struct scan *sc, const char *file)
{
	struct archive *a = intake_new_reader();
	if (!a)
		return -1;
	const struct archive_lib *A = archive_lib();
	int rc = -1;
	if (A->archive_read_open_filename(a, file, 65536) != ARCHIVE_OK)
		error_set("cannot open archive %s: %s", file, A->archive_error_string(a));
	else
		rc = scan_archive(sc, a, "", 0);
	A->archive_read_free(a);
	return rc;
}

/* ---- directories ---- */

struct dir_file {
	int dirfd;
	const char *name;
};

static int read_fd_capped(int fd, struct buf *b, long cap, const char *path)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_errno("cannot read %s", path);
		if (n == 0)
			return 0;
		if ((long)b->len + n > cap)
			return error_set("%s is larger than %ld MiB", path, cap >> 20);
		buf_add(b, chunk, (size_t)n);
	}
}

/* Open a regular file without following a link, and read it capped. */
static int dir_read_capped(void *ctx, struct buf *b, long cap, const char *path)
{
	const struct dir_file *f = ctx;
	struct stat st;
	int fd = openat(f->dirfd, f->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return error_errno("cannot open %s", path);
	int rc = fstat(fd, &st) < 0 ? error_errno("cannot stat %s", path)
	       : !S_ISREG(st.st_mode) ? error_set("%s is not a regular file", path)
	       : read_fd_capped(fd, b, cap, path);
	close(fd);
	return rc;
}

static int walk_dir(struct scan *sc, int dirfd, const char *rel, int depth);

static int walk_entry(struct scan *sc, int dirfd, const char *name, const char *path, int depth)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return error_errno("cannot stat %s", path);
	if (S_ISLNK(st.st_mode)) {
		note(&sc->notes, path, N_("symbolic link (not followed)"));
	} else if (S_ISDIR(st.st_mode)) {
		if (depth >= INTAKE_DIR_DEPTH_MAX) {
			note(&sc->notes, path, N_("directories nested too deep"));
			return 0;
		}
		int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return error_errno("cannot open directory %s", path);
		int rc = walk_dir(sc, fd, path, depth + 1);
		close(fd);
		return rc;
	} else if (!S_ISREG(st.st_mode)) {
		note(&sc->notes, path, N_("not a regular file"));
	} else if (st.st_nlink > 1) {
		note(&sc->notes, path, N_("hard link (not followed)"));
	} else {
		struct dir_file f = {dirfd, name};
		return take_file(sc, path, 0, 0, false, dir_read_capped, &f);
	}
	return 0;
}

/* Walk directory dirfd (at relative path rel, "" for the top), sorted. */
static int walk_dir(struct scan *sc, int dirfd, const char *rel, int depth)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char **names = NULL;
	struct dirent *e;
	int rc = 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return error_errno("cannot read directory %s", *rel ? rel : ".");
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((rc = count_entry(sc)) < 0)
			break;
		if (!is_junk_component(e->d_name, strlen(e->d_name)))
			strv_push(&names, e->d_name);
	}
	closedir(d);
	strv_sort(names);
	for (size_t i = 0; rc == 0 && names && names[i]; i++) {
		char *path = *rel ? path_join(rel, names[i]) : xstrdup(names[i]);
		rc = walk_entry(sc, dirfd, names[i], path, depth);
		free(path);
	}
	strv_free(names);
	return rc;
}

/* Open relative path under root_fd, following no link on the way. */
static int open_beneath(int root_fd, const char *path)
{
	char *p = xstrdup(path);
	int fd = dup(root_fd);
	for (char *c = p; fd >= 0;) {
		char *slash = strchr(c, '/');
		if (!slash) {
			int f = openat(fd, c, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			close(fd);
			fd = f;
			break;
		}
		*slash = '\0';
		int next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		c = slash + 1;
	}
	free(p);
	return fd;
}

/* ---- nested archives: opened only while a wanted file is missing ---- */

static bool all_found(const struct scan *sc)
{
	for (size_t i = 0; i < sc->nwanted; i++)
		if (!sc->picks[i].path)
			return false;
	return true;
}

static struct nested *next_nested(struct scan *sc)
{
	struct nested *best = NULL;
	for (size_t i = 0; i < sc->nnested; i++) {
		struct nested *n = &sc->nested[i];
		if (n->done)
			continue;
		if (!best || n->level < best->level ||
		    (n->level == best->level && (intake_depth(n->path) < intake_depth(best->path) ||
		     (intake_depth(n->path) == intake_depth(best->path) && strcmp(n->path, best->path) < 0))))
			best = n;
	}
	return best;
}

static int load_nested(struct scan *sc, struct nested *n)
{
	if (n->read)
		return 0;
	int fd = open_beneath(sc->root_fd, n->path);
	struct stat st;
	if (fd < 0)
		return error_errno("cannot open %s", n->path);
	int rc = fstat(fd, &st) < 0 ? error_errno("cannot stat %s", n->path)
	       : !S_ISREG(st.st_mode) ? error_set("%s is not a regular file", n->path)
	       : read_fd_capped(fd, &n->data, NESTED_FILE_MAX, n->path);
	close(fd);
	n->read = true;
	return rc < 0 ? -1 : count_bytes(sc, (long)n->data.len);
}

/* The nested archive at path, read into data: one that cannot be read is
   noted, not an error. */
static int scan_nested_archive(struct scan *sc, const struct buf *data, const char *path,
			       int level)
{
	struct archive *a = intake_new_reader();
	if (!a)
		return -1;
	const struct archive_lib *A = archive_lib();
	char *prefix = xasprintf("%s/", path);
	int rc = 0;
	if (A->archive_read_open_memory(a, data->data, data->len) != ARCHIVE_OK) {
		char *why = xasprintf(_("not an archive libarchive can read (%s)"),
				      A->archive_error_string(a));
		note(&sc->notes, path, why);
		free(why);
	} else {
		rc = scan_archive(sc, a, prefix, level);
	}
	A->archive_read_free(a);
	free(prefix);
	return rc;
}

static int scan_nested(struct scan *sc)
{
	struct nested *n;
	while ((sc->survey || !all_found(sc)) && (n = next_nested(sc))) {
		n->done = true;
		if (load_nested(sc, n) < 0)
			return -1;
		/* copy what scan_archive needs: sc->nested may move when it grows */
		char *path = xstrdup(n->path);
		struct buf data = n->data;
		int level = n->level;
		memset(&n->data, 0, sizeof(n->data));
		int rc = scan_nested_archive(sc, &data, path, level);
		buf_free(&data);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- one file ---- */

static int collect_one_file(struct scan *sc, const char *file)
{
	const char *base = path_base(file);
	struct buf data = BUF_INIT;
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return error_errno("cannot open %s", file);
	int rc = read_fd_capped(fd, &data, FILE_MAX, base);
	close(fd);
	if (rc < 0) {
		buf_free(&data);
		return -1;
	}
	char *shown = printable(base);
	strv_push(&sc->found, shown);
	free(shown);
	struct pick *p = NULL;
	for (size_t i = 0; i < sc->nwanted && !p; i++)
		if (!strcmp(base, path_base(sc->wanted[i])))
			p = &sc->picks[i];
	if (!p && sc->nwanted == 1 && *ext_of(base) && !strcmp(ext_of(base), ext_of(sc->wanted[0])))
		p = &sc->alt;
	if (p) {
		p->path = xstrdup(base);
		p->data = data;
		p->seen = 1;
		strv_push(&p->ties, base);
		strv_push(&p->all, base);
	} else {
		buf_free(&data);
	}
	return 0;
}

/* A submission that is a file: an archive, or the one file itself. */
static int collect_file(struct scan *sc, const char *file)
{
	int archive = str_ends(file, ".c") || str_ends(file, ".h") ? 0 : intake_is_archive(file);
	if (archive < 0)
		return -1;
	if (archive) {
		archive_lib_utf8_begin();
		sc->kind = "archive";
		int rc = scan_archive_file(sc, file);
		archive_lib_utf8_end();
		return rc;
	}
	if (intake_archive_ext(file))
		return error_set("%s is not an archive that can be read (zip, tar, tar.gz, 7z, rar...)",
				 file);
	sc->kind = "file";
	return collect_one_file(sc, file);
}

/* ---- results ---- */

static int write_pick(const char *dest, const char *wanted, const struct pick *p)
{
	char *to = path_join(dest, wanted);
	char *slash = strrchr(to, '/');
	int rc = 0;
	if (strchr(wanted, '/')) {
		*slash = '\0';
		rc = mkdir_p(to, 0755);
		*slash = '/';
	}
	if (rc == 0)
		rc = file_write(to, p->data.data ? p->data.data : "", p->data.len, 0644);
	free(to);
	return rc;
}

/* "half_copy.c found 2 times: a/half_copy.c, b/half_copy.c" */
static char *found_at(const char *wanted, char *const *paths)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, _("%s found %zu times:"), path_base(wanted), strv_len(paths));
	for (size_t i = 0; paths[i]; i++) {
		char *shown = printable(paths[i]);
		buf_addf(&b, "%s %s", i ? "," : "", shown);
		free(shown);
	}
	return buf_detach(&b);
}

static int finish(struct scan *sc, const char *dest, struct intake *out)
{
	if (sc->nwanted == 1 && !sc->picks[0].path && sc->alt.path && sc->alt.seen == 1) {
		char *p = printable(sc->alt.path);
		char *line = xasprintf(_("used %s as %s"), p, sc->wanted[0]);
		strv_push(&sc->notes, line);
		free(line);
		free(p);
		sc->picks[0] = sc->alt;
		memset(&sc->alt, 0, sizeof(sc->alt));
	}
	for (size_t i = 0; i < sc->nwanted; i++) {
		struct pick *p = &sc->picks[i];
		if (!p->path) {
			strv_push(&out->missing, sc->wanted[i]);
			continue;
		}
		if (strv_len(p->ties) > 1) {
			char *found = found_at(sc->wanted[i], p->ties);
			char *line = xasprintf(_("%s: none used, which one is yours? Keep one, "
					       "or move the others deeper"), found);
			strv_push(&out->ambiguous, sc->wanted[i]);
			strv_push(&sc->notes, line);
			free(line);
			free(found);
			continue;
		}
		if (strv_len(p->all) > 1) {
			char *found = found_at(sc->wanted[i], p->all);
			char *shown = printable(p->path);
			char *line = xasprintf(_("%s: used %s, the least deep"), found, shown);
			strv_push(&sc->notes, line);
			free(line);
			free(shown);
			free(found);
		}
		if (dest && write_pick(dest, sc->wanted[i], p) < 0)
			return -1;
	}
	for (size_t i = 0; i < sc->nwanted; i++)
		for (size_t j = 0; sc->picks[i].all && sc->picks[i].all[j]; j++)
			strv_push(&out->candidates, sc->picks[i].all[j]);
	strv_sort(sc->found);
	out->found = sc->found;
	out->notes = sc->notes;
	sc->found = sc->notes = NULL;
	return 0;
}

static void scan_free(struct scan *sc)
{
	for (size_t i = 0; i < sc->nwanted; i++) {
		free(sc->picks[i].path);
		strv_free(sc->picks[i].ties);
		strv_free(sc->picks[i].all);
		buf_free(&sc->picks[i].data);
	}
	free(sc->picks);
	free(sc->alt.path);
	strv_free(sc->alt.ties);
	strv_free(sc->alt.all);
	buf_free(&sc->alt.data);
	for (size_t i = 0; i < sc->nnested; i++) {
		free(sc->nested[i].path);
		buf_free(&sc->nested[i].data);
	}
	free(sc->nested);
	strv_free(sc->found);
	strv_free(sc->notes);
	if (sc->root_fd >= 0)
		close(sc->root_fd);
}

static int check_wanted(char *const *wanted)
{
	for (size_t i = 0; wanted && wanted[i]; i++) {
		const char *why;
		char *c = intake_clean_path(wanted[i], &why);
		bool ok = c && !strcmp(c, wanted[i]);
		free(c);
		if (!ok)
			return error_set("bad student file name '%s' in the spec", wanted[i]);
	}
	return 0;
}

static int collect(const char *submission, char *const *wanted, const char *dest,
		   struct intake *out)
{
	struct scan sc = {.wanted = wanted, .nwanted = strv_len(wanted), .root_fd = -1,
			  .survey = !dest};
	struct stat st;
	int rc;
	memset(out, 0, sizeof(*out));
	if (check_wanted(wanted) < 0)
		return -1;
	if (stat(submission, &st) < 0)
		return error_errno("cannot read %s", submission);
	sc.picks = xcalloc(sc.nwanted ? sc.nwanted : 1, sizeof(*sc.picks));
	if (S_ISDIR(st.st_mode)) {
		sc.kind = "directory";
		sc.root_fd = open(submission, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		rc = sc.root_fd < 0 ? error_errno("cannot open directory %s", submission)
				    : walk_dir(&sc, sc.root_fd, "", 0);
	} else if (!S_ISREG(st.st_mode)) {
		rc = error_set("%s is not a file or a directory", submission);
	} else {
		rc = collect_file(&sc, submission);
	}
	if (rc == 0) {
		archive_lib_utf8_begin();
		rc = scan_nested(&sc);
		archive_lib_utf8_end();
	}
	if (rc == 0)
		rc = finish(&sc, dest, out);
	scan_free(&sc);
	if (rc < 0)
		intake_free(out);
	return rc;
}

int intake_collect(const char *submission, char *const *wanted, const char *dest,
		   struct intake *out)
{
	return collect(submission, wanted, dest, out);
}

int intake_survey(const char *submission, char *const *wanted, struct intake *out)
{
	return collect(submission, wanted, NULL, out);
}

void intake_free(struct intake *in)
{
	strv_free(in->candidates);
	strv_free(in->found);
	strv_free(in->missing);
	strv_free(in->ambiguous);
	strv_free(in->notes);
	memset(in, 0, sizeof(*in));
}

/* Does reader a open path and read a first header (or an empty archive)? */
static bool reads_header(struct archive *a, const char *path)
{
	const struct archive_lib *A = archive_lib();
	struct archive_entry *e;
	if (A->archive_read_open_filename(a, path, 65536) != ARCHIVE_OK)
		return false;
	int rc = A->archive_read_next_header(a, &e);
	return rc == ARCHIVE_OK || rc == ARCHIVE_WARN ||
	       (rc == ARCHIVE_EOF && A->archive_format(a) != 0);
}

int intake_is_archive(const char *path)
{
	if (path_is_dir(path))
		return 0;
	archive_lib_utf8_begin();
	struct archive *a = intake_new_reader();
	int ok = a ? reads_header(a, path) : -1;
	if (a)
		archive_lib()->archive_read_free(a);
	archive_lib_utf8_end();
	return ok;
}
