/*
 * scaffold.h - `grader new NAME`: a new exercise that already works.
 *
 * Writes, from the templates in grader/scaffold/ (built into the grader),
 * with NAME put in:
 *
 *   exercises/NAME/    README.md, README.zh.md, NAME.h, NAME.c (the stub),
 *                      harness/main.c (including harness.h), spec.yaml
 *   solutions/NAME/NAME.c              the reference
 *   tests/submissions/NAME/wrong_count.c   a faulty one, with its
 *                      `// expect:` lines
 *
 * The skeleton's exercise (start n children, each prints a line; reap
 * them all) passes `grader selftest NAME` as written: the instructor
 * changes it into theirs, test by test.
 */
#ifndef SCAFFOLD_H
#define SCAFFOLD_H

struct scaffold_template {
	const char *name;           /* file name in grader/scaffold/ */
	const char *text;
};
/* The templates (Makefile: build/obj/scaffold_templates.c), ended by a NULL name. */
extern const struct scaffold_template scaffold_templates[];

/* Write exercise NAME into the project whose exercises directory is
   exercises_dir.  NAME must be a C identifier that no exercise, solution
   or faulty-submission folder uses yet.  0, or -1 (error set; nothing is
   left half-written that was not there before... except what failed). */
int scaffold_write(const char *exercises_dir, const char *name);

#endif
