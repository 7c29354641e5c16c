/* spin: a child spins forever (a busy wait that never ends); the parent
   waits for it.  Only a timeout ends this run. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	if (fork() == 0)
		for (;;)
			;
	wait(NULL);
	return 0;
}
