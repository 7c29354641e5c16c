/*
 * sandbox_internal.h - what the sandbox_*.c files share (not a public API).
 *
 * One run involves three processes (see the theory of operation at the top
 * of sandbox.c):
 *   the grader   sandbox.c: prepares, then runs the event loop
 *   the keeper   sandbox_child.c: pid 1 of the run's pid namespace (or a
 *                subreaper in the basic tier); builds the root, forks the
 *                program, reaps everything, reports, kills what is left
 *   the program  sandbox_child.c: drops privileges, confines itself, execs
 */
#ifndef SANDBOX_INTERNAL_H
#define SANDBOX_INTERNAL_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "sandbox.h"

/* Where the workdir is seen inside the namespace tiers. */
#define SBX_BOX "/box"
/* The unprivileged identity the program runs as (inside the namespaces). */
#define SBX_UID 1000
#define SBX_GID 1000
/* Outside uid/gid used in the root tier (and in the basic tier as root). */
#define SBX_HOST_UID 61000
#define SBX_HOST_GID 61000

#define SBX_CG_FDS 4     /* cgroup.procs files the program joins: v2, memory, pids, cpuacct */

/* Keeper -> grader messages on the report pipe (one write each, atomic).
   The grader reads them when the keeper is gone (READY: at once). */
enum sbx_msg_kind {
	SBX_MSG_READY = 1,  /* program forked and held (traced): its pid     */
	SBX_MSG_ERROR,      /* setup failed: err, text                       */
	SBX_MSG_DONE,       /* program ended: status and the tree's figures
			       (everything else is dead; the keeper exits) */
};

struct sbx_msg {
	int kind;
	int err;            /* errno for SBX_MSG_ERROR                   */
	pid_t pid;          /* SBX_MSG_READY: program pid (keeper's view) */
	int status;         /* SBX_MSG_DONE: the program's wait status    */
	int has_status;     /* SBX_MSG_DONE: 0 if stopped before it ended */
	int cpu_exceeded;   /* SBX_MSG_DONE: the keeper stopped the tree   */
	long processes;     /* SBX_MSG_DONE: processes created (>= 1)     */
	double cpu_ms;      /* SBX_MSG_DONE: CPU of everything reaped     */
	long maxrss_kb;     /* SBX_MSG_DONE: largest resident set         */
	char text[200];     /* SBX_MSG_ERROR: what failed                 */
};

/* Everything both sides need, prepared by the grader before the fork (the
   children must not allocate much: a forked child of a threaded process
   may not malloc). */
struct sbx_plan {
	const struct sandbox_cmd *cmd;
	const struct sandbox_info *info;
	enum sandbox_tier tier;
	bool as_root;            /* the grader is root (euid 0)              */
	bool drop_uid;           /* switch to SBX_HOST_UID in the basic tier  */
	char *workdir;           /* absolute                                  */
	char *exe;               /* what to execve (as seen by the program)   */
	char *chdir_to;          /* workdir as seen by the program            */
	char **env;              /* owned copy or the default environment     */
	long long workdir_bytes; /* what the workdir holds before the run      */
	long long scratch_bytes; /* the most it may hold (/box's size)         */
	char *stdin_path;        /* absolute, or NULL for /dev/null           */
	/* pipes: [0] read end, [1] write end */
	int out[2], err[2];
	int report[2];           /* keeper/program -> grader                  */
	int go[2];               /* grader -> keeper, then -> program          */
	int notify[2];           /* -> grader: fds by SCM_RIGHTS, tagged by a
				    byte: 'n' the program's seccomp listener,
				    'b' the keeper's /box (sent at the end) */
	int cg_fds[SBX_CG_FDS];  /* cgroup.procs to join, or -1               */
	bool landlock;           /* apply Landlock (basic tier)               */
	bool cg_memory;          /* a memory cgroup limits the tree           */
	bool cg_pids;            /* a pids cgroup limits the tree             */
	bool cg_cpu;             /* the grader watches the tree's CPU (cgroup) */
	bool hold_program;       /* the program waits for a go before its exec */
	bool fork_keeper;        /* the keeper is a fork (traced, or no donor
				    thread could be made), not in our memory */
	bool shared_vm;          /* the keeper runs in the grader's memory and
				    vforks the program (sandbox_launch.c) */
	char **ro_paths;         /* cmd->ro_paths resolved (realpath), or NULL */
	bool restore_affinity;   /* the keeper runs pinned to the grader's CPU:
				    the program takes back affinity before
				    its exec (sandbox_launch.c) */
	cpu_set_t affinity;
	unsigned long processes_base; /* basic tier: the user's tasks already
					 running (RLIMIT_NPROC counts them) */
};

/* sandbox_plan.c (grader) */
int sbx_plan_prepare(const struct sandbox_cmd *cmd, struct sbx_plan *p);
int sbx_plan_pipes(struct sbx_plan *p);
void sbx_plan_free(struct sbx_plan *p);
/* Bytes under dirfd (consumed), counting at most *budget entries; -1 when
   there are more.  A file counts for max(size, allocated). */
long long sbx_disk_usage(int dirfd, int depth, long *budget);
/* chown -R dir to SBX_HOST_UID (basic tier as root).  0 or -1. */
int sbx_chown_tree(const char *dir);
void sbx_close(int *fd);          /* close if >= 0, set -1 */
void sbx_close_pair(int fds[2]);

/* sandbox_capture.c (grader): one captured stream */
struct sbx_stream {
	int fd;                 /* -1 once closed */
	struct capture *c;
	size_t cap;
	char *ring;             /* the last cap/4 bytes, once past the cap */
	size_t ring_cap, ring_len, ring_pos;
};
void sbx_stream_init(struct sbx_stream *s, int fd, struct capture *c, long cap);
/* Read what is there (stop past the cap unless draining).  false at EOF. */
bool sbx_stream_read(struct sbx_stream *s, bool draining);
/* Close the fd and move the ring into c->tail. */
void sbx_stream_finish(struct sbx_stream *s);

/* sandbox_probe.c: reap the probe's child if it was still ending when
   the probe returned and is gone now (else a run's waits take it). */
void sbx_probe_reap(void);

/* sandbox_launch.c (grader): start the keeper in the grader's memory
   (CLONE_VM, on a donor thread's thread-local storage; see there) with
   the namespaces in ns_flags.  Its pid, or -1 (error set).  The previous
   keeper must have been reaped. */
pid_t sbx_launch_shared(const struct sbx_plan *p, unsigned long ns_flags);
/* Make the donor thread (once per process; before the basic tier counts
   the user's tasks, since it is one).  0 or -1 (error set). */
int sbx_launch_ready(void);
/* After the run (the keeper reaped): undo what sbx_launch_shared did to
   the calling thread (its CPU affinity), and allow the next launch.
   No-op if nothing was launched. */
void sbx_launch_done(void);

/* A directory read without malloc (the keeper may share the grader's
   memory): sbx_dir_next returns the next entry's name but "." and "..",
   or NULL at the end or on error. */
struct sbx_dir {
	int fd;
	int pos, len;
	char buf[4096] __attribute__((aligned(8)));
};
/* fd is not taken over; read from its start.  0, or -1 (errno; then
   sbx_dir_next returns NULL at once). */
int sbx_dir_open(struct sbx_dir *d, int fd);
const char *sbx_dir_next(struct sbx_dir *d);

/* sandbox_child.c: the keeper; never returns. */
_Noreturn void sbx_keeper_main(struct sbx_plan *p);

/* sandbox_seccomp.c */
/* In the grader, before the clone: compile the untraced filter once.
   0 or -1 (error set). */
int sbx_seccomp_prepare(const struct sbx_plan *p);
/* For the tests: the untraced filter of plan p as built for the run
   (via_libseccomp 0) or as libseccomp compiles the same rules (1).  The
   caller frees out->filter.  0 or -1 (error set). */
struct sock_fprog;
int sbx_seccomp_program(const struct sbx_plan *p, int via_libseccomp, struct sock_fprog *out);
/* Build and load the filter in the calling (program) process; returns the
   user-notification listener fd (>= 0), or -1 with errno set. */
int sbx_seccomp_load(const struct sbx_plan *p);
/* Describe a notification ("socket(AF_INET)") into buf. */
void sbx_seccomp_describe(int nr, const uint64_t args[6], char *buf, size_t n);
/* Receive one notification on fd, describe it into buf and deny the call.
   1: got one, 0: nothing (spurious), -1: fd broken. */
int sbx_seccomp_handle(int fd, char *buf, size_t n);

/* sandbox_landlock.c */
int sbx_landlock_abi(void);
/* Confine the calling process: read-only system dirs, writable workdir,
   no TCP, no signals/abstract sockets outside.  0 or -1 (errno). */
int sbx_landlock_apply(const struct sbx_plan *p);

/* sandbox_fs.c (runs in the keeper, inside a new mount namespace) */
/* The scratch's allowance: room for a few files of the largest size
   allowed (at least 64 MiB), on top of what the workdir holds. */
long sbx_scratch_bytes(const struct limits *l);
/* Phase 1, before the uid maps exist: make / private, clone the trees to
   bind.  0, or -1 with a message in why. */
int sbx_fs_prepare(const struct sbx_plan *p, char *why, size_t n);
/* Phase 2: build the minimal root and pivot into it.  Returns a descriptor
   of /box (for the grader's copy back), or -1 with a message in why. */
int sbx_fs_build(const struct sbx_plan *p, char *why, size_t n);
/* In the grader, once the whole sandbox is dead: make the host workdir
   mirror /box (boxfd, handed over by the keeper).  0 or -1 (error set). */
int sbx_fs_copy_back(int boxfd, const char *workdir);

/* sandbox_cgroup.c (grader side) */
struct sbx_cgroup;
/* NULL when cgroups are not usable (not an error: the tier works without). */
struct sbx_cgroup *sbx_cgroup_create(const struct limits *l);
/* Open the cgroup.procs of each group (unused slots -1).  0 or -1. */
int sbx_cgroup_open_procs(struct sbx_cgroup *cg, int fds[SBX_CG_FDS]);
/* Whether the group enforces the memory limit. */
bool sbx_cgroup_limits_memory(const struct sbx_cgroup *cg);
bool sbx_cgroup_limits_pids(const struct sbx_cgroup *cg);
/* Tree CPU in ms, or -1 when unknown. */
double sbx_cgroup_cpu_ms(struct sbx_cgroup *cg);
void sbx_cgroup_kill(struct sbx_cgroup *cg);
struct sbx_cgroup_figures {
	long peak_memory;     /* bytes, 0 if unknown */
	bool oom;             /* the memory limit killed something */
	bool pids_refused;    /* a fork was refused by pids.max */
	long refused;         /* how many (their pid numbers were used up) */
	double cpu_ms;        /* -1 if unknown */
};
void sbx_cgroup_figures(struct sbx_cgroup *cg, struct sbx_cgroup_figures *f);
/* Kill what is left, remove the groups, free. */
void sbx_cgroup_destroy(struct sbx_cgroup *cg);
bool sbx_cgroup_usable(char *why, size_t n);

/* sandbox_ipc.c: remove POSIX and SysV IPC objects uid created since
   (basic tier only: the other tiers have their own IPC namespace). */
void sbx_basic_cleanup(uid_t uid, time_t since);

/* Small helpers shared by the files. */
int sbx_write_file(const char *path, const char *text);
/* Send a message on the report pipe (async-signal-safe). */
void sbx_report(int fd, const struct sbx_msg *m);
/* Send fd over the unix socket sock, with a one-byte tag. */
void sbx_send_fd(int sock, char tag, int fd);
/* Report an error on fd and exit (children only). */
_Noreturn void sbx_die(int fd, int err, const char *what);

#endif
