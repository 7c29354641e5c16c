/* thread_exec: a second thread execs /bin/true (the tid changes). */
#include <pthread.h>
#include <unistd.h>

static void *run(void *arg)
{
	(void)arg;
	execl("/bin/true", "true", (char *)NULL);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, run, NULL);
	pause();
	return 3;
}
