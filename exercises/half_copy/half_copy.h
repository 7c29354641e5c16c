/*
 * half_copy.h - the contract of the half_copy exercise (do not edit).
 *
 * Copy a file in two halves, with two processes working at the same time.
 * Let n be the size of src in bytes:
 *
 *   - bytes [0, n/2) of src go to dst1 and bytes [n/2, n) go to dst2
 *     (n/2 rounds down: for n = 5, dst1 gets 2 bytes and dst2 gets 3);
 *     dst1 and dst2 are created, or truncated if they exist;
 *   - the two halves are written by two different processes, at least one
 *     of them a child created with fork();
 *   - each process that copies opens src itself (a descriptor inherited
 *     from the parent shares its file offset with the parent);
 *   - every child is reaped (waitpid) before half_copy returns, and no
 *     child ever returns from half_copy: children end with _exit();
 *   - no other program is run (no system(), no exec).
 *
 * Returns 0 when both halves were copied, -1 on any error (src cannot be
 * opened, fork fails, a child failed, ...).  On error every child that was
 * created has still been reaped.
 */
#ifndef HALF_COPY_H
#define HALF_COPY_H

int half_copy(const char *src, const char *dst1, const char *dst2);

#endif
