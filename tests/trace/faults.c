/* faults: fork twice, pipe once, open once; the exit code says which
   calls failed: bit 0 first fork, bit 1 second fork, bit 2 pipe, bit 3
   open.  Under fork nth 2 EAGAIN: 2; pipe nth 1 EMFILE: 4. */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int code = 0, p[2];
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			code |= (errno == EAGAIN ? 1 : 16) << i;
		else
			waitpid(pid, NULL, 0);
	}
	if (pipe(p) < 0)
		code |= errno == EMFILE ? 4 : 16;
	int fd = open("faults_input.txt", O_RDONLY | O_CREAT, 0644);
	if (fd < 0)
		code |= errno == EACCES ? 8 : 16;
	return code;
}
