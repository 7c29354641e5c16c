/*
 * trace_inject.c - reach into a stopped tracee: its memory, its registers,
 * and system calls made on its behalf.
 *
 * Memory goes through process_vm_readv/writev (PTRACE_PEEK/POKEDATA if
 * that is refused).  Registers are architecture-specific: x86_64 only for
 * now; elsewhere faults and marker skipping are unavailable (the marker
 * write then really goes to /dev/null) and file writes are not traced.
 *
 * Syscall injection (the write filters of trace_syscall.c): at the exit
 * stop of an open (or dup) that returned a regular file open for writing,
 * the tracer saves the registers, writes a small BPF program and its
 * sock_fprog below the stack's red zone, points the instruction pointer
 * back at the `syscall` instruction that just ran, and makes it
 * seccomp(SECCOMP_SET_MODE_FILTER, TSYNC | SPEC_ALLOW, prog).  It follows
 * the injected call through its entry and exit stops, then restores the
 * registers (so the open returns its fd as if nothing happened).  Signals
 * that arrive meanwhile are held back and raised again afterwards; a
 * group-stop meanwhile is ignored.
 *
 * The filter traps write, writev, pwrite64, pwritev, pwritev2, sendfile,
 * copy_file_range and splice on exactly that fd, and (the first time in a
 * process) dup, dup2, dup3 and fcntl(F_DUPFD*), so that copies of it are
 * covered too.  Children inherit the filters with the descriptors.  After
 * MAX_FILTERS filters in one process, one last filter traps writes to every
 * fd >= 3 instead.
 *
 * Pace (inject_pace): at a seccomp stop, the call is turned into
 * clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, end) with end written
 * below the red zone; at its exit stop the registers come back, with the
 * call's result (a marker write) or pointing at the `syscall` instruction
 * again (a write to make after all).  A signal stops the sleep early (even
 * an ignored SIGCHLD, under ptrace): it is made again until the end.  The
 * tracee sleeps, not the tracer.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <time.h>
#include <unistd.h>
#include "trace_internal.h"

#define MAX_FILTERS 16

/* ---- memory ---- */

static bool peek(pid_t pid, uint64_t addr, long *word)
{
	errno = 0;
	*word = ptrace(PTRACE_PEEKDATA, pid, (void *)addr, 0);
	return errno == 0;
}

bool mem_read(pid_t pid, uint64_t addr, void *buf, size_t n)
{
	struct iovec local = {buf, n}, remote = {(void *)addr, n};

	if (!addr)
		return false;
	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)n)
		return true;
	for (size_t off = 0; off < n; off += sizeof(long)) {
		long w;
		size_t k = n - off < sizeof(long) ? n - off : sizeof(long);
		if (!peek(pid, addr + off, &w))
			return false;
		memcpy((char *)buf + off, &w, k);
	}
	return true;
}

bool exe_mapping(pid_t pid, bool code, unsigned long *lo, unsigned long *hi)
{
	char path[64], line[512];
	struct stat st;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (stat(path, &st) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long a, b, off, ino;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s %lx %*s %lu", &a, &b, perms, &off, &ino) != 5 ||
		    ino != (unsigned long)st.st_ino || (code ? perms[2] != 'x' : off != 0))
			continue;
		*lo = a;
		*hi = b;
		found = true;
	}
	fclose(f);
	return found;
}

bool mem_read_str(pid_t pid, uint64_t addr, char *buf, size_t n)
{
	size_t got = 0;

	while (got + 1 < n) {
		/* never read across a page: the next one may not be mapped */
		size_t room = 4096 - ((addr + got) & 4095);
		size_t want = n - 1 - got < room ? n - 1 - got : room;
		if (!mem_read(pid, addr + got, buf + got, want))
			return false;
		char *z = memchr(buf + got, '\0', want);
		if (z)
			return true;
		got += want;
	}
	buf[n - 1] = '\0';
	return true;
}

bool mem_write(pid_t pid, uint64_t addr, const void *buf, size_t n)
{
	struct iovec local = {(void *)buf, n}, remote = {(void *)addr, n};

	if (process_vm_writev(pid, &local, 1, &remote, 1, 0) == (ssize_t)n)
		return true;
	for (size_t off = 0; off < n; off += sizeof(long)) {
		long w = 0;
		size_t k = n - off < sizeof(long) ? n - off : sizeof(long);
		if (k < sizeof(long) && !peek(pid, addr + off, &w))
			return false;
		memcpy(&w, (const char *)buf + off, k);
		if (ptrace(PTRACE_POKEDATA, pid, (void *)(addr + off), (void *)w) < 0)
			return false;
	}
	return true;
}

/* ---- registers ---- */

#ifdef __x86_64__
typedef struct user_regs_struct regs_t;
_Static_assert(sizeof(regs_t) <= sizeof(((struct task *)0)->saved_regs), "saved_regs");
#define AUDIT_ARCH_NATIVE AUDIT_ARCH_X86_64

static bool regs_get(pid_t tid, regs_t *r)
{
	return ptrace(PTRACE_GETREGS, tid, 0, r) == 0;
}

static bool regs_set(pid_t tid, const regs_t *r)
{
	return ptrace(PTRACE_SETREGS, tid, 0, r) == 0;
}

bool regs_skip_call(pid_t tid, long ret)
{
	regs_t r;
	if (!regs_get(tid, &r))
		return false;
	r.orig_rax = (unsigned long long)-1;
	r.rax = (unsigned long long)ret;
	return regs_set(tid, &r);
}

bool regs_defer_call(pid_t tid)
{
	regs_t r;
	if (!regs_get(tid, &r))
		return false;
	r.rax = r.orig_rax;                  /* made afresh afterwards */
	r.orig_rax = (unsigned long long)-1; /* not now */
	r.rip -= 2;                          /* back onto `syscall` */
	return regs_set(tid, &r);
}

/* Turn the exit stop of the call just made into a new call nr(a0, a1, a2). */
static void regs_redo_call(regs_t *r, long nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	r->rip -= 2;              /* back onto `syscall` (0f 05) */
	r->rax = (unsigned long long)nr;
	r->orig_rax = (unsigned long long)nr;
	r->rdi = a0;
	r->rsi = a1;
	r->rdx = a2;
}

static long regs_ret(const regs_t *r)
{
	return (long)r->rax;
}

static uint64_t regs_sp(const regs_t *r)
{
	return r->rsp;
}
#else
bool regs_skip_call(pid_t tid, long ret)
{
	(void)tid;
	(void)ret;
	return false;
}

bool regs_defer_call(pid_t tid)
{
	(void)tid;
	return false;
}
#endif

/* ---- the write filters ---- */

bool fd_covered(const struct pstate *ps, int fd)
{
	if (fd < 0)
		return false;
	if (ps->catchall)
		return fd >= 3;
	return (size_t)fd / 8 < ps->ncovered && (ps->covered[fd / 8] >> (fd % 8) & 1);
}

static void cover(struct pstate *ps, int fd)
{
	size_t byte = (size_t)fd / 8;
	if (byte >= ps->ncovered) {
		size_t n = byte + 16;
		ps->covered = xrealloc(ps->covered, n);
		memset(ps->covered + ps->ncovered, 0, n - ps->ncovered);
		ps->ncovered = n;
	}
	ps->covered[byte] |= (unsigned char)(1u << (fd % 8));
}

#ifdef __x86_64__

/* A tiny BPF assembler: jumps name labels, patched at the end. */
enum label { L_NONE, L_ALLOW, L_TRACE, L_A0, L_A2, L_FCNTL, L__COUNT };

struct prog {
	struct sock_filter ins[64];
	unsigned char jt[64], jf[64];   /* labels */
	int at[L__COUNT];
	int n;
};

static void emit(struct prog *p, uint16_t code, uint32_t k, enum label jt, enum label jf)
{
	p->ins[p->n] = (struct sock_filter)BPF_STMT(code, k);
	p->jt[p->n] = (unsigned char)jt;
	p->jf[p->n] = (unsigned char)jf;
	p->n++;
}

static void here(struct prog *p, enum label l)
{
	p->at[l] = p->n;
}

static void link_prog(struct prog *p)
{
	for (int i = 0; i < p->n; i++) {
		if (p->jt[i])
			p->ins[i].jt = (uint8_t)(p->at[p->jt[i]] - i - 1);
		if (p->jf[i])
			p->ins[i].jf = (uint8_t)(p->at[p->jf[i]] - i - 1);
	}
}

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + (i) * 8)

/* fd >= 0: trap writes to fd; fd < 0: to every fd >= 3. */
static void build_filter(struct prog *p, int fd, bool dups)
{
	static const int on_a0[] = {SYS_write, SYS_writev, SYS_pwrite64, SYS_pwritev,
				    SYS_pwritev2, SYS_sendfile};
	static const int on_a2[] = {SYS_copy_file_range, SYS_splice};
	static const int dup_calls[] = {SYS_dup, SYS_dup2, SYS_dup3};

	memset(p, 0, sizeof(*p));
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_NATIVE, 0, L_ALLOW);
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
	for (size_t i = 0; i < ARRAY_SIZE(on_a0); i++)
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)on_a0[i], L_A0, 0);
	for (size_t i = 0; i < ARRAY_SIZE(on_a2); i++)
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)on_a2[i], L_A2, 0);
	if (dups) {
		for (size_t i = 0; i < ARRAY_SIZE(dup_calls); i++)
			emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)dup_calls[i], L_TRACE, 0);
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, SYS_fcntl, L_FCNTL, 0);
	}
	emit(p, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);   /* no match */
	/* classic BPF jumps only forward: the checks, then the returns */
	here(p, L_A0);
	emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(0), 0, 0);
	if (fd >= 0)
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)fd, L_TRACE, L_ALLOW);
	else
		emit(p, BPF_JMP | BPF_JGE | BPF_K, 3, L_TRACE, L_ALLOW);
	here(p, L_A2);
	emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(2), 0, 0);
	if (fd >= 0)
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)fd, L_TRACE, L_ALLOW);
	else
		emit(p, BPF_JMP | BPF_JGE | BPF_K, 3, L_TRACE, L_ALLOW);
	if (dups) {
		here(p, L_FCNTL);
		emit(p, BPF_LD | BPF_W | BPF_ABS, ARG_LO(1), 0, 0);
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, F_DUPFD, L_TRACE, 0);
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, F_DUPFD_CLOEXEC, L_TRACE, L_ALLOW);
	}
	here(p, L_ALLOW);
	emit(p, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
	here(p, L_TRACE);
	emit(p, BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
	link_prog(p);
}

bool inject_cover_fd(struct tracer *t, struct task *k, int fd)
{
	struct pstate *ps = k->ps;
	struct prog prog;
	regs_t r;

	if (!t->can_inject || !ps || fd < 0 || fd_covered(ps, fd) || ps->catchall)
		return false;
	bool all = ps->nfilters >= MAX_FILTERS;
	build_filter(&prog, all ? -1 : fd, !ps->dup_rule);
	if (!regs_get(k->tid, &r)) {
		t->inject_failed = true;
		return false;
	}
	memcpy(k->saved_regs, &r, sizeof(r));
	/* below the 128-byte red zone, 16-byte aligned */
	uint64_t at = (regs_sp(&r) - 128 - 1024) & ~(uint64_t)15;
	struct { uint16_t len; uint16_t pad[3]; uint64_t filter; } fprog = {
		(uint16_t)prog.n, {0, 0, 0}, at + 16,
	};
	if (!mem_write(k->tid, at, &fprog, sizeof(fprog)) ||
	    !mem_write(k->tid, at + 16, prog.ins, (size_t)prog.n * sizeof(prog.ins[0]))) {
		t->inject_failed = true;
		return false;
	}
	regs_redo_call(&r, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_SPEC_ALLOW, at);
	if (!regs_set(k->tid, &r)) {
		t->inject_failed = true;
		return false;
	}
	k->inj = INJ_ENTRY;
	k->inj_fd = all ? -2 : fd;
	k->nstashed = 0;
	task_resume(k, PTRACE_SYSCALL, 0);
	return true;
}

/* Make the stop's call clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
   k->pace_until) from the registers r (the call's own, saved). */
static bool pace_sleep(struct task *k, regs_t r, bool again)
{
	uint64_t at = (regs_sp(&r) - 128 - 64) & ~(uint64_t)15;
	if (!mem_write(k->tid, at, &k->pace_until, sizeof(k->pace_until)))
		return false;
	if (again)
		r.rip -= 2;                /* back onto `syscall` */
	r.rax = r.orig_rax = SYS_clock_nanosleep;
	r.rdi = CLOCK_MONOTONIC;
	r.rsi = TIMER_ABSTIME;
	r.rdx = at;
	r.r10 = 0;
	return regs_set(k->tid, &r);
}

bool inject_pace(struct tracer *t, struct task *k, long ms, long ret)
{
	regs_t r;

	(void)t;
	if (!regs_get(k->tid, &r))
		return false;
	memcpy(k->saved_regs, &r, sizeof(r));
	clock_gettime(CLOCK_MONOTONIC, &k->pace_until);
	k->pace_until.tv_sec += ms / 1000;
	k->pace_until.tv_nsec += (ms % 1000) * 1000000;
	if (k->pace_until.tv_nsec >= 1000000000) {
		k->pace_until.tv_sec++;
		k->pace_until.tv_nsec -= 1000000000;
	}
	if (!pace_sleep(k, r, false))
		return false;
	k->inj = INJ_PACE;
	k->pace_ret = ret;
	k->nstashed = 0;
	task_resume(k, PTRACE_SYSCALL, 0);
	return true;
}

/* A signal for the tracee (held back meanwhile) cut the sleep short: sleep
   again until the end.  False when the end has come. */
static bool pace_resume(struct task *k)
{
	struct timespec now;
	regs_t r;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > k->pace_until.tv_sec ||
	    (now.tv_sec == k->pace_until.tv_sec && now.tv_nsec >= k->pace_until.tv_nsec))
		return false;
	if (!regs_get(k->tid, &r) || !pace_sleep(k, r, true))
		return false;
	task_resume(k, PTRACE_SYSCALL, 0);
	return true;
}

/* An injection is over: registers r, the signals held back meanwhile
   raised again, the task on its way. */
static void injection_over(struct task *k, const regs_t *r)
{
	regs_set(k->tid, r);
	k->inj = INJ_NONE;
	for (int i = 0; i < k->nstashed; i++)
		syscall(SYS_tgkill, k->ps ? k->ps->pid : k->tid, k->tid, k->stashed[i]);
	k->nstashed = 0;
	task_resume(k, PTRACE_CONT, 0);
}

/* The pace's sleep is over (or was interrupted): the call as it was. */
static void pace_done(struct task *k)
{
	regs_t r;

	memcpy(&r, k->saved_regs, sizeof(r));
	if (k->pace_ret == PACE_REDO) {
		r.rip -= 2;                /* back onto `syscall` */
		r.rax = r.orig_rax;
		k->pace_pass = true;
	} else {
		r.rax = (unsigned long long)k->pace_ret;
	}
	injection_over(k, &r);
}

static void inject_done(struct tracer *t, struct task *k, long ret)
{
	struct pstate *ps = k->ps;

	if (ret == 0 && ps) {
		ps->nfilters++;
		ps->dup_rule = true;
		if (k->inj_fd == -2)
			ps->catchall = true;
		else
			cover(ps, k->inj_fd);
	} else {
		t->inject_failed = true;
	}
	injection_over(k, (const regs_t *)(const void *)k->saved_regs);
}

void inject_on_syscall_stop(struct tracer *t, struct task *k)
{
	struct __ptrace_syscall_info si;
	regs_t r;

	memset(&si, 0, sizeof(si));
	ptrace(PTRACE_GET_SYSCALL_INFO, k->tid, (void *)sizeof(si), &si);
	if (k->inj == INJ_PACE) {
		if (si.op == PTRACE_SYSCALL_INFO_ENTRY)      /* a sleep again (pace_resume) */
			task_resume(k, PTRACE_SYSCALL, 0);
		else if (si.op != PTRACE_SYSCALL_INFO_EXIT || si.exit.rval == 0 || !pace_resume(k))
			pace_done(k);
		return;
	}
	if (k->inj == INJ_ENTRY) {
		if (si.op != PTRACE_SYSCALL_INFO_ENTRY || si.entry.nr != SYS_seccomp) {
			inject_done(t, k, -1);    /* not what we set up: give up */
			return;
		}
		k->inj = INJ_EXIT;
		task_resume(k, PTRACE_SYSCALL, 0);
		return;
	}
	long ret = -1;
	if (si.op == PTRACE_SYSCALL_INFO_EXIT)
		ret = (long)si.exit.rval;
	else if (regs_get(k->tid, &r))
		ret = regs_ret(&r);
	inject_done(t, k, ret);
}

#else  /* no injection on this architecture */

bool inject_pace(struct tracer *t, struct task *k, long ms, long ret)
{
	(void)t;
	(void)k;
	(void)ms;
	(void)ret;
	return false;
}

bool inject_cover_fd(struct tracer *t, struct task *k, int fd)
{
	(void)k;
	(void)fd;
	t->inject_failed = true;
	return false;
}

void inject_on_syscall_stop(struct tracer *t, struct task *k)
{
	(void)t;
	k->inj = INJ_NONE;
	task_resume(k, PTRACE_CONT, 0);
}
#endif

void inject_on_signal(struct tracer *t, struct task *k, int sig)
{
	(void)t;
	if (k->nstashed < (int)ARRAY_SIZE(k->stashed))
		k->stashed[k->nstashed++] = sig;
	task_resume(k, PTRACE_SYSCALL, 0);
}
