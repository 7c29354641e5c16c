/*
 * package.h - an exercise as a Gradescope autograder zip, or as a
 * student's handout.
 *
 * The zip is what Gradescope extracts into /autograder/source: setup.sh and
 * run_autograder (gradescope/ in the project) at its root, the Makefile,
 * the grader's sources, what the build uses of tests/, and the one
 * exercise under exercises/, and the message catalogues (po/, compiled by
 * the build: the grader speaks Chinese there too).  setup.sh installs the
 * Debian packages and builds; run_autograder grades /autograder/submission
 * into /autograder/results/results.json.  tests/run_package.sh runs both.
 */
#ifndef PACKAGE_H
#define PACKAGE_H

#include "spec.h"

/* Write the zip to out.  lang: "zh" or "en", the language of every report
   (grader.lang in the zip, which run_autograder passes as --lang), or
   NULL: the environment's where it grades.  0 or -1. */
int package_gradescope(const struct spec *s, const char *out, const char *lang);

/* A student's handout zip: README.md (how to build and check), the
   exercise folder (statement, header, stub, harness) with its spec cut to
   the visible tests (spec_visible_text), and what builds the grader to
   run `check` locally (Makefile, grader/, exercises/harness.h).  Never a
   hidden test, a solution or a faulty submission.  0 or -1. */
int package_student(const struct spec *s, const char *out);

#endif
