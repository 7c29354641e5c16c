/*
 * trace_internal.h - what the trace_*.c files share (not a public API).
 *
 *   trace.c          the trace structure, the tracer's state machine
 *                    (tracer_on_wait), processes, threads, exec, exit, reap
 *   trace_syscall.c  the table of system calls: the seccomp rules, what each
 *                    traced call records, what it counts as for faults
 *   trace_fault.c    the names of faults and errnos (trace_fault.h)
 *   trace_inject.c   registers and memory of a tracee, fault injection, and
 *                    syscall injection (the per-process write filters)
 *   trace_blocked.c  tracer_snapshot_blocked: what each process waits for
 *   trace_race.c     race provocation: a seeded schedule of the children
 *   trace_crash.c    where a crash signal caught a process (its backtrace)
 *   trace_json.c     trace_write_json
 *   trace_print.c    trace_print
 */
#ifndef TRACE_INTERNAL_H
#define TRACE_INTERNAL_H

#include <sched.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "trace.h"
#include "trace_fault.h"
#include "util.h"

struct tfault {               /* a struct fault, resolved                 */
	const char *call;
	enum fault_class fc;
	long nth, seen;
	int err;
};

struct range {
	unsigned long start, end;
	char *name;               /* the file mapped, if any ("/dev/shm/sem.x") */
};

/* A signal the grader sends, and how far it got (trace_send.c). */
struct send_state {
	struct signal_send s;     /* a copy; its strings owned              */
	bool armed;               /* its trigger happened                   */
	double due_ms;            /* the next send, ms since the start; -1: none */
	long sent;
	long waits;               /* before_wait: the target's waits so far  */
};

/* A live process (thread group) as the tracer follows it. */
struct pstate {
	pid_t pid;                /* tgid, tracer's pid namespace            */
	int index;                /* struct proc index; -1: not the program's tree */
	int ntasks;               /* live tasks (threads) we know of         */
	bool leader_dead;
	struct range *shared; size_t nshared, capshared;  /* MAP_SHARED and shmat */
	/* file descriptors whose writes the injected filters trap */
	unsigned char *covered; size_t ncovered;          /* bitmap, bytes */
	int nfilters;             /* filters injected into this lineage      */
	bool catchall;            /* a filter traps writes to every fd >= 3  */
	bool dup_rule;            /* a filter traps dup*()                   */
	struct buf marker;        /* a marker line not yet ended by '\n'     */
	struct buf out;           /* its stdout line not yet ended (sends)   */
	long last_sem_enoent;     /* event index of a sem_open that got ENOENT, or -1 */
	long last_write;          /* event index of the last EV_WRITE, for coalescing */
	/* the executable's text, as the race scheduler reads it (trace_race.c) */
	unsigned long text_lo, text_hi;
	unsigned char *text;      /* a copy, NULL until read               */
	bool text_tried;
	struct swbp { unsigned long addr; unsigned char orig; } bp[8];  /* int3s in it */
	int nbp;
	int mem_fd;               /* its /proc/PID/mem, open to write int3s, or -1 */
	/* where TRACE_MARKER_FN is in its memory (trace_syscall.c) */
	unsigned long marker_fn_lo, marker_fn_hi;
	bool marker_fn_tried;
	double cpu_ms;            /* summed over exited threads              */
};

enum inject_state {
	INJ_NONE,
	INJ_ENTRY, INJ_EXIT,      /* a write filter's seccomp() in flight     */
	INJ_PACE,                 /* a pace's sleep in flight (inject_pace)   */
};

/* A task under the race scheduler (trace_race.c). */
enum race_state {
	RS_NONE,        /* runs free                                        */
	RS_READY,       /* stopped at a user-code boundary, waiting its turn */
	RS_RUNNING,     /* the one being stepped                            */
	RS_SYSCALL,     /* inside a system call (or not stopped yet): back at its exit */
	RS_LIBRARY,     /* runs library code free: back at its breakpoint    */
	RS_ENTERING,    /* a new thread, stepped through the library until it
			   enters the text (its start routine)              */
	RS_STOPPED,     /* group-stopped (SIGSTOP): not schedulable          */
};

/* The instructions a racer was sent to execute at once (a run, or one
   step), and the schedule's state before them: a signal stop may end them
   early, and then the schedule goes on as if the ones done had been
   stepped (trace_race.c). */
#define RACE_MAX_RUN 64
struct race_flight {
	bool on;
	long n;
	unsigned long at[RACE_MAX_RUN];
	unsigned long ends[2];    /* a run's int3s (0: unused; a step: none) */
	uint64_t rng;
	long burst, budget;
	unsigned long steps;
};

/* A traced task (thread). */
struct task {
	struct tracer *tr;
	pid_t tid;
	struct pstate *ps;        /* NULL while held: new, creator's event not seen */
	bool seen_stop;           /* its first (attach) stop was reported   */
	bool held;                /* stopped, waiting for its creator's event */
	bool in_group_stop;
	/* the system call whose exit stop was asked for */
	long sc_nr;               /* -1: none                                */
	uint64_t sc_args[6];
	char *sc_path;
	long sc_ev;               /* event to complete at exit, or -1        */
	long restart_nr;          /* a call interrupted for a restart, or -1 */
	/* syscall injection (trace_inject.c) */
	enum inject_state inj;
	int inj_fd;               /* fd being covered; -2: catch-all          */
	long pace_ret;            /* INJ_PACE: what the call returns, or
				     PACE_REDO: the call is made after all   */
	bool pace_pass;           /* the call put back by a pace: not again  */
	struct timespec pace_until; /* INJ_PACE: the sleep's end (CLOCK_MONOTONIC) */
	unsigned char saved_regs[27 * 8];  /* struct user_regs_struct (x86_64) */
	int stashed[8]; int nstashed;      /* signals held back meanwhile      */
	/* race provocation (trace_race.c) */
	enum race_state rs;
	bool at_user;             /* this stop is at a user-code boundary      */
	bool stepping;            /* a step (or a run of steps) is in flight  */
	unsigned long ip;         /* its instruction pointer, if ip_known:     */
	bool ip_known;            /* set by the tracer in this stop            */
	bool step_touches;        /* ... of an instruction that may reach
				     shared memory (trace_race.c: may_share)  */
	unsigned long run_bp[2];  /* int3s ending a run of steps in flight, 0 */
	struct race_flight flight;
	unsigned long step_over;  /* an int3 other tasks wait at, where this
				     one stopped: its next step runs the
				     original instruction, then it is put back */
	bool stepping_over;       /* ... that step is in flight             */
	bool been_in_text;        /* stopped in the text at least once       */
	long entering_steps;      /* RS_ENTERING: steps so far               */
	bool exiting;             /* PTRACE_EVENT_EXIT seen                   */
	bool in_vfork;            /* waits in vfork() ('D') for its child     */
	bool vfork_ret;           /* returns from vfork(): the return address
				     is in rdi (trace_race.c)                */
	int stat_fd;              /* its /proc stat, open (task_state_of), or -1 */
	pid_t vfork_parent;       /* the task waiting for this one to exec or
				     exit (vfork, posix_spawn), or 0          */
	int held_sig;             /* signal to deliver when it runs again     */
	unsigned long bp;         /* the breakpoint it runs free until, or 0  */
	double step_ms;           /* when the step in flight was issued       */
};

struct tracer {
	struct tfault *faults; size_t nfaults;
	uint64_t fault_mask;      /* FC_BIT of every class a fault counts     */
	size_t max_events;
	double t0;
	unsigned long seq;        /* last sequence number given            */
	struct trace *tr;
	size_t cap_ev, cap_procs;
	struct event dropped;     /* scratch event once max_events is reached */
	struct task **tasks; size_t ntasks, cap_tasks;
	struct pstate **ps; size_t nps, cap_ps;
	pid_t *inner;             /* per proc index: pid inside the tree's pid ns */
	int *cur_parent;          /* per proc index: its parent now (orphans move) */
	bool program_seen;        /* index 0 exists                           */
	bool other_pidns;         /* the tree runs in another pid namespace   */
	bool can_inject;          /* this architecture supports injection     */
	bool inject_failed;       /* a write filter could not be installed    */
	bool killing;             /* the snapshot was taken: the tree is being killed */
	bool markers_from_harness;
	bool lifecycle_only;      /* tracer_opts.lifecycle_only */
	bool pipe_writes;         /* tracer_opts.pipe_writes */
	char *pace_marker;        /* tracer_opts.pace_*: owned copy or NULL */
	bool pace_writes;
	long pace_ms;
	struct send_state *sends; size_t nsends;   /* trace_send.c */
	bool watch_stdout;        /* a send waits for a line on stdout       */
	bool trap_waits;          /* a send waits for a pause/sigsuspend     */
	/* race provocation */
	bool race;                /* on (and not yet released)                */
	uint64_t rng;
	long race_budget;         /* instructions left to step                */
	long burst;               /* left in the running task's burst         */
	struct task *running;
	struct task *handling;    /* the task whose stop tracer_on_wait handles */
	unsigned long race_steps; /* stepped so far                           */
	unsigned long race_switches;
	unsigned long race_stops;     /* stops of racers the schedule caused   */
	bool race_step_each;          /* never a run (tests: same schedule)    */
	unsigned long race_escapes;  /* steps that ran away (see race_tick)   */
	bool undecided;           /* READY tasks wait for a quiet moment       */
	int cpu;                  /* the CPU tracer and racers share, or -1    */
	cpu_set_t saved_cpus;     /* the tracer's own affinity before         */
};

/* ---- trace.c ---- */
struct event *ev_add(struct tracer *t, const struct pstate *ps, enum event_kind k);
struct event *ev_at(struct tracer *t, long i);   /* NULL if i < 0 or dropped */
long ev_index(struct tracer *t, const struct event *e);  /* -1 for dropped */
struct pstate *ps_by_pid(struct tracer *t, pid_t pid);
struct task *task_find(struct tracer *t, pid_t tid);
/* The process index a pid seen by the tree (its namespace) names, or -1.
   Prefers live or unreaped processes. */
int proc_by_inner(struct tracer *t, pid_t inner);
/* A task's scheduler state letter from /proc/TGID/task/TID/stat ('S', 'R',
   't', 'Z' ...), '?' if it is gone. */
char task_state(pid_t tgid, pid_t tid);
/* The same for a traced task, through a descriptor it keeps open (one
   read a call: the race scheduler asks at every decision). */
char task_state_of(struct task *k);
/* Resume a stopped task; ESRCH (it died meanwhile) is not an error. */
void task_resume(struct task *k, int request, int sig);

/* ---- trace_send.c ---- */
void send_init(struct tracer *t, const struct signal_send *s, size_t n);
void send_free(struct tracer *t);
/* A whole line on stdout / a marker line: arm the sends it triggers; true
   if one is due at once (call send_due where the signal should land). */
bool send_on_output(struct tracer *t, const char *line);
bool send_on_marker(struct tracer *t, const char *line);
/* At k's seccomp stop of a wait call: the worst moment for a before_wait
   send.  True if it sent and resumed k. */
bool send_before_wait(struct tracer *t, struct task *k);
/* Send what is due now. */
void send_due(struct tracer *t);
/* ms until the next timed send (0: now), -1: none. */
int send_tick_ms(const struct tracer *t);

/* ---- trace_race.c: the loop's tick, for the schedule ---- */
int race_tick_ms(const struct tracer *t);
bool race_tick(struct tracer *t);

/* ---- trace_syscall.c ---- */
int syscall_rules_load(struct tracer *t);
/* The fault classes some system call of the table counts as (FC_BIT mask). */
uint64_t syscall_fault_classes(void);
/* At a seccomp stop: record, inject faults, and resume (PTRACE_CONT or
   PTRACE_SYSCALL when the exit is wanted). */
void syscall_on_seccomp(struct tracer *t, struct task *k);
/* At the wanted syscall-exit stop: record and resume. */
void syscall_on_exit(struct tracer *t, struct task *k);
bool addr_shared(const struct pstate *ps, unsigned long addr, const char **name);
void ps_add_range(struct pstate *ps, unsigned long start, unsigned long end, const char *name);
/* Read /proc/PID/fd/FD into buf; false if it is not open. */
bool fd_path(pid_t pid, long fd, char *buf, size_t n);
/* A system file (library, locale, /proc ...): not the student's. */
bool path_is_system(const char *path);

/* ---- trace_print.c (shared with trace_json.c and the checks' messages) ---- */
void trace_open_flags(long flags, struct buf *b);          /* "O_WRONLY|O_CREAT" */
const char *trace_file_type(long mode);                    /* "file", "fifo"; NULL */
const char *disposition_name(enum disposition d);          /* "default", "handler" */
const char *timer_call_name(enum timer_call c);            /* "alarm", "setitimer" */
/* One line about e, without the process ("fork -> child #1 (pid 12)"). */
void trace_describe(const struct trace *t, const struct event *e, struct buf *b);

/* ---- trace_inject.c ---- */
/* Read a NUL-terminated string (at most n - 1 bytes) from the tracee. */
bool mem_read_str(pid_t pid, uint64_t addr, char *buf, size_t n);
bool mem_read(pid_t pid, uint64_t addr, void *buf, size_t n);
bool mem_write(pid_t pid, uint64_t addr, const void *buf, size_t n);
/* The first mapping of pid's executable file (/proc/PID/maps) that is
   executable (code) or, if !code, at file offset 0 (its load address).
   false if none. */
bool exe_mapping(pid_t pid, bool code, unsigned long *lo, unsigned long *hi);
/* At a seccomp stop: skip the call and make it return ret. */
bool regs_skip_call(pid_t tid, long ret);
/* At a seccomp stop: skip the call now and put it back, to be made afresh
   when the task runs on (after a signal's handler, if one is sent now). */
bool regs_defer_call(pid_t tid);
/* At the exit stop of an open (or dup): make later writes through fd of
   this process stop (a seccomp filter injected into the tracee).  Returns
   true if an injection started (the task was resumed by it); false if
   nothing was needed or possible (the caller resumes). */
bool inject_cover_fd(struct tracer *t, struct task *k, int fd);
/* At k's seccomp stop: make the call a sleep of ms milliseconds instead,
   then return ret as if the call had been made, or (ret == PACE_REDO) put
   the call back to run now (k->pace_pass is then set: the next seccomp
   stop of k is that call, to let through).  Resumes k and returns true;
   false (nothing done) where registers cannot be changed. */
#define PACE_REDO LONG_MIN
bool inject_pace(struct tracer *t, struct task *k, long ms, long ret);
bool fd_covered(const struct pstate *ps, int fd);
/* Stops of a task during an injection.  Each resumes the task. */
void inject_on_syscall_stop(struct tracer *t, struct task *k);
void inject_on_signal(struct tracer *t, struct task *k, int sig);

/* ---- trace_race.c ---- */
void race_init(struct tracer *t, unsigned long seed, long steps, bool step_each);
/* k (a new task of a child process) joins the schedule. */
void race_adopt(struct tracer *t, struct task *k);
/* task_resume for a task under the scheduler: true if handled. */
bool race_resume(struct task *k, int request, int sig);
/* A single step of k completed (its SIGTRAP stop). */
void race_on_step(struct tracer *t, struct task *k);
/* At a SIGTRAP|0x80 stop of a racer: true if it was a syscall entry (handled). */
bool race_on_syscall_stop(struct tracer *t, struct task *k);
/* k is gone. */
void race_forget(struct tracer *t, struct task *k);
/* At a SIGTRAP signal stop (after a step if stepped): true if it was one
   of the scheduler's breakpoints (handled). */
bool race_on_breakpoint(struct tracer *t, struct task *k, bool stepped);
/* The tracer is finishing: give back its CPUs. */
void race_finish(struct tracer *t);
/* Forget ps's text and breakpoints (exec, exit). */
void race_text_forget(struct pstate *ps);
/* k vforks (PTRACE_EVENT_VFORK): copy its text before the child runs in
   its memory.  Its vfork child has exec'd or ended (PTRACE_EVENT_VFORK_DONE,
   k stopped): put k's text back as its breakpoints say. */
/* k dies and other tasks of its process live on: take out the int3 it
   waited for, unless another task waits for it too. */
void race_dying(struct tracer *t, struct task *k);
void race_vfork_start(struct tracer *t, struct task *k);
void race_vfork_done(struct tracer *t, struct task *k);

/* ---- trace_crash.c ---- */
/* At the delivery stop of sig to k (its EV_SIGNAL_DELIVER is seq): a crash
   signal that k's process neither catches nor ignores kills it, so record
   where k is (once per process). */
void crash_on_signal(struct tracer *t, struct task *k, int sig, unsigned long seq);
void crash_free(struct crash *c);

#endif
