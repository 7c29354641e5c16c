/* marker_site: markers written by the function trace_marker (its own
   `syscall` instruction, as the exercises' harnesses do) and one forged
   with write() from elsewhere.  With tracer_opts.markers_from_harness only
   "enter 1" (the program) and "enter 3" (its child) count. */
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static __attribute__((noinline, noipa)) void trace_marker(const char *line)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_write), "D"(1021L), "S"(line), "d"(strlen(line))
			 : "rcx", "r11", "memory");
	(void)ret;
}

int main(void)
{
	trace_marker("enter 1\n");
	if (write(1021, "enter 2\n", 8) != 8)           /* forged */
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		trace_marker("enter 3\n");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return 0;
}
