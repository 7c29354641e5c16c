/* hostile: PTRACE_TRACEME, then PTRACE_ATTACH to its parent.
 * expect: forbidden system call ptrace(PTRACE_TRACEME)
 * within: 5
 */
#include <stdio.h>
#include <sys/ptrace.h>
#include <unistd.h>

int main(void)
{
	long a = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	long b = ptrace(PTRACE_ATTACH, getppid(), NULL, NULL);

	printf("traceme=%ld attach=%ld\n", a, b);
	return 0;
}
