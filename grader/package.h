/*
 * package.h - an exercise as a Gradescope autograder zip.
 *
 * The zip is what Gradescope extracts into /autograder/source: setup.sh and
 * run_autograder (gradescope/ in the project) at its root, the Makefile,
 * the grader's sources, what the build uses of tests/, and the one
 * exercise under exercises/.  setup.sh installs the Debian packages and
 * builds; run_autograder grades /autograder/submission into
 * /autograder/results/results.json.  tests/run_package.sh runs both.
 */
#ifndef PACKAGE_H
#define PACKAGE_H

#include "spec.h"

/* Write the zip to out.  0 or -1. */
int package_gradescope(const struct spec *s, const char *out);

#endif
