/* spawn: posix_spawn of /bin/true, then waitpid. */
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

int main(void)
{
	pid_t pid;
	char *argv[] = {"true", NULL};
	int st;
	if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ))
		return 2;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
