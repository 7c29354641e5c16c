/* threads: three threads, joined; no process is created. */
#include <pthread.h>
#include <unistd.h>

static void *work(void *arg)
{
	usleep(20000);
	return arg;
}

int main(void)
{
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, work, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	return 0;
}
