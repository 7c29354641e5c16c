/*
 * exercise.h - find an exercise by name or path.
 *
 * EXERCISE is a folder holding spec.yaml, or a name under the exercises
 * directory: $GRADER_EXERCISES, else <the grader binary's dir>/../exercises,
 * else ./exercises.
 */
#ifndef EXERCISE_H
#define EXERCISE_H

/* The exercises directory (caller frees), or NULL (error set). */
char *exercise_root(void);
/* The spec.yaml path of EXERCISE (caller frees), or NULL (error set). */
char *exercise_spec_path(const char *exercise);
/* The names of all exercises, sorted (NULL-terminated; strv_free). */
char **exercise_list(void);

#endif
