/* shm_futex: a process-shared semaphore in a MAP_SHARED mapping; the
   child waits on it (futex wait in shared memory), the parent posts it
   (futex wake).  A thread joined meanwhile uses a futex that is not in
   shared memory. */
#include <pthread.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void *nap(void *arg)
{
	usleep(30000);
	return arg;
}

int main(void)
{
	sem_t *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			-1, 0);
	sem_init(s, 1, 0);
	pid_t pid = fork();
	if (pid == 0) {
		sem_wait(s);
		_exit(0);
	}
	pthread_t t;
	pthread_create(&t, NULL, nap, NULL);
	pthread_join(t, NULL);
	usleep(50000);
	sem_post(s);
	waitpid(pid, NULL, 0);
	return 0;
}
