/*
 * sandbox_probe.c - decide once which sandbox tier this machine allows.
 *
 * The namespace tiers are tried for real: a throwaway child is created in
 * new user, pid, mount, IPC and UTS namespaces and mounts a tmpfs (some
 * kernels allow the namespaces but refuse the mounts, e.g. AppArmor's
 * user-namespace restriction on Ubuntu 24.04).  Whatever fails is said in
 * sandbox_info.missing, in words for the report.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sandbox_internal.h"
#include "util.h"

static const char *const tier_names[] = {
	[SANDBOX_BASIC] = "basic",
	[SANDBOX_USERNS] = "user namespace",
	[SANDBOX_ROOT] = "root",
};

/* The namespace test runs in a child that shares our memory until it
   exits (CLONE_VM | CLONE_VFORK: no page tables to copy), created with the
   user, pid, mount, IPC and UTS namespaces of a run, and mounts a tmpfs in
   its mount namespace.  The network namespace is left out: it is the
   costly one, and a kernel that allows the others allows it. */
enum { NS_UNKNOWN, NS_OK, NS_PRIVATE, NS_MOUNT };

/* The child writes its finding here (it shares our memory): the parent
   reads it as soon as the child has released the memory (CLONE_VFORK),
   without waiting for the kernel to tear the namespaces down (a mount
   namespace's end waits for an RCU grace period); the child is reaped
   later, by sbx_probe_reap() or by the first run's waits. */
static volatile int probe_result;
static pid_t probe_pid;

static int probe_child(void *arg)
{
	(void)arg;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		probe_result = NS_PRIVATE;
	else if (mount("tmpfs", "/tmp", "tmpfs", 0, "size=4k") < 0)
		probe_result = NS_MOUNT;
	else
		probe_result = NS_OK;
	return 0;
}

void sbx_probe_reap(void)
{
	int st;

	/* if it is still ending, a run's wait for any child takes it (an
	   unknown pid is ignored there) */
	if (probe_pid > 0)
		waitpid(probe_pid, &st, __WALL | WNOHANG);
	probe_pid = 0;
}

static bool probe_namespaces(char *why, size_t n)
{
	static char stack[16384] __attribute__((aligned(16)));
	int flags = CLONE_VM | CLONE_VFORK | CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID |
		    CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
	pid_t pid;
	int st;

	probe_result = NS_UNKNOWN;
	pid = clone(probe_child, stack + sizeof(stack), flags, NULL);
	if (pid < 0) {
		if (errno == EPERM || errno == ENOSPC || errno == EINVAL)
			snprintf(why, n, "no user namespaces: kernel restriction (%s)",
				 strerror(errno));
		else
			snprintf(why, n, "cannot create namespaces: %s", strerror(errno));
		return false;
	}
	if (waitpid(pid, &st, __WALL | WNOHANG) == 0)
		probe_pid = pid;        /* still tearing down: reaped later */
	if (probe_result == NS_OK)
		return true;
	snprintf(why, n, "mounts refused in a user namespace (LSM restriction)");
	return false;
}

static void add_missing(struct sandbox_info *info, const char *what)
{
	size_t len = strlen(info->missing);

	snprintf(info->missing + len, sizeof(info->missing) - len, "%s%s",
		 len ? "; " : "", what);
}

static enum sandbox_tier forced_tier(bool *forced, struct sandbox_info *info)
{
	const char *env = getenv("GRADER_SANDBOX");

	*forced = false;
	if (!env || !*env)
		return SANDBOX_ROOT;
	*forced = true;
	if (!strcmp(env, "basic"))
		return SANDBOX_BASIC;
	if (!strcmp(env, "userns"))
		return SANDBOX_USERNS;
	if (!strcmp(env, "root"))
		return SANDBOX_ROOT;
	add_missing(info, "GRADER_SANDBOX has an unknown value (basic|userns|root); ignored");
	*forced = false;
	return SANDBOX_ROOT;
}

const struct sandbox_info *sandbox_probe(void)
{
	static struct sandbox_info info;
	static bool done;
	enum sandbox_tier want, best;
	char why[160] = "";
	bool forced, ns;

	if (done)
		return &info;
	done = true;
	want = forced_tier(&forced, &info);
	/* forced to the basic tier: nothing stronger needs trying */
	ns = want != SANDBOX_BASIC && probe_namespaces(why, sizeof(why));
	if (want == SANDBOX_BASIC)
		why[0] = '\0';
	best = !ns ? SANDBOX_BASIC : geteuid() == 0 ? SANDBOX_ROOT : SANDBOX_USERNS;
	if (!ns && why[0])
		add_missing(&info, why);
	else if (best == SANDBOX_USERNS)
		add_missing(&info, "not root: no cgroup limits (rlimits per process instead)");
	if (forced && want == SANDBOX_BASIC) {
		info.tier = SANDBOX_BASIC;
		add_missing(&info, "weaker tier forced by GRADER_SANDBOX=basic "
			    "(namespaces not tried)");
	} else if (want < best) {
		info.tier = want;
		snprintf(why, sizeof(why), "weaker tier forced by GRADER_SANDBOX=%s",
			 getenv("GRADER_SANDBOX"));
		add_missing(&info, why);
	} else {
		info.tier = best;
		if (forced && want > best) {
			snprintf(why, sizeof(why), "GRADER_SANDBOX=%s not available here",
				 getenv("GRADER_SANDBOX"));
			add_missing(&info, why);
		}
	}
	info.name = tier_names[info.tier];
	info.landlock = sbx_landlock_abi() >= 1;
	if (info.tier == SANDBOX_BASIC && !info.landlock)
		add_missing(&info, "no Landlock: the file system is not confined");
	else if (info.tier == SANDBOX_BASIC && sbx_landlock_abi() < 6 && geteuid() != 0)
		add_missing(&info, "Landlock older than ABI 6: programs can signal "
			    "other processes of this user");
	if (info.tier == SANDBOX_ROOT) {
		info.cgroups = sbx_cgroup_usable(why, sizeof(why));
		if (!info.cgroups)
			add_missing(&info, why);
	}
	return &info;
}
