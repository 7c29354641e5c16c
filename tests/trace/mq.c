/* mq: a POSIX message queue between parent and child. */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char name[64], buf[64];
	struct mq_attr at = {0, 4, 32, 0};
	snprintf(name, sizeof(name), "/trace_mq_%d", (int)getpid());
	mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0600, &at);
	if (q == (mqd_t)-1)
		return 2;
	if (fork() == 0) {
		mq_send(q, "hi", 3, 0);
		_exit(0);
	}
	ssize_t n = mq_receive(q, buf, sizeof(buf), NULL);
	wait(NULL);
	mq_close(q);
	mq_unlink(name);
	return n == 3 ? 0 : 1;
}
