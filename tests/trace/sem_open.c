/* sem_open: a named semaphore created, posted by a child, waited by the
   parent, unlinked. */
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char name[64];
	snprintf(name, sizeof(name), "/trace_sem_%d", (int)getpid());
	sem_t *s = sem_open(name, O_CREAT, 0600, 0);
	if (s == SEM_FAILED)
		return 2;
	if (fork() == 0) {
		usleep(30000);
		sem_post(s);
		_exit(0);
	}
	sem_wait(s);
	wait(NULL);
	sem_close(s);
	sem_unlink(name);
	return 0;
}
