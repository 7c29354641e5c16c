/* hostile: fills the disk - 1 MiB writes into new files in its workdir
 * and /tmp until refused, then keeps trying.
 * expect: exited | file size limit | time limit (cpu) | time limit (wall) | memory limit
 * within: 20
 * leaves: the host disk unharmed (bounded scratch)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fill(const char *dir)
{
	static char block[1 << 20];
	int refused = 0;

	memset(block, 'z', sizeof(block));
	for (int i = 0; i < 100000 && refused < 3; i++) {
		char path[256];
		int fd;

		snprintf(path, sizeof(path), "%s/fill%d", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			refused++;
			continue;
		}
		for (;;)
			if (write(fd, block, sizeof(block)) < 0) {
				if (errno == ENOSPC || errno == EDQUOT)
					refused++;
				break;
			}
		close(fd);
	}
	return refused;
}

int main(void)
{
	signal(SIGXFSZ, SIG_IGN);       /* keep going past the file size limit */
	fill(".");
	fill("/tmp");
	return 0;
}
