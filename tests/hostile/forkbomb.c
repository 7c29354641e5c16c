/* hostile: fork bomb - every process forks forever.
 * expect: process limit | time limit (cpu) | time limit (wall)
 * within: 15
 */
#include <unistd.h>

int main(void)
{
	for (;;)
		fork();
}
