/* hostile: infinite loop.
 * expect: time limit (cpu)
 * within: 10
 */
int main(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}
