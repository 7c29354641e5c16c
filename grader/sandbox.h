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
#include "spec.h"    /* struct limits */
#include "util.h"    /* struct buf */

enum sandbox_tier { SANDBOX_BASIC, SANDBOX_USERNS, SANDBOX_ROOT };

struct sandbox_info {
	enum sandbox_tier tier;
	const char *name;     /* "root", "user namespace", "basic" */
	char missing[256];    /* what a stronger tier lacked, e.g.
				 "no user namespaces: kernel restriction" ("" if none) */
	bool cgroups;         /* memory/pids accounting via cgroups */
	bool landlock;
};

/* Probe once (cached) and return the tier in use.  Never fails: the weakest
   tier is always possible.  GRADER_SANDBOX=basic|userns|root forces a
   weaker tier (for tests); forcing an unavailable tier is reported. */
const struct sandbox_info *sandbox_probe(void);

/* How a run ended.  Order matters: the first that applies wins. */
enum outcome {
	OUT_EXITED,        /* normal exit; see exit_code                      */
	OUT_SIGNALED,      /* killed by a signal it raised or received        */
	OUT_TIME_CPU,      /* CPU limit                                       */
	OUT_TIME_WALL,     /* wall limit                                      */
	OUT_MEMORY,        /* memory limit (OOM or allocation refused)        */
	OUT_OUTPUT,        /* output limit (stdout or stderr beyond cap)      */
	OUT_PROCESSES,     /* process limit reached (fork failed with EAGAIN) */
	OUT_FORBIDDEN,     /* forbidden system call; see forbidden            */
	OUT_FILE_SIZE,     /* wrote a file beyond the file size limit         */
};
const char *outcome_name(enum outcome o);   /* "exited", "time limit (cpu)", ... */

/* A captured stream: the first and last parts are kept when it overflows. */
struct capture {
	struct buf head;      /* the first bytes (up to the cap)                 */
	struct buf tail;      /* the last bytes, when total > cap                */
	size_t total;         /* bytes the program wrote                         */
	bool truncated;       /* total > what is kept                            */
};

struct trace;   /* trace.h */
struct tracer;  /* trace.h */

struct run {
	enum outcome outcome;
	int exit_code;        /* OUT_EXITED */
	int signal;           /* OUT_SIGNALED (also set when a limit killed it) */
	char forbidden[96];   /* OUT_FORBIDDEN: "socket(AF_INET)"             */
	double wall_ms, cpu_ms;
	long peak_memory;     /* bytes, 0 if unknown                           */
	long processes;       /* processes created in the tree, incl. the first */
	struct capture out, err;
	struct trace *trace;  /* owned; NULL unless traced                     */
	const struct sandbox_info *sandbox;
};

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
void run_free(struct run *r);

/* Concatenated head (+ "\n[... N bytes cut ...]\n" + tail) for messages. */
char *capture_text(const struct capture *c);

#endif
