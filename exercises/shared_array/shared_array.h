/*
 * shared_array.h - the contract of the shared_array exercise (do not edit).
 *
 * Shared values and arrays: memory that the parent and its children all
 * see, as multiprocessing's Value and Array.
 *
 *   - shared_ints(n) returns n ints of memory shared with the children
 *     forked after the call, all zero; shared_bytes(n) likewise n bytes.
 *     NULL on error (n == 0, or no memory).
 *   - shared_free(p, bytes) gives back what shared_ints or shared_bytes
 *     returned (bytes: the size asked, n * sizeof(int) for ints).
 *   - apply_in_children(a, n, nchildren, f), with a from shared_ints(n):
 *     forks nchildren children (1 <= nchildren <= 16); child k replaces
 *     a[i] by f(a[i]) for every i with i % nchildren == k, then exits.
 *     f is called only in the children, exactly once per element.  The
 *     parent does not touch a; it reaps every child and returns 0 once
 *     every element is updated.  -1 on error (a fork failed): every child
 *     created is still reaped.
 */
#ifndef SHARED_ARRAY_H
#define SHARED_ARRAY_H

#include <stddef.h>

int *shared_ints(size_t n);
char *shared_bytes(size_t n);
void shared_free(void *p, size_t bytes);
int apply_in_children(int *a, size_t n, unsigned nchildren, int (*f)(int));

#endif
