/* markers: the harness writes "enter ID" / "exit ID" lines to fd 1021;
   the parent and a child each enter and exit; a line split across two
   writes still makes one marker.  Exit 0 if every write returned its
   length. */
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARK 1021

static int mark(const char *s)
{
	return write(MARK, s, strlen(s)) == (ssize_t)strlen(s);
}

int main(void)
{
	int ok = mark("enter 1\n");
	pid_t pid = fork();
	if (pid == 0) {
		ok = mark("enter 2\n") && mark("ex") && mark("it 2\n");
		_exit(ok ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	struct iovec iov[2] = {{"exit ", 5}, {"1\n", 2}};
	ok &= writev(MARK, iov, 2) == 7;
	return ok && WEXITSTATUS(st) == 0 ? 0 : 1;
}
