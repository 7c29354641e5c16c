/*
 * sandbox_ipc.c - what the basic tier must clean up by hand.
 *
 * Without IPC and mount namespaces, POSIX IPC objects (files in /dev/shm:
 * shm_open, sem_open) and System V objects (shmget, semget, msgget) outlive
 * the run.  After the tree is dead, everything of this kind that the
 * sandbox's user created since the run started is removed.  In the basic
 * tier as an ordinary user that user is also the grader's user, so an
 * object created by another program of the same user during the run would
 * be removed as well: one of the reasons the basic tier is reported as
 * weaker.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sandbox_internal.h"

static void clean_dev_shm(uid_t uid, time_t since)
{
	int dfd = open("/dev/shm", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] == '.' ||
		    fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (st.st_uid == uid && st.st_ctime >= since && !S_ISDIR(st.st_mode))
			unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
}

/* Column numbers (0-based) of the id, cuid and ctime in /proc/sysvipc/X. */
struct sysv_table {
	const char *file;
	int id_col, cuid_col, ctime_col;
	int kind;
};

enum { SYSV_SHM, SYSV_SEM, SYSV_MSG };

static void remove_sysv(int kind, int id)
{
	switch (kind) {
	case SYSV_SHM:
		shmctl(id, IPC_RMID, NULL);
		break;
	case SYSV_SEM:
		semctl(id, 0, IPC_RMID);
		break;
	case SYSV_MSG:
		msgctl(id, IPC_RMID, NULL);
		break;
	}
}

static void clean_sysv(const struct sysv_table *t, uid_t uid, time_t since)
{
	FILE *f = fopen(t->file, "re");
	char line[512];

	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {     /* header */
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		long col[20];
		int n = 0;
		for (char *s = line, *end; n < 20; s = end, n++) {
			col[n] = strtol(s, &end, 10);
			if (end == s)
				break;
		}
		if (n <= t->ctime_col)
			continue;
		if ((uid_t)col[t->cuid_col] == uid && col[t->ctime_col] >= since)
			remove_sysv(t->kind, (int)col[t->id_col]);
	}
	fclose(f);
}

/* Whether any object of the kind exists at all (the usual answer is no:
   then its table in /proc is not read). */
static bool sysv_any(int kind)
{
	union { struct shm_info shm; struct seminfo sem; struct msginfo msg; } u;
	union semun { int val; struct semid_ds *buf; unsigned short *array;
		      struct seminfo *info; } arg = {.info = &u.sem};

	memset(&u, 0, sizeof(u));
	switch (kind) {
	case SYSV_SHM:
		return shmctl(0, SHM_INFO, (struct shmid_ds *)&u.shm) < 0 || u.shm.used_ids > 0;
	case SYSV_SEM:
		return semctl(0, 0, SEM_INFO, arg) < 0 || u.sem.semusz > 0;
	default:
		return msgctl(0, MSG_INFO, (struct msqid_ds *)&u.msg) < 0 || u.msg.msgpool > 0;
	}
}

void sbx_basic_cleanup(uid_t uid, time_t since)
{
	static const struct sysv_table tables[] = {
		/* key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime */
		{"/proc/sysvipc/shm", 1, 9, 13, SYSV_SHM},
		/* key semid perms nsems uid gid cuid cgid otime ctime */
		{"/proc/sysvipc/sem", 1, 6, 9, SYSV_SEM},
		/* key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid stime rtime ctime */
		{"/proc/sysvipc/msg", 1, 9, 13, SYSV_MSG},
	};

	clean_dev_shm(uid, since);
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++)
		if (sysv_any(tables[i].kind))
			clean_sysv(&tables[i], uid, since);
}
