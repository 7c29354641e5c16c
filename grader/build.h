/*
 * build.h - compile the staged sources inside the sandbox.
 * A compile error is a verdict (the submission's fault), not an error.
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

#endif
