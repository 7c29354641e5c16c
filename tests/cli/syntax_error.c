/* A submission that does not compile (for tests/run_cli.sh). */
#include "half_copy.h"
int half_copy(const char *src, const char *dst1, const char *dst2)
{
	return 0 /* missing semicolon */
}
