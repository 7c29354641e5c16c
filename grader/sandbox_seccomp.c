/*
 * sandbox_seccomp.c - the system-call deny-list (every tier).
 *
 * Default allow: everything a process/IPC course needs (fork, exec, wait,
 * pipes, FIFOs, AF_UNIX sockets, POSIX and SysV IPC, shared memory,
 * semaphores, futexes, signals, timers) stays allowed.  Denied calls do not
 * kill blindly: they return SECCOMP_RET_USER_NOTIF, so the grader receives
 * the call and its arguments on the listener fd, names it for the student
 * ("socket(AF_INET)"), answers EPERM and ends the run as "forbidden system
 * call".  Calls from another ABI (int 0x80, x32) kill the process (SIGSYS).
 * clone3 answers ENOSYS (its flags cannot be inspected; glibc falls back to
 * clone, whose namespace flags are checked).  When the run is traced, the
 * tracer loads its own filter (SECCOMP_RET_TRACE) just before this one:
 * the kernel runs both, and a deny here wins over a trace there.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sandbox_internal.h"
#include "trace.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Denied outright, whatever the arguments. */
static const char *const denied[] = {
	"ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd",
	"mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree",
	"fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
	"unshare", "setns",
	"bpf", "perf_event_open", "userfaultfd",
	"keyctl", "add_key", "request_key",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"kexec_load", "kexec_file_load", "reboot",
	"init_module", "finit_module", "delete_module",
	"swapon", "swapoff", "acct", "quotactl", "quotactl_fd",
	"open_by_handle_at", "name_to_handle_at", "lookup_dcookie",
	"iopl", "ioperm", "syslog", "vhangup", "uselib", "nfsservctl",
	"fanotify_init", "settimeofday", "clock_settime", "clock_adjtime",
};

static const unsigned long ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC,
	CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWTIME,
};

static int add_rules(scmp_filter_ctx ctx, uint32_t deny, bool deny_kill_all)
{
	int rc;

	for (size_t i = 0; i < ARRAY_SIZE(denied); i++) {
		int nr = seccomp_syscall_resolve_name(denied[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;          /* not on this architecture */
		rc = seccomp_rule_add(ctx, deny, nr, 0);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	/* only local sockets */
	rc = seccomp_rule_add(ctx, deny, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX));
	if (rc < 0 && rc != -EEXIST)
		return rc;
	rc = seccomp_rule_add(ctx, deny, SCMP_SYS(socketpair), 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX));
	if (rc < 0 && rc != -EEXIST)
		return rc;
	/* no new namespaces through clone; clone3 hides its flags */
	for (size_t i = 0; i < ARRAY_SIZE(ns_flags); i++) {
		rc = seccomp_rule_add(ctx, deny, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc < 0 && rc != -EEXIST)
		return rc;
	if (deny_kill_all) {   /* kill(-1, ...) when nothing else contains it */
		rc = seccomp_rule_add(ctx, deny, SCMP_SYS(kill), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, 0xffffffffu));
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return 0;
}

static bool want_kill_all_rule(const struct sbx_plan *p)
{
	/* kill(-1) reaches the grader's user only in the basic tier, and
	   only when Landlock cannot scope signals */
	return p->tier == SANDBOX_BASIC && !(p->landlock && sbx_landlock_abi() >= 6);
}

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif

/* User notification, as libseccomp's API level 6 (Linux 5.7) has it:
   asked of the kernel directly, as libseccomp does, without its
   detection of every other feature (a tenth of a millisecond). */
static bool use_notify(void)
{
	static int known = -1;

	if (known < 0) {
		uint32_t action = SECCOMP_RET_USER_NOTIF;
		known = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0 &&
			syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				SECCOMP_FILTER_FLAG_TSYNC_ESRCH, NULL) < 0 && errno == EFAULT;
	}
	return known;
}

static scmp_filter_ctx new_ctx(const struct sbx_plan *p, int *rc)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx) {
		*rc = -ENOMEM;
		return NULL;
	}
	*rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (*rc == 0)   /* we set no_new_privs ourselves, earlier */
		*rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	return ctx;
}

/* ---- the untraced filter, written as classic BPF ----

   libseccomp's compiler costs about a millisecond per process
   (bench/RESULTS.md); the untraced filter is simple enough to write
   directly, once per process, with libseccomp's semantics
   (tests/check_sandbox.c holds the two against each other for every call
   number and the arguments that matter):
     another architecture, or an x32 call (nr & X32_SYSCALL_BIT, but
     not nr -1): kill the process; a denied call: the deny action; socket and socketpair
     unless the whole 64-bit domain is AF_UNIX: deny; clone with any
     namespace flag in the low 32 bits: deny; clone3: ENOSYS; kill(-1):
     deny when asked; anything else: allow. */

#define X32_BIT 0x40000000u
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + (i) * 8 + LO_OFF)
#define ARG_HI(i) (offsetof(struct seccomp_data, args) + (i) * 8 + 4 - LO_OFF)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LO_OFF 0
#else
#define LO_OFF 4
#endif

struct bpf {
	struct sock_filter f[256];
	size_t n;
	bool overflow;
};

static void emit(struct bpf *b, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (b->n == ARRAY_SIZE(b->f)) {
		b->overflow = true;
		return;
	}
	b->f[b->n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

static void emit_ret(struct bpf *b, uint32_t action)
{
	emit(b, BPF_RET | BPF_K, 0, 0, action);
}

/* if (nr == sys) return action; */
static void deny_nr(struct bpf *b, int nr, uint32_t action)
{
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, (uint32_t)nr);
	emit_ret(b, action);
}

/* if (nr == sys) return arg0 (all 64 bits) == value ? ALLOW : deny */
static void deny_arg0_ne(struct bpf *b, int nr, uint32_t value, uint32_t deny)
{
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 6, (uint32_t)nr);
	emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_HI(0));
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 0);
	emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(0));
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, value);
	emit_ret(b, SECCOMP_RET_ALLOW);
	emit_ret(b, deny);
}

/* if (nr == sys) return (low 32 bits of arg0) <test> k ? deny : ALLOW,
   test being BPF_JSET (&) or BPF_JEQ (==) */
static void deny_arg0_if(struct bpf *b, int nr, uint16_t test, uint32_t k, uint32_t deny)
{
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, (uint32_t)nr);
	emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(0));
	emit(b, BPF_JMP | test | BPF_K, 0, 1, k);
	emit_ret(b, deny);
	emit_ret(b, SECCOMP_RET_ALLOW);
}

static int build_bpf(struct bpf *b, uint32_t deny, bool deny_kill_all)
{
	uint32_t arch = seccomp_arch_native();
	uint32_t ns = 0;

	b->n = 0;
	b->overflow = false;
	/* an architecture where these are multiplexed (socketcall) is left
	   to libseccomp */
	if (SCMP_SYS(socket) < 0 || SCMP_SYS(socketpair) < 0 || SCMP_SYS(clone) < 0 ||
	    SCMP_SYS(kill) < 0) {
		errno = ENOSYS;
		return -1;
	}
	emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, arch);
	emit_ret(b, SECCOMP_RET_KILL_PROCESS);
	emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
	if (arch == SCMP_ARCH_X86_64) {      /* x32, but nr -1 */
		emit(b, BPF_JMP | BPF_JGE | BPF_K, 0, 2, X32_BIT);
		emit(b, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0xffffffffu);
		emit_ret(b, SECCOMP_RET_KILL_PROCESS);
	}
	for (size_t i = 0; i < ARRAY_SIZE(denied); i++) {
		int nr = seccomp_syscall_resolve_name(denied[i]);
		if (nr != __NR_SCMP_ERROR && nr >= 0)
			deny_nr(b, nr, deny);
	}
	deny_arg0_ne(b, SCMP_SYS(socket), AF_UNIX, deny);
	deny_arg0_ne(b, SCMP_SYS(socketpair), AF_UNIX, deny);
	for (size_t i = 0; i < ARRAY_SIZE(ns_flags); i++)
		ns |= (uint32_t)ns_flags[i];
	deny_arg0_if(b, SCMP_SYS(clone), BPF_JSET, ns, deny);
	if (SCMP_SYS(clone3) >= 0)
		deny_nr(b, SCMP_SYS(clone3), SECCOMP_RET_ERRNO | ENOSYS);
	if (deny_kill_all)
		deny_arg0_if(b, SCMP_SYS(kill), BPF_JEQ, 0xffffffffu, deny);
	emit_ret(b, SECCOMP_RET_ALLOW);
	if (b->overflow) {
		errno = E2BIG;
		return -1;
	}
	return 0;
}

/* The untraced filter never changes: built once per process and per
   variant, and loaded raw. */
struct compiled {
	bool done;
	struct sock_fprog prog;
};

static struct compiled cache[2];    /* [want_kill_all_rule] */

static uint32_t deny_action(void)
{
	return use_notify() ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_KILL_PROCESS;
}

int sbx_seccomp_prepare(const struct sbx_plan *p)
{
	struct compiled *c = &cache[want_kill_all_rule(p)];
	struct bpf b;

	if (c->done || p->cmd->tracer)
		return 0;
	if (build_bpf(&b, deny_action(), want_kill_all_rule(p)) < 0) {
		if (sbx_seccomp_program(p, 1, &c->prog) < 0)
			return -1;
	} else {
		c->prog.len = (unsigned short)b.n;
		c->prog.filter = xmalloc(b.n * sizeof(b.f[0]));
		memcpy(c->prog.filter, b.f, b.n * sizeof(b.f[0]));
	}
	c->done = true;
	return 0;
}

/* For the tests: the untraced filter of plan p, written here (0) or
   compiled by libseccomp (1).  Caller frees out->filter.  0 or -1. */
int sbx_seccomp_program(const struct sbx_plan *p, int via_libseccomp, struct sock_fprog *out)
{
	scmp_filter_ctx ctx;
	struct buf buf = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	int rc, fd;

	if (!via_libseccomp) {
		struct bpf b;
		if (build_bpf(&b, deny_action(), want_kill_all_rule(p)) < 0)
			return error_errno("sandbox: building the seccomp filter");
		out->len = (unsigned short)b.n;
		out->filter = xmalloc(b.n * sizeof(b.f[0]));
		memcpy(out->filter, b.f, b.n * sizeof(b.f[0]));
		return 0;
	}
	ctx = new_ctx(p, &rc);
	if (rc == 0)
		rc = add_rules(ctx, use_notify() ? SCMP_ACT_NOTIFY : SCMP_ACT_KILL_PROCESS,
			       want_kill_all_rule(p));
	fd = rc == 0 ? memfd_create("seccomp-bpf", MFD_CLOEXEC) : -1;
	if (rc == 0 && fd < 0)
		rc = -errno;
	if (rc == 0)
		rc = seccomp_export_bpf(ctx, fd);
	if (ctx)
		seccomp_release(ctx);
	if (rc == 0 && lseek(fd, 0, SEEK_SET) == 0)
		while ((n = read(fd, chunk, sizeof(chunk))) > 0)
			buf_add(&buf, chunk, n);
	if (fd >= 0)
		close(fd);
	if (rc < 0 || buf.len == 0 || buf.len % sizeof(struct sock_filter)) {
		buf_free(&buf);
		errno = rc < 0 ? -rc : EINVAL;
		return error_errno("sandbox: compiling the seccomp filter");
	}
	out->len = (unsigned short)(buf.len / sizeof(struct sock_filter));
	out->filter = (struct sock_filter *)buf_detach(&buf);
	return 0;
}

static int load_compiled(const struct compiled *c)
{
	unsigned flags = use_notify() ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
	long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &c->prog);

	if (rc < 0)
		return -1;
	return use_notify() ? (int)rc : -2;
}

int sbx_seccomp_load(const struct sbx_plan *p)
{
	const struct compiled *c = &cache[want_kill_all_rule(p)];
	bool notify = use_notify();
	scmp_filter_ctx ctx;
	int rc, fd = -2;

	if (!p->cmd->tracer && c->done)
		return load_compiled(c);
	ctx = new_ctx(p, &rc);
	if (rc == 0 && p->cmd->tracer && tracer_load_filter(p->cmd->tracer) < 0)
		rc = -EINVAL;
	if (rc == 0)
		rc = add_rules(ctx, notify ? SCMP_ACT_NOTIFY : SCMP_ACT_KILL_PROCESS,
			       want_kill_all_rule(p));
	if (rc == 0)
		rc = seccomp_load(ctx);
	if (rc == 0 && notify) {
		fd = seccomp_notify_fd(ctx);
		if (fd < 0)
			rc = fd;
	}
	if (ctx)
		seccomp_release(ctx);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return fd;
}

/* ---- naming a denied call ---- */

static const char *family_name(long f)
{
	switch (f) {
	case AF_INET: return "AF_INET";
	case AF_INET6: return "AF_INET6";
	case AF_NETLINK: return "AF_NETLINK";
	case AF_PACKET: return "AF_PACKET";
	case AF_VSOCK: return "AF_VSOCK";
	case AF_BLUETOOTH: return "AF_BLUETOOTH";
	case AF_ALG: return "AF_ALG";
	case AF_UNIX: return "AF_UNIX";
	default: return NULL;
	}
}

static const char *ptrace_name(long req)
{
	switch (req) {
	case PTRACE_TRACEME: return "PTRACE_TRACEME";
	case PTRACE_ATTACH: return "PTRACE_ATTACH";
	case PTRACE_SEIZE: return "PTRACE_SEIZE";
	case PTRACE_PEEKDATA: return "PTRACE_PEEKDATA";
	case PTRACE_POKEDATA: return "PTRACE_POKEDATA";
	default: return NULL;
	}
}

static const char *clone_flag_name(unsigned long flags)
{
	static const struct { unsigned long f; const char *n; } names[] = {
		{CLONE_NEWUSER, "CLONE_NEWUSER"}, {CLONE_NEWNS, "CLONE_NEWNS"},
		{CLONE_NEWPID, "CLONE_NEWPID"}, {CLONE_NEWNET, "CLONE_NEWNET"},
		{CLONE_NEWIPC, "CLONE_NEWIPC"}, {CLONE_NEWUTS, "CLONE_NEWUTS"},
		{CLONE_NEWCGROUP, "CLONE_NEWCGROUP"}, {CLONE_NEWTIME, "CLONE_NEWTIME"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & names[i].f)
			return names[i].n;
	return "?";
}

void sbx_seccomp_describe(int nr, const uint64_t args[6], char *buf, size_t n)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	const char *arg = NULL;

	if (!name) {
		snprintf(buf, n, "syscall %d", nr);
		return;
	}
	if (!strcmp(name, "socket") || !strcmp(name, "socketpair"))
		arg = family_name((int)args[0]);
	else if (!strcmp(name, "ptrace"))
		arg = ptrace_name((long)args[0]);
	else if (!strcmp(name, "clone"))
		arg = clone_flag_name(args[0]);
	else if (!strcmp(name, "kill"))
		arg = "-1";
	if (arg)
		snprintf(buf, n, "%s(%s)", name, arg);
	else if (!strcmp(name, "socket") || !strcmp(name, "socketpair"))
		snprintf(buf, n, "%s(domain %d)", name, (int)args[0]);
	else
		snprintf(buf, n, "%s", name);
	free(name);
}

int sbx_seccomp_handle(int fd, char *buf, size_t n)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return errno == EINTR || errno == ENOENT || errno == EAGAIN ? 0 : -1;
	sbx_seccomp_describe(req.data.nr, (const uint64_t *)req.data.args, buf, n);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.error = -EPERM;
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);   /* ENOENT: it died meanwhile */
	return 1;
}
