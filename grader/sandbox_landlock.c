/*
 * sandbox_landlock.c - file-system, network and scope confinement for the
 * basic tier (no namespaces).
 *
 * The program may read and execute the system directories and /etc, read
 * /proc (Landlock also denies ptrace-like access to processes outside the
 * domain, so other processes' /proc/PID files stay closed), use the few
 * device nodes a program needs, and write only in the workdir and /dev/shm
 * (POSIX IPC lives there).  From ABI 4, TCP bind and connect are denied;
 * from ABI 6, signals and abstract unix sockets cannot reach outside the
 * sandbox's own processes.  The kernel headers of older systems lack the
 * newer constants, so they are spelled out here.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sandbox_internal.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

#define LL_FS_EXECUTE      (1ULL << 0)
#define LL_FS_WRITE_FILE   (1ULL << 1)
#define LL_FS_READ_FILE    (1ULL << 2)
#define LL_FS_READ_DIR     (1ULL << 3)
#define LL_FS_REMOVE_DIR   (1ULL << 4)
#define LL_FS_REMOVE_FILE  (1ULL << 5)
#define LL_FS_MAKE_CHAR    (1ULL << 6)
#define LL_FS_MAKE_DIR     (1ULL << 7)
#define LL_FS_MAKE_REG     (1ULL << 8)
#define LL_FS_MAKE_SOCK    (1ULL << 9)
#define LL_FS_MAKE_FIFO    (1ULL << 10)
#define LL_FS_MAKE_BLOCK   (1ULL << 11)
#define LL_FS_MAKE_SYM     (1ULL << 12)
#define LL_FS_REFER        (1ULL << 13)   /* ABI 2 */
#define LL_FS_TRUNCATE     (1ULL << 14)   /* ABI 3 */
#define LL_FS_IOCTL_DEV    (1ULL << 15)   /* ABI 5 */
#define LL_NET_BIND_TCP    (1ULL << 0)    /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL    (1ULL << 1)

#define LL_RULE_PATH_BENEATH 1

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

int sbx_landlock_abi(void)
{
	static int abi = -1;

	if (abi < 0) {
		long v = syscall(__NR_landlock_create_ruleset, NULL, 0,
				 LANDLOCK_CREATE_RULESET_VERSION);
		abi = v < 0 ? 0 : (int)v;
	}
	return abi;
}

static uint64_t fs_rights(int abi)
{
	uint64_t r = (1ULL << 13) - 1;

	if (abi >= 2)
		r |= LL_FS_REFER;
	if (abi >= 3)
		r |= LL_FS_TRUNCATE;
	if (abi >= 5)
		r |= LL_FS_IOCTL_DEV;
	return r;
}

/* Allow access (restricted to what the ruleset handles) beneath path. */
static int allow(int ruleset, const char *path, uint64_t access, uint64_t handled,
		 bool optional)
{
	struct ll_path_beneath pb;
	struct stat st;
	int rc;

	pb.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0)
		return optional ? 0 : -1;
	if (fstat(pb.parent_fd, &st) == 0 && !S_ISDIR(st.st_mode))
		access &= LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE |
			  LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
	pb.allowed_access = access & handled;
	rc = (int)syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0);
	close(pb.parent_fd);
	return rc;
}

int sbx_landlock_apply(const struct sbx_plan *p)
{
	static const char *const ro_dirs[] = {"/usr", "/lib", "/lib32", "/lib64",
					      "/libx32", "/bin", "/sbin", "/etc", "/proc"};
	static const char *const devs[] = {"/dev/null", "/dev/zero", "/dev/full",
					   "/dev/random", "/dev/urandom"};
	int abi = sbx_landlock_abi();
	struct ll_ruleset_attr attr;
	size_t attr_size;
	uint64_t handled, read_x, file_rw;
	int fd, rc = 0;

	if (abi < 1) {
		errno = EOPNOTSUPP;
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	handled = fs_rights(abi);
	attr.handled_access_fs = handled;
	attr_size = sizeof(uint64_t);
	if (abi >= 4) {
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		attr_size = 2 * sizeof(uint64_t);
	}
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		attr_size = sizeof(attr);
	}
	fd = (int)syscall(__NR_landlock_create_ruleset, &attr, attr_size, 0);
	if (fd < 0)
		return -1;
	read_x = LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR;
	file_rw = LL_FS_READ_FILE | LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
	for (size_t i = 0; i < ARRAY_SIZE(ro_dirs) && rc == 0; i++)
		rc = allow(fd, ro_dirs[i], read_x, handled, true);
	for (size_t i = 0; i < ARRAY_SIZE(devs) && rc == 0; i++)
		rc = allow(fd, devs[i], file_rw, handled, true);
	for (size_t i = 0; p->cmd->ro_paths && p->cmd->ro_paths[i] && rc == 0; i++)
		rc = allow(fd, p->cmd->ro_paths[i], read_x, handled, false);
	if (rc == 0)
		rc = allow(fd, "/dev/shm", handled & ~LL_FS_EXECUTE, handled, true);
	if (rc == 0)
		rc = allow(fd, p->workdir, handled, handled, false);
	if (rc == 0)
		rc = (int)syscall(__NR_landlock_restrict_self, fd, 0);
	close(fd);
	return rc;
}
