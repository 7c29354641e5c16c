/* hostile: system() of a shell that pokes around.
 * expect: exited 0 | exited
 * within: 10
 * secret: the planted token must not appear in the output
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "id; echo SHELL-WORKS; cat /etc/shadow; cat %s; ls / /root /home; "
		 "cat /proc/1/environ; ps ax 2>/dev/null | head", argc > 1 ? argv[1] : "/nonexistent");
	system(cmd);
	return 0;
}
