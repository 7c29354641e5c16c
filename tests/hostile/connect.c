/* hostile: connects to a listener on 127.0.0.1.
 * args: PORT
 * expect: forbidden system call socket(AF_INET)
 * within: 5
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0) {
		perror("socket");
		return 3;
	}
	sa.sin_family = AF_INET;
	sa.sin_port = htons(argc > 1 ? atoi(argv[1]) : 80);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("connect");
		return 4;
	}
	write(fd, "escaped\n", 8);
	puts("connected");
	return 0;
}
