/* hostile: memory hog - allocates and touches memory until refused, then
 * keeps touching what it got (a careless program dereferences NULL).
 * expect: memory limit
 * within: 15
 */
#include <stdlib.h>
#include <string.h>

int main(void)
{
	for (;;) {
		char *p = malloc(1 << 20);
		memset(p, 1, 1 << 20);   /* NULL when refused: SIGSEGV */
	}
}
