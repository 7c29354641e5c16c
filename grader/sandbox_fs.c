/*
 * sandbox_fs.c - the minimal root of the namespace tiers (runs in the keeper,
 * inside its new mount namespace; see sandbox.c).
 *
 *   /               tmpfs, read-only once built
 *   /usr /lib* /bin /sbin   read-only binds (or the merged-/usr symlinks)
 *   /etc            passwd, group, hosts, hostname, nsswitch.conf written
 *                   here; ld.so.cache, ld.so.conf(.d), alternatives bound
 *                   read-only; nothing else of the host's /etc
 *   /dev            null zero full random urandom (binds), fd/std* links,
 *                   /dev/shm a small tmpfs
 *   /proc           a fresh proc of the run's pid namespace (hidepid)
 *   /tmp            a small tmpfs
 *   /box            the scratch: a size-capped tmpfs holding a copy of the
 *                   workdir; copied back (mirrored) into the workdir by the
 *                   grader when the whole sandbox is dead (the keeper hands
 *                   it a descriptor of /box: the tmpfs outlives the mount
 *                   namespace as long as it is open)
 *   extra ro_paths  read-only binds at the same path
 *
 * The scratch is a copy, not a bind of the workdir, so that the sandbox can
 * neither fill the host's disk (the tmpfs is capped, and charged to the
 * memory cgroup) nor race the grader with symlinks: the copy back happens
 * when no process of the sandbox is left, never follows a link, and skips
 * everything but regular files, directories and symlinks.
 *
 * Bind sources are cloned with open_tree() before anything is mounted over
 * them, so the root can be built over /tmp even when the workdir is in it.
 * That first phase (sbx_fs_prepare) needs no uid map, so the keeper does it
 * while the grader writes the maps; creating files (sbx_fs_build) does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sandbox_internal.h"
#include "util.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV  0x00000004
struct mount_attr {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};
#endif

#define NEW_ROOT "/tmp"          /* where the root is assembled */
#define MAX_DEPTH 32             /* of the scratch tree */


/* ---- mount helpers ---- */

static int clone_tree(const char *path, bool recursive)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
	return (int)syscall(SYS_open_tree, AT_FDCWD, path, flags);
}

static int make_readonly(int tree, bool nodev)
{
	struct mount_attr a;

	memset(&a, 0, sizeof(a));
	a.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | (nodev ? MOUNT_ATTR_NODEV : 0);
	return (int)syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE,
			    &a, sizeof(a));
}

static int attach(int tree, const char *target)
{
	int rc = (int)syscall(SYS_move_mount, tree, "", AT_FDCWD, target,
			      MOVE_MOUNT_F_EMPTY_PATH);
	int e = errno;
	close(tree);
	errno = e;
	return rc;
}

/* Make the directories above path (which is writable: its slashes are
   put back): the nearest first, going up only while one is missing, so
   that the usual case, the parent exists, costs one call. */
static int make_parents(char *path)
{
	char *slash = strrchr(path, '/');
	int rc = 0;

	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		rc = errno == ENOENT && make_parents(path) == 0 &&
		     (mkdir(path, 0755) == 0 || errno == EEXIST) ? 0 : -1;
	*slash = '/';
	return rc;
}

/* An empty directory, or file, at path (0 if one is there already). */
static int make_node(const char *path, bool dir)
{
	int fd;

	if (dir)
		return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	return fd < 0 ? -1 : close(fd);
}

/* An empty directory or file at path to mount over, with its parents:
   they are made only when missing (usually one call in all). */
static int make_mountpoint(const char *path, bool dir)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (make_node(path, dir) == 0)
		return 0;
	if (errno != ENOENT || make_parents(tmp) < 0)
		return -1;
	return make_node(path, dir);
}

static int write_new(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t n = strlen(text);

	if (fd < 0)
		return -1;
	if (write(fd, text, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int mount_tmpfs(const char *target, const char *opts)
{
	if (make_mountpoint(target, true) < 0)
		return -1;
	return mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, opts);
}

/* ---- what the root holds ---- */

static const char *const system_dirs[] = {"/usr", "/lib", "/lib32", "/lib64",
					  "/libx32", "/bin", "/sbin"};
static const char *const etc_binds[] = {"/etc/ld.so.cache", "/etc/ld.so.conf",
					"/etc/ld.so.conf.d", "/etc/alternatives"};
static const char *const dev_nodes[] = {"/dev/null", "/dev/zero", "/dev/full",
					"/dev/random", "/dev/urandom"};

struct pending {              /* a cloned tree waiting to be attached */
	int fd;
	const char *target;   /* the path: a constant or the plan's (both
				 outlive the keeper) */
	bool dir;
};

#define MAX_PENDING 48

struct rootfs {
	struct pending pend[MAX_PENDING];
	size_t n;
	char *why;
	size_t why_n;
};

static int fail(struct rootfs *b, const char *what, const char *path)
{
	int e = errno;
	snprintf(b->why, b->why_n, "%s %s", what, path ? path : "");
	errno = e;
	return -1;
}

/* Clone path now, attach it at the same path under the new root later. */
static int pend_bind(struct rootfs *b, const char *path, bool ro, bool nodev, bool optional)
{
	struct stat st;
	struct pending *pe;
	int fd;

	if (lstat(path, &st) < 0) {
		if (optional && errno == ENOENT)
			return 0;
		return fail(b, "stat", path);
	}
	if (b->n == MAX_PENDING) {
		errno = E2BIG;
		return fail(b, "too many binds at", path);
	}
	pe = &b->pend[b->n];
	if (S_ISLNK(st.st_mode)) {    /* merged /usr: recreate the link */
		pe->fd = -2;
		pe->target = path;
		b->n++;
		return 0;
	}
	fd = clone_tree(path, true);
	if (fd < 0)
		return fail(b, "open_tree", path);
	if (ro && make_readonly(fd, nodev) < 0) {
		close(fd);
		return fail(b, "read-only", path);
	}
	pe->fd = fd;
	pe->dir = S_ISDIR(st.st_mode);
	pe->target = path;
	b->n++;
	return 0;
}

static int attach_pending(struct rootfs *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct pending *pe = &b->pend[i];
		char target[PATH_MAX + 8];

		snprintf(target, sizeof(target), NEW_ROOT "%s", pe->target);
		if (pe->fd == -2) {
			char link[PATH_MAX];
			ssize_t n = readlink(pe->target, link, sizeof(link) - 1);
			if (n < 0)
				return fail(b, "readlink", pe->target);
			link[n] = '\0';
			if (symlink(link, target) < 0 && errno != EEXIST)
				return fail(b, "symlink", target);
			continue;
		}
		if (make_mountpoint(target, pe->dir) < 0)
			return fail(b, "mountpoint", target);
		if (attach(pe->fd, target) < 0) {
			pe->fd = -1;
			return fail(b, "move_mount", target);
		}
		pe->fd = -1;
	}
	return 0;
}

static void drop_pending(struct rootfs *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->pend[i].fd >= 0)
			close(b->pend[i].fd);
	b->n = 0;
}

static int collect_binds(struct rootfs *b, const struct sbx_plan *p)
{
	for (size_t i = 0; i < ARRAY_SIZE(system_dirs); i++)
		if (pend_bind(b, system_dirs[i], true, true, true) < 0)
			return -1;
	for (size_t i = 0; i < ARRAY_SIZE(etc_binds); i++)
		if (pend_bind(b, etc_binds[i], true, true, true) < 0)
			return -1;
	for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++)
		if (pend_bind(b, dev_nodes[i], false, false, false) < 0)
			return -1;
	/* resolved by the grader (realpath allocates) */
	for (size_t i = 0; p->ro_paths && p->ro_paths[i]; i++)
		if (pend_bind(b, p->ro_paths[i], true, true, false) < 0)
			return -1;
	return 0;
}

static const char etc_passwd[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"sandbox:x:1000:1000:sandbox:/box:/bin/sh\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
static const char etc_group[] =
	"root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n";

static int write_etc(struct rootfs *b)
{
	static const struct { const char *name, *text; } files[] = {
		{NEW_ROOT "/etc/passwd", etc_passwd},
		{NEW_ROOT "/etc/group", etc_group},
		{NEW_ROOT "/etc/hostname", "sandbox\n"},
		{NEW_ROOT "/etc/hosts", "127.0.0.1 localhost sandbox\n::1 localhost\n"},
		{NEW_ROOT "/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n"},
	};

	if (make_mountpoint(NEW_ROOT "/etc", true) < 0)
		return fail(b, "mkdir", "/etc");
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (write_new(files[i].name, files[i].text) < 0)
			return fail(b, "write", files[i].name);
	if (symlink("/usr/share/zoneinfo/Etc/UTC", NEW_ROOT "/etc/localtime") < 0)
		return fail(b, "symlink", "/etc/localtime");
	return 0;
}

static int make_dev_links(struct rootfs *b)
{
	static const char *const links[][2] = {
		{"/proc/self/fd", NEW_ROOT "/dev/fd"},
		{"/proc/self/fd/0", NEW_ROOT "/dev/stdin"},
		{"/proc/self/fd/1", NEW_ROOT "/dev/stdout"},
		{"/proc/self/fd/2", NEW_ROOT "/dev/stderr"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlink(links[i][0], links[i][1]) < 0)
			return fail(b, "symlink", links[i][1]);
	return 0;
}

long sbx_scratch_bytes(const struct limits *l)
{
	long s = l->file_size > 0 ? 2 * l->file_size : 0;
	return s < (64L << 20) ? 64L << 20 : s;
}

static int box_owner(const struct sbx_plan *p)
{
	/* as root: the program is SBX_UID inside (a mapped host uid); as a
	   user: it is the outer namespace's 0 (the user) seen as SBX_UID */
	return p->as_root ? SBX_UID : 0;
}

static int mount_scratch(struct rootfs *b, const struct sbx_plan *p)
{
	char opts[128];
	long shm = p->cmd->limits.memory > 0 ? p->cmd->limits.memory : 64L << 20;
	int uid = box_owner(p);

	snprintf(opts, sizeof(opts), "size=%lld,nr_inodes=16384,mode=0755,uid=%d,gid=%d",
		 p->scratch_bytes, uid, uid);
	if (mount_tmpfs(NEW_ROOT SBX_BOX, opts) < 0)
		return fail(b, "tmpfs", SBX_BOX);
	snprintf(opts, sizeof(opts), "size=%ld,nr_inodes=4096,mode=1777",
		 sbx_scratch_bytes(&p->cmd->limits));
	if (mount_tmpfs(NEW_ROOT "/tmp", opts) < 0)
		return fail(b, "tmpfs", "/tmp");
	snprintf(opts, sizeof(opts), "size=%ld,nr_inodes=4096,mode=1777", shm);
	if (mount_tmpfs(NEW_ROOT "/dev/shm", opts) < 0)
		return fail(b, "tmpfs", "/dev/shm");
	return 0;
}

/* ---- copying the scratch in and out (no link is ever followed) ---- */

/* Copy the data regions only: holes stay holes, so a sparse file of the
   largest size allowed costs the host no more than it cost the tmpfs. */
static int copy_data(int in, int out, off_t size)
{
	off_t pos = 0;

	while (pos < size) {
		off_t data = lseek(in, pos, SEEK_DATA), hole;
		if (data < 0)
			break;                  /* ENXIO: only a hole is left */
		hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			hole = size;
		for (off_t at = data; at < hole;) {
			off_t from = at;
			size_t chunk = hole - at > (1 << 30) ? 1 << 30 : (size_t)(hole - at);
			ssize_t n;
			if (lseek(out, at, SEEK_SET) < 0)
				return -1;
			n = sendfile(out, in, &from, chunk);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return -1;
			at += n;
		}
		pos = hole;
	}
	return ftruncate(out, size);
}

static int copy_file(int sfd, int dfd, const char *name, const struct stat *st, int uid)
{
	int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int out = -1, rc = -1, e;
	struct timespec ts[2];

	if (in < 0)
		return -1;
	unlinkat(dfd, name, 0);
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     st->st_mode & 0777);
	if (out < 0 || copy_data(in, out, st->st_size) < 0)
		goto out;
	if (uid >= 0 && fchown(out, uid, uid) < 0)
		goto out;
	fchmod(out, st->st_mode & 0777);
	ts[0] = st->st_atim;
	ts[1] = st->st_mtim;
	futimens(out, ts);
	rc = 0;
out:
	e = errno;
	close(in);
	if (out >= 0)
		close(out);
	errno = e;
	return rc;
}

static int remove_at(int dfd, const char *name, int depth);

/* Directories are read with sbx_dir (no malloc): the keeper may run in
   the grader's memory (sandbox_launch.c). */
static int remove_dir_contents(int fd, int depth)
{
	struct sbx_dir d;
	const char *name;
	int rc = 0;

	if (depth > MAX_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	if (sbx_dir_open(&d, fd) < 0)
		return -1;
	while ((name = sbx_dir_next(&d)))
		rc |= remove_at(fd, name, depth + 1);
	return rc;
}

static int remove_at(int dfd, const char *name, int depth)
{
	struct stat st;
	int fd, rc;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0);
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = remove_dir_contents(fd, depth);
	close(fd);
	return rc < 0 ? -1 : unlinkat(dfd, name, AT_REMOVEDIR);
}

static bool same_file(int dfd, const char *name, const struct stat *s)
{
	struct stat d;

	return fstatat(dfd, name, &d, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(d.st_mode) &&
	       d.st_size == s->st_size && d.st_mtim.tv_sec == s->st_mtim.tv_sec &&
	       d.st_mtim.tv_nsec == s->st_mtim.tv_nsec && (d.st_mode & 0777) == (s->st_mode & 0777);
}

static int mirror(int sfd, int dfd, int uid, int depth);

static int mirror_entry(int sfd, int dfd, const char *name, int uid, int depth)
{
	struct stat st, dst;
	char link[PATH_MAX];
	ssize_t n;
	int s2, d2, rc;

	if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (S_ISREG(st.st_mode)) {
		if (same_file(dfd, name, &st))
			return 0;
		if (fstatat(dfd, name, &dst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(dst.st_mode) &&
		    remove_at(dfd, name, depth) < 0)
			return -1;
		return copy_file(sfd, dfd, name, &st, uid);
	}
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(sfd, name, link, sizeof(link) - 1);
		if (n < 0)
			return -1;
		link[n] = '\0';
		if (remove_at(dfd, name, depth) < 0 || symlinkat(link, dfd, name) < 0)
			return -1;
		if (uid >= 0)
			fchownat(dfd, name, uid, uid, AT_SYMLINK_NOFOLLOW);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))       /* fifos, sockets, devices: not copied */
		return remove_at(dfd, name, depth);
	if (fstatat(dfd, name, &dst, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(dst.st_mode) &&
	    unlinkat(dfd, name, 0) < 0)
		return -1;
	if (mkdirat(dfd, name, 0700) < 0 && errno != EEXIST)
		return -1;
	s2 = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	d2 = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	rc = s2 < 0 || d2 < 0 ? -1 : mirror(s2, d2, uid, depth + 1);
	if (rc == 0 && uid >= 0)
		rc = fchown(d2, uid, uid);
	if (rc == 0)
		fchmod(d2, st.st_mode & 0777);
	if (s2 >= 0)
		close(s2);
	if (d2 >= 0)
		close(d2);
	return rc;
}

/* Make directory dfd hold exactly what sfd holds.  uid >= 0: chown copies. */
static int mirror(int sfd, int dfd, int uid, int depth)
{
	struct sbx_dir d;
	const char *name;
	int rc = 0;

	if (depth > MAX_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	if (sbx_dir_open(&d, dfd) < 0)  /* drop what the source lacks */
		return -1;
	while ((name = sbx_dir_next(&d))) {
		struct stat st;
		if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
			rc |= remove_at(dfd, name, depth);
	}
	if (sbx_dir_open(&d, sfd) < 0)
		return -1;
	while (rc == 0 && (name = sbx_dir_next(&d)))
		rc = mirror_entry(sfd, dfd, name, uid, depth);
	return rc;
}

/* ---- building the root ---- */

static int finish_root(struct rootfs *b)
{
	if (mount(NULL, NEW_ROOT, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
		return fail(b, "read-only remount of", "/");
	if (chdir(NEW_ROOT) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		return fail(b, "pivot_root", NEW_ROOT);
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return fail(b, "detach the old root", NULL);
	return 0;
}

/* The keeper's build state between the two phases (keeper process only). */
static struct rootfs state;
static int host_box = -1;

int sbx_fs_prepare(const struct sbx_plan *p, char *why, size_t n)
{
	state.n = 0;
	state.why = why;
	state.why_n = n;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(&state, "make / private", NULL);
	host_box = open(p->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (host_box < 0)
		return fail(&state, "open the workdir", p->workdir);
	if (collect_binds(&state, p) < 0) {
		drop_pending(&state);
		return -1;
	}
	return 0;
}

int sbx_fs_build(const struct sbx_plan *p, char *why, size_t n)
{
	struct rootfs *b = &state;
	char opts[64];
	int boxfd = -1;

	b->why = why;
	b->why_n = n;
	snprintf(opts, sizeof(opts), "size=%d,nr_inodes=512,mode=0755", 1 << 20);
	if (mount("tmpfs", NEW_ROOT, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
		fail(b, "tmpfs root at", NEW_ROOT);
		goto err;
	}
	/* the scratch tmpfs first: an extra read-only tree may live under
	   /tmp and must be bound over the new /tmp, not under it */
	if (write_etc(b) < 0 || mount_scratch(b, p) < 0 || attach_pending(b) < 0 ||
	    make_dev_links(b) < 0)
		goto err;
	if (make_mountpoint(NEW_ROOT "/proc", true) < 0 ||
	    mount("proc", NEW_ROOT "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "hidepid=invisible") < 0) {
		fail(b, "mount", "/proc");
		goto err;
	}
	boxfd = open(NEW_ROOT SBX_BOX, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (boxfd < 0 || mirror(host_box, boxfd, box_owner(p), 0) < 0) {
		fail(b, "copy the workdir into", SBX_BOX);
		goto err;
	}
	close(host_box);
	host_box = -1;
	if (finish_root(b) < 0)
		goto err;
	sethostname("sandbox", 7);
	return boxfd;
err:
	if (boxfd >= 0)
		close(boxfd);
	if (host_box >= 0)
		close(host_box);
	drop_pending(b);
	return -1;
}

int sbx_fs_copy_back(int boxfd, const char *workdir)
{
	int dst, rc;

	dst = open(workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dst < 0)
		return error_errno("sandbox: open %s", workdir);
	rc = mirror(boxfd, dst, -1, 0);
	if (rc < 0)
		error_errno("sandbox: copying the scratch back into %s", workdir);
	close(dst);
	return rc;
}
