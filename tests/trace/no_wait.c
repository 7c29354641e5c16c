/* no_wait: a child that is never reaped by the program. */
#include <unistd.h>

int main(void)
{
	if (fork() == 0)
		_exit(0);
	usleep(50000);          /* the child is a zombie now */
	return 0;
}
