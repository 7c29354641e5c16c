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
#include <sys/syscall.h>
#include <unistd.h>
#include "half_copy.h"

/* The marker fd of grader/trace.h; open in the sandbox, maybe not by hand. */
#ifndef TRACE_MARKER_FD
#define TRACE_MARKER_FD 1021
#endif

/* A marker line for the tracer (grader/trace.h).  The grader counts only
   the lines written by the `syscall` instruction of this very function
   (found by its name in the executable), so that code outside the harness
   cannot forge them: keep it static and keep its name. */
static __attribute__((noinline, noipa)) void trace_marker(const char *line)
{
#ifdef __x86_64__
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_write), "D"((long)TRACE_MARKER_FD), "S"(line), "d"(strlen(line))
			 : "rcx", "r11", "memory");
	(void)ret;  /* -EBADF when run by hand: no tracer, no markers */
#else
	ssize_t n = write(TRACE_MARKER_FD, line, strlen(line));
	(void)n;
#endif
}

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
