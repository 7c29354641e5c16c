/* hostile (compile time): a 2 GiB initialised static array (a 2 GiB
 * object file).
 * compile: yes
 * expect: not exited 0
 * within: 30
 */
static char big[1UL << 31] = {1};
int main(void) { return big[12345]; }
