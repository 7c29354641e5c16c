/*
 * sandbox_plan.c - what the grader prepares before it clones the keeper:
 * resolved paths, the command to exec, the environment, the scratch size,
 * the pipes.  The children only read the plan (a forked child should not
 * allocate), and the grader frees it after the run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sandbox.h"
#include "sandbox_internal.h"
#include "util.h"

void sbx_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void sbx_close_pair(int fds[2])
{
	sbx_close(&fds[0]);
	sbx_close(&fds[1]);
}

int sbx_dir_open(struct sbx_dir *d, int fd)
{
	d->fd = fd;
	d->pos = d->len = 0;
	if (lseek(fd, 0, SEEK_SET) < 0) {
		d->len = -1;
		return -1;
	}
	return 0;
}

const char *sbx_dir_next(struct sbx_dir *d)
{
	for (;;) {
		struct dirent64 *e;
		if (d->len < 0)
			return NULL;
		if (d->pos >= d->len) {
			ssize_t n = getdents64(d->fd, d->buf, sizeof(d->buf));
			if (n <= 0) {
				d->len = -1;
				return NULL;
			}
			d->len = (int)n;
			d->pos = 0;
		}
		e = (struct dirent64 *)(d->buf + d->pos);
		d->pos += e->d_reclen;
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			return e->d_name;
	}
}

static char **default_env(const struct sbx_plan *p)
{
	char **env = NULL;
	/* basic tier: the workdir, which the sandbox user of the basic tier
	   as root may not reach by its absolute path (its ancestors belong
	   to root): "." then, where the program starts */
	const char *home = p->tier != SANDBOX_BASIC ? SBX_BOX : p->drop_uid ? "." : p->workdir;
	char *s;

	strv_push(&env, "PATH=/usr/local/bin:/usr/bin:/bin");
	s = xasprintf("HOME=%s", home);
	strv_push(&env, s);
	free(s);
	s = xasprintf("TMPDIR=%s", p->tier == SANDBOX_BASIC ? home : "/tmp");
	strv_push(&env, s);
	free(s);
	strv_push(&env, "LC_ALL=C");
	strv_push(&env, "USER=sandbox");
	strv_push(&env, "LOGNAME=sandbox");
	return env;
}

static bool is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* argv[0]: with a '/', a path (relative to the workdir); without, the
   system PATH first, then the workdir ("harness" is the built program). */
static int resolve_exe(struct sbx_plan *p)
{
	static const char *const dirs[] = {"/usr/local/bin", "/usr/bin", "/bin"};
	const char *a0 = p->cmd->argv[0];
	char *inwork;

	if (strchr(a0, '/')) {
		p->exe = xstrdup(a0);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		char *cand = path_join(dirs[i], a0);
		if (is_executable_file(cand)) {
			p->exe = cand;
			return 0;
		}
		free(cand);
	}
	inwork = path_join(p->workdir, a0);
	if (is_executable_file(inwork)) {
		p->exe = xasprintf("./%s", a0);
		free(inwork);
		return 0;
	}
	free(inwork);
	return error_set("sandbox: %s: command not found (not in PATH nor in %s)",
			 a0, p->workdir);
}

void sbx_plan_free(struct sbx_plan *p)
{
	free(p->workdir);
	free(p->exe);
	free(p->chdir_to);
	strv_free(p->env);
	strv_free(p->ro_paths);
	free(p->stdin_path);
	sbx_close_pair(p->out);
	sbx_close_pair(p->err);
	sbx_close_pair(p->report);
	sbx_close_pair(p->go);
	sbx_close_pair(p->notify);
	for (int i = 0; i < SBX_CG_FDS; i++)
		sbx_close(&p->cg_fds[i]);
}

/* Room for the run's files: the scratch allowance on top of what the
   workdir already holds (the harness, the inputs). */
static int plan_scratch(struct sbx_plan *p)
{
	long budget = 20000;
	int fd = open(p->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long long used = fd >= 0 ? sbx_disk_usage(fd, 0, &budget) : -1;

	if (used < 0)
		return error_set("sandbox: workdir %s: unreadable or more than 20000 files",
				 p->workdir);
	p->workdir_bytes = used;
	p->scratch_bytes = sbx_scratch_bytes(&p->cmd->limits) + used;
	return 0;
}

/* Threads of process pid (from /proc/PID/status), 1 if unknown. */
static unsigned long threads_of(int dfd, const char *pid)
{
	char path[64], buf[4096];
	unsigned long threads = 0;
	const char *t;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/status", pid);
	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	buf[n] = '\0';
	t = strstr(buf, "\nThreads:");
	if (t)
		threads = strtoul(t + 9, NULL, 10);
	return threads ? threads : 1;
}

/* Tasks (processes and threads) whose real uid is uid: RLIMIT_NPROC counts
   them all when there is no user namespace of our own (basic tier).  Run
   before every basic-tier run: a stat per process, nothing more for the
   processes of other users. */
static unsigned long user_tasks(uid_t uid)
{
	int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct sbx_dir d;
	const char *name;
	unsigned long n = 0;

	if (dfd < 0)
		return 0;
	sbx_dir_open(&d, dfd);
	while ((name = sbx_dir_next(&d))) {
		struct stat st;
		/* /proc/PID belongs to the process's (effective) user: a stat
		   is enough to skip everyone else's */
		if (name[0] < '1' || name[0] > '9' || fstatat(dfd, name, &st, 0) < 0 ||
		    st.st_uid != uid)
			continue;
		n += threads_of(dfd, name);
	}
	close(dfd);
	return n;
}

int sbx_plan_prepare(const struct sandbox_cmd *cmd, struct sbx_plan *p)
{
	char real[PATH_MAX];

	memset(p, 0, sizeof(*p));
	p->out[0] = p->out[1] = p->err[0] = p->err[1] = -1;
	p->report[0] = p->report[1] = p->go[0] = p->go[1] = -1;
	p->notify[0] = p->notify[1] = -1;
	for (int i = 0; i < SBX_CG_FDS; i++)
		p->cg_fds[i] = -1;
	p->cmd = cmd;
	p->info = sandbox_probe();
	p->tier = p->info->tier;
	p->as_root = geteuid() == 0;
	p->landlock = p->tier == SANDBOX_BASIC && p->info->landlock;
	p->drop_uid = p->tier != SANDBOX_USERNS && p->as_root;
	p->hold_program = cmd->tracer != NULL;   /* seized before its exec */
	/* no donor thread (thread limit...): the old way, a fork */
	p->fork_keeper = p->hold_program || sbx_launch_ready() < 0;
	if (p->tier == SANDBOX_BASIC)
		p->processes_base = user_tasks(p->drop_uid ? SBX_HOST_UID : getuid());

	if (!cmd->argv || !cmd->argv[0])
		return error_set("sandbox: empty command");
	if (!cmd->workdir || !realpath(cmd->workdir, real))
		return error_errno("sandbox: workdir %s", cmd->workdir ? cmd->workdir : "(null)");
	if (!path_is_dir(real))
		return error_set("sandbox: workdir %s is not a directory", real);
	p->workdir = xstrdup(real);
	if (cmd->stdin_path) {
		if (!realpath(cmd->stdin_path, real))
			return error_errno("sandbox: stdin %s", cmd->stdin_path);
		p->stdin_path = xstrdup(real);
	}
	for (size_t i = 0; cmd->ro_paths && cmd->ro_paths[i]; i++) {
		if (!realpath(cmd->ro_paths[i], real))
			return error_errno("sandbox: read-only path %s", cmd->ro_paths[i]);
		strv_push(&p->ro_paths, real);
	}
	p->chdir_to = xstrdup(p->tier == SANDBOX_BASIC ? p->workdir : SBX_BOX);
	if (resolve_exe(p) < 0 || plan_scratch(p) < 0 || sbx_seccomp_prepare(p) < 0)
		return -1;
	if (cmd->env) {
		for (size_t i = 0; cmd->env[i]; i++)
			strv_push(&p->env, cmd->env[i]);
		if (!p->env)
			strv_push(&p->env, "PATH=/usr/bin:/bin");
	} else {
		p->env = default_env(p);
	}
	return 0;
}

int sbx_plan_pipes(struct sbx_plan *p)
{
	if (pipe2(p->out, O_CLOEXEC) < 0 || pipe2(p->err, O_CLOEXEC) < 0 ||
	    pipe2(p->report, O_CLOEXEC) < 0 || pipe2(p->go, O_CLOEXEC) < 0)
		return error_errno("sandbox: pipe");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p->notify) < 0)
		return error_errno("sandbox: socketpair");
	/* the grader never blocks on its ends */
	fcntl(p->out[0], F_SETFL, O_NONBLOCK);
	fcntl(p->err[0], F_SETFL, O_NONBLOCK);
	fcntl(p->report[0], F_SETFL, O_NONBLOCK);
	fcntl(p->notify[0], F_SETFL, O_NONBLOCK);
	return 0;
}

/* Bytes used under dir (at most *budget entries are looked at; -1 when
   there are more: so many files are a limit of their own). */
long long sbx_disk_usage(int dirfd, int depth, long *budget)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;
	long long sum = 0;

	if (!d) {
		close(dirfd);
		return 0;
	}
	while ((e = readdir(d)) && sum >= 0) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (--*budget < 0) {
			sum = -1;
			break;
		}
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		/* the larger of the apparent and allocated sizes: a sparse
		   file becomes a full one when copied */
		sum += st.st_size > st.st_blocks * 512 ? st.st_size : st.st_blocks * 512;
		if (S_ISDIR(st.st_mode) && depth < 32) {
			int sub = openat(dirfd, e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			long long s2 = sub >= 0 ? sbx_disk_usage(sub, depth + 1, budget) : 0;
			sum = s2 < 0 ? -1 : sum + s2;
		}
	}
	closedir(d);
	return sum;
}

/* Basic tier as root: the program runs as SBX_HOST_UID and must own its
   scratch. */
int sbx_chown_tree(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (fd < 0 || fchown(fd, SBX_HOST_UID, SBX_HOST_GID) < 0) {
		if (fd >= 0)
			close(fd);
		return error_errno("sandbox: chown %s", dir);
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return error_errno("sandbox: %s", dir);
	}
	while ((e = readdir(d)) && rc == 0) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			char *sub = path_join(dir, e->d_name);
			rc = sbx_chown_tree(sub);
			free(sub);
		} else if (fchownat(fd, e->d_name, SBX_HOST_UID, SBX_HOST_GID,
				    AT_SYMLINK_NOFOLLOW) < 0) {
			rc = error_errno("sandbox: chown %s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	return rc;
}
