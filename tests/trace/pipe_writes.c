/* pipe_writes: a pipe made before a fork; the child writes one line with
   write(), a line in two pieces, and two lines with one writev; the parent
   writes a file (not a pipe), closes its write end and reads to end of
   file.  Then a FIFO opened for writing gets one line. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	char buf[256];
	if (pipe(p) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		write(p[1], "one line\n", 9);
		write(p[1], "a li", 4);
		write(p[1], "ne\n", 3);
		struct iovec iov[2] = {{"two\n", 4}, {"lines\n", 6}};
		writev(p[1], iov, 2);
		_exit(0);
	}
	close(p[1]);
	int f = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(f, "file\n", 5);
	close(f);
	while (read(p[0], buf, sizeof(buf)) > 0)
		;
	waitpid(pid, NULL, 0);
	/* a FIFO: O_RDWR opens without a reader */
	if (mkfifo("a_fifo", 0600) < 0)
		return 1;
	int w = open("a_fifo", O_RDWR);
	write(w, "fifo line\n", 10);
	close(w);
	return 0;
}
