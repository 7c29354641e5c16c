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
 * tracer's SECCOMP_RET_TRACE rules are added to the same filter.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
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

static bool use_notify(void)
{
	return seccomp_api_get() >= 6;
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

/* The untraced filter never changes: it is compiled to BPF once per
   process (libseccomp's compiler is the costly part) and loaded raw. */
struct compiled {
	bool done;
	struct sock_fprog prog;
};

static struct compiled cache[2];    /* [want_kill_all_rule] */

int sbx_seccomp_prepare(const struct sbx_plan *p)
{
	struct compiled *c = &cache[want_kill_all_rule(p)];
	scmp_filter_ctx ctx;
	struct buf b = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	int rc, fd;

	if (c->done || p->cmd->tracer)
		return 0;
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
			buf_add(&b, chunk, n);
	if (fd >= 0)
		close(fd);
	if (rc < 0 || b.len == 0 || b.len % sizeof(struct sock_filter)) {
		buf_free(&b);
		errno = rc < 0 ? -rc : EINVAL;
		return error_errno("sandbox: compiling the seccomp filter");
	}
	c->prog.len = (unsigned short)(b.len / sizeof(struct sock_filter));
	c->prog.filter = (struct sock_filter *)buf_detach(&b);
	c->done = true;
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
	if (rc == 0 && p->cmd->tracer && tracer_add_rules(p->cmd->tracer, ctx) < 0)
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
