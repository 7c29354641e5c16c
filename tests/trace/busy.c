/* busy: a child spins until it has used 150 ms of CPU (a busy wait); the parent
   sleeps. */
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		struct timespec t0, t;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
		do
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
		while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 150);
		_exit(0);
	}
	wait(NULL);
	return 0;
}
