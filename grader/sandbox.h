/*
 * sandbox.h - run one untrusted command, contained and measured.
 *
 * The sandbox knows nothing of specs or checks: it takes an argv, a scratch
 * directory and limits, runs the command so that nothing it does can harm
 * the grader, the machine or other submissions, kills the whole process tree
 * when it ends, and fills a struct run with what was observed.  See the
 * "theory of operation" comment at the top of sandbox.c.
 *
 * Tiers (strongest available is used; sandbox_probe() decides once):
 *   SANDBOX_ROOT       root: namespaces, minimal read-only root, cgroups, uid drop
 *   SANDBOX_USERNS     unprivileged user namespaces: the same inside one, rlimits
 *   SANDBOX_BASIC      no user namespaces: setsid + subreaper + rlimits +
 *                      seccomp + Landlock; reported as weaker
 * Every tier: seccomp deny-list, capped output pipes, CPU/wall limits, tree kill.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "run.h"     /* struct limits, struct run */

/* Probe once (cached) and return the tier in use.  Never fails: the weakest
   tier is always possible.  GRADER_SANDBOX=basic|userns|root forces a
   weaker tier (for tests); forcing an unavailable tier is reported. */
const struct sandbox_info *sandbox_probe(void);

struct tracer;  /* trace.h */

struct sandbox_cmd {
	char *const *argv;         /* argv[0] is a path, resolved in workdir if relative */
	char *const *env;          /* NULL: a minimal fixed environment           */
	const char *workdir;       /* the writable scratch; the only writable place */
	const char *stdin_path;    /* NULL: /dev/null                             */
	const char *const *ro_paths; /* extra read-only paths visible inside (NULL-terminated), e.g. compilers need none beyond the system dirs */
	struct limits limits;      /* all fields set (see spec_limits)            */
	struct tracer *tracer;     /* NULL: not traced                            */
	int marker_fd;             /* >=0: fd number the harness writes markers to (see trace.h) */
};

/* Run cmd.  0: *r describes the run (whatever the program did).  -1: the
   sandbox itself failed (error set): a grader fault, never a verdict.
   Nothing started by the command survives the return.  One run at a time
   per process.  The first untraced run starts a thread that only sleeps
   (its thread-local storage serves the runs: sandbox_launch.c), and for
   the length of a run the calling thread is pinned to its CPU. */
int sandbox_run(const struct sandbox_cmd *cmd, struct run *r);

#endif
