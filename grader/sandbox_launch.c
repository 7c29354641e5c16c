/*
 * sandbox_launch.c - start the keeper without copying the grader.
 *
 * A fork copies the page tables, and afterwards both sides take a page
 * fault for every page they write; the child's exit tears the copy down.
 * On a virtual machine that shadows page tables this costs more than all
 * the rest of a run (bench/RESULTS.md).  So an untraced run
 * starts its keeper with CLONE_VM: the keeper runs in the grader's memory,
 * on a stack of its own, and vforks the program, which runs there too
 * until its execve gives it memory of its own.  The only new address
 * space of a run is then the one the command needs anyway.
 *
 * Code that runs in the grader's memory while the grader runs must touch
 * nothing the grader uses:
 *   - the keeper works on a private copy of the plan (the grader closes its
 *     ends of the pipes in its own plan at once);
 *   - it never allocates (no malloc, stdio or opendir: the /proc scans and
 *     the copy into /box read directories with getdents64 into the stack),
 *     so that a keeper killed at any moment leaves no lock held;
 *   - it must not share the grader's thread-local storage (errno, the
 *     allocator's per-thread cache, the stack guard): it runs on the
 *     thread-local storage of a donor thread (CLONE_SETTLS), a thread of
 *     ours that does nothing but sleep, with every signal blocked, for the
 *     life of the process;
 *   - the program (vforked by the keeper: the keeper waits for its exec)
 *     changes its identity with raw system calls: glibc's set*id() would
 *     try to change the identity of the grader's threads too.
 * One run at a time (the keeper's stack and the plan's copy are reused):
 * the keeper has been reaped before the next run starts, and so has the
 * program (a namespace dies with its keeper; in the basic tier the keeper
 * kills its tree, or, if it is killed itself, the grader kills what it
 * adopts before it returns).
 *
 * The keeper and the program hand over to each other and to the grader
 * at every step (clone, vfork, exec, exit, the reports): on a virtual
 * machine, waking a task on an idle virtual CPU costs more than the step
 * itself, and TLB shootdowns of the shared memory interrupt the other CPU.
 * So for the run the grader pins itself to the CPU it is on, the keeper
 * inherits that, and the program takes back the grader's own affinity
 * just before its exec: the command runs wherever the scheduler puts it,
 * and its children inherit that.
 *
 * A traced run forks as before: its program waits for the tracer before
 * its exec, and a vfork parent cannot run meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sandbox_internal.h"
#include "util.h"

/* The keeper's stack (the program's too, until its exec), with a guard
   page below it. */
#define KEEPER_STACK (2L << 20)

static char *keeper_stack;
static struct sbx_plan keeper_plan;     /* the keeper's own copy */

/* The donor thread and its thread pointer (0 until it has started). */
static pid_t donor_pid;                 /* the process that made it */
static void *donor_tp;
static int donor_started;               /* a futex word: tp is set */

static void *donor_main(void *arg)
{
	(void)arg;
	donor_tp = __builtin_thread_pointer();
	__atomic_store_n(&donor_started, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &donor_started, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	/* From here on its thread-local storage belongs to the keepers: it
	   must not run.  Every signal is blocked, so pause() never returns
	   (and never writes errno). */
	for (;;)
		pause();
	return NULL;
}

/* Once per process (a forked child makes its own: threads do not follow
   a fork).  0 or -1 (error set). */
int sbx_launch_ready(void)
{
	pthread_attr_t attr;
	pthread_t t;
	sigset_t all, old;
	int rc;

	if (donor_pid == getpid() && donor_tp)
		return 0;
	donor_tp = NULL;
	donor_started = 0;
	if (!keeper_stack) {
		char *m = mmap(NULL, KEEPER_STACK + 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (m == MAP_FAILED)
			return error_errno("sandbox: keeper stack");
		mprotect(m, 4096, PROT_NONE);
		keeper_stack = m + 4096;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 << 10);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&t, &attr, donor_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		errno = rc;
		return error_errno("sandbox: start the donor thread");
	}
	while (!__atomic_load_n(&donor_started, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &donor_started, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	donor_pid = getpid();
	return 0;
}

static int keeper_entry(void *arg)
{
	sbx_keeper_main(arg);     /* never returns */
}

/* Without a memory cgroup the program's peak memory is its ru_maxrss,
   which counts the memory it started in: ours, until its exec.  With a
   fork that was what we held at the fork; sharing our memory, it would be
   the most we ever held.  So the high-water mark is put back to what we
   hold now. */
static void reset_peak_rss(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, "5", 1) < 0) {
		/* older kernels: the figure stays high, nothing else */
	}
	close(fd);
}

static bool pinned;
static bool keeper_running;     /* launched, not yet known to be reaped */
static cpu_set_t grader_affinity;

/* Pin the calling thread to its CPU; the plan says what to restore. */
static void pin(struct sbx_plan *p)
{
	cpu_set_t one;
	int cpu;

	if (pinned || sched_getaffinity(0, sizeof(grader_affinity), &grader_affinity) < 0)
		return;
	cpu = sched_getcpu();
	if (cpu < 0 || !CPU_ISSET(cpu, &grader_affinity) || CPU_COUNT(&grader_affinity) < 2)
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) < 0)
		return;
	pinned = true;
	p->restore_affinity = true;
	p->affinity = grader_affinity;
}

void sbx_launch_done(void)
{
	if (pinned)
		sched_setaffinity(0, sizeof(grader_affinity), &grader_affinity);
	pinned = false;
	keeper_running = false;
}

pid_t sbx_launch_shared(const struct sbx_plan *p, unsigned long ns_flags)
{
	int flags = (int)ns_flags | CLONE_VM | CLONE_SETTLS | SIGCHLD;
	sigset_t all, old;
	pid_t pid;
	int e;

	if (keeper_running)
		return error_set("sandbox: the previous keeper was not reaped");
	if (sbx_launch_ready() < 0)
		return -1;
	reset_peak_rss();
	keeper_plan = *p;
	keeper_plan.shared_vm = true;
	keeper_plan.restore_affinity = false;
	pin(&keeper_plan);
	/* born with every signal blocked: no handler of ours may run in it */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = clone(keeper_entry, keeper_stack + KEEPER_STACK, flags, &keeper_plan, NULL,
		    donor_tp, NULL);
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		sbx_launch_done();
		errno = e;
		return error_errno("sandbox: clone the keeper");
	}
	keeper_running = true;
	return pid;
}
