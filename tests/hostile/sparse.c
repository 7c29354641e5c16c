/* hostile: thousands of sparse files of the largest size allowed, so that
 * a naive copy out of the sandbox would write terabytes of zeros.
 * expect: exited 0 | file size limit
 * within: 20
 * leaves: the host disk unharmed (holes stay holes)
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 3000; i++) {
		char name[32];
		int fd;

		snprintf(name, sizeof(name), "sparse%d", i);
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			break;
		if (ftruncate(fd, (16L << 20) - 1) < 0 || pwrite(fd, "x", 1, (16L << 20) - 2) < 0) {
			close(fd);
			break;
		}
		close(fd);
	}
	return 0;
}
