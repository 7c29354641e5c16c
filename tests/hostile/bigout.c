/* hostile: 2 GB of stdout as fast as it can.
 * expect: output limit
 * within: 5
 */
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char block[1 << 16];
	long long left = 2LL << 30;

	memset(block, 'x', sizeof(block));
	while (left > 0) {
		if (write(1, block, sizeof(block)) < 0)
			return 1;
		left -= sizeof(block);
	}
	return 0;
}
