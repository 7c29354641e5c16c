/*
 * sandbox_cgroup.c - accounting and limits for the whole tree (root tier).
 *
 * One group per run, created under the grader's own group of each hierarchy:
 *   cgroup v2 (a cgroup2 mount at /sys/fs/cgroup or /sys/fs/cgroup/unified):
 *     always cpu.stat (tree CPU) and cgroup.kill; memory.max, memory.peak,
 *     memory.events and pids.max, pids.events where those controllers are
 *     enabled for us;
 *   cgroup v1 (hybrid machines): memory, pids and cpuacct controllers for
 *     what v2 does not provide (a v2 group with neither controller is not
 *     made when cpuacct is there: the tree CPU comes from cpuacct, and a
 *     kill of the tree from the namespace's end).
 * Where our groups go is found once per process (each group is made and
 * removed per run: a group's counters cannot all be reset).
 * Only the program's tree is in the groups, not the keeper: the program
 * joins them itself before its exec, through cgroup.procs files the grader
 * opened (so the keeper can never be chosen by the OOM killer of a group
 * the tree filled with tmpfs pages, and the figures are the tree's own).
 * Nothing here is required: when a hierarchy cannot be used the run goes on
 * with rlimits (sandbox_info.cgroups says which).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "sandbox_internal.h"
#include "util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

enum { V1_MEMORY, V1_PIDS, V1_CPUACCT, V1__N };
static const char *const v1_names[V1__N] = {"memory", "pids", "cpuacct"};

struct sbx_cgroup {
	char *v2;                 /* our group in the v2 hierarchy, or NULL */
	bool v2_memory, v2_pids;  /* controllers enabled there              */
	char *v1[V1__N];          /* our group in each v1 hierarchy, or NULL */
};

/* ---- file helpers ---- */

static int write_in(const char *dir, const char *file, const char *text)
{
	char *path = path_join(dir, file);
	int rc = sbx_write_file(path, text);
	free(path);
	return rc;
}

static char *read_in(const char *dir, const char *file)
{
	char *path = path_join(dir, file);
	struct buf b = BUF_INIT;
	int rc = file_read(path, &b);

	free(path);
	if (rc < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* The value after "key " in a "key value" file, or -1. */
static long long keyed(const char *dir, const char *file, const char *key)
{
	char *text = read_in(dir, file);
	size_t kl = strlen(key);
	long long v = -1;

	for (char *line = text; line && *line;) {
		if (!strncmp(line, key, kl) && line[kl] == ' ') {
			v = atoll(line + kl + 1);
			break;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	free(text);
	return v;
}

static long long number_in(const char *dir, const char *file)
{
	char *text = read_in(dir, file);
	long long v = text ? atoll(text) : -1;
	free(text);
	return v;
}

/* ---- finding the hierarchies ---- */

static bool is_cgroup2(const char *path)
{
	struct statfs sf;
	return statfs(path, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

static const char *v2_mount(void)
{
	if (is_cgroup2("/sys/fs/cgroup"))
		return "/sys/fs/cgroup";
	if (is_cgroup2("/sys/fs/cgroup/unified"))
		return "/sys/fs/cgroup/unified";
	return NULL;
}

/* Whether the comma-separated list holds word. */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Our group in a hierarchy from /proc/self/cgroup ("0::/x" for v2, or
   "N:ctrl,...:/x" for a v1 controller). */
static char *own_group(const char *text, const char *controller)
{
	struct buf b = BUF_INIT;
	char *res = NULL;

	if (!text)
		return NULL;
	buf_adds(&b, text);
	for (char *line = b.data; line && *line;) {
		char *next = strchr(line, '\n');
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (next)
			*next = '\0';
		if (c2) {
			*c2 = '\0';
			if (!controller ? c1 - line == 1 && line[0] == '0' && c1[1] == '\0'
					: has_word(c1 + 1, controller))
				res = xstrdup(c2 + 1);
		}
		if (res)
			break;
		line = next ? next + 1 : NULL;
	}
	buf_free(&b);
	return res;
}

/* Groups left by graders that died mid-run (killed by a timeout...):
   "grader-PID-N" whose PID is gone.  Empty by now (the tree died with its
   keeper), so rmdir works. */
static void sweep_stale(const char *parent)
{
	int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct sbx_dir d;
	struct stat st;
	const char *name;

	if (fd < 0)
		return;
	/* a directory's links: 2 and one per subdirectory (cgroup file
	   systems keep that count too): no group at all, nothing to read */
	if (fstat(fd, &st) == 0 && st.st_nlink <= 2) {
		close(fd);
		return;
	}
	sbx_dir_open(&d, fd);
	while ((name = sbx_dir_next(&d))) {
		int pid;
		if (strncmp(name, "grader-", 7) || sscanf(name, "grader-%d-", &pid) != 1 ||
		    pid <= 0 || pid == getpid())
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		unlinkat(fd, name, AT_REMOVEDIR);
	}
	close(fd);
}

static bool controller_enabled(const char *dir, const char *file, const char *name)
{
	char *list = read_in(dir, file);
	bool on = false;

	for (char *t = list ? strtok(list, " \n") : NULL; t; t = strtok(NULL, " \n"))
		on |= !strcmp(t, name);
	free(list);
	return on;
}

/* Where our groups go, found once per process: our own group in each
   hierarchy (NULL: not usable), and the v2 controllers our groups get
   (the parent's cgroup.subtree_control). */
static struct {
	bool done;
	char *v2;
	bool v2_memory, v2_pids;
	char *v1[V1__N];
} parents;

static char *parent_in(const char *mount, const char *cgroups, const char *controller)
{
	char *own = own_group(cgroups, controller);
	char *dir;

	if (!own)
		return NULL;
	dir = xasprintf("%s%s", mount, strcmp(own, "/") ? own : "");
	free(own);
	sweep_stale(dir);       /* once per grader process */
	return dir;
}

static void find_parents(void)
{
	const char *v2 = v2_mount();
	struct buf self = BUF_INIT;   /* /proc/self/cgroup */
	const char *cgroups;

	if (parents.done)
		return;
	parents.done = true;
	cgroups = file_read("/proc/self/cgroup", &self) == 0 ? buf_str(&self) : NULL;
	if (v2)
		parents.v2 = parent_in(v2, cgroups, NULL);
	if (parents.v2) {
		parents.v2_memory = controller_enabled(parents.v2, "cgroup.subtree_control", "memory");
		parents.v2_pids = controller_enabled(parents.v2, "cgroup.subtree_control", "pids");
	}
	for (int i = 0; i < V1__N; i++) {
		char mount[64];
		snprintf(mount, sizeof(mount), "/sys/fs/cgroup/%s", v1_names[i]);
		if (is_cgroup2(mount) || access(mount, W_OK) < 0)
			continue;
		parents.v1[i] = parent_in(mount, cgroups, v1_names[i]);
	}
	buf_free(&self);
}

static char *make_group(const char *parent, unsigned seq)
{
	char *dir;

	if (!parent)
		return NULL;
	dir = xasprintf("%s/grader-%d-%u", parent, (int)getpid(), seq);
	if (mkdir(dir, 0755) < 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

bool sbx_cgroup_usable(char *why, size_t n)
{
	const char *v2 = v2_mount();
	char path[128];

	if (geteuid() != 0) {
		snprintf(why, n, "not root");
		return false;
	}
	if (v2)
		return true;
	snprintf(path, sizeof(path), "/sys/fs/cgroup/memory");
	if (access(path, W_OK) == 0)
		return true;
	snprintf(why, n, "no writable cgroup hierarchy");
	return false;
}

/* ---- one run's group ---- */

static void set_limits_v2(struct sbx_cgroup *cg, const struct limits *l)
{
	char num[32];

	if (cg->v2_memory && l->memory > 0) {
		snprintf(num, sizeof(num), "%ld", l->memory);
		write_in(cg->v2, "memory.max", num);
		write_in(cg->v2, "memory.swap.max", "0");
	}
	if (cg->v2_pids && l->processes > 0) {
		snprintf(num, sizeof(num), "%ld", l->processes);
		write_in(cg->v2, "pids.max", num);
	}
}

static void set_limits_v1(struct sbx_cgroup *cg, const struct limits *l)
{
	char num[32];

	if (cg->v1[V1_MEMORY] && l->memory > 0) {
		snprintf(num, sizeof(num), "%ld", l->memory);
		write_in(cg->v1[V1_MEMORY], "memory.limit_in_bytes", num);
		write_in(cg->v1[V1_MEMORY], "memory.memsw.limit_in_bytes", num);
	}
	if (cg->v1[V1_PIDS] && l->processes > 0) {
		snprintf(num, sizeof(num), "%ld", l->processes);
		write_in(cg->v1[V1_PIDS], "pids.max", num);
	}
}

struct sbx_cgroup *sbx_cgroup_create(const struct limits *l)
{
	static unsigned seq;
	struct sbx_cgroup *cg = xcalloc(1, sizeof(*cg));
	bool any = false;

	seq++;
	find_parents();
	/* on a hybrid machine a v2 group with neither controller would only
	   repeat what cpuacct counts: one group less to make and remove */
	if (parents.v2_memory || parents.v2_pids || !parents.v1[V1_CPUACCT])
		cg->v2 = make_group(parents.v2, seq);
	if (cg->v2) {
		cg->v2_memory = parents.v2_memory;
		cg->v2_pids = parents.v2_pids;
		set_limits_v2(cg, l);
		any = true;
	}
	for (int i = 0; i < V1__N; i++) {
		if ((i == V1_MEMORY && cg->v2_memory) || (i == V1_PIDS && cg->v2_pids) ||
		    (i == V1_CPUACCT && cg->v2))
			continue;
		cg->v1[i] = make_group(parents.v1[i], seq);
		any |= cg->v1[i] != NULL;
	}
	if (!any) {
		free(cg);
		return NULL;
	}
	set_limits_v1(cg, l);
	return cg;
}

/* cgroup.procs of each of our groups, opened by us: the program writes
   "0" into them (joining with our credentials: the kernel checks the
   opener's) before its exec. */
int sbx_cgroup_open_procs(struct sbx_cgroup *cg, int fds[SBX_CG_FDS])
{
	const char *dirs[SBX_CG_FDS] = {cg->v2, cg->v1[V1_MEMORY], cg->v1[V1_PIDS],
					cg->v1[V1_CPUACCT]};

	for (int i = 0; i < SBX_CG_FDS; i++) {
		char *path;
		fds[i] = -1;
		if (!dirs[i])
			continue;
		path = path_join(dirs[i], "cgroup.procs");
		fds[i] = open(path, O_WRONLY | O_CLOEXEC);
		free(path);
		if (fds[i] < 0)
			return error_errno("sandbox: open %s/cgroup.procs", dirs[i]);
	}
	return 0;
}

bool sbx_cgroup_limits_memory(const struct sbx_cgroup *cg)
{
	return cg->v2_memory || cg->v1[V1_MEMORY];
}

bool sbx_cgroup_limits_pids(const struct sbx_cgroup *cg)
{
	return cg->v2_pids || cg->v1[V1_PIDS];
}

double sbx_cgroup_cpu_ms(struct sbx_cgroup *cg)
{
	long long v;

	if (cg->v2) {
		v = keyed(cg->v2, "cpu.stat", "usage_usec");
		return v < 0 ? -1 : v / 1000.0;
	}
	if (cg->v1[V1_CPUACCT]) {
		v = number_in(cg->v1[V1_CPUACCT], "cpuacct.usage");
		return v < 0 ? -1 : v / 1e6;
	}
	return -1;
}

static void kill_v1(const char *dir)
{
	char *procs = read_in(dir, "cgroup.procs");

	for (char *t = procs ? strtok(procs, "\n") : NULL; t; t = strtok(NULL, "\n"))
		kill((pid_t)atoi(t), SIGKILL);
	free(procs);
}

void sbx_cgroup_kill(struct sbx_cgroup *cg)
{
	if (cg->v2 && write_in(cg->v2, "cgroup.kill", "1") == 0)
		return;
	for (int i = 0; i < V1__N; i++)
		if (cg->v1[i]) {
			kill_v1(cg->v1[i]);
			return;
		}
}

void sbx_cgroup_figures(struct sbx_cgroup *cg, struct sbx_cgroup_figures *f)
{
	const char *mem = cg->v2_memory ? cg->v2 : cg->v1[V1_MEMORY];
	const char *pids = cg->v2_pids ? cg->v2 : cg->v1[V1_PIDS];
	long long v;

	memset(f, 0, sizeof(*f));
	f->cpu_ms = sbx_cgroup_cpu_ms(cg);
	if (mem) {
		v = number_in(mem, cg->v2_memory ? "memory.peak" : "memory.max_usage_in_bytes");
		f->peak_memory = v > 0 ? (long)v : 0;
		v = keyed(mem, cg->v2_memory ? "memory.events" : "memory.oom_control", "oom_kill");
		f->oom = v > 0;
	}
	if (pids) {
		v = keyed(pids, "pids.events", "max");
		f->pids_refused = v > 0;
		f->refused = v > 0 ? (long)v : 0;
	}
}

static void remove_group(char *dir)
{
	if (!dir)
		return;
	/* the tree is dead by now; a zombie may linger for a moment */
	for (int tries = 0; rmdir(dir) < 0 && errno == EBUSY && tries < 200; tries++) {
		kill_v1(dir);
		usleep(1000);
	}
	free(dir);
}

void sbx_cgroup_destroy(struct sbx_cgroup *cg)
{
	if (!cg)
		return;
	remove_group(cg->v2);
	for (int i = 0; i < V1__N; i++)
		remove_group(cg->v1[i]);
	free(cg);
}
