/*
 * harness/main.c - grader-side driver of the @NAME@ exercise.
 *
 *   harness N
 *
 * Calls @NAME@(N) once, writes the marker "exit @NAME@" as soon as it
 * returns (checks: "every child reaped before this marker"), then prints
 * "@NAME@ returned R" on standard error (standard output is the
 * children's).
 */
#include <stdio.h>
#include <stdlib.h>
#include "@NAME@.h"
#include "harness.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s N\n", argv[0]);
		return 2;
	}
	int r = @NAME@((unsigned)strtoul(argv[1], NULL, 10));
	trace_marker("exit @NAME@\n");
	fprintf(stderr, "@NAME@ returned %d\n", r);
	return 0;
}
