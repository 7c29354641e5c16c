/*
 * selftest.h - an exercise checked against its own submissions, so an
 * instructor knows the spec grades what it should before students do.
 *
 *   reference   solutions/NAME/ (the exercise folder's ../../solutions):
 *               full marks;
 *   stub        the exercise folder's own student files: not full marks;
 *   faulty      tests/submissions/NAME/ *.c: each exactly the verdict its
 *               header names, one line per test that does not pass:
 *                 // expect: TEST => STATUS [CHECK, CHECK...]
 *                 // expect-message: TEST => TEXT
 *               STATUS as reports say it ("wrong answer", "signal
 *               (SIGSEGV)"), the failed checks in any order, each once;
 *               TEXT must be in that test's messages.  Tests not named
 *               must pass.
 *
 * A reference that does not compile is the instructor's mistake (a build
 * flag, a harness error): a grader fault, never a verdict.
 */
#ifndef SELFTEST_H
#define SELFTEST_H

#include <stdbool.h>
#include "spec.h"
#include "util.h"

struct selftest_opts {
	unsigned long seed;
	unsigned jobs;          /* gradings at once (0: one per core) */
};

/* Grade them all; a line per submission into out ("ok   ..." / "FAIL ...",
   with what differed).  0 every verdict as expected, 1 some not, -1 could
   not grade (error set). */
int selftest_run(const struct spec *s, const struct selftest_opts *o, struct buf *out);

/* The reference's folder (solutions/NAME beside the exercise's folder's
   parent).  Caller frees. */
char *selftest_reference(const struct spec *s);

/* Does the reference compile with the spec's build?  0 yes; -1 no or
   could not try (error set: the compiler's messages).  The answer is
   cached per spec, harness and reference content under
   $XDG_CACHE_HOME/grader (else ~/.cache/grader); no reference: 0. */
int selftest_reference_builds(const struct spec *s);

#endif
