/*
 * stage.c - a fresh scratch directory per submission (see stage.h).
 *
 * Only the student's wanted files (found by intake) and the exercise's
 * harness go in: the spec, hidden data and solutions never do.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "stage.h"
#include "util.h"

static bool is_student_file(const struct spec *s, const char *rel)
{
	for (size_t i = 0; s->student_files[i]; i++)
		if (!strcmp(s->student_files[i], rel))
			return true;
	return false;
}

/* Copy exercise-relative rel into dest, creating parent directories. */
static int copy_exercise_file(const struct spec *s, const char *rel, const char *dest)
{
	char *from = path_join(s->dir, rel);
	char *to = path_join(dest, rel);
	int rc = mkdir_parent(to);
	if (rc == 0)
		rc = file_copy(from, to);
	free(from);
	free(to);
	return rc;
}

/* Copy every file of directory exercise/rel (one level, regular files). */
static int copy_exercise_dir(const struct spec *s, const char *rel, const char *dest)
{
	char *dir = path_join(s->dir, rel);
	DIR *d = opendir(dir);
	int rc = 0;
	free(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type == DT_DIR)
			continue;
		char *file = path_join(rel, e->d_name);
		rc = copy_exercise_file(s, file, dest);
		free(file);
	}
	closedir(d);
	return rc;
}

/* exercises/harness.h, built in by the Makefile. */
extern const char stage_harness_h[];

int stage_harness(const struct spec *s, const char *dest)
{
	char *shared = path_join(dest, STAGE_HARNESS_H);
	int rc = file_write(shared, stage_harness_h, strlen(stage_harness_h), 0644);
	free(shared);
	if (rc < 0)
		return -1;
	DIR *d = opendir(s->dir);
	if (!d)
		return error_errno("cannot read exercise directory %s", s->dir);
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)))
		if (str_ends(e->d_name, ".h") && !is_student_file(s, e->d_name))
			rc = copy_exercise_file(s, e->d_name, dest);
	closedir(d);
	if (rc == 0)
		rc = copy_exercise_dir(s, "harness", dest);
	for (size_t i = 0; rc == 0 && s->build.sources && s->build.sources[i]; i++)
		if (!is_student_file(s, s->build.sources[i]))
			rc = copy_exercise_file(s, s->build.sources[i], dest);
	return rc;
}

int stage_prepare(const struct spec *s, const char *submission, struct stage *st)
{
	memset(st, 0, sizeof(*st));
	st->root = make_temp_dir(s->exercise);
	if (!st->root)
		return -1;
	st->src = path_join(st->root, "src");
	st->run = path_join(st->root, "run");
	st->inputs = path_join(st->root, "inputs");
	if (mkdir_p(st->src, 0755) < 0 || mkdir_p(st->run, 0755) < 0)
		return -1;
	if (intake_collect(submission, s->student_files, st->src, &st->intake) < 0)
		return error_prefix("cannot read the submission %s", submission);
	if (stage_harness(s, st->src) < 0)
		return error_prefix("cannot stage the harness of %s", s->exercise);
	return 0;
}

int stage_reset_run(struct stage *st)
{
	if (rm_rf(st->run) < 0 || mkdir_p(st->run, 0755) < 0 ||
	    rm_rf(st->inputs) < 0 || mkdir_p(st->inputs, 0755) < 0)
		return error_prefix("cannot reset the run directory");
	if (st->binary) {
		char *to = path_join(st->run, "harness");
		int rc = file_copy(st->binary, to);
		free(to);
		return rc;
	}
	return 0;
}

void stage_free(struct stage *st)
{
	if (st->root && !st->keep)
		rm_rf(st->root);
	free(st->root);
	free(st->src);
	free(st->run);
	free(st->inputs);
	free(st->binary);
	intake_free(&st->intake);
	memset(st, 0, sizeof(*st));
}
