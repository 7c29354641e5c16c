/*
 * intake_lms.c - what learning management systems name and bundle: the
 * student's name in an LMS file name (Moodle, Canvas, Blackboard), and bulk
 * downloads (one archive, or the folder it was extracted to, holding every
 * student's submission) recognised by their entry names and split per
 * student with intake.c's rules (clean paths, no links, no junk) and
 * larger limits.  See intake.h.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "archive_lib.h"
#include "intake.h"
#include "intake_internal.h"
#include "util.h"

/* Bulk downloads hold a whole class. */
#define BULK_FILE_MAX    (16L << 20)
#define BULK_TOTAL_MAX   (1L << 30)
#define BULK_ENTRIES_MAX 100000

/* ---- LMS names ---- */

struct lms {
	char *name;             /* the student, as the LMS shows it */
	char *key;              /* name and id: one student */
	const char *rest;       /* the student's own file name after the prefix */
	const char *kind;       /* "moodle", "canvas", "blackboard" */
	char *id;               /* participant id, user id, user name */
	char *submission_id;    /* Canvas only */
	bool late;              /* Canvas only */
};

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Moodle: "Full Name_12345_assignsubmission_file_rest" */
static bool lms_moodle(const char *s, struct lms *out)
{
	const char *tag = strstr(s, "_assignsubmission_");
	if (!tag)
		return false;
	const char *us = tag;
	while (us > s && us[-1] != '_')
		us--;
	if (us == s || !all_digits(us, (size_t)(tag - us)) || us - 1 == s)
		return false;
	const char *plugin = tag + strlen("_assignsubmission_");
	const char *after = strchr(plugin, '_');
	out->name = xstrndup(s, (size_t)(us - 1 - s));
	out->key = xstrndup(s, (size_t)(tag - s));
	out->rest = after ? after + 1 : plugin + strlen(plugin);
	out->kind = "moodle";
	out->id = xstrndup(us, (size_t)(tag - us));
	return true;
}

/* Canvas: "name_12345_67890_rest" or "name_late_12345_67890_rest" */
static bool lms_canvas(const char *s, struct lms *out)
{
	const char *us = strchr(s, '_');
	if (!us || us == s)
		return false;
	const char *ids = us + 1;
	bool late = !strncasecmp(ids, "late_", 5);
	if (late)
		ids += 5;
	size_t n1 = strspn(ids, "0123456789");
	if (!n1 || ids[n1] != '_')
		return false;
	size_t n2 = strspn(ids + n1 + 1, "0123456789");
	const char *rest = ids + n1 + 1 + n2;
	if (!n2 || rest[0] != '_' || !rest[1])
		return false;
	out->name = xstrndup(s, (size_t)(us - s));
	out->key = xasprintf("%s_%.*s", out->name, (int)n1, ids);
	out->rest = rest + 1;
	out->kind = "canvas";
	out->id = xstrndup(ids, n1);
	out->submission_id = xstrndup(ids + n1 + 1, n2);
	out->late = late;
	return true;
}

/* Blackboard: "Assignment_user_attempt_2024-01-31-23-59-59[_rest]" */
static bool lms_blackboard(const char *s, struct lms *out)
{
	const char *tag = strstr(s, "_attempt_");
	if (!tag)
		return false;
	const char *date = tag + strlen("_attempt_");
	if (strlen(date) < 19 || !all_digits(date, 4) || date[4] != '-')
		return false;
	const char *us = tag;
	while (us > s && us[-1] != '_')
		us--;
	if (us == tag || us == s)
		return false;
	out->name = xstrndup(us, (size_t)(tag - us));
	out->key = xstrdup(out->name);
	out->rest = date[19] == '_' ? date + 20 : date + 19;
	out->kind = "blackboard";
	out->id = xstrdup(out->name);
	return true;
}

static bool lms_parse(const char *s, struct lms *out)
{
	memset(out, 0, sizeof(*out));
	return lms_moodle(s, out) || lms_blackboard(s, out) || lms_canvas(s, out);
}

static void lms_free(struct lms *l)
{
	free(l->name);
	free(l->key);
	free(l->id);
	free(l->submission_id);
	memset(l, 0, sizeof(*l));
}

static char *strip_known_ext(const char *name)
{
	static const char *const code_exts[] = {".c", ".h"};
	size_t archive_ext = intake_archive_ext(name);
	if (archive_ext)
		return xstrndup(name, strlen(name) - archive_ext);
	for (size_t i = 0; i < ARRAY_SIZE(code_exts); i++)
		if (strlen(name) > strlen(code_exts[i]) && str_ends(name, code_exts[i]))
			return xstrndup(name, strlen(name) - strlen(code_exts[i]));
	return xstrdup(name);
}

/* The last component of path, "." and ".." resolved through the cwd. */
static char *last_component(const char *path)
{
	char *p = xstrdup(path);
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	const char *base = path_base(p);
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		char *real = realpath(p, NULL);
		free(p);
		if (!real)
			return xstrdup("");
		p = real;
		base = path_base(p);
	}
	char *out = xstrdup(base);
	free(p);
	return out;
}

char *intake_student_name(const char *submission)
{
	char *base = last_component(submission);
	struct lms l;
	char *name;
	if (lms_parse(base, &l)) {
		name = l.name;
		l.name = NULL;
		lms_free(&l);
	} else {
		name = path_is_dir(submission) ? xstrdup(base) : strip_known_ext(base);
	}
	free(base);
	for (unsigned char *c = (unsigned char *)name; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			*c = '_';
	if (!*name) {
		free(name);
		name = xstrdup("student");
	}
	return name;
}

/* ---- LMS bulk downloads ---- */

/*
 * Where an entry of a bulk download belongs: the LMS-named component is the
 * first (or the second, under one wrapping folder).  Sets *l and returns the
 * student's relative path for the entry (caller frees), or NULL.
 */
static char *bulk_locate(const char *path, struct lms *l)
{
	const char *comp = path;
	for (int i = 0; i < 2; i++) {
		size_t n = strcspn(comp, "/");
		char *c = xstrndup(comp, n);
		bool ok = lms_parse(c, l);
		char *rel = NULL;
		if (ok && comp[n] == '/')
			rel = xstrdup(comp + n + 1);
		else if (ok && *l->rest)
			rel = xstrdup(l->rest);
		if (ok && l->rest != NULL)
			l->rest = NULL;  /* points into c */
		free(c);
		if (rel && *rel)
			return rel;
		free(rel);
		if (ok)
			lms_free(l);
		if (comp[n] != '/')
			break;
		comp += n + 1;
	}
	return NULL;
}

struct bulk_student {
	char *key, *name, *dir;     /* dir: the folder's name under dest */
	struct lms who;
};

struct bulk {
	struct bulk_student *st;
	size_t n, cap;
	size_t entries;
	long total;
};

/* Where the entries of a bulk download come from: the archive itself, or
   the folder a TA extracted it to (walked on disk, symlinks not followed,
   names relative to the folder). */
struct source {
	struct archive *a;
	struct archive_entry *disk_entry;   /* NULL: an archive file */
	size_t root_len;
};

static int source_open(struct source *src, const char *path)
{
	const struct archive_lib *A = archive_lib();
	memset(src, 0, sizeof(*src));
	if (!A)
		return -1;
	if (!path_is_dir(path)) {
		src->a = intake_new_reader();
		if (A->archive_read_open_filename(src->a, path, 65536) == ARCHIVE_OK)
			return 0;
	} else {
		src->a = A->archive_read_disk_new();
		src->disk_entry = A->archive_entry_new();
		src->root_len = strlen(path);
		while (src->root_len > 1 && path[src->root_len - 1] == '/')
			src->root_len--;
		A->archive_read_disk_set_symlink_physical(src->a);
		if (A->archive_read_disk_open(src->a, path) == ARCHIVE_OK)
			return 0;
	}
	return error_set("cannot open %s: %s", path, A->archive_error_string(src->a));
}

/* The next entry and its name (ARCHIVE_OK or WARN), or ARCHIVE_EOF. */
static int source_next(struct source *src, struct archive_entry **e, const char **name)
{
	const struct archive_lib *A = archive_lib();
	int rc;

	if (!src->disk_entry) {
		rc = A->archive_read_next_header(src->a, e);
		*name = rc == ARCHIVE_OK || rc == ARCHIVE_WARN ? intake_entry_name(*e) : NULL;
		return rc;
	}
	rc = A->archive_read_next_header2(src->a, src->disk_entry);
	*e = src->disk_entry;
	*name = NULL;
	if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
		return rc;
	if (A->archive_entry_filetype(*e) == AE_IFDIR)
		A->archive_read_disk_descend(src->a);
	const char *p = A->archive_entry_pathname(*e);
	*name = p && strlen(p) > src->root_len ? p + src->root_len + 1 : "";
	return rc;
}

static void source_close(struct source *src)
{
	const struct archive_lib *A = archive_lib();
	if (!A)
		return;         /* never opened */
	A->archive_read_free(src->a);
	if (src->disk_entry)
		A->archive_entry_free(src->disk_entry);
}

typedef int (*bulk_entry_fn)(struct bulk *b, struct archive *a, const char *path,
			     const struct lms *l, const char *rel, void *ctx);

/* Every regular, safe, non-junk entry of the bulk archive through fn. */
static int bulk_each(const char *archive, struct bulk *b, bulk_entry_fn fn, void *ctx)
{
	struct source src;
	struct archive_entry *e;
	const char *raw;
	int rc;
	b->entries = 0;
	b->total = 0;
	if (source_open(&src, archive) < 0) {
		source_close(&src);
		return -1;
	}
	const struct archive_lib *A = archive_lib();
	struct archive *a = src.a;
	while ((rc = source_next(&src, &e, &raw)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const char *why;
		if (++b->entries > BULK_ENTRIES_MAX) {
			error_set("archive holds more than %d entries", BULK_ENTRIES_MAX);
			break;
		}
		if (A->archive_entry_size_is_set(e) && A->archive_entry_size(e) > 0)
			b->total += (long)A->archive_entry_size(e);
		if (b->total > BULK_TOTAL_MAX) {
			error_set("archive unpacks to more than %ld MiB", BULK_TOTAL_MAX >> 20);
			break;
		}
		char *path = raw ? intake_clean_path(raw, &why) : NULL;
		struct lms l;
		char *rel = NULL;
		if (path && !intake_unsafe_type(e) && A->archive_entry_filetype(e) == AE_IFREG &&
		    !intake_is_junk(path) && (rel = bulk_locate(path, &l))) {
			int r = intake_is_junk(rel) ? 0 : fn(b, a, path, &l, rel, ctx);
			lms_free(&l);
			free(rel);
			if (r < 0) {
				free(path);
				break;
			}
		}
		free(path);
	}
	int ok = rc == ARCHIVE_EOF;
	if (!ok && rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
		error_set("cannot read %s: %s", archive, A->archive_error_string(a));
	source_close(&src);
	return ok ? 0 : -1;
}

static struct bulk_student *bulk_find(struct bulk *b, const char *key)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->st[i].key, key))
			return &b->st[i];
	return NULL;
}

static int bulk_count(struct bulk *b, struct archive *a, const char *path,
		      const struct lms *l, const char *rel, void *ctx)
{
	int *lms_entries = ctx;
	struct bulk_student *s = bulk_find(b, l->key);
	++*lms_entries;
	if (s) {
		/* Canvas: a resubmission; its newest id, late if one file is */
		s->who.late |= l->late;
		if (l->submission_id && (strlen(l->submission_id) > strlen(s->who.submission_id) ||
		    (strlen(l->submission_id) == strlen(s->who.submission_id) &&
		     strcmp(l->submission_id, s->who.submission_id) > 0))) {
			free(s->who.submission_id);
			s->who.submission_id = xstrdup(l->submission_id);
		}
		return 0;
	}
	grow(&b->st, &b->cap, b->n + 1, sizeof(*b->st));
	s = &b->st[b->n++];
	memset(s, 0, sizeof(*s));
	s->key = xstrdup(l->key);
	s->name = xstrdup(l->name);
	s->who.kind = l->kind;
	s->who.id = l->id ? xstrdup(l->id) : NULL;
	s->who.submission_id = l->submission_id ? xstrdup(l->submission_id) : NULL;
	s->who.late = l->late;
	return 0;
}

static void bulk_free(struct bulk *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->st[i].key);
		free(b->st[i].name);
		free(b->st[i].dir);
		lms_free(&b->st[i].who);
	}
	free(b->st);
	memset(b, 0, sizeof(*b));
}

/* Count regular entries (outside junk) of the archive. */
static long count_files(const char *archive)
{
	struct source src;
	struct archive_entry *e;
	const char *raw;
	long n = 0, entries = 0;
	if (source_open(&src, archive) == 0) {
		const struct archive_lib *A = archive_lib();
		while (source_next(&src, &e, &raw) == ARCHIVE_OK && ++entries <= BULK_ENTRIES_MAX) {
			const char *why;
			char *path = raw ? intake_clean_path(raw, &why) : NULL;
			if (path && A->archive_entry_filetype(e) == AE_IFREG && !intake_is_junk(path))
				n++;
			free(path);
		}
	}
	source_close(&src);
	return n;
}

int intake_is_bulk(const char *archive)
{
	struct bulk b = {0};
	int lms_entries = 0;
	if (!archive_lib())
		return -1;
	archive_lib_utf8_begin();
	int rc = bulk_each(archive, &b, bulk_count, &lms_entries);
	long files = rc == 0 && lms_entries ? count_files(archive) : 0;
	archive_lib_utf8_end();
	bulk_free(&b);
	/* most of the files are under LMS names */
	return rc == 0 && lms_entries > 0 && 2L * lms_entries >= files;
}

/* A directory name from a student name: no '/', no control character,
   not hidden, not empty. */
static char *safe_dir_name(const char *name)
{
	char *s = xstrndup(name, 100);
	for (unsigned char *c = (unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f || strchr("/\\:*?\"<>|", *c))
			*c = '_';
	if (s[0] == '.')
		s[0] = '_';
	if (!*s) {
		free(s);
		s = xstrdup("student");
	}
	return s;
}

static int cmp_student(const void *a, const void *b)
{
	const struct bulk_student *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->key, y->key);
}

/* Sorted by name then key; the second "smith" gets "smith-2". */
static void bulk_assign_dirs(struct bulk *b)
{
	qsort(b->st, b->n, sizeof(*b->st), cmp_student);
	for (size_t i = 0; i < b->n; i++) {
		char *base = safe_dir_name(b->st[i].name);
		char *dir = xstrdup(base);
		for (int k = 2;; k++) {
			bool taken = false;
			for (size_t j = 0; j < i && !taken; j++)
				taken = !strcasecmp(b->st[j].dir, dir);
			if (!taken)
				break;
			free(dir);
			dir = xasprintf("%s-%d", base, k);
		}
		b->st[i].dir = dir;
		free(base);
	}
}

/* Write one entry to dest/<student dir>/<rel>; the first of duplicates wins. */
static int bulk_write(struct bulk *b, struct archive *a, const char *path,
		      const struct lms *l, const char *rel, void *ctx)
{
	const char *dest = ctx;
	struct bulk_student *s = bulk_find(b, l->key);
	struct buf data = BUF_INIT;
	int rc = 0;
	if (!s || intake_depth(rel) > INTAKE_DIR_DEPTH_MAX)
		return 0;
	if (intake_read_entry(a, &data, BULK_FILE_MAX, path) < 0) {
		buf_free(&data);
		return 0;  /* too large or unreadable: left out, intake says missing */
	}
	char *dir = path_join(dest, s->dir);
	char *to = path_join(dir, rel);
	char *slash = strrchr(to, '/');
	*slash = '\0';
	if (mkdir_p(to, 0755) == 0) {
		*slash = '/';
		int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0) {
			rc = write_all(fd, data.data ? data.data : "", data.len);
			if (close(fd) < 0 && rc == 0)
				rc = error_errno("cannot write %s", to);
		} else if (errno != EEXIST) {
			rc = error_errno("cannot create %s", to);
		}
	}
	free(to);
	free(dir);
	buf_free(&data);
	return rc;
}

static int split_bulk(const char *archive, const char *dest, struct lms_student **out)
{
	struct bulk b = {0};
	int lms_entries = 0;
	*out = NULL;
	if (bulk_each(archive, &b, bulk_count, &lms_entries) < 0) {
		bulk_free(&b);
		return -1;
	}
	bulk_assign_dirs(&b);
	int rc = mkdir_p(dest, 0755);
	struct lms_student *st = xcalloc(b.n + 1, sizeof(*st));
	for (size_t i = 0; rc == 0 && i < b.n; i++) {
		st[i].dir = path_join(dest, b.st[i].dir);
		st[i].name = xstrdup(b.st[i].name);
		st[i].lms = b.st[i].who.kind;
		st[i].id = b.st[i].who.id ? xstrdup(b.st[i].who.id) : NULL;
		st[i].submission_id = b.st[i].who.submission_id ?
				      xstrdup(b.st[i].who.submission_id) : NULL;
		st[i].late = b.st[i].who.late;
		rc = mkdir_p(st[i].dir, 0755);
	}
	if (rc == 0)
		rc = bulk_each(archive, &b, bulk_write, (void *)dest);
	int n = (int)b.n;
	bulk_free(&b);
	if (rc < 0) {
		intake_lms_free(st);
		return error_prefix("cannot split %s", archive);
	}
	*out = st;
	return n;
}

int intake_split_bulk(const char *archive, const char *dest, struct lms_student **out)
{
	archive_lib_utf8_begin();
	int n = split_bulk(archive, dest, out);
	archive_lib_utf8_end();
	return n;
}

void intake_lms_free(struct lms_student *st)
{
	for (size_t i = 0; st && st[i].dir; i++) {
		free(st[i].dir);
		free(st[i].name);
		free(st[i].id);
		free(st[i].submission_id);
	}
	free(st);
}

int intake_lms_identity(const char *submission, struct lms_student *out)
{
	char *base = last_component(submission);
	struct lms l;
	memset(out, 0, sizeof(*out));
	bool ok = lms_parse(base, &l);
	if (ok) {
		out->lms = l.kind;
		out->id = l.id;
		out->submission_id = l.submission_id;
		out->late = l.late;
		l.id = l.submission_id = NULL;
		lms_free(&l);
	}
	free(base);
	return ok;
}
