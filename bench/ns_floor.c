/*
 * ns_floor.c - the least a sandbox launcher can cost, for bench_sandbox.sh:
 * a small static program that starts /bin/true and waits for it, with no
 * limits, no seccomp, no keeper, no captured output.
 *
 *   ns_floor fork       fork, exec /bin/true, wait
 *   ns_floor ns         the same in new user, pid, mount, network, IPC and
 *                       UTS namespaces (the id maps written, as a run does)
 *   ns_floor ns-root    ... and a minimal root: a tmpfs with /usr, /bin,
 *                       /lib, /lib64 and /etc bound read-only, a fresh
 *                       /proc, pivot_root
 *
 * Our tiers do all of that and more; what they cost above these figures
 * is what the sandbox itself adds.  Exit status: that of /bin/true, or 2
 * when the launcher itself failed (said on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int go[2];
static int with_root;

static void fail(const char *what)
{
	fprintf(stderr, "ns_floor: %s: %s\n", what, strerror(errno));
	_exit(2);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		fail(path);
	close(fd);
}

static void minimal_root(void)
{
	static const char *const dirs[] = {"usr", "bin", "lib", "lib64", "etc"};
	char to[64], from[64];

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/tmp", "tmpfs", 0, "size=1m") < 0)
		fail("tmpfs");
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(from, sizeof(from), "/%s", dirs[i]);
		snprintf(to, sizeof(to), "/tmp/%s", dirs[i]);
		if (mkdir(to, 0755) < 0 || mount(from, to, NULL, MS_BIND | MS_REC, NULL) < 0 ||
		    mount(NULL, to, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
			fail(to);
	}
	if (mkdir("/tmp/proc", 0555) < 0 || mount("proc", "/tmp/proc", "proc", 0, NULL) < 0)
		fail("/proc");
	if (chdir("/tmp") < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0)
		fail("pivot_root");
}

static int child(void *arg)
{
	char *const argv[] = {"/bin/true", NULL};
	char c;

	(void)arg;
	close(go[1]);
	if (read(go[0], &c, 1) != 1)
		_exit(2);                /* the parent gave up */
	if (with_root)
		minimal_root();
	execv(argv[0], argv);
	fail("exec /bin/true");
	return 2;
}

static void write_id_maps(pid_t pid)
{
	char path[64], map[64];

	snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
	write_file(path, "deny");
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %d 1\n", (int)geteuid());
	write_file(path, map);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	snprintf(map, sizeof(map), "0 %d 1\n", (int)getegid());
	write_file(path, map);
}

int main(int argc, char **argv)
{
	static char stack[64 << 10] __attribute__((aligned(16)));
	const char *mode = argc > 1 ? argv[1] : "";
	int ns = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC |
		 CLONE_NEWUTS;
	pid_t pid;
	int st;

	if (!strcmp(mode, "fork"))
		ns = 0;
	else if (!strcmp(mode, "ns-root"))
		with_root = 1;
	else if (strcmp(mode, "ns") != 0) {
		fprintf(stderr, "usage: ns_floor fork|ns|ns-root\n");
		return 2;
	}
	if (pipe2(go, O_CLOEXEC) < 0)
		fail("pipe");
	pid = clone(child, stack + sizeof(stack), ns | SIGCHLD, NULL);
	if (pid < 0)
		fail("clone");
	close(go[0]);
	if (ns)
		write_id_maps(pid);
	if (write(go[1], "g", 1) != 1)
		fail("release the child");
	if (waitpid(pid, &st, 0) < 0)
		fail("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}
