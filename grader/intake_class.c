/*
 * intake_class.c - what one argument of `batch` holds: one student's work,
 * an LMS bulk download, or a folder of students (see intake.h).
 *
 * The rules, in order:
 *   - an LMS bulk download (archive or extracted folder): a class;
 *   - a folder that holds a student file at its top: one student;
 *   - a folder with two or more entries (folders or archives) that each
 *     hold a student file: a folder of students, every folder and archive
 *     in it one student (one without the file is graded "missing files");
 *   - an archive whose student files sit in two or more folders, none at
 *     its top (under one wrapping folder, if all its files share one):
 *     several students' work, refused (the TA extracts it and passes the
 *     folder): which folder is a student cannot be told from a student's
 *     two copies;
 *   - anything else: one student.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "intake.h"
#include "intake_internal.h"
#include "util.h"

/* Does submission hold a file of a wanted name?  1, 0, or -1 (error set). */
static int holds_student_file(const char *submission, char *const *wanted)
{
	struct intake in;
	if (intake_survey(submission, wanted, &in) < 0)
		return -1;
	int n = in.candidates != NULL;
	intake_free(&in);
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folders and archives directly in dir, sorted ("dir/name"). */
static int members_of(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	*out = NULL;
	if (!d)
		return error_errno("cannot read %s", dir);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "__MACOSX"))
			continue;
		char *p = path_join(dir, e->d_name);
		if (path_is_dir(p) || intake_archive_ext(e->d_name))
			strv_push(out, p);
		free(p);
	}
	closedir(d);
	qsort(*out, strv_len(*out), sizeof(**out), cmp_str);
	return 0;
}

static int classify_dir(const char *dir, char *const *wanted, char ***members)
{
	for (size_t i = 0; wanted[i]; i++) {
		char *top = path_join(dir, wanted[i]);
		bool here = path_exists(top);
		free(top);
		if (here)
			return INTAKE_STUDENT;
	}
	if (members_of(dir, members) < 0)
		return -1;
	size_t holders = 0;
	for (size_t i = 0; *members && (*members)[i] && holders < 2; i++) {
		int h = holds_student_file((*members)[i], wanted);
		if (h < 0) {
			strv_free(*members);
			*members = NULL;
			return -1;
		}
		holders += (size_t)h;
	}
	if (holders >= 2)
		return INTAKE_CLASS;
	strv_free(*members);
	*members = NULL;
	return INTAKE_STUDENT;
}

/* The first component of path, or "" for a file at the top. */
static char *top_folder(const char *path, size_t skip)
{
	const char *p = path + skip;
	const char *slash = strchr(p, '/');
	return slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup("");
}

/* How many bytes of every path are a common wrapping folder ("proj/"). */
static size_t wrapper_len(char *const *found)
{
	const char *slash = found && found[0] ? strchr(found[0], '/') : NULL;
	if (!slash)
		return 0;
	size_t n = (size_t)(slash - found[0]) + 1;
	for (size_t i = 1; found[i]; i++)
		if (strncmp(found[i], found[0], n))
			return 0;
	return n;
}

static int classify_archive(const char *archive, char *const *wanted)
{
	struct intake in;
	char **tops = NULL;
	bool at_top = false;
	if (intake_survey(archive, wanted, &in) < 0)
		return -1;
	size_t skip = wrapper_len(in.found);
	for (size_t i = 0; in.candidates && in.candidates[i]; i++) {
		char *t = top_folder(in.candidates[i], skip);
		at_top |= !*t;
		bool seen = false;
		for (size_t j = 0; tops && tops[j]; j++)
			seen |= !strcmp(tops[j], t);
		if (!seen)
			strv_push(&tops, t);
		free(t);
	}
	int rc = INTAKE_STUDENT;
	qsort(tops, strv_len(tops), sizeof(*tops), cmp_str);
	if (!at_top && strv_len(tops) >= 2)
		rc = error_set("%s holds the student file in %zu folders (%s/, %s/%s): several "
			       "students' work? It is not graded as one student: extract it and "
			       "pass the folder (each folder in it is graded as a student)",
			       archive, strv_len(tops), tops[0], tops[1],
			       strv_len(tops) > 2 ? ", ..." : "");
	strv_free(tops);
	intake_free(&in);
	return rc;
}

int intake_classify(const char *path, char *const *wanted, char ***members)
{
	*members = NULL;
	bool dir = path_is_dir(path);
	if (!dir && (str_ends(path, ".c") || str_ends(path, ".h")))
		return INTAKE_STUDENT;
	int archive = dir ? 0 : intake_is_archive(path);
	if (archive < 0)
		return -1;
	if (dir || archive) {
		int bulk = intake_is_bulk(path);
		if (bulk)
			return bulk < 0 ? -1 : INTAKE_BULK;
	}
	if (dir)
		return classify_dir(path, wanted, members);
	return archive ? classify_archive(path, wanted) : INTAKE_STUDENT;
}
