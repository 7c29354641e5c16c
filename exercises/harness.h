/*
 * harness.h - what every exercise's harness shares: the tracer's markers.
 *
 * A marker is a line the harness writes for the grader (not for the
 * student's output): "enter 3", "exit pool_join".  Checks read them from
 * the trace (`markers`, `order`, `processes: {reaped_before: ...}`).
 *
 * The grader counts only the lines written by the `syscall` instruction of
 * the harness's static function trace_marker, found by that name in the
 * built program's symbol table, so a student's write() to the marker fd
 * cannot forge one (it is dropped and counted).  Hence: include this file
 * from the harness only (one translation unit), and keep the function's
 * name, `static`, noinline/noipa and the inline instruction.
 *
 * The grader stages this file next to every build (grader/stage.c); in a
 * harness write `#include "harness.h"`.
 */
#ifndef EXERCISE_HARNESS_H
#define EXERCISE_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The marker fd of grader/trace.h; open in the sandbox, maybe not by hand. */
#ifndef TRACE_MARKER_FD
#define TRACE_MARKER_FD 1021
#endif

/* Write one marker line (with its '\n').  When run by hand there is no
   tracer and no marker fd: the write fails with EBADF, harmlessly. */
static __attribute__((noinline, noipa, unused)) void trace_marker(const char *line)
{
#ifdef __x86_64__
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_write), "D"((long)TRACE_MARKER_FD), "S"(line), "d"(strlen(line))
			 : "rcx", "r11", "memory");
	(void)ret;
#else
	ssize_t n = write(TRACE_MARKER_FD, line, strlen(line));
	(void)n;
#endif
}

/* A marker from a format: trace_markerf("enter %zu", i).  The '\n' is
   added; a line is cut at 255 bytes. */
static __attribute__((format(printf, 1, 2), unused)) void trace_markerf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n] = '\n';
	line[n + 1] = '\0';
	trace_marker(line);
}

#endif
