/*
 * @NAME@.h - the contract of the @NAME@ exercise (do not edit).
 *
 * Start n children (1 <= n <= 10), all before waiting for any.  Child k
 * (from 0) prints the line "child K" on standard output and ends with
 * _exit(0).  The parent reaps every child (waitpid) and returns how many
 * it reaped; -1 on error, after reaping what it started.
 */
#ifndef @GUARD@
#define @GUARD@

int @NAME@(unsigned n);

#endif
