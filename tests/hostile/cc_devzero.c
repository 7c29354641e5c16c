/* hostile (compile time): includes an endless file.
 * compile: yes
 * expect: not exited 0
 * within: 20
 */
#include "/dev/zero"
int main(void) { return 0; }
