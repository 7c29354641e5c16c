/*
 * pipe_fan_in.h - the contract of the pipe_fan_in exercise (do not edit).
 *
 * Many writers, one pipe, one reader.
 *
 *   - fan_in forks nsenders children (1 <= nsenders <= 16) that all write
 *     into ONE pipe, created before the forks.
 *   - Child k (0 <= k < nsenders) writes nmsgs lines
 *       sender K message M\n
 *     (M = 0, 1, ..., nmsgs-1, in that order), each line with ONE write()
 *     call (a write of at most PIPE_BUF bytes to a pipe is atomic: it is
 *     never mixed with another writer's), and then exits.
 *   - The parent reads the pipe until end of file, writes every line it
 *     received to out_fd unchanged, reaps every child, and returns the
 *     number of lines it received.  End of file comes only when every
 *     write end is closed: in the children when they exit, and the
 *     parent's own copy.
 *
 * Returns the number of lines, or -1 on error (pipe or fork failed; every
 * child created is still reaped).
 */
#ifndef PIPE_FAN_IN_H
#define PIPE_FAN_IN_H

long fan_in(unsigned nsenders, unsigned nmsgs, int out_fd);

#endif
