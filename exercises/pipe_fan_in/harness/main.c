/*
 * harness/main.c - grader-side driver of the pipe_fan_in exercise.
 *
 * Linked with the student's pipe_fan_in.c, it reports and never judges:
 *
 *   harness NSENDERS NMSGS
 *
 * calls fan_in(NSENDERS, NMSGS, 1), so the lines received go to stdout,
 * writes the marker "exit fan_in" when it returns, then prints
 * "fan_in returned R" on stderr (stdout holds only the lines).  The
 * grader holds the lines against the trace: which pipe, which writes,
 * which processes.
 */
#include <stdio.h>
#include <stdlib.h>
#include "pipe_fan_in.h"
#include "harness.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s NSENDERS NMSGS\n", argv[0]);
		return 2;
	}
	long r = fan_in((unsigned)atoi(argv[1]), (unsigned)atoi(argv[2]), 1);
	trace_marker("exit fan_in\n");
	fprintf(stderr, "fan_in returned %ld\n", r);
	return 0;
}
