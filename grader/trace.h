/*
 * trace.h - record what a process tree did: processes, IPC, signals, markers.
 *
 * trace.c records and never judges.  It is driven by the sandbox: the first
 * process loads the tracer's own seccomp filter just before the sandbox's
 * deny-list, the sandbox seizes that process before it execs, and hands
 * every wait status of the tree to tracer_on_wait().  Only the calls the checks need stop the
 * process (SECCOMP_RET_TRACE with argument tests), so untraced calls cost
 * nothing.  Events are ordered by the tracer's sequence number, never by
 * clocks; times are only for pictures.
 *
 * Processes are named for students: index 0 is the first process ("the
 * program"), then 1, 2, ... in creation order ("child #1").
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <sys/types.h>

/* The harness writes lines ("enter task 3\n") to this fd; each line becomes
   an EV_MARKER event with the writer's pid.  Outside the tracer the fd is
   /dev/null.  With tracer_opts.markers_from_harness, only writes made by
   the `syscall` instruction of the executable's function TRACE_MARKER_FN
   count (static in the harness: the student's code cannot name it); a
   marker written any other way (write(1021, ...) from the student's code)
   is dropped and counted in trace.markers_ignored. */
#define TRACE_MARKER_FD 1021
#define TRACE_MARKER_FN "trace_marker"

enum event_kind {
	EV_FORK,      /* new process                                             */
	EV_THREAD,    /* new thread in pid                                       */
	EV_EXEC,
	EV_EXIT,
	EV_REAP,      /* pid reaped a child via wait* (stopped/continued reports
			 and WNOWAIT are not reaps)                             */
	EV_ORPHAN,    /* pid lost its parent                                     */
	EV_OPEN,
	EV_CLOSE,
	EV_PIPE,
	EV_MMAP_SHARED,
	EV_IPC,       /* call: "sem_open", "shm_open", "mq_open", "semget",
			 "shmget", "shmat", "msgget", "mq_unlink", "mkfifo",
			 "fifo" (an open of a FIFO), "socketpair".  The
			 per-message calls (mq_send, semop, msgsnd ...) are not
			 traced: hot loops                                      */
	EV_FUTEX,     /* futex on a shared mapping                               */
	EV_SIGNAL_SEND,    /* kill, tgkill, ...                                  */
	EV_SIGNAL_DELIVER,
	EV_SIGACTION, /* handler installed                                       */
	EV_TIMER,     /* alarm, setitimer, timer_settime                         */
	EV_WRITE,     /* writes to a regular file opened for writing, and with
			 pipe_writes each write to a pipe (trace_syscall.c)     */
	EV_MARKER,    /* a line of the harness (TRACE_MARKER_FD)                 */
	EV_FAULT,     /* an injected failure                                     */
	EV_BLOCKED,   /* at the end of a timed-out run: what pid was blocked in  */
	EV__COUNT
};
const char *event_kind_name(enum event_kind k);   /* "fork", "exec", ... */

enum disposition { DISP_DEFAULT, DISP_IGNORE, DISP_HANDLER };
enum timer_call { TIMER_ALARM, TIMER_SETITIMER, TIMER_SETTIME };

/* What each kind records.  Process numbers are indexes (see above); -1 is
   a process outside the program.  Strings are owned, may be NULL.  ret
   (in struct event) is the call's result, -errno on failure, where the
   kind says so. */
struct ev_fork {
	int child;            /* its index                                   */
	bool vfork;
	pid_t child_pid;
};
struct ev_thread { pid_t tid; };
struct ev_exec { char *path; };               /* ret: 0 or -errno          */
struct ev_exit {
	int code;             /* exit status, -1 if killed                   */
	int signal;           /* the signal that killed it, 0 if none        */
	bool core_dumped;
};
struct ev_reap {
	int child;            /* the index of the reaped process             */
	pid_t waited_pid;     /* its pid as the reaper saw it                */
};
struct ev_orphan {
	int new_parent;       /* index, -1: outside the program              */
	pid_t new_parent_pid;
};
struct ev_open {                              /* ret: fd or -errno         */
	char *path;
	char *resolved;       /* the path /proc resolves for the fd          */
	long flags;
	unsigned type;        /* S_IFMT type of what was opened (0: unknown)  */
};
struct ev_close {
	char *path;           /* what it referred to, if known               */
	int fd;
};
struct ev_pipe {                              /* ret: 0 or -errno          */
	int read_fd, write_fd;
	long flags;           /* pipe2's                                     */
};
struct ev_mmap {                              /* ret: the address          */
	char *path;           /* the file mapped, if any                     */
	long length;
	int fd;               /* -1: anonymous                               */
};
struct ev_ipc {                               /* ret: the call's           */
	char *call;           /* see EV_IPC                                  */
	char *name;           /* the object's name or path, if any           */
	long flags;           /* open flags (sem_open, shm_open, mq_open,
				 fifo); msgget's msgflg                      */
	union {
		struct {
			long key;     /* semget, shmget, msgget; shmat: the shmid */
			long size;    /* semget: nsems; shmget: bytes              */
		};
		struct {              /* socketpair                              */
			int fds[2];
			int domain;
		};
	};
};
struct ev_futex {
	char *mapping;        /* the file mapped, if any                     */
	bool wake;            /* else a wait                                 */
	unsigned long addr;
	int cmd;              /* FUTEX_WAIT, FUTEX_WAKE ...                  */
};
struct ev_signal_send {                       /* ret: the call's           */
	int target;           /* index; -1: a group or another process       */
	int sig;
	pid_t pid;            /* the pid argument                            */
	bool by_grader;       /* sent by the tracer (tracer_opts.sends); the
				 event's process is then the target         */
};
struct ev_signal_deliver {
	int sig;
	pid_t tid;            /* the thread it was delivered to              */
};
struct ev_sigaction {
	int sig;
	enum disposition handler;
	long flags;           /* sa_flags                                    */
};
struct ev_timer {
	long ms;
	enum timer_call call;
};
struct ev_write {                             /* ret: bytes asked        */
	char *path;           /* "pipe:[INODE]" for a pipe                   */
	int fd;
	bool pipe;            /* to a pipe or FIFO: one event per call       */
	bool ends_line;       /* pipe: its last byte is '\n'                 */
	int lines;            /* pipe: how many '\n' (-1: not read)          */
	long calls;           /* file: a run of writes by one process to one
				 fd with no other event between is one event */
};
struct ev_marker { char *text; };             /* the line without '\n'     */
struct ev_fault {                             /* ret: -err                 */
	char *call;           /* the fault's call ("fork")                   */
	char *syscall;        /* the system call failed ("clone")            */
	int err;
	long nr;              /* its number                                  */
	long nth;
};
struct ev_blocked { char *what; };

/* 80 bytes (LP64), as big as before the kinds had names: a trace holds up
   to a million events (trace.c checks it). */
struct event {
	unsigned long seq;    /* tracer order, strictly increasing          */
	double t_ms;          /* since the start, for pictures only         */
	int proc;             /* process index (see above)                  */
	pid_t pid;            /* the tracer's view of the pid               */
	enum event_kind kind;
	long ret;
	union {               /* the member the kind names                  */
		struct ev_fork fork;
		struct ev_thread thread;
		struct ev_exec exec;
		struct ev_exit exit;
		struct ev_reap reap;
		struct ev_orphan orphan;
		struct ev_open open;
		struct ev_close close;
		struct ev_pipe pipe;
		struct ev_mmap mmap;
		struct ev_ipc ipc;
		struct ev_futex futex;
		struct ev_signal_send signal_send;
		struct ev_signal_deliver signal_deliver;
		struct ev_sigaction sigaction;
		struct ev_timer timer;
		struct ev_write write;
		struct ev_marker marker;
		struct ev_fault fault;
		struct ev_blocked blocked;
	};
};

struct proc {
	int index;            /* 0 = the program                            */
	pid_t pid;
	int parent;           /* index of the creator, -1 for the program   */
	int reaper;           /* index of the process that reaped it, -1 if none */
	bool exited;
	int exit_code, exit_signal;
	bool killed_at_end;   /* SIGKILLed by the sandbox's tree kill (a limit,
				 or still running when the program ended), not
				 by anything the program did */
	unsigned long seq_start, seq_exit, seq_reaped; /* 0 if it did not happen */
	bool reaped_by_pid;   /* the wait that reaped it named it (waitpid(pid),
				 waitid(P_PID)), not any child                 */
	bool execed;          /* ran another program after fork             */
	double cpu_ms;        /* from /proc at exit, if known               */
	pid_t vpid;           /* its pid as the program sees it (inside the
				 sandbox's pid namespace): what getpid() said */
	char name[16];        /* its name as ps shows it (comm) when it began to
				 exit, e.g. set by prctl(PR_SET_NAME); "" unknown */
};

/* Where a process was when a signal killed it (trace_crash.c): the
   backtrace of the thread the signal was delivered to, read at the stop. */
struct crash_frame {
	unsigned long pc;     /* innermost: where it stopped; then return addresses */
	char *function;       /* NULL if no symbol covers it                */
	char *file;           /* the source file (the program's debug info), NULL */
	int line;             /* 0 if unknown                               */
	char *module;         /* the file the code is in, as the process saw it */
	bool program;         /* in the program's own executable            */
};
struct crash {
	int proc;             /* process index                              */
	pid_t tid;            /* the thread it was delivered to             */
	unsigned long seq;    /* its EV_SIGNAL_DELIVER                      */
	int signal, code;     /* siginfo si_signo, si_code                  */
	unsigned long addr;   /* the faulting address (fault signals, code > 0) */
	struct crash_frame *frames; size_t nframes;  /* up to the program's main() */
	char *why;            /* no frames: why (registers unreadable), or NULL */
};

struct trace {
	struct event *ev; size_t nev;
	struct proc *procs; size_t nprocs;
	/* Crash signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP,
	   SIGSYS) delivered where the process neither caught nor ignored
	   them: the first of each process. */
	struct crash *crashes; size_t ncrashes;
	bool complete;        /* false if events were dropped (limit) */
	/* race provocation: instructions run under the schedule, scheduling
	   decisions, stops of the racers it cost */
	unsigned long race_steps, race_switches, race_stops;
	unsigned long markers_ignored;   /* not written by TRACE_MARKER_FN */
	char *cwd;            /* the program's working directory at its start,
				 as /proc shows it to the tracer (the scratch:
				 "/box" in the root tier); NULL if unknown */
};

void trace_free(struct trace *t);
/* Free the strings e owns (its kind's); the event itself stays. */
void event_free_strings(struct event *e);
/* The process that has pid, or NULL. */
const struct proc *trace_proc_by_pid(const struct trace *t, pid_t pid);
/* path relative to the program's working directory when it lies under it
   ("/box/out1.bin" -> "out1.bin"), else path itself; NULL stays NULL. */
const char *trace_rel_path(const struct trace *t, const char *path);
/* Opened by the dynamic loader before main: ld.so.cache, a shared library. */
bool trace_is_loader_path(const char *path);
/* The crash of process index proc, or NULL. */
const struct crash *trace_crash_of(const struct trace *t, int proc);
/* "SIGSEGV (address 0x0) in half_copy() at half_copy.c:42, called from
   main() at main.c:88": the signal, then the innermost frame in the
   program's own code (after the library function it called, if the
   signal came from one), and its callers.  File names without folders. */
struct buf;
void trace_crash_where(const struct crash *c, struct buf *b);
/* "the program", "child #2 (of the program)" ... for messages. */
const char *trace_proc_name(const struct trace *t, int index, char *buf, size_t n);

/* ---- driven by the sandbox ---- */
struct tracer;
struct fault;      /* trace_fault.h */

/* A signal the grader sends to the program under test (trace_send.c).
   When: after its trigger (none: the program's start), delay_ms later,
   then times - 1 more with gap_ms between.  Triggers: a line written to
   standard output (fd 1) by any process of the tree, the signal going
   right after that write returns; a harness marker; or before_wait = N:
   the target's Nth call to pause, sigsuspend or sigtimedwait, sent at the
   worst moment (its handler runs just before the call is made: a program
   that checks a flag, then pauses, sleeps on; one that blocks the signal
   around the check and uses sigsuspend gets it in the call). */
struct signal_send {
	int sig;
	int target;                 /* process index: 0 the program, K child #K */
	const char *after_output;   /* a whole line, without '\n'             */
	const char *after_marker;   /* a marker line, or it and a space        */
	long before_wait;           /* 1-based; 0: not this trigger            */
	long delay_ms, gap_ms;
	long times;                 /* at least 1                              */
};

struct tracer_opts {
	const struct fault *faults; size_t nfaults;  /* injections */
	size_t max_events;                            /* 0: default (1 << 20) */
	/* Race provocation (trace_race.c): nonzero = the seed of a schedule the
	   tracer imposes on the children, single-stepping them in turn in
	   random bursts; the same seed gives the same schedule.  race_steps
	   bounds the instructions stepped (0: 200000), then they run free. */
	unsigned long race_seed;
	long race_steps;
	bool race_step_each;      /* no runs: a stop per instruction (tests) */
	bool markers_from_harness;                    /* see TRACE_MARKER_FN */
	/* Only the process lifecycle (fork, exec, wait, exit) and, at a
	   timeout, what each process was blocked in: no IPC, open, signal or
	   marker events.  Cheap enough for every test (a stop per fork, exec
	   and wait), so a hang is always diagnosed.  No faults or races. */
	bool lifecycle_only;
	/* Cover pipes too: every write to a pipe (from pipe(), at its exit) or
	   FIFO (opened for writing) is an EV_WRITE of its own, with its size
	   and lines.  A stop per write: only for tests that judge them. */
	bool pipe_writes;
	/* Pace: slow the program down where concurrency shows, by making the
	   process sleep pace_ms (the tracer does not wait): at every harness
	   marker line that starts with pace_marker (the same text, or it and
	   a space), before the marker returns; with pace_writes, before each
	   traced write (to a covered file, or a pipe with pipe_writes). */
	const char *pace_marker;
	bool pace_writes;
	long pace_ms;
	/* Signals the grader sends (above). */
	const struct signal_send *sends; size_t nsends;
};
struct tracer *tracer_new(const struct tracer_opts *o);
/* Load the tracer's seccomp filter (SECCOMP_RET_TRACE for the calls the
   checks need) in the calling process: the child, before the sandbox loads
   its own.  Two stacked filters, not one: the kernel's precedence between
   them makes the sandbox's deny actions win (trace_syscall.c).  0 or -1.
   From this call until the seize, a traced call fails with ENOSYS: only
   untraced calls such as read, sendmsg. */
int tracer_load_filter(struct tracer *t);
/* Seize pid (stopped or blocked before its exec) with all options.  0 or -1. */
int tracer_seize(struct tracer *t, pid_t pid);
/* Offer a status from waitpid(-1, &st, __WALL).  Returns true if it was a
   ptrace stop the tracer handled (and resumed); false if it is an ordinary
   exit/kill the caller must also account for (the tracer records it too). */
bool tracer_on_wait(struct tracer *t, pid_t pid, int status);
/* Race provocation needs the loop's help (both are no-ops without it):
   tracer_tick_ms() is how long the loop may sleep before calling
   tracer_tick() even if nothing arrives (-1: no limit); tracer_tick()
   returns true if it resumed a tracee (statuses may follow); tracer_stop_due()
   is the tracee whose stop comes within microseconds (a single step in
   flight), worth a brief wait4() on it before going back to poll(), or 0. */
int tracer_tick_ms(const struct tracer *t);
bool tracer_tick(struct tracer *t);
pid_t tracer_stop_due(const struct tracer *t);
/* Before the tree is killed at a timeout: record EV_BLOCKED for every live
   process from /proc/PID/syscall and wchan.  Implies tracer_killing(). */
void tracer_snapshot_blocked(struct tracer *t);
/* The tree is being killed (any limit): the deaths that follow are the
   kill's doing, not the program's (no orphan events from them). */
void tracer_killing(struct tracer *t);
/* Detach everything, hand over the trace (caller owns it), free the tracer. */
struct trace *tracer_finish(struct tracer *t);

/* ---- output ---- */
/* One JSON object per line: seq, t_ms, pid, proc, event, and the kind's
   fields (child, path, status, signal, ...).  0 or -1. */
int trace_write_json(const struct trace *t, const char *path);
/* A readable process tree and event list. */
void trace_print(const struct trace *t, FILE *f);

#endif
