/* hostile: creates files where it must not: /tmp, /root, /dev/shm, ../,
 * /, /etc, /usr.
 * args: NAME - the file name to create everywhere
 * expect: exited 0
 * within: 5
 * leaves: no such file outside the workdir
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const char *const dirs[] = {"/tmp", "/root", "/dev/shm", "..", "/", "/etc",
					   "/usr", "/var/tmp", "/home"};
	const char *name = argc > 1 ? argv[1] : "hostile-file";

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[512];
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		printf("%s: %s\n", path, fd >= 0 ? "CREATED" : "refused");
		if (fd >= 0)
			close(fd);
	}
	return 0;
}
