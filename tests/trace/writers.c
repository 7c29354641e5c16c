/* writers: the parent opens out1 and forks; the child writes out1 through
   the inherited fd; the parent opens out2 itself and writes it; then
   stdout is redirected to out3 with dup2 and printf writes it. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fd1 = open("out1.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pid_t pid = fork();
	if (pid == 0) {
		write(fd1, "child\n", 6);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	close(fd1);
	int fd2 = open("out2.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd2, "parent\n", 7);
	close(fd2);
	int fd3 = open("out3.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd3, 1);
	close(fd3);
	printf("via stdout\n");
	fflush(stdout);
	return 0;
}
