/* fork_wait: three children exit with 1, 2, 3; the parent reaps them all. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	for (int i = 1; i <= 3; i++)
		if (fork() == 0)
			_exit(i);
	int sum = 0, st;
	while (wait(&st) > 0)
		sum += WEXITSTATUS(st);
	return sum == 6 ? 0 : 1;
}
