/* vfork_exec: vfork + exec of /bin/true, and a failed exec first. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = vfork();
	if (pid == 0) {
		execl("/nonexistent/prog", "prog", (char *)NULL);
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
