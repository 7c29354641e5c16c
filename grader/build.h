/*
 * build.h - compile the staged sources inside the sandbox.
 * A compile error is a verdict (the submission's fault), not an error.
 *
 * The exercise's own sources (build sources that are not student files:
 * the harness) are compiled once, apart, with the spec's cflags, in a
 * folder holding the exercise's staged files and no student file, and
 * kept in $XDG_CACHE_HOME/grader/objects-<exercise>-<hash>/ (else
 * ~/.cache/grader/...), the hash taken over those files, the cflags and
 * the compiler (resolved path, size, time): a change to any of them
 * compiles them again.  A build compiles the student's files and links
 * them with the objects.  When they cannot be compiled apart (a harness
 * that includes a student's file) or there is no cache folder, each build
 * compiles everything together, as a single command.
 */
#ifndef BUILD_H
#define BUILD_H

#include <stdbool.h>
#include "spec.h"
#include "stage.h"

struct build_result {
	bool ok;
	char *messages;     /* compiler output trimmed to the student's files; owned */
};

/* 0: built or not (see br->ok); -1: could not try (no compiler, sandbox). */
int build_run(const struct spec *s, struct stage *st, struct build_result *br);
void build_result_free(struct build_result *br);
/* Compile the exercise's own sources now, if they are not in the cache:
   batch does it once, before its workers (which would each do it).
   0 (compiled, cached, or they cannot be compiled apart) or -1. */
int build_prepare(const struct spec *s);

#endif
