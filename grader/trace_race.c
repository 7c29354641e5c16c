/*
 * trace_race.c - race provocation: the tracer imposes a seeded schedule on
 * the program's processes, so that a lock-less update of shared memory
 * loses updates reliably, and replays from its seed.
 *
 * Plain runs do not show races reliably (two short loops on two cores often
 * never overlap), and stopping processes at random moments with signals
 * does not help either (bench/RESULTS.md, race provocation).  Here the tasks of the
 * program's processes run the executable's own code (the student's code and
 * the harness: its text) only when the scheduler lets them:
 *
 *   - one task at a time RUNS, then the scheduler picks a READY task at
 *     random (possibly the same; seeded xorshift) for the next burst.  A
 *     switch can change what the program computes only right after an
 *     instruction that reads or writes memory another task sees (may_share:
 *     memory reached through a pointer, where -O0 code reaches shared
 *     data, locals being rbp-relative; globals too when the process has
 *     other threads; an instruction not decoded may do anything).  So a
 *     burst ends after such an instruction half the time, and nowhere
 *     else in the text (at most MAX_BURST instructions): a lost update
 *     needs a switch between a load and its store, a broken lock two such
 *     switches.  (Bursts that also ended after 1 to 64 instructions made
 *     three times the switches, none useful: bench/RESULTS.md.)
 *   - library code is not stepped (sem_wait, printf, the exit path: four
 *     fifths of the instructions, and not where a student's race is): when
 *     a step leaves the text the task runs free (RS_LIBRARY) until it comes
 *     back, caught by a breakpoint on its return address (the
 *     innermost word of its stack that points just after a call in the
 *     text).  Without a return address (main returning into exit, a
 *     thread's start routine into its end) it runs free for good, but the
 *     schedule still waits for it while it runs (see quiet).  A new thread
 *     starts in the library, which calls its start routine: it is stepped
 *     there (RS_ENTERING) until it enters the text.  A `syscall`
 *     instruction in the text is let go with PTRACE_SYSCALL: the task is
 *     READY again at the call's exit;
 *   - a decision is taken only when the schedule is quiet: every task that
 *     runs free is asleep in the kernel (a pipe, a futex, a wait, a sleep),
 *     or has its stop pending (the stop comes through tracer_on_wait,
 *     which decides then).  So calls that return at once (fork, mmap, a
 *     wake-up) land at the same point of every replay, and the
 *     interleaving is a function of the seed;
 *   - a signal stop may cut a run or a step short (a child's SIGCHLD lands
 *     whenever the tracer reaps the child): the schedule then goes on as if
 *     what was done had been stepped (struct race_flight), so where the
 *     signal lands changes nothing;
 *   - the program joins the schedule at its first fork (its start-up is not
 *     stepped); group-stopped tasks wait for their SIGCONT;
 *   - after race_steps instructions (default 200000) every task runs free,
 *     so a long run costs a bounded time.
 *
 * Speed: what costs is a stop (a trap, two context switches, and a dozen
 * system calls of the tracer; on this VM every kernel entry is dear, and
 * on a busy machine each switch waits behind other tasks).  So:
 *   - a burst's instructions are not stepped one by one where that is not
 *     needed: a RUN follows the code from the task's ip while it surely
 *     goes on inside the text (straight-line code, direct jumps and calls,
 *     a ret whose address is on the stack) and ends at most at a
 *     conditional jump; the task runs free to an int3 written where the
 *     run ends (both destinations of a last conditional jump).  Runs
 *     execute exactly the instructions steps would, and draw the same
 *     random numbers, so a seed's schedule is the one single steps give
 *     (test race_runs_match_steps);
 *   - a run that calls a library function through the PLT hands the task
 *     over as running free at once (run_into_library), and a PLT entry's
 *     `jmp [slot]` met by a step is done by the tracer (rip = *slot);
 *   - an int3 is one pwrite to /proc/PID/mem (the original byte is in the
 *     text copy); a racer's state is one pread of a stat file kept open;
 *   - the sandbox's loop takes a stop it is due with a direct wait4()
 *     (tracer_stop_due) after yielding the CPU rather than a poll()
 *     wake-up, and the tracer and the racers share one CPU, so a step never
 *     waits for a wake-up on the other CPU.
 * A free-running task that goes to sleep sends no stop: the loop's tick
 * (tracer_tick_ms) looks again.  The tick also catches a step that ran
 * away into a blocking call (it should not happen: a signal the task
 * ignores is dropped rather than injected with a step, since the kernel
 * then skips the step's trap).
 *
 * What it finds and what a trial costs: bench/RESULTS.md (measured with
 * bench/bench_race.sh).  About eight system calls a stop remain (wait4,
 * three ptrace, two int3 writes, a state read, a yield).
 *
 * x86_64 only: the `syscall` instruction is recognised by its bytes 0f 05,
 * instructions are decoded by Zydis (trace_insn.c) for x86_64.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include "trace_insn.h"
#include "trace_internal.h"

#define DEFAULT_STEPS 200000
#define MAX_BURST 1024          /* instructions: then the next decision  */
#define QUIET_SPINS 64          /* sched_yield()s for a free runner to settle */
#define TICK_MS 1               /* then look again this often            */
#define RUNAWAY_MS 50           /* a step not back after this: look at it */
#define RETURN_SCAN 8192        /* bytes of stack searched for a return address */
#define TEXT_MAX (64UL << 20)

static uint64_t next_rand(struct tracer *t)
{
	uint64_t x = t->rng;            /* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	t->rng = x;
	return x * 2685821657736338717ULL;
}

void race_init(struct tracer *t, unsigned long seed, long steps, bool step_each)
{
#ifdef __x86_64__
	t->race = seed != 0;
#endif
	t->rng = seed ^ 0x9e3779b97f4a7c15ULL;
	if (!t->rng)
		t->rng = 1;
	t->race_budget = steps > 0 ? steps : DEFAULT_STEPS;
	t->race_step_each = step_each;
	t->cpu = -1;
}

/* ---- one CPU for the tracer and the racers ---- */

static void pin(struct tracer *t, pid_t tid)
{
	cpu_set_t one;

	if (t->cpu < 0) {
		int cpu = sched_getcpu();
		if (cpu < 0 || sched_getaffinity(0, sizeof(t->saved_cpus), &t->saved_cpus) < 0)
			return;
		t->cpu = cpu;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
	}
	CPU_ZERO(&one);
	CPU_SET(t->cpu, &one);
	sched_setaffinity(tid, sizeof(one), &one);   /* best effort */
}

static void unpin_all(struct tracer *t)
{
	if (t->cpu < 0)
		return;
	for (size_t i = 0; i < t->ntasks; i++)
		sched_setaffinity(t->tasks[i]->tid, sizeof(t->saved_cpus), &t->saved_cpus);
	sched_setaffinity(0, sizeof(t->saved_cpus), &t->saved_cpus);
	t->cpu = -1;
}

void race_finish(struct tracer *t)
{
	t->tr->race_steps = t->race_steps;
	t->tr->race_switches = t->race_switches;
	t->tr->race_stops = t->race_stops;
	unpin_all(t);
}

void race_adopt(struct tracer *t, struct task *k)
{
	if (!t->race)
		return;
	k->rs = RS_SYSCALL;     /* schedulable once it stops at user code */
	pin(t, k->tid);
}

static void run_disarm(struct tracer *t, struct task *k);

/* Let every task run free from now on. */
static void race_release(struct tracer *t)
{
	t->race = false;
	t->running = NULL;
	t->undecided = false;
	for (size_t i = 0; i < t->ntasks; i++) {
		struct task *k = t->tasks[i];
		run_disarm(t, k);
		k->flight.on = false;
		k->step_over = 0;       /* its int3 is hit and removed, as anyone's */
		k->stepping_over = false;
		if (k->rs == RS_READY)
			ptrace(PTRACE_CONT, k->tid, 0, (void *)(long)k->held_sig);
		if (!k->stepping)
			k->rs = RS_NONE;   /* a breakpoint still armed is disarmed when hit */
		k->held_sig = 0;
	}
	unpin_all(t);
}

static void give_up_cpu(struct tracer *t, struct task *k)
{
	if (t->running == k)
		t->running = NULL;
}

/* ---- the executable's text ---- */

void race_text_forget(struct pstate *ps)
{
	free(ps->text);
	ps->text = NULL;
	ps->text_lo = ps->text_hi = 0;
	ps->text_tried = false;
	ps->nbp = 0;            /* its memory is gone or replaced */
	if (ps->mem_fd >= 0)
		close(ps->mem_fd);
	ps->mem_fd = -1;
}

/* Copy the executable's code (its mapping in /proc/PID/maps). */
static void text_read(struct pstate *ps)
{
	unsigned long lo, hi;

	ps->text_tried = true;
	if (!exe_mapping(ps->pid, true, &lo, &hi) || hi - lo > TEXT_MAX)
		return;
	ps->text = xmalloc(hi - lo);
	if (!mem_read(ps->pid, lo, ps->text, hi - lo)) {
		free(ps->text);
		ps->text = NULL;
		return;
	}
	ps->text_lo = lo;
	ps->text_hi = hi;
	/* int3s inherited from the parent are not code */
	for (int i = 0; i < ps->nbp; i++)
		if (ps->bp[i].addr >= lo && ps->bp[i].addr < hi)
			ps->text[ps->bp[i].addr - lo] = ps->bp[i].orig;
}

/* Is ip in the text?  If the text is unknown, everything is stepped. */
static bool in_text(struct pstate *ps, unsigned long ip)
{
	if (!ps)
		return false;
	if (!ps->text_tried)
		text_read(ps);
	return !ps->text || (ip >= ps->text_lo && ip < ps->text_hi);
}

/* How many bytes of the text there are from ip on (0 if outside). */
static size_t text_left(const struct pstate *ps, unsigned long ip)
{
	if (!ps->text || ip < ps->text_lo || ip >= ps->text_hi)
		return 0;
	return ps->text_hi - ip;
}

/* Decode the text's instruction at ip; false if outside or not one. */
static bool text_insn(const struct pstate *ps, unsigned long ip, struct insn *in)
{
	size_t left = text_left(ps, ip);

	return left && insn_decode(ps->text + (ip - ps->text_lo), left < 15 ? left : 15, ip, in);
}

/* The bytes of the text at ip..ip+n, or NULL. */
static const unsigned char *text_at(const struct pstate *ps, unsigned long ip, size_t n)
{
	if (!ps->text || ip < ps->text_lo || ip + n > ps->text_hi)
		return NULL;
	return ps->text + (ip - ps->text_lo);
}

/* Does a point just after a call instruction of the text? */
static bool after_call(const struct pstate *ps, unsigned long a)
{
	const unsigned char *p = a >= 6 ? text_at(ps, a - 6, 6) : NULL;

	if (!p)
		return false;
	return p[1] == 0xe8 ||                                /* call rel32        */
	       (p[0] == 0xff && p[1] == 0x15) ||              /* call *d32(%rip)   */
	       (p[4] == 0xff && (p[5] & 0xf8) == 0xd0) ||     /* call *%reg        */
	       (p[3] == 0xff && (p[4] & 0xf8) == 0x50);       /* call *d8(%reg)    */
}

#ifdef __x86_64__
#define IP_OFFSET offsetof(struct user_regs_struct, rip)
#define SP_OFFSET offsetof(struct user_regs_struct, rsp)
#define DI_OFFSET offsetof(struct user_regs_struct, rdi)

/* Is the instruction at ip a `syscall`? */
static bool at_syscall_insn(struct task *k, unsigned long ip)
{
	const unsigned char *p = text_at(k->ps, ip, 2);
	unsigned char insn[2];

	if (!p) {
		if (!mem_read(k->tid, ip, insn, sizeof(insn)))
			return false;
		p = insn;
	}
	return p[0] == 0x0f && p[1] == 0x05;
}
#else
#define IP_OFFSET 0
#define SP_OFFSET 0
#define DI_OFFSET 0

static bool at_syscall_insn(struct task *k, unsigned long ip)
{
	(void)k, (void)ip;
	return false;
}
#endif

/* k's instruction pointer is ip, until it is resumed (trace.c forgets it
   at k's next stop): race_step need not ask for it. */
static void ip_is(struct task *k, unsigned long ip)
{
	k->ip = ip;
	k->ip_known = true;
}

static bool peek_user(pid_t tid, size_t off, unsigned long *v)
{
	errno = 0;
	*v = (unsigned long)ptrace(PTRACE_PEEKUSER, tid, (void *)off, 0);
	return errno == 0;
}

/* ---- breakpoints: an int3 written into the process's own text ----
   (This machine's hypervisor ignores debug registers.)  The breakpoints
   belong to the process (its memory): a forked child inherits them with
   the memory (ps_inherit), and whichever task hits one removes it, unless
   other threads wait at it too (the same call site): then it stays, and
   the one that hit it steps over it (step_over_begin).  A run never goes
   through an int3 already there: it ends before it. */

static struct swbp *bp_find(struct pstate *ps, unsigned long addr)
{
	for (int i = 0; i < ps->nbp; i++)
		if (ps->bp[i].addr == addr)
			return &ps->bp[i];
	return NULL;
}

/* Write byte at addr in the memory of stopped task k's process: one
   write through /proc/PID/mem (which, like ptrace, may write the
   read-only text), else a word read and written back with ptrace. */
static bool text_poke(struct task *k, unsigned long addr, unsigned char byte)
{
	struct pstate *ps = k->ps;
	char path[64];
	long word;

	if (ps->mem_fd < 0) {
		snprintf(path, sizeof(path), "/proc/%d/mem", (int)ps->pid);
		ps->mem_fd = open(path, O_RDWR | O_CLOEXEC);
	}
	if (ps->mem_fd >= 0 && pwrite(ps->mem_fd, &byte, 1, (off_t)addr) == 1)
		return true;
	errno = 0;
	word = ptrace(PTRACE_PEEKTEXT, k->tid, (void *)addr, 0);
	return !errno &&
	       ptrace(PTRACE_POKETEXT, k->tid, (void *)addr, (void *)((word & ~0xffL) | byte)) == 0;
}

/* The byte of the text at addr as the program has it (no int3 of ours is
   there), or -1 if it is not in the copy. */
static int text_byte(const struct pstate *ps, unsigned long addr)
{
	return text_left(ps, addr) ? ps->text[addr - ps->text_lo] : -1;
}

/* Write an int3 at addr in the memory of stopped task k's process and
   list it there; false if the list is full or the write fails. */
static bool bp_write(struct task *k, unsigned long addr)
{
	struct pstate *ps = k->ps;
	int orig = text_byte(ps, addr);
	long word;

	if (ps->nbp == (int)(sizeof(ps->bp) / sizeof(ps->bp[0])))
		return false;
	if (orig < 0) {
		errno = 0;
		word = ptrace(PTRACE_PEEKTEXT, k->tid, (void *)addr, 0);
		if (errno)
			return false;
		orig = (unsigned char)word;
	}
	if (!text_poke(k, addr, 0xcc))
		return false;
	ps->bp[ps->nbp++] = (struct swbp){addr, (unsigned char)orig};
	return true;
}

/* A breakpoint at addr for stopped task k, which will run free until it. */
static bool bp_insert(struct task *k, unsigned long addr)
{
	if (!bp_find(k->ps, addr) && !bp_write(k, addr))
		return false;
	k->bp = addr;
	return true;
}

/* Does a thread of k's process other than k wait for its return at addr? */
static bool others_wait_at(const struct tracer *t, const struct task *k, unsigned long addr)
{
	for (size_t i = 0; i < t->ntasks; i++) {
		const struct task *o = t->tasks[i];
		if (o != k && o->ps == k->ps && o->bp == addr && o->rs == RS_LIBRARY)
			return true;
	}
	return false;
}

/* Put back the byte under the breakpoint b (k, of its process, is stopped);
   the tasks that waited for it run free for good. */
static void bp_remove(struct tracer *t, struct task *k, struct swbp *b)
{
	struct pstate *ps = k->ps;
	unsigned long addr = b->addr;

	/* threads returning to one place share its int3: it stays for the
	   others, and k steps over it (step_over_begin) */
	if (t->race && others_wait_at(t, k, addr)) {
		if (k->bp == addr)
			k->bp = 0;
		k->step_over = addr;
		return;
	}
	text_poke(k, addr, b->orig);
	*b = ps->bp[--ps->nbp];
	for (size_t i = 0; i < t->ntasks; i++) {
		struct task *o = t->tasks[i];
		if (o->ps != ps || o->bp != addr)
			continue;
		o->bp = 0;
		if (o != k && o->rs == RS_LIBRARY)
			o->rs = RS_NONE;
	}
}

/* k stopped on an int3 others still wait at (step_over): before its
   step, the original byte goes back; after it, the int3, if somebody
   still waits.  (While that one step runs, a waiting thread that came back
   there would miss it: the window is one instruction.) */
static void step_over_begin(struct task *k, unsigned long ip)
{
	struct swbp *b = k->step_over == ip ? bp_find(k->ps, ip) : NULL;

	k->step_over = 0;
	if (b) {
		text_poke(k, ip, b->orig);
		k->step_over = ip;
		k->stepping_over = true;
	}
}

static void step_over_end(struct tracer *t, struct task *k)
{
	unsigned long addr = k->step_over;
	struct swbp *b;

	if (!k->stepping_over)
		return;                 /* (k may have to step over still) */
	b = bp_find(k->ps, addr);
	k->stepping_over = false;
	k->step_over = 0;
	if (!b)
		return;
	if (t->race && others_wait_at(t, k, addr))
		text_poke(k, addr, 0xcc);
	else
		*b = k->ps->bp[--k->ps->nbp];   /* nobody waits: it stays out */
}

/* Where k returns to in the text: the innermost word of its stack that
   points just after a call there; 0 if none.  Right after vfork() it is
   in rdi: glibc's vfork pops it off the stack the child shares. */
static unsigned long return_address(struct task *k)
{
	unsigned long sp, words[64];

	if (k->vfork_ret) {
		k->vfork_ret = false;
		if (peek_user(k->tid, DI_OFFSET, &sp) && after_call(k->ps, sp))
			return sp;
	}

	if (!peek_user(k->tid, SP_OFFSET, &sp))
		return 0;
	for (size_t off = 0; off < RETURN_SCAN; off += sizeof(words)) {
		if (!mem_read(k->tid, sp + off, words, sizeof(words)))
			return 0;
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (after_call(k->ps, words[i]))
				return words[i];
	}
	return 0;
}

/* ---- the schedule ---- */

/* The scheduler state letter of k ('?' if gone). */
static char racer_state(struct task *k)
{
	return task_state_of(k);
}

static bool stop_pending(const struct task *k)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)k->tid, &si, WSTOPPED | WEXITED | WNOHANG | WNOWAIT | __WALL) == 0 &&
	       si.si_pid == k->tid;
}

/* May the next decision be taken?  Every task that runs free under the
   schedule (in a system call or in library code) must be asleep in the
   kernel ('S'; or 'D' waiting in vfork() for a child, which only the
   schedule can let go on) or gone.  False if a stop is pending (it comes through
   tracer_on_wait, which decides then) or a task is still running, in a
   short uninterruptible wait ('D', e.g. inside fork) or stopping ('t'
   comes before the stop is waitable): the tick looks again. */
static bool quiet(struct tracer *t)
{
	for (size_t i = 0; i < t->ntasks; i++) {
		struct task *k = t->tasks[i];
		if (k->rs != RS_SYSCALL && k->rs != RS_LIBRARY && k->rs != RS_ENTERING)
			continue;
		if (k == t->handling)
			return false;
		for (int spin = 0;; spin++) {
			char st = racer_state(k);
			if (st == 'S' || (st == 'D' && k->in_vfork))
				break;  /* asleep: a stop would show as 't' */
			if (st == 't')
				return false;   /* stopping: it comes to tracer_on_wait */
			if (st == 'Z' || st == 'X' || st == '?') {
				if (stop_pending(k))
					return false;   /* its death, not handled yet */
				break;
			}
			if (spin == QUIET_SPINS)
				return false;
			sched_yield();   /* it shares our CPU: let it get there */
		}
	}
	return true;
}

static void race_step(struct tracer *t, struct task *k);

/* ---- runs: several steps for one stop ----
   Stepping costs a stop per instruction.  Straight-line code (every
   instruction goes on to the next) needs none in between: the task runs
   free to an int3 written where the run ends (or, if it ends with a direct
   jump, at both places the jump may go).  A run executes exactly the
   instructions single steps would, and the sharing rule draws the same
   random numbers in the same order, so a seed gives the same schedule
   either way (test: race_runs_match_steps). */

void race_dying(struct tracer *t, struct task *k)
{
	struct swbp *b = k->bp ? bp_find(k->ps, k->bp) : NULL;

	if (b && !others_wait_at(t, k, k->bp))
		bp_remove(t, k, b);
	k->bp = 0;
}

/* A vfork child runs in its parent's memory until it execs or ends, and
   both return from vfork() to the same place: the child may have left an
   int3 of its own there (a library return's) or taken out one of the
   parent's (it inherits the parent's list, and is the first to return).
   So when the parent goes on, its text is made what its own list says:
   the original bytes (the text copy, read at the vfork, before the child
   could write anything) and its int3s. */
void race_vfork_start(struct tracer *t, struct task *k)
{
	if (t->race && k->ps && !k->ps->text_tried)
		text_read(k->ps);       /* before the child can write an int3 */
}

void race_vfork_done(struct tracer *t, struct task *k)
{
	struct pstate *ps = k->ps;
	unsigned char *now;
	size_t n;

	(void)t;        /* also after race_release: the child's int3s stay */
	if (!ps || !ps->text)
		return;
	n = ps->text_hi - ps->text_lo;
	now = xmalloc(n);
	if (mem_read(k->tid, ps->text_lo, now, n)) {
		for (size_t i = 0; i < n; i++) {
			unsigned long a = ps->text_lo + i;
			unsigned char want = bp_find(ps, a) ? 0xcc : ps->text[i];
			if (now[i] != want)
				text_poke(k, a, want);
		}
	}
	free(now);
}

/* Remove the int3s of k's run, those it did not hit. */
static void run_disarm(struct tracer *t, struct task *k)
{
	for (int i = 0; i < 2; i++) {
		struct swbp *b = k->run_bp[i] && k->ps ? bp_find(k->ps, k->run_bp[i]) : NULL;
		if (b)
			bp_remove(t, k, b);
		k->run_bp[i] = 0;
	}
}

/* An int3 at addr for k's run; false if it cannot be written. */
static bool run_arm(struct task *k, unsigned long addr)
{
	if (bp_find(k->ps, addr))
		return true;    /* a library return's: it stops the run as well */
	if (!bp_write(k, addr))
		return false;
	k->run_bp[k->run_bp[0] ? 1 : 0] = addr;
	return true;
}

/* A run planned: the addresses of the instructions it executes, in order
   (all different), and where it may end (0 if unused). */
struct run_plan {
	long n;
	unsigned long at[RACE_MAX_RUN];
	unsigned long ends[2];
	unsigned long library;  /* it ends by entering a library through a PLT
				   entry, called from here: the return address */
};

static bool planned(const struct run_plan *p, unsigned long a)
{
	for (long i = 0; i < p->n; i++)
		if (p->at[i] == a)
			return true;
	return false;
}

/* Where the instruction in (at a, the plan's next) surely goes, or 0: the
   next one, a direct jump or call's target, a first ret's return address
   (read from k's stack).  A conditional jump may go two ways: 0. */
static unsigned long sure_successor(const struct task *k, const struct run_plan *p,
				    unsigned long a, const struct insn *in)
{
	unsigned long sp, ret;

	switch (in->flow) {
	case INSN_NEXT:
		return a + in->len;
	case INSN_JUMP:
		return in->conditional ? 0 : in->target;
	case INSN_RETURN:
		if (p->n || !peek_user(k->tid, SP_OFFSET, &sp) || !mem_read(k->tid, sp, &ret, sizeof(ret)))
			return 0;
		return ret;
	default:
		return 0;
	}
}

/* Is k the only task of its process?  A run's int3s are in the memory
   the process's threads share: another thread, running free, could take
   one away. */
static bool alone_in_process(const struct tracer *t, const struct task *k)
{
	for (size_t i = 0; i < t->ntasks; i++)
		if (t->tasks[i] != k && t->tasks[i]->ps == k->ps)
			return false;
	return true;
}

/* May the instruction in (NULL: not decoded) read or write memory that
   another task sees?  Memory reached through a pointer (a shared mapping:
   -O0 keeps locals at rbp-relative addresses), and globals too when k's
   process has other threads; an instruction not decoded may do anything.
   Only after such an instruction may a switch change what the program
   computes. */
static bool may_share(const struct tracer *t, const struct task *k, const struct insn *in)
{
	if (in && in->jump_slot)
		return false;   /* a PLT entry reads the GOT: done by the tracer */
	return !in || in->touches_pointer || (in->touches_global && !alone_in_process(t, k));
}

/* n more instructions of the text executed under the schedule. */
static void count_done(struct tracer *t, long n)
{
	t->race_budget -= n;
	t->race_steps += (unsigned long)n;
}

/* ---- flights: what a racer was sent to execute at once ---- */

/* Note the schedule's state before k executes the n instructions at
   (a run, or one step). */
static void flight_begin(struct tracer *t, struct task *k, const unsigned long *at, long n)
{
	struct race_flight *f = &k->flight;

	f->n = n;
	memcpy(f->at, at, (size_t)n * sizeof(*at));
	f->ends[0] = f->ends[1] = 0;
	f->rng = t->rng;
	f->burst = t->burst;
	f->budget = t->race_budget;
	f->steps = t->race_steps;
}

/* Undo what was counted and drawn for k's flight. */
static void flight_undo(struct tracer *t, struct task *k)
{
	struct race_flight *f = &k->flight;

	f->on = false;
	t->rng = f->rng;
	t->burst = f->burst;
	t->race_budget = f->budget;
	t->race_steps = f->steps;
}

/* k's flight ended early, with k at ip (a signal stop came first): the
   schedule goes on as if the instructions it did had been stepped one by
   one (the same counts, the same coins), so that where a signal lands
   cannot change it.  (Its instructions are all different: ip says how
   many were done.) */
static void flight_cut_short(struct tracer *t, struct task *k, unsigned long ip)
{
	struct race_flight *f = &k->flight;
	struct insn in;
	long done = 0;

	while (done < f->n && f->at[done] != ip)
		done++;
	flight_undo(t, k);
	for (long i = 0; i < done; i++) {
		bool known = text_insn(k->ps, f->at[i], &in);
		count_done(t, 1);
		t->burst--;
		if (may_share(t, k, known ? &in : NULL) && (next_rand(t) & 1))
			t->burst = 0;
	}
}

/* Does the PLT jump in (at the end of a plan) go out of the text?  Then
   the run enters the library there. */
static bool enters_library(const struct task *k, const struct insn *in)
{
	unsigned long to;

	return in->jump_slot && mem_read(k->tid, in->jump_slot, &to, sizeof(to)) &&
	       !text_left(k->ps, to);
}

/* Plan k's next instructions from ip (at most max) as one run: follow the
   code while it surely goes on in the text to an instruction not yet
   planned; a conditional jump may end the run, with an int3 at both its
   destinations if neither is planned (an int3 there would stop the run
   early). */
static void run_plan(const struct task *k, unsigned long ip, long max, struct run_plan *p)
{
	unsigned long a = ip, next, call_ret = 0;
	struct insn in;

	p->n = 0;
	p->ends[0] = p->ends[1] = 0;
	p->library = 0;
	while (p->n < max && text_insn(k->ps, a, &in)) {
		if (bp_find(k->ps, a)) {
			if (!p->n)
				return;         /* an int3 here: step */
			break;                  /* it ends the run */
		}
		if (in.flow == INSN_JUMP && in.conditional) {
			unsigned long fall = a + in.len;
			if (planned(p, in.target) || planned(p, fall) || in.target == a || fall == a ||
			    !text_left(k->ps, in.target) || !text_left(k->ps, fall))
				break;
			p->at[p->n++] = a;
			p->ends[0] = in.target;
			p->ends[1] = in.target != fall ? fall : 0;
			return;
		}
		if (call_ret && !planned(p, call_ret) && enters_library(k, &in)) {
			p->at[p->n++] = a;
			p->library = call_ret;
			return;
		}
		next = sure_successor(k, p, a, &in);
		if (!next || !text_left(k->ps, next))
			break;
		p->at[p->n++] = a;
		if (in.flow == INSN_JUMP && in.call)
			call_ret = a + in.len;
		else if (in.flow == INSN_RETURN)
			call_ret = 0;
		if (planned(p, next)) {         /* a loop: end before it comes back */
			while (p->at[--p->n] != next)
				;
			a = next;
			break;
		}
		a = next;
	}
	p->ends[0] = a;
}

/* Cut the run short by the sharing rule: after an instruction that may
   reach shared memory the burst ends half the time. */
static void run_cut(struct tracer *t, const struct task *k, struct run_plan *p)
{
	struct insn in;

	for (long i = 0; i < p->n; i++) {
		bool known = text_insn(k->ps, p->at[i], &in);
		if (!may_share(t, k, known ? &in : NULL) || !(next_rand(t) & 1))
			continue;
		t->burst = 0;
		if (i + 1 < p->n) {
			p->n = i + 1;
			p->ends[0] = p->at[i + 1];
			p->ends[1] = 0;
			p->library = 0;
		}
		return;
	}
}


static void race_schedule(struct tracer *t);

/* A run that ends in a library (p->library): k runs free from now on, as
   it would from its entry into the library, until it returns there.  No
   decision falls among its instructions up to the library (run_cut did
   not end the burst there), and the next one waits until k sleeps or is
   back (quiet()), so they are all done before it, as with steps: the
   schedule is the one steps would give. */
static bool run_into_library(struct tracer *t, struct task *k, const struct run_plan *p)
{
	if (!bp_insert(k, p->library))
		return false;
	count_done(t, p->n);
	k->step_touches = false;
	k->rs = RS_LIBRARY;
	give_up_cpu(t, k);
	ptrace(PTRACE_CONT, k->tid, 0, 0);
	race_schedule(t);
	return true;
}

/* Run k (stopped at ip, in the text) for the next instructions of its
   burst at once, if more than one can go: true if it is on its way. */
static bool run_ahead(struct tracer *t, struct task *k, unsigned long ip, int sig)
{
	long max = t->burst < t->race_budget ? t->burst : t->race_budget;
	struct run_plan p;
	long n;

	/* a signal's handler would run free in the run: step into it */
	if (sig || !alone_in_process(t, k))
		return false;
	if (max > RACE_MAX_RUN)
		max = RACE_MAX_RUN;
	run_plan(k, ip, max, &p);
	if (p.n < 2)
		return false;
	flight_begin(t, k, p.at, p.n);
	run_cut(t, k, &p);
	n = p.n;
	if (p.library && n < max) {
		if (run_into_library(t, k, &p))
			return true;
		flight_undo(t, k);
		return false;   /* step on */
	}
	if (p.library) {        /* the burst ends at the PLT jump: stop there */
		p.n = --n;
		p.ends[0] = p.at[n];
		p.library = 0;
	}
	if (!run_arm(k, p.ends[0]) || (p.ends[1] && !run_arm(k, p.ends[1]))) {
		run_disarm(t, k);
		flight_undo(t, k);
		return false;   /* step on */
	}
	count_done(t, n);
	t->burst = t->burst > n ? t->burst - n : 0;
	k->step_touches = false;        /* its coins are drawn */
	k->flight.n = n;
	k->flight.ends[0] = p.ends[0];
	k->flight.ends[1] = p.ends[1];
	k->flight.on = true;
	k->stepping = true;
	k->step_ms = now_ms();
	if (ptrace(PTRACE_CONT, k->tid, 0, 0) < 0) {
		k->stepping = false;
		k->flight.on = false;
		run_disarm(t, k);
		give_up_cpu(t, k);
	}
	return true;
}

/* Give the CPU to a READY task at random, if none is running. */
static void race_schedule(struct tracer *t)
{
	size_t n = 0, pick;

	t->undecided = false;
	if (!t->race || t->running)
		return;
	for (size_t i = 0; i < t->ntasks; i++)
		n += t->tasks[i]->rs == RS_READY;
	if (!n)
		return;
	if (!quiet(t)) {
		t->undecided = true;
		return;
	}
	pick = (size_t)(next_rand(t) % n);
	for (size_t i = 0; i < t->ntasks; i++) {
		struct task *k = t->tasks[i];
		if (k->rs != RS_READY || pick--)
			continue;
		t->running = k;
		k->rs = RS_RUNNING;
		t->burst = MAX_BURST;
		t->race_switches++;
		race_step(t, k);
		return;
	}
}

/* A new thread starts in the library, which calls its start routine: no
   return address leads into the text.  It is stepped (not under the
   schedule: the next decision waits, see quiet()) until it gets there,
   for at most ENTER_STEPS steps. */
#define ENTER_STEPS 20000

static void enter_step(struct task *k, int sig)
{
	k->rs = RS_ENTERING;
	k->stepping = true;
	k->step_ms = now_ms();
	if (ptrace(PTRACE_SINGLESTEP, k->tid, 0, (void *)(long)sig) < 0) {
		k->stepping = false;
		k->rs = RS_NONE;
	}
}

/* k (RS_ENTERING) stepped: in the text now, it joins the schedule. */
static void entering_on_step(struct tracer *t, struct task *k)
{
	unsigned long ip;

	if (!peek_user(k->tid, IP_OFFSET, &ip)) {
		k->rs = RS_NONE;
		return;
	}
	if (in_text(k->ps, ip)) {
		ip_is(k, ip);
		k->rs = RS_READY;
		k->at_user = true;
		race_schedule(t);
	} else if (++k->entering_steps < ENTER_STEPS) {
		enter_step(k, 0);
	} else {
		k->rs = RS_NONE;
		ptrace(PTRACE_CONT, k->tid, 0, 0);
		race_schedule(t);
	}
}

/* k stepped out of the text: it runs free until it returns there (a new
   thread: until it enters it). */
static void run_library(struct tracer *t, struct task *k, int sig)
{
	unsigned long ret = return_address(k);

	give_up_cpu(t, k);
	if (!ret && !k->been_in_text && k->ps && k->ps->ntasks > 1) {
		enter_step(k, sig);
		race_schedule(t);
		return;
	}
	/* without a way back (main returning into exit, a thread's start
	   routine into its end) it runs free for good, but decisions still
	   wait while it runs (quiet()): its end may wake a waiting task */
	if (ret)
		bp_insert(k, ret);      /* if the list is full: no way back */
	k->rs = RS_LIBRARY;
	ptrace(PTRACE_CONT, k->tid, 0, (void *)(long)sig);
	race_schedule(t);
}

/* Do k's `jmp [slot]` (a PLT entry's: its one effect is rip = *slot)
   without a stop.  Not with a signal to deliver: that takes a real step. */
static bool jump_through(struct task *k, unsigned long slot, int sig)
{
	unsigned long to;

	if (sig || !mem_read(k->tid, slot, &to, sizeof(to)))
		return false;
	if (ptrace(PTRACE_POKEUSER, k->tid, (void *)IP_OFFSET, (void *)to) < 0)
		return false;
	ip_is(k, to);
	k->step_touches = false;
	return true;
}

/* Run one more instruction of the running task (or let it go). */
static void race_step(struct tracer *t, struct task *k)
{
	int sig = k->held_sig;
	unsigned long ip;

	k->held_sig = 0;
	run_disarm(t, k);       /* a run cut short by a signal */
	if (t->race_budget <= 0) {
		k->held_sig = sig;
		k->rs = RS_READY;
		race_release(t);
		return;
	}
	if (k->ip_known)
		ip = k->ip;
	else if (!peek_user(k->tid, IP_OFFSET, &ip)) {
		give_up_cpu(t, k);      /* gone: its death comes next */
		return;
	}
	if (!in_text(k->ps, ip)) {
		run_library(t, k, sig);
		return;
	}
	k->been_in_text = true;
	k->vfork_ret = false;   /* back from vfork() if it was in one */
	bool over = k->step_over == ip;        /* an int3 others wait at */
	if (!over && at_syscall_insn(k, ip)) {
		/* the entry stop comes back through race_on_syscall_stop */
		ptrace(PTRACE_SYSCALL, k->tid, 0, (void *)(long)sig);
		return;
	}
	if (!over && !t->race_step_each &&
	    k->ps->nbp <= (int)(sizeof(k->ps->bp) / sizeof(k->ps->bp[0])) - 2 &&
	    run_ahead(t, k, ip, sig))
		return;
	struct insn in;
	bool known = text_insn(k->ps, ip, &in);
	flight_begin(t, k, &ip, 1);
	count_done(t, 1);
	t->burst--;
	if (!over && !t->race_step_each && known && in.jump_slot &&
	    jump_through(k, in.jump_slot, sig)) {
		race_on_step(t, k);     /* as if stepped: a stop saved per library call */
		return;
	}
	k->step_touches = may_share(t, k, known ? &in : NULL);
	k->flight.on = true;
	k->stepping = true;
	k->step_ms = now_ms();
	step_over_begin(k, ip);
	if (ptrace(PTRACE_SINGLESTEP, k->tid, 0, (void *)(long)sig) < 0) {
		k->stepping = false;
		k->flight.on = false;
		step_over_end(t, k);
		give_up_cpu(t, k);
	}
}

/* Would sig do nothing to k (ignored, or ignored by default and not
   caught)?  Such a signal is dropped rather than injected with a step:
   the kernel then lets the task run on without the step's trap (seen with
   SIGCHLD at the first step after a read() returned). */
static bool signal_ignored(const struct task *k, int sig)
{
	const unsigned long by_default =
		1UL << (SIGCHLD - 1) | 1UL << (SIGURG - 1) | 1UL << (SIGWINCH - 1);
	unsigned long bit = 1UL << (sig - 1), ign = 0, caught = 0;
	char path[96], line[256];
	FILE *f;

	if (sig < 1 || sig > 64 || !k->ps)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)k->ps->pid, (int)k->tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "SigIgn: %lx", &ign);
		sscanf(line, "SigCgt: %lx", &caught);
	}
	fclose(f);
	return (ign & bit) || ((by_default & bit) && !(caught & bit));
}

bool race_resume(struct task *k, int request, int sig)
{
	struct tracer *t = k->tr;

	if (!t || !t->race || k->rs == RS_NONE || k->inj)
		return false;
	step_over_end(t, k);            /* a signal stop came first */
	if (k->flight.on) {
		unsigned long ip;
		k->flight.on = false;
		if (peek_user(k->tid, IP_OFFSET, &ip)) {
			ip_is(k, ip);
			flight_cut_short(t, k, ip);
		}
	}
	if (request == PTRACE_LISTEN) {
		k->rs = RS_STOPPED;
		give_up_cpu(t, k);
		ptrace(PTRACE_LISTEN, k->tid, 0, 0);
		race_schedule(t);
		return true;
	}
	if (request != PTRACE_CONT && request != PTRACE_SYSCALL)
		return false;
	if (k->rs == RS_LIBRARY)
		return false;           /* runs free until its breakpoint */
	if (k->rs == RS_ENTERING) {     /* e.g. after a signal stop */
		enter_step(k, sig);
		return true;
	}
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
	k->held_sig = sig && !signal_ignored(k, sig) ? sig : 0;
	if (t->running == k && t->burst > 0) {
		race_step(t, k);        /* e.g. after a signal stop: go on */
		return true;
	}
	run_disarm(t, k);
	k->rs = RS_READY;
	give_up_cpu(t, k);
	race_schedule(t);
	return true;
}

void race_on_step(struct tracer *t, struct task *k)
{
	step_over_end(t, k);
	k->flight.on = false;
	k->stepping = false;
	run_disarm(t, k);
	if (!t->race) {
		k->rs = RS_NONE;
		ptrace(PTRACE_CONT, k->tid, 0, 0);
		return;
	}
	if (k->rs == RS_ENTERING) {
		entering_on_step(t, k);
		return;
	}
	/* after an instruction that may share memory, end the burst half the time */
	if (k->step_touches && (next_rand(t) & 1))
		t->burst = 0;
	if (k->rs == RS_RUNNING && t->burst > 0) {
		race_step(t, k);
		return;
	}
	/* the end of a burst, or a step that ran away and is back */
	k->rs = RS_READY;
	k->at_user = true;
	give_up_cpu(t, k);
	race_schedule(t);
}

bool race_on_breakpoint(struct tracer *t, struct task *k, bool stepped)
{
	unsigned long ip;
	struct swbp *b;

	if (!peek_user(k->tid, IP_OFFSET, &ip) || !(b = bp_find(k->ps, ip - 1)))
		return false;
	/* a step that went on to just after an int3 (a jump), or stepped over
	   one with the original byte back, did not hit it */
	if (stepped && k->flight.on && !k->flight.ends[0] &&
	    (k->flight.at[0] != ip - 1 || k->stepping_over))
		return false;
	bp_remove(t, k, b);
	ptrace(PTRACE_POKEUSER, k->tid, (void *)IP_OFFSET, (void *)(ip - 1));
	ip_is(k, ip - 1);
	if (stepped) {
		/* the end of its run, or an int3 met on the way (a step onto
		   one executes nothing): count what was done */
		if (k->flight.on && ip - 1 != k->flight.ends[0] && ip - 1 != k->flight.ends[1]) {
			flight_cut_short(t, k, ip - 1);
			k->step_touches = false;
		}
		race_on_step(t, k);
		return true;
	}
	if (!t->race || k->rs != RS_LIBRARY) {
		if (k->rs == RS_LIBRARY)
			k->rs = RS_NONE;
		ptrace(PTRACE_CONT, k->tid, 0, 0);
		return true;
	}
	k->rs = RS_READY;
	k->at_user = true;
	race_schedule(t);
	return true;
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
	k->flight.on = false;
	k->rs = RS_NONE;
	give_up_cpu(t, k);
	race_schedule(t);
}

/* ---- the sandbox loop's hooks (trace.h) ---- */

int race_tick_ms(const struct tracer *t)
{
	if (!t || !t->race)
		return -1;
	if (t->undecided)
		return TICK_MS;
	if (t->running && t->running->stepping)
		return RUNAWAY_MS;
	return -1;
}

bool race_tick(struct tracer *t)
{
	struct task *k;

	if (!t || !t->race)
		return false;
	k = t->running;
	if (k && k->stepping && now_ms() - k->step_ms > RUNAWAY_MS) {
		char st = racer_state(k);
		if (st == 'S' || st == 'D') {
			/* ran into a blocking call: the step's trap comes when it
			   returns (race_on_step); meanwhile the others go on */
			t->race_escapes++;
			k->flight.on = false;   /* the others run meanwhile */
			k->rs = RS_SYSCALL;
			give_up_cpu(t, k);
			t->undecided = true;
		}
	}
	if (!t->undecided)
		return false;
	race_schedule(t);
	return t->running != NULL;
}

pid_t tracer_stop_due(const struct tracer *t)
{
	if (!t || !t->race || !t->running || !t->running->stepping)
		return 0;
	return t->running->tid;
}
