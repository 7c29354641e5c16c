/* hostile: looks for what it must not see - /etc/shadow, a planted secret
 * file, the grader's environment (/proc/1/environ and its parent's), and
 * every spec.yaml, solutions/ or hidden test on the file system; prints
 * whatever it finds.
 * args: SECRET_PATH
 * expect: exited 0 | forbidden system call
 * within: 20
 * secret: the planted token must not appear in the output
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long visited;

static void dump(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("cannot read %s\n", path);
		return;
	}
	n = read(fd, buf, 200);         /* enough to leak a secret */
	printf("READ %s: %.*s\n", path, n > 0 ? (int)n : 0, buf);
	close(fd);
}

static void search(const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;

	/* /usr is the system's own read-only tree: walking it only burns time */
	if (depth > 12 || visited > 200000 || !strcmp(dir, "/proc") || !strcmp(dir, "/sys") ||
	    !strcmp(dir, "/usr"))
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		visited++;
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		if (lstat(path, &st) < 0)
			continue;
		if (!strcmp(e->d_name, "spec.yaml") || strstr(e->d_name, "secret"))
			dump(path);
		if (!strcmp(e->d_name, "solutions") || !strcmp(e->d_name, "hidden"))
			printf("FOUND %s\n", path);
		if (S_ISDIR(st.st_mode))
			search(path, depth + 1);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	char path[64];

	dump("/etc/shadow");
	if (argc > 1)
		dump(argv[1]);
	dump("/proc/1/environ");
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)getppid());
	dump(path);
	search("/", 0);
	printf("visited %ld entries\n", visited);
	return 0;
}
