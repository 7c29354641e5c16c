/*
 * run.h - what one run of a command is given and what it left: the data
 * that passes between the sandbox (which fills it), the checks and the
 * reports (which read it).  No actor: including this header runs nothing.
 *
 * Ownership: struct run owns its captures and its trace; run_free()
 * releases them.
 */
#ifndef RUN_H
#define RUN_H

#include <stdbool.h>
#include <stddef.h>
#include "util.h"    /* struct buf */

/* Resource limits of one run.  In a spec, UNSET fields (schema.h) inherit
   (test <- spec <- built-in defaults, see spec_limits()); the sandbox is
   given them all set. */
struct limits {
	long cpu_ms;        /* CPU time of the whole tree                     */
	long wall_ms;       /* wall clock                                     */
	long memory;        /* bytes, whole tree                              */
	long processes;     /* processes alive at once (incl. the first)      */
	long output;        /* bytes kept per stream (stdout, stderr)         */
	long file_size;     /* largest file the program may write             */
	long open_files;    /* RLIMIT_NOFILE                                  */
};

/* The sandbox a run was contained by (sandbox.h describes the tiers). */
enum sandbox_tier { SANDBOX_BASIC, SANDBOX_USERNS, SANDBOX_ROOT };

struct sandbox_info {
	enum sandbox_tier tier;
	const char *name;     /* "root", "user namespace", "basic" */
	char missing[256];    /* what a stronger tier lacked, e.g.
				 "no user namespaces: kernel restriction" ("" if none) */
	bool cgroups;         /* memory/pids accounting via cgroups */
	bool landlock;
};

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
/* The run hit a resource limit (time, memory, output, processes, file size). */
bool outcome_is_limit(enum outcome o);

/* A captured stream: the first and last parts are kept when it overflows. */
struct capture {
	struct buf head;      /* the first bytes (up to the cap)                 */
	struct buf tail;      /* the last bytes, when total > cap                */
	size_t total;         /* bytes the program wrote                         */
	bool truncated;       /* total > what is kept                            */
};

struct trace;   /* trace.h */

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

void run_free(struct run *r);

/* Concatenated head (+ "\n[... N bytes cut ...]\n" + tail) for messages. */
char *capture_text(const struct capture *c);

#endif
