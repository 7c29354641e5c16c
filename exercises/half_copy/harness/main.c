/*
 * harness/main.c - grader-side driver of the half_copy exercise.
 *
 * Linked with the student's half_copy.c, so it only reports what it saw and
 * never judges: the grader compares the output files with its own input.
 *
 *   harness SRC DST1 DST2
 *
 * Calls half_copy(SRC, DST1, DST2) once, writes the marker "exit half_copy"
 * right after it returns (checks: "every child reaped before this marker"),
 * then prints "half_copy returned R".  A child that returns from half_copy
 * instead of exiting prints that line a second time.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "half_copy.h"
#include "harness.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s SRC DST1 DST2\n", argv[0]);
		return 2;
	}
	int r = half_copy(argv[1], argv[2], argv[3]);
	trace_marker("exit half_copy\n");
	printf("half_copy returned %d\n", r);
	return 0;
}
