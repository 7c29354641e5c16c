// expect: no other program is run => wrong answer [processes]
// Lets the shell do the work: system("head -c ...") and system("tail -c ...") run other programs.
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "half_copy.h"

int half_copy(const char *src, const char *dst1, const char *dst2)
{
	char cmd[4096];
	struct stat st;
	if (stat(src, &st) < 0)
		return -1;
	long half = (long)st.st_size / 2;
	snprintf(cmd, sizeof cmd, "head -c %ld '%s' > '%s'", half, src, dst1);
	if (system(cmd) != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "tail -c +%ld '%s' > '%s'", half + 1, src, dst2);
	if (system(cmd) != 0)
		return -1;
	return 0;
}
