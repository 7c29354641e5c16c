/*
 * trace_race.c - race provocation: the tracer imposes a seeded schedule on
 * the program's children, so that a lock-less update of shared memory loses
 * updates reliably, and replays from its seed.
 *
 * Plain runs do not show races reliably (two short loops on two cores often
 * never overlap), and stopping processes at random moments with signals
 * does not help either (DESIGN.md, field notes).  Here every task of a child
 * process (index >= 1) runs user code only when the scheduler lets it:
 *
 *   - one task at a time RUNS: it is single-stepped for a burst of 1 to 40
 *     instructions (seeded xorshift), then the scheduler picks a READY task
 *     at random (possibly the same) for the next burst;
 *   - at a `syscall` instruction the task is let go with PTRACE_SYSCALL
 *     instead of a step: the call runs free (it may block: the schedule goes
 *     on with the others) and the task is READY again at its exit stop;
 *   - the program itself joins the schedule at its first fork (its startup
 *     is not stepped); group-stopped tasks are left out until continued;
 *   - a decision is taken only when the schedule is quiet: every task that
 *     is inside a system call is asleep in it (interruptible sleep: a pipe,
 *     a futex, a wait, a sleep) or already has its stop pending (seen with
 *     waitid(WNOWAIT), which leaves the status to the sandbox's loop), and
 *     no task's stop is being handled; so system calls that return at once
 *     (fork, mmap, a wake-up) land at the same point of every replay
 *     (measured: 40 of 40 runs of a seed gave the same interleaving, idle
 *     and with both cores busy);
 *   - after race_steps instructions (default 200000) every task runs free,
 *     so a long run costs a bounded time.
 *
 * The interleaving of the children's user code is then a function of the
 * seed (and of the program).  x86_64 only (the syscall instruction is
 * recognised by its bytes 0f 05).  Cost: a step is two context switches;
 * 2 x 50 lock-less increments take about 0.2 s, with a semaphore 0.7 s
 * (glibc's sem_wait/sem_post are stepped too).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include "trace_internal.h"

#define DEFAULT_STEPS 200000
#define MAX_BURST 40

static uint64_t next_rand(struct tracer *t)
{
	uint64_t x = t->rng;            /* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	t->rng = x;
	return x * 2685821657736338717ULL;
}

void race_init(struct tracer *t, unsigned long seed, long steps)
{
#ifdef __x86_64__
	t->race = seed != 0;
#endif
	t->rng = seed ^ 0x9e3779b97f4a7c15ULL;
	if (!t->rng)
		t->rng = 1;
	t->race_budget = steps > 0 ? steps : DEFAULT_STEPS;
}

void race_adopt(struct tracer *t, struct task *k)
{
	if (t->race)
		k->rs = RS_SYSCALL;     /* schedulable once it stops at user code */
}

/* Let every task run free from now on. */
static void race_release(struct tracer *t)
{
	t->race = false;
	t->running = NULL;
	for (size_t i = 0; i < t->ntasks; i++) {
		struct task *k = t->tasks[i];
		if (k->rs == RS_READY)
			ptrace(PTRACE_CONT, k->tid, 0, (void *)(long)k->held_sig);
		if (!k->stepping)
			k->rs = RS_NONE;
		k->held_sig = 0;
	}
}

#ifdef __x86_64__
/* Is the next instruction of k a `syscall`? */
static bool at_syscall_insn(struct task *k)
{
	unsigned char insn[2];
	errno = 0;
	long rip = ptrace(PTRACE_PEEKUSER, k->tid, (void *)offsetof(struct user_regs_struct, rip), 0);
	if (errno)
		return false;
	return mem_read(k->tid, (uint64_t)rip, insn, sizeof(insn)) && insn[0] == 0x0f &&
	       insn[1] == 0x05;
}
#else
static bool at_syscall_insn(struct task *k)
{
	(void)k;
	return false;
}
#endif

/* Run one more instruction of the running task (or let its syscall go). */
static void race_step(struct tracer *t, struct task *k)
{
	int sig = k->held_sig;

	k->held_sig = 0;
	if (t->race_budget <= 0) {
		k->held_sig = sig;
		k->rs = RS_READY;
		race_release(t);
		return;
	}
	if (at_syscall_insn(k)) {
		/* the entry stop comes back through race_on_syscall_stop */
		ptrace(PTRACE_SYSCALL, k->tid, 0, (void *)(long)sig);
		return;
	}
	t->race_budget--;
	t->race_steps++;
	t->burst--;
	k->stepping = true;
	if (ptrace(PTRACE_SINGLESTEP, k->tid, 0, (void *)(long)sig) < 0) {
		k->stepping = false;
		if (t->running == k)
			t->running = NULL;
	}
}

#define QUIET_WAIT_MS 100

/* The scheduler state letter of a task (/proc/.../stat), '?' if gone. */
static char task_state(const struct task *k)
{
	char path[96], buf[512];
	FILE *f;
	char st = '?';

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", k->ps ? (int)k->ps->pid : (int)k->tid,
		 (int)k->tid);
	f = fopen(path, "re");
	if (!f)
		return st;
	if (fgets(buf, sizeof(buf), f)) {
		char *p = strrchr(buf, ')');
		if (p && p[1] == ' ')
			st = p[2];
	}
	fclose(f);
	return st;
}

/* Every task inside a system call is blocked there, or has a stop pending
   (then false: its stop will come through tracer_on_wait and schedule). */
static bool quiet(struct tracer *t)
{
	double deadline = now_ms() + QUIET_WAIT_MS;

	for (size_t i = 0; i < t->ntasks; i++) {
		struct task *k = t->tasks[i];
		if (k->rs != RS_SYSCALL)
			continue;
		if (k == t->handling)
			return false;   /* its stop is being handled: wait for its resume */
		for (;;) {
			siginfo_t si;
			memset(&si, 0, sizeof(si));
			if (waitid(P_PID, (id_t)k->tid, &si,
				   WSTOPPED | WEXITED | WNOHANG | WNOWAIT | __WALL) == 0 &&
			    si.si_pid == k->tid)
				return false;
			/* asleep in the kernel (blocked: pipes, futexes, waits and
			   sleeps sleep interruptibly) or gone: settled; running,
			   in a short uninterruptible wait ('D', e.g. inside fork),
			   or stopping ('t' comes before the stop is waitable): wait */
			char st = task_state(k);
			if (st == 'S' || st == 'X' || st == '?' || now_ms() > deadline)
				break;
			struct timespec nap = {0, 20000};
			nanosleep(&nap, NULL);   /* let it run (2 cores, maybe busy) */
		}
	}
	return true;
}

/* Give the CPU to a READY task at random, if none is running. */
static void race_schedule(struct tracer *t)
{
	size_t n = 0, pick;

	if (!t->race || t->running || !quiet(t))
		return;
	for (size_t i = 0; i < t->ntasks; i++)
		n += t->tasks[i]->rs == RS_READY;
	if (!n)
		return;
	pick = (size_t)(next_rand(t) % n);
	for (size_t i = 0; i < t->ntasks; i++) {
		struct task *k = t->tasks[i];
		if (k->rs != RS_READY || pick--)
			continue;
		t->running = k;
		k->rs = RS_RUNNING;
		t->burst = 1 + (long)(next_rand(t) % MAX_BURST);
		t->race_switches++;
		race_step(t, k);
		return;
	}
}

static void give_up_cpu(struct tracer *t, struct task *k)
{
	if (t->running == k)
		t->running = NULL;
}

bool race_resume(struct task *k, int request, int sig)
{
	struct tracer *t = k->tr;

	if (!t || !t->race || k->rs == RS_NONE || k->inj)
		return false;
	if (request == PTRACE_LISTEN) {
		k->rs = RS_STOPPED;
		give_up_cpu(t, k);
		ptrace(PTRACE_LISTEN, k->tid, 0, 0);
		race_schedule(t);
		return true;
	}
	if (request != PTRACE_CONT && request != PTRACE_SYSCALL)
		return false;
	if (k->exiting) {
		/* no more user code: let it die, but keep waiting for its death
		   (which wakes its parent's wait) before the next decision */
		ptrace(request, k->tid, 0, (void *)(long)sig);
		k->rs = RS_SYSCALL;
		give_up_cpu(t, k);
		race_schedule(t);
		return true;
	}
	if (!k->at_user) {              /* inside a system call: run it */
		ptrace(PTRACE_SYSCALL, k->tid, 0, (void *)(long)sig);
		k->rs = RS_SYSCALL;
		give_up_cpu(t, k);
		race_schedule(t);
		return true;
	}
	k->held_sig = sig;
	if (t->running == k && t->burst > 0) {
		race_step(t, k);        /* e.g. after a signal stop: go on */
		return true;
	}
	k->rs = RS_READY;
	give_up_cpu(t, k);
	race_schedule(t);
	return true;
}

void race_on_step(struct tracer *t, struct task *k)
{
	k->stepping = false;
	if (!t->race || k->rs != RS_RUNNING) {
		k->rs = RS_NONE;
		ptrace(PTRACE_CONT, k->tid, 0, 0);
		return;
	}
	if (t->burst > 0) {
		race_step(t, k);
		return;
	}
	k->rs = RS_READY;
	give_up_cpu(t, k);
	race_schedule(t);
}

bool race_on_syscall_stop(struct tracer *t, struct task *k)
{
	struct __ptrace_syscall_info si;

	if (k->rs == RS_NONE)
		return false;
	memset(&si, 0, sizeof(si));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, k->tid, (void *)sizeof(si), &si) <= 0 ||
	    si.op != PTRACE_SYSCALL_INFO_ENTRY)
		return false;
	k->at_user = false;
	task_resume(k, PTRACE_SYSCALL, 0);
	(void)t;
	return true;
}

void race_forget(struct tracer *t, struct task *k)
{
	k->rs = RS_NONE;
	give_up_cpu(t, k);
	race_schedule(t);
}
