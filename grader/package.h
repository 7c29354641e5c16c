/*
 * package.h - an exercise as a Gradescope autograder zip.
 *
 * The zip holds setup.sh and run_autograder at its root (as Gradescope
 * expects) and the grader's sources with the one exercise under source/.
 * setup.sh installs the Debian packages and builds; run_autograder grades
 * /autograder/submission into /autograder/results/results.json.
 */
#ifndef PACKAGE_H
#define PACKAGE_H

#include "spec.h"

/* Write the zip to out.  0 or -1. */
int package_gradescope(const struct spec *s, const char *out);

#endif
