/*
 * check_intake.c - intake on every kind of submission and every hostile
 * archive (built at test time by tests/archives/make.sh), student names and
 * LMS bulk splits.  Each test asserts what was copied (by the marker line
 * each generated file carries) and what was refused.
 */
#include <check.h>
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "intake.h"
#include "util.h"

static char *archives;          /* the generated archives (unchecked fixture) */
static char *dest;              /* a fresh destination per test */
static struct intake in;

static void build_archives(void)
{
	archives = make_temp_dir("archives");
	ck_assert_ptr_nonnull(archives);
	char *cmd = xasprintf("sh tests/archives/make.sh '%s'", archives);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static void remove_archives(void)
{
	rm_rf(archives);
	free(archives);
}

static void setup(void)
{
	dest = make_temp_dir("intake-dest");
	ck_assert_ptr_nonnull(dest);
	memset(&in, 0, sizeof(in));
}

static void teardown(void)
{
	intake_free(&in);
	rm_rf(dest);
	free(dest);
}

static char *arch(const char *name)
{
	return path_join(archives, name);
}

/* intake_collect of archives/name wanting half_copy.c. */
static int collect(const char *name)
{
	char *wanted[] = {"half_copy.c", NULL};
	char *path = arch(name);
	intake_free(&in);
	rm_rf(dest);
	mkdir_p(dest, 0700);
	int rc = intake_collect(path, wanted, dest, &in);
	free(path);
	return rc;
}

/* The marker comment of the copied half_copy.c ("" when none was copied). */
static char *copied(void)
{
	struct buf b = BUF_INIT;
	char *path = path_join(dest, "half_copy.c");
	static char marker[256];
	marker[0] = '\0';
	if (path_exists(path) && file_read(path, &b) == 0 && str_starts(b.data, "/* ")) {
		size_t n = strcspn(b.data + 3, "*");
		snprintf(marker, sizeof(marker), "%.*s", (int)(n ? n - 1 : 0), b.data + 3);
	}
	buf_free(&b);
	free(path);
	return marker;
}

static size_t entries_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static bool has(char **v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static bool has_note(const char *part)
{
	for (size_t i = 0; in.notes && in.notes[i]; i++)
		if (strstr(in.notes[i], part))
			return true;
	return false;
}

/* ---- ordinary submissions ---- */

START_TEST(test_zip_tar_kinds)
{
	static const char *kinds[] = {"ok.zip", "ok.tar", "ok.tar.gz", "ok.tar.bz2", "dir"};
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		ck_assert_msg(collect(kinds[i]) == 0, "%s: %s", kinds[i], error_get());
		ck_assert_str_eq(copied(), "proj/half_copy.c");
		ck_assert_ptr_null(in.missing);
		/* the shallower of two copies is used, and both named in a note */
		ck_assert_ptr_null(in.ambiguous);
		ck_assert_msg(has_note("found 2 times: proj/half_copy.c, proj/sub/half_copy.c: used"
				       " proj/half_copy.c") ||
			      has_note("found 2 times: half_copy.c, sub/half_copy.c: used half_copy.c"),
			      "%s", in.notes ? in.notes[0] : "no note");
		const char *prefix = strcmp(kinds[i], "dir") ? "proj/" : "";
		char *notes = xasprintf("%snotes.txt", prefix), *mk = xasprintf("%sMakefile", prefix);
		ck_assert(has(in.found, notes) && has(in.found, mk));
		free(notes);
		free(mk);
		for (size_t j = 0; in.found[j]; j++) {
			ck_assert_msg(!strstr(in.found[j], ".DS_Store"), "%s", in.found[j]);
			if (j)
				ck_assert(strcmp(in.found[j - 1], in.found[j]) <= 0);
		}
		ck_assert_uint_eq(entries_in(dest), 1);
	}
}
END_TEST

START_TEST(test_dir_skips_symlinks)
{
	ck_assert_int_eq(collect("dir"), 0);
	ck_assert(has_note("skipped passwd.c: symbolic link"));
	ck_assert(has_note("skipped etc: symbolic link"));
	ck_assert(!has(in.found, "passwd.c"));
	for (size_t j = 0; in.found[j]; j++)
		ck_assert(!str_starts(in.found[j], "etc/"));
}
END_TEST

START_TEST(test_single_file)
{
	ck_assert_int_eq(collect("half_copy.c"), 0);
	ck_assert_str_eq(copied(), "single");
	ck_assert(has(in.found, "half_copy.c"));
	ck_assert_ptr_null(in.notes);
	/* a renamed file stands for the one wanted file, with a note */
	ck_assert_int_eq(collect("my_solution.c"), 0);
	ck_assert_str_eq(copied(), "single renamed");
	ck_assert(has_note("used my_solution.c as half_copy.c"));
}
END_TEST

START_TEST(test_single_file_two_wanted)
{
	char *wanted[] = {"half_copy.c", "util.c", NULL};
	char *path = arch("my_solution.c");
	ck_assert_int_eq(intake_collect(path, wanted, dest, &in), 0);
	free(path);
	ck_assert(has(in.missing, "half_copy.c") && has(in.missing, "util.c"));
	ck_assert(has(in.found, "my_solution.c"));
	ck_assert_uint_eq(entries_in(dest), 0);
}
END_TEST

START_TEST(test_two_wanted_in_archive)
{
	char *wanted[] = {"half_copy.c", "Makefile", NULL};
	char *path = arch("ok.tar.gz");
	ck_assert_int_eq(intake_collect(path, wanted, dest, &in), 0);
	free(path);
	ck_assert_ptr_null(in.missing);
	ck_assert_uint_eq(entries_in(dest), 2);
	char *mk = path_join(dest, "Makefile");
	ck_assert(path_exists(mk));
	free(mk);
}
END_TEST

START_TEST(test_renamed_in_archive)
{
	ck_assert_int_eq(collect("renamed.zip"), 0);
	ck_assert_str_eq(copied(), "renamed");
	ck_assert(has_note("used hw/halfcopy.c as half_copy.c"));
	/* two candidates: no guess */
	ck_assert_int_eq(collect("two_c.zip"), 0);
	ck_assert(has(in.missing, "half_copy.c"));
	ck_assert_str_eq(copied(), "");
}
END_TEST

START_TEST(test_macosx_and_dot_files)
{
	ck_assert_int_eq(collect("macosx.zip"), 0);
	ck_assert_str_eq(copied(), "macosx real");
	ck_assert_uint_eq(strv_len(in.found), 1);
	ck_assert_str_eq(in.found[0], "proj/half_copy.c");
	ck_assert_ptr_null(in.ambiguous);
}
END_TEST

/* Equally shallow copies: none is used, and the verdict names them all. */
START_TEST(test_duplicates_and_depth)
{
	ck_assert_int_eq(collect("dup.zip"), 0);
	ck_assert_str_eq(copied(), "");
	ck_assert_ptr_null(in.missing);
	ck_assert(has(in.ambiguous, "half_copy.c"));
	ck_assert(has_note("half_copy.c found 2 times: x/half_copy.c, x/half_copy.c: none used"));
	ck_assert_int_eq(collect("deep.zip"), 0);
	ck_assert_str_eq(copied(), "");
	ck_assert(has(in.ambiguous, "half_copy.c"));
	ck_assert(has_note("half_copy.c found 2 times: z/half_copy.c, b/half_copy.c: none used"));
	ck_assert_uint_eq(strv_len(in.candidates), 3);
	ck_assert_int_eq(collect("mixed.zip"), 0);
	ck_assert_str_eq(copied(), "direct deep");
	ck_assert_ptr_null(in.ambiguous);
}
END_TEST

/* intake_survey copies nothing and opens every nested archive. */
START_TEST(test_survey)
{
	char *wanted[] = {"half_copy.c", NULL}, *path = arch("mixed.zip");
	intake_free(&in);
	ck_assert_int_eq(intake_survey(path, wanted, &in), 0);
	ck_assert_uint_eq(strv_len(in.candidates), 1);
	ck_assert_str_eq(in.candidates[0], "proj/sub/half_copy.c");
	ck_assert(has(in.found, "x.zip/half_copy.c"));
	free(path);
	path = arch("nested.zip");
	intake_free(&in);
	ck_assert_int_eq(intake_survey(path, wanted, &in), 0);
	ck_assert_str_eq(in.candidates[0], "submission.zip/hw/half_copy.c");
	free(path);
}
END_TEST

START_TEST(test_nested_archives)
{
	ck_assert_int_eq(collect("nested.zip"), 0);
	ck_assert_str_eq(copied(), "nested");
	ck_assert(has(in.found, "submission.zip/hw/half_copy.c"));
	ck_assert_int_eq(collect("nested2.zip"), 0);
	ck_assert_str_eq(copied(), "two levels");
	/* three levels down is too deep */
	ck_assert_int_eq(collect("nested3.zip"), 0);
	ck_assert(has(in.missing, "half_copy.c"));
	/* a direct file, even deep, beats a nested archive, which stays closed */
	ck_assert_int_eq(collect("nested_and_direct.zip"), 0);
	ck_assert_str_eq(copied(), "direct");
	for (size_t j = 0; in.found[j]; j++)
		ck_assert(!str_starts(in.found[j], "inner.zip/"));
	/* opened for a missing Makefile, it does not replace a direct half_copy.c */
	char *wanted[] = {"half_copy.c", "Makefile", NULL};
	char *path = arch("mixed.zip");
	intake_free(&in);
	rm_rf(dest);
	mkdir_p(dest, 0700);
	ck_assert_int_eq(intake_collect(path, wanted, dest, &in), 0);
	free(path);
	ck_assert_ptr_null(in.missing);
	ck_assert_str_eq(copied(), "direct deep");
	ck_assert(has(in.found, "x.zip/Makefile"));
}
END_TEST

/* ---- hostile archives ---- */

START_TEST(test_traversal_and_absolute)
{
	ck_assert_int_eq(collect("traversal.zip"), 0);
	ck_assert_str_eq(copied(), "safe");
	ck_assert(has_note("skipped ../../half_copy.c: path outside the submission"));
	ck_assert(has_note("skipped /tmp/abs/half_copy.c: absolute path"));
	ck_assert(has_note("skipped a/../../b/half_copy.c: path outside"));
	ck_assert_uint_eq(strv_len(in.found), 1);
	ck_assert_uint_eq(entries_in(dest), 1);
	ck_assert(!path_exists("/tmp/abs/half_copy.c"));
	ck_assert_int_eq(collect("traversal.tar"), 0);
	ck_assert(has(in.missing, "half_copy.c"));
	ck_assert(has_note("skipped /etc/half_copy.c: absolute path"));
	ck_assert_uint_eq(entries_in(dest), 0);
}
END_TEST

START_TEST(test_links_and_devices)
{
	ck_assert_int_eq(collect("links.tar"), 0);
	ck_assert(has(in.missing, "half_copy.c"));
	ck_assert(has_note("skipped half_copy.c: symbolic link"));
	ck_assert(has_note("skipped sub/half_copy.c: hard link"));
	ck_assert(has_note("skipped dev/half_copy.c: not a regular file"));
	ck_assert(has_note("skipped fifo.c: not a regular file"));
	ck_assert_uint_eq(strv_len(in.found), 1);
	ck_assert_str_eq(in.found[0], "real.txt");
	ck_assert_uint_eq(entries_in(dest), 0);
	ck_assert_int_eq(collect("symlink.zip"), 0);
	ck_assert(has(in.missing, "half_copy.c"));
	ck_assert(has_note("skipped half_copy.c: symbolic link"));
	ck_assert_uint_eq(entries_in(dest), 0);
}
END_TEST

START_TEST(test_bombs)
{
	static const char *bombs[] = {"bomb.zip", "bomb.tar.gz"};
	for (size_t i = 0; i < ARRAY_SIZE(bombs); i++) {
		double t = now_ms();
		ck_assert_int_eq(collect(bombs[i]), -1);
		ck_assert_msg(strstr(error_get(), "unpacks to more than 64 MiB"), "%s", error_get());
		ck_assert_msg(now_ms() - t < 2000, "%s took %.0f ms", bombs[i], now_ms() - t);
		ck_assert_ptr_null(in.found);
		ck_assert_uint_eq(entries_in(dest), 0);
	}
}
END_TEST

START_TEST(test_big_file_and_many_entries)
{
	ck_assert_int_eq(collect("big.zip"), -1);
	ck_assert_str_eq(error_get(), "half_copy.c is larger than 1 MiB");
	ck_assert_int_eq(collect("many.zip"), -1);
	ck_assert_str_eq(error_get(), "archive holds more than 10000 entries");
	ck_assert_uint_eq(entries_in(dest), 0);
}
END_TEST

/* mtree lists files of the reader's disk: it must not be read as an archive */
START_TEST(test_mtree_is_not_an_archive)
{
	char *p = arch("evil.mtree");
	ck_assert(!intake_is_archive(p));
	free(p);
	/* one text file, not a C file: found, nothing copied */
	ck_assert_int_eq(collect("evil.mtree"), 0);
	ck_assert(has(in.found, "evil.mtree"));
	ck_assert(has(in.missing, "half_copy.c"));
	ck_assert_uint_eq(entries_in(dest), 0);
}
END_TEST

START_TEST(test_unreadable_archive)
{
	ck_assert_int_eq(collect("corrupt.zip"), -1);
	ck_assert_msg(strstr(error_get(), "corrupt.zip is not an archive that can be read"), "%s",
		      error_get());
}
END_TEST

START_TEST(test_utf8_names)
{
	ck_assert_int_eq(collect("unicode.zip"), 0);
	ck_assert_str_eq(copied(), "unicode");
	ck_assert(has(in.found, "h\u00e9llo/half_copy.c"));
	ck_assert(has(in.found, "\u65e5\u672c/notes.txt"));
	ck_assert_ptr_null(in.notes);
}
END_TEST

/* Linked static, the grader has two C libraries: the shared one that
   libarchive brings took a copy of the environment pointer when it was
   loaded, and reads TZ at every zip entry.  A setenv() that grows the
   environment afterwards frees the array that copy points to (so
   archive_lib.c gives it ours at each call). */
START_TEST(test_setenv_after_load)
{
	char *p = arch("ok.zip");
	setenv("GRADER_TEST_FIRST", "1", 1);        /* our environment on the heap */
	ck_assert_int_eq(intake_is_archive(p), 1);  /* libarchive loaded */
	free(p);
	for (int i = 0; i < 100; i++) {
		char name[32];
		snprintf(name, sizeof(name), "GRADER_TEST_%d", i);
		setenv(name, "1", 1);                   /* the array grows and moves */
	}
	ck_assert_int_eq(collect("ok.zip"), 0);
	ck_assert_str_eq(copied(), "proj/half_copy.c");
	/* libarchive's C library sees what we see */
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	ck_assert_ptr_nonnull(libc);
	char *(*lib_getenv)(const char *) = (char *(*)(const char *))dlsym(libc, "getenv");
	ck_assert_ptr_nonnull(lib_getenv);
	ck_assert_pstr_eq(lib_getenv("GRADER_TEST_99"), "1");
}
END_TEST

START_TEST(test_escape_in_names)
{
	ck_assert_int_eq(collect("escape.zip"), 0);
	ck_assert_str_eq(copied(), "escape");
	for (size_t j = 0; in.found[j]; j++)
		for (const char *c = in.found[j]; *c; c++)
			ck_assert((unsigned char)*c >= 0x20);
}
END_TEST

/* Directories built here: a fifo (must not block), a hard link, 10 001 files. */
START_TEST(test_dir_hostile)
{
	char *wanted[] = {"half_copy.c", NULL};
	char *dir = make_temp_dir("intake-dir");
	char *fifo = path_join(dir, "half_copy.c"), *real = path_join(dir, "real.c");
	char *hard = path_join(dir, "other.c");
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	ck_assert_int_eq(intake_collect(dir, wanted, dest, &in), 0);
	ck_assert(has(in.missing, "half_copy.c"));
	ck_assert(has_note("skipped half_copy.c: not a regular file"));
	intake_free(&in);
	unlink(fifo);
	ck_assert_int_eq(file_write(real, "int x;\n", 7, 0644), 0);
	ck_assert_int_eq(link(real, fifo), 0);
	ck_assert_int_eq(intake_collect(dir, wanted, dest, &in), 0);
	ck_assert(has_note("skipped half_copy.c: hard link"));
	ck_assert(has(in.missing, "half_copy.c"));
	intake_free(&in);
	unlink(fifo);
	for (int i = 0; i < 10001; i++) {
		char name[32];
		snprintf(name, sizeof(name), "f%05d", i);
		char *p = path_join(dir, name);
		int fd = open(p, O_CREAT | O_WRONLY, 0644);
		ck_assert_int_ge(fd, 0);
		close(fd);
		free(p);
	}
	ck_assert_int_eq(intake_collect(dir, wanted, dest, &in), -1);
	ck_assert_str_eq(error_get(), "directory holds more than 10000 entries");
	rm_rf(dir);
	free(dir);
	free(fifo);
	free(real);
	free(hard);
}
END_TEST

START_TEST(test_is_archive)
{
	static const struct { const char *name; int archive; } cases[] = {
		{"ok.zip", 1}, {"ok.tar", 1}, {"ok.tar.gz", 1}, {"ok.tar.bz2", 1},
		{"half_copy.c", 0}, {"dir", 0}, {"dir/notes.txt", 0}, {"dir/Makefile", 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *p = arch(cases[i].name);
		ck_assert_msg(intake_is_archive(p) == cases[i].archive, "%s", cases[i].name);
		free(p);
	}
}
END_TEST

/* ---- names ---- */

START_TEST(test_student_names)
{
	static const char *cases[][2] = {
		{"Ada Lovelace_12345_assignsubmission_file_", "Ada Lovelace"},
		{"/x/y/Ada Lovelace_12345_assignsubmission_file_/", "Ada Lovelace"},
		{"Ada Lovelace_12345_assignsubmission_file_half_copy.c", "Ada Lovelace"},
		{"Ada Lovelace_12345_assignsubmission_onlinetext_onlinetext.html", "Ada Lovelace"},
		{"lovelace_12345_67890_half_copy.c", "lovelace"},
		{"dl/lovelace_late_12345_67890_half_copy.c", "lovelace"},
		{"lovelace_LATE_12345_67890_hw.zip", "lovelace"},
		{"Assignment 1_jdoe_attempt_2024-01-31-23-59-59_half_copy.c", "jdoe"},
		{"submissions/lovelace.zip", "lovelace"},
		{"hw.tar.gz", "hw"},
		{"half_copy.c", "half_copy"},
		{"J. R. R. Tolkien", "J. R. R. Tolkien"},
		{"test_1_2.c", "test_1_2"},
		{"a\001b.c", "a_b"},
		{"x_12345_file.c", "x_12345_file"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *n = intake_student_name(cases[i][0]);
		ck_assert_msg(!strcmp(n, cases[i][1]), "%s -> %s, not %s", cases[i][0], n, cases[i][1]);
		free(n);
	}
	/* "." is named after the current directory */
	char *cwd = getcwd(NULL, 0), *n = intake_student_name(".");
	ck_assert_str_eq(n, path_base(cwd));
	free(cwd);
	free(n);
}
END_TEST

/* ---- LMS bulk downloads ---- */

static char *read_marker(const char *dir, const char *rel)
{
	struct buf b = BUF_INIT;
	char *p = path_join(dir, rel);
	char *out = NULL;
	if (file_read(p, &b) == 0)
		out = xstrndup(b.data + 3, strcspn(b.data + 3, "*") - 1);
	free(p);
	buf_free(&b);
	return out;
}

/* The marker intake finds for student st[i]. */
static char *student_copy(struct lms_student *st, size_t i)
{
	char *wanted[] = {"half_copy.c", NULL};
	intake_free(&in);
	char *d = make_temp_dir("intake-student");
	ck_assert_int_eq(intake_collect(st[i].dir, wanted, d, &in), 0);
	char *m = read_marker(d, "half_copy.c");
	rm_rf(d);
	free(d);
	return m ? m : xstrdup("");
}

START_TEST(test_bulk_moodle)
{
	char *zip = arch("bulk_moodle.zip");
	struct lms_student *st;
	ck_assert(intake_is_bulk(zip));
	ck_assert_int_eq(intake_split_bulk(zip, dest, &st), 7);
	/* two John Smiths: two students, told apart by their participant ids */
	static const char *want[][3] = {
		{"Ada Lovelace", "lovelace", NULL}, {"Alan Turing", "nested", NULL},
		{"Edsger Dijkstra", "dijkstra", NULL}, {"Grace Hopper", "hopper tgz", NULL},
		{"John Smith", "smith 1", "11111"}, {"John Smith", "smith 2", "22222"},
		{"Jos\u00e9 Garc\u00eda", "garcia", NULL},
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		char *m = student_copy(st, i);
		ck_assert_str_eq(st[i].name, want[i][0]);
		ck_assert_str_eq(m, want[i][1]);
		ck_assert_str_eq(st[i].lms, "moodle");
		ck_assert_ptr_nonnull(st[i].id);
		if (want[i][2])
			ck_assert_str_eq(st[i].id, want[i][2]);
		ck_assert(!st[i].late);
		free(m);
	}
	ck_assert_ptr_null(st[7].dir);
	/* nothing else: no __MACOSX, no "Evil" (its only entry climbs out) */
	ck_assert_uint_eq(entries_in(dest), 7);
	char *notes = path_join(dest, "Edsger Dijkstra/notes.txt");
	ck_assert(path_exists(notes));
	free(notes);
	intake_lms_free(st);
	free(zip);
}
END_TEST

START_TEST(test_bulk_canvas_and_flat)
{
	char *zip = arch("bulk_canvas.zip");
	struct lms_student *st;
	ck_assert(intake_is_bulk(zip));
	ck_assert_int_eq(intake_split_bulk(zip, dest, &st), 4);
	/* name, marker, user id, submission id (knuth's newest), late */
	static const char *want[][5] = {
		{"hopper", "hopper tgz", NULL, NULL, ""},
		{"knuth", "canvas knuth resubmitted", "45678", "90124", ""},
		{"lovelace", "canvas lovelace", NULL, NULL, ""},
		{"turing", "canvas turing late", "23456", "78901", "late"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		char *m = student_copy(st, i);
		ck_assert_str_eq(st[i].name, want[i][0]);
		ck_assert_str_eq(m, want[i][1]);
		ck_assert_str_eq(st[i].lms, "canvas");
		if (want[i][2]) {
			ck_assert_str_eq(st[i].id, want[i][2]);
			ck_assert_str_eq(st[i].submission_id, want[i][3]);
		}
		ck_assert_int_eq(st[i].late, *want[i][4] != '\0');
		free(m);
	}
	/* knuth's two files (two submission ids, one student) are together */
	char *k = path_join(dest, "knuth/notes.txt");
	ck_assert(path_exists(k));
	free(k);
	intake_lms_free(st);
	free(zip);

	rm_rf(dest);
	zip = arch("bulk_moodle_flat.zip");
	ck_assert(intake_is_bulk(zip));
	ck_assert_int_eq(intake_split_bulk(zip, dest, &st), 2);
	char *m = student_copy(st, 1);
	ck_assert_str_eq(m, "turing flat renamed");
	ck_assert_str_eq(st[1].id, "23456");
	free(m);
	intake_lms_free(st);
	free(zip);
}
END_TEST

/* The folder a TA extracted a bulk download to splits like the archive. */
START_TEST(test_bulk_extracted_folder)
{
	static const struct { const char *zip; int students; const char *first; } cases[] = {
		/* 8: unzip drops the "../" of Evil's entry, so it lands in Evil's folder */
		{"bulk_moodle.zip", 8, "Ada Lovelace"}, {"bulk_canvas.zip", 4, "hopper"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *zip = arch(cases[i].zip);
		struct lms_student *st;
		char *folder = make_temp_dir("intake-extracted");
		char *cmd = xasprintf("unzip -qq -o '%s' -d '%s/' 2>/dev/null", zip, folder);
		ck_assert_int_le(system(cmd), 256);  /* unzip warns about the entry climbing out */
		/* a link planted in the folder is not followed (nor a student) */
		char *m = xasprintf("%s/Mallory_88888_assignsubmission_file_", folder);
		char *link = path_join(m, "half_copy.c");
		ck_assert_int_eq(mkdir(m, 0755), 0);
		ck_assert_int_eq(symlink("/etc/passwd", link), 0);
		free(link);
		free(m);
		char *slashed = xasprintf("%s/", folder);
		ck_assert_msg(intake_is_bulk(slashed), "%s extracted", cases[i].zip);
		rm_rf(dest);
		ck_assert_int_eq(intake_split_bulk(slashed, dest, &st), cases[i].students);
		ck_assert_str_eq(st[0].name, cases[i].first);
		intake_lms_free(st);
		rm_rf(folder);
		free(slashed);
		free(cmd);
		free(folder);
		free(zip);
	}
	/* a student's own folder is not a bulk download */
	char *plain = arch("ok.zip");
	char *folder = make_temp_dir("intake-plain");
	char *cmd = xasprintf("unzip -qq -o '%s' -d '%s' 2>/dev/null", plain, folder);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert(!intake_is_bulk(folder));
	rm_rf(folder);
	free(cmd);
	free(folder);
	free(plain);
}
END_TEST

START_TEST(test_not_bulk)
{
	static const char *names[] = {"not_bulk.zip", "ok.zip", "ok.tar.gz", "many.zip", "half_copy.c"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char *p = arch(names[i]);
		ck_assert_msg(!intake_is_bulk(p), "%s", names[i]);
		free(p);
	}
}
END_TEST

Suite *suite_intake(void);
Suite *suite_intake(void)
{
	Suite *s = suite_create("intake");
	TCase *tc = tcase_create("archives");
	tcase_add_unchecked_fixture(tc, build_archives, remove_archives);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_zip_tar_kinds);
	tcase_add_test(tc, test_dir_skips_symlinks);
	tcase_add_test(tc, test_single_file);
	tcase_add_test(tc, test_single_file_two_wanted);
	tcase_add_test(tc, test_two_wanted_in_archive);
	tcase_add_test(tc, test_renamed_in_archive);
	tcase_add_test(tc, test_macosx_and_dot_files);
	tcase_add_test(tc, test_duplicates_and_depth);
	tcase_add_test(tc, test_nested_archives);
	tcase_add_test(tc, test_survey);
	tcase_add_test(tc, test_traversal_and_absolute);
	tcase_add_test(tc, test_links_and_devices);
	tcase_add_test(tc, test_bombs);
	tcase_add_test(tc, test_big_file_and_many_entries);
	tcase_add_test(tc, test_escape_in_names);
	tcase_add_test(tc, test_utf8_names);
	tcase_add_test(tc, test_setenv_after_load);
	tcase_add_test(tc, test_mtree_is_not_an_archive);
	tcase_add_test(tc, test_unreadable_archive);
	tcase_add_test(tc, test_dir_hostile);
	tcase_add_test(tc, test_is_archive);
	tcase_add_test(tc, test_student_names);
	tcase_add_test(tc, test_bulk_moodle);
	tcase_add_test(tc, test_bulk_canvas_and_flat);
	tcase_add_test(tc, test_bulk_extracted_folder);
	tcase_add_test(tc, test_not_bulk);
	suite_add_tcase(s, tc);
	return s;
}
