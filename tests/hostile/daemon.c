/* hostile: a setsid double-forked daemon that writes a marker file seconds
 * after the program has exited (in its workdir and in /tmp).
 * args: NAME - the marker file name
 * expect: exited 0
 * within: 5
 * leaves: nothing (no process, no marker) after the run
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void mark(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		write(fd, "alive\n", 6);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "daemon-marker";
	char tmp[256];

	if (fork() != 0)
		return 0;               /* the program exits at once */
	setsid();
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	if (fork() != 0)
		_exit(0);
	close(0);
	close(1);
	close(2);
	sleep(2);
	mark(name);
	snprintf(tmp, sizeof(tmp), "/tmp/%s", name);
	mark(tmp);
	sleep(30);
	return 0;
}
