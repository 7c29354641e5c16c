/* exercise.c - see exercise.h. */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "exercise.h"
#include "util.h"

static char *binary_relative_root(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	char *root = path_join(self, "../exercises");
	char *real = realpath(root, NULL);
	free(root);
	return real;
}

char *exercise_root(void)
{
	const char *env = getenv("GRADER_EXERCISES");
	if (env && *env) {
		if (!path_is_dir(env))
			return error_set("GRADER_EXERCISES=%s is not a directory", env), NULL;
		return xstrdup(env);
	}
	char *root = binary_relative_root();
	if (root)
		return root;
	if (path_is_dir("exercises"))
		return xstrdup("exercises");
	error_set("cannot find the exercises directory (set GRADER_EXERCISES)");
	return NULL;
}

char *exercise_spec_path(const char *exercise)
{
	if (strchr(exercise, '/') || path_is_dir(exercise)) {
		if (str_ends(exercise, ".yaml") && path_exists(exercise))
			return xstrdup(exercise);
		char *spec = path_join(exercise, "spec.yaml");
		if (path_exists(spec))
			return spec;
		free(spec);
		if (strchr(exercise, '/')) {
			error_set("%s is not an exercise folder (no spec.yaml)", exercise);
			return NULL;
		}
	}
	char *root = exercise_root();
	if (!root)
		return NULL;
	char *dir = path_join(root, exercise);
	char *spec = path_join(dir, "spec.yaml");
	free(dir);
	free(root);
	if (path_exists(spec))
		return spec;
	free(spec);
	error_set("no exercise named '%s' (see: grader list)", exercise);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **exercise_list(void)
{
	char **names = NULL;
	char *root = exercise_root();
	DIR *d = root ? opendir(root) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *dir = path_join(root, e->d_name);
		char *spec = path_join(dir, "spec.yaml");
		if (path_exists(spec))
			strv_push(&names, e->d_name);
		free(spec);
		free(dir);
	}
	if (d)
		closedir(d);
	free(root);
	if (names)
		qsort(names, strv_len(names), sizeof(char *), cmp);
	return names;
}
