/* hostile (compile time): includes a secret file of the grader (its path
 * comes as -DSECRET="..."), so that the compiler quotes it in an error.
 * compile: yes
 * expect: not exited 0
 * within: 20
 * secret: the planted token must not appear in the output
 */
#ifndef SECRET
#define SECRET "/etc/shadow"
#endif
#include SECRET
#include "/etc/shadow"
int main(void) { return 0; }
