/*
 * package.c - write a Gradescope autograder zip with libarchive (package.h),
 * loaded on first use (archive_lib.h).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "archive_lib.h"
#include "package.h"
#include "util.h"

/* (Who holds a struct archive has libarchive loaded: archive_lib.h.) */
static int add_entry(struct archive *a, const char *name, const void *data, size_t n, int mode)
{
	const struct archive_lib *A = archive_lib();
	struct archive_entry *e = A->archive_entry_new();
	A->archive_entry_set_pathname(e, name);
	A->archive_entry_set_size(e, (la_int64_t)n);
	A->archive_entry_set_filetype(e, AE_IFREG);
	A->archive_entry_set_perm(e, mode);
	A->archive_entry_set_mtime(e, time(NULL), 0);
	int rc = A->archive_write_header(a, e) == ARCHIVE_OK &&
		 (n == 0 || A->archive_write_data(a, data, n) == (la_ssize_t)n) ? 0 : -1;
	A->archive_entry_free(e);
	return rc < 0 ? error_set("cannot add %s: %s", name, A->archive_error_string(a)) : 0;
}

/* Add the file at path as name, executable if it is. */
static int add_file(struct archive *a, const char *path, const char *name)
{
	struct buf b = BUF_INIT;
	struct stat st;
	if (stat(path, &st) < 0)
		return error_errno("cannot read %s", path);
	if (file_read(path, &b) < 0)
		return -1;
	int rc = add_entry(a, name, b.data, b.len, st.st_mode & 0100 ? 0755 : 0644);
	buf_free(&b);
	return rc;
}

/* Add the regular files of dir (recursively) as prefix/... */
static int add_tree(struct archive *a, const char *dir, const char *prefix,
		    bool (*want)(const char *name))
{
	DIR *d = opendir(dir);
	if (!d)
		return error_errno("cannot read %s", dir);
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = path_join(dir, e->d_name);
		char *name = path_join(prefix, e->d_name);
		if (path_is_dir(path))
			rc = add_tree(a, path, name, want);
		else if (!want || want(e->d_name))
			rc = add_file(a, path, name);
		free(path);
		free(name);
	}
	closedir(d);
	return rc;
}

/* The message catalogues (po/LANG.po; grader/i18n.h). */
static bool is_catalogue(const char *name)
{
	return str_ends(name, ".po");
}

/* The grader's sources, and its templates for `grader new` (grader/scaffold/). */
static bool is_source(const char *name)
{
	return str_ends(name, ".c") || str_ends(name, ".h") || str_ends(name, ".yaml") ||
	       str_ends(name, ".md");
}

/* The project's files the package needs besides grader/ and the exercise:
   Gradescope extracts the zip into /autograder/source and wants setup.sh
   and run_autograder at its root (the first two: Gradescope's alone). */
static const struct {
	const char *path, *name;        /* in the project, in the zip */
} project_files[] = {
	{"gradescope/setup.sh", "setup.sh"},
	{"gradescope/run_autograder", "run_autograder"},
	{"Makefile", "Makefile"},
	{"exercises/harness.h", "exercises/harness.h"},   /* built into the grader */
	{"tests/deps.sh", "tests/deps.sh"},
	{"tests/ld_quiet.awk", "tests/ld_quiet.awk"},
};

/* What builds the grader: the project files from `first` on, grader/, po/. */
static int add_grader(struct archive *a, const char *root, size_t first)
{
	int rc = 0;
	for (size_t i = first; rc == 0 && i < ARRAY_SIZE(project_files); i++) {
		char *path = path_join(root, project_files[i].path);
		rc = add_file(a, path, project_files[i].name);
		free(path);
	}
	char *grader = path_join(root, "grader"), *po = path_join(root, "po");
	if (rc == 0)
		rc = add_tree(a, grader, "grader", is_source);
	if (rc == 0 && path_is_dir(po))         /* a project may have none */
		rc = add_tree(a, po, "po", is_catalogue);
	free(grader);
	free(po);
	return rc;
}

static int add_project(struct archive *a, const char *root, const struct spec *s,
		       const char *lang)
{
	char *exdir = xasprintf("exercises/%s", s->exercise);
	int rc = add_grader(a, root, 0);
	if (rc == 0 && lang)
		rc = add_entry(a, "grader.lang", lang, strlen(lang), 0644);
	if (rc == 0)
		rc = add_tree(a, s->dir, exdir, NULL);
	free(exdir);
	return rc;
}

/* ---- the student's handout ---- */

static const char handout_readme[] =
	"# %s: your handout\n\n"
	"The task: exercises/%s/README.md (中文: README.zh.md).  Edit\n"
	"exercises/%s/%s, then check it as the course grades it, on the\n"
	"visible tests (the grade may use more):\n\n"
	"```sh\n"
	"sudo make grader-deps     # once: the Debian packages the grader builds with\n"
	"make                      # once: build/grader\n"
	"build/grader check %s exercises/%s/%s\n"
	"build/grader check %s exercises/%s/%s --html report.html   # with a process timeline\n"
	"build/grader check %s exercises/%s/%s --lang zh            # 中文报告\n"
	"```\n";

/* The exercise folder without its spec.yaml (added cut), as exercises/NAME/... */
static bool not_spec(const char *name)
{
	return strcmp(name, "spec.yaml") != 0;
}

static int add_handout(struct archive *a, const char *root, const struct spec *s,
		       const char *lang)
{
	struct buf spec = BUF_INIT, readme = BUF_INIT;
	const char *n = s->exercise, *f = s->student_files[0];
	char *exdir = xasprintf("exercises/%s", n), *spec_name = path_join(exdir, "spec.yaml");
	int rc = spec_visible_text(s, &spec);
	if (rc == 0)
		rc = add_grader(a, root, 2);    /* not Gradescope's scripts */
	if (rc == 0)
		rc = add_tree(a, s->dir, exdir, not_spec);
	if (rc == 0)
		rc = add_entry(a, spec_name, spec.data, spec.len, 0644);
	buf_addf(&readme, handout_readme, n, n, n, f, n, n, f, n, n, f, n, n, f);
	if (rc == 0)
		rc = add_entry(a, "README.md", readme.data, readme.len, 0644);
	buf_free(&spec);
	buf_free(&readme);
	free(spec_name);
	free(exdir);
	return rc;
}

/* Write a zip at out with fill(). */
static int write_zip(const struct spec *s, const char *out, const char *lang,
		     int (*fill)(struct archive *, const char *, const struct spec *, const char *))
{
	const struct archive_lib *A = archive_lib();
	if (!A)
		return error_prefix("cannot write %s", out);
	char *root = path_join(s->dir, "../..");
	struct archive *a = A->archive_write_new();
	int rc = -1;
	if (A->archive_write_set_format_zip(a) != ARCHIVE_OK ||
	    A->archive_write_open_filename(a, out) != ARCHIVE_OK) {
		error_set("cannot write %s: %s", out, A->archive_error_string(a));
		goto done;
	}
	rc = fill(a, root, s, lang);
	if (A->archive_write_close(a) != ARCHIVE_OK && rc == 0)
		rc = error_set("cannot finish %s: %s", out, A->archive_error_string(a));
done:
	A->archive_write_free(a);
	free(root);
	return rc;
}

int package_gradescope(const struct spec *s, const char *out, const char *lang)
{
	return write_zip(s, out, lang, add_project);
}

int package_student(const struct spec *s, const char *out)
{
	return write_zip(s, out, NULL, add_handout);
}
