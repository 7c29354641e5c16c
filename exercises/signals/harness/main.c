/*
 * harness/main.c - grader-side driver of the signals exercise.
 *
 * Linked with the student's signals.c, it reports and never judges:
 *
 *   harness ALARM_S
 *
 * makes stdout line-buffered (each line is written as it is printed, so
 * the grader can send a signal right after "ready" is written), writes the
 * marker "enter signal_service", calls signal_service(ALARM_S), writes the
 * marker "exit signal_service" and prints "signal_service returned R" on
 * stderr.  The grader sends the signals (the spec's send:) and judges
 * the output, the handlers, the alarm and the time in between.
 */
#include <stdio.h>
#include <stdlib.h>
#include "signals.h"
#include "harness.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s ALARM_S\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	trace_marker("enter signal_service\n");
	int r = signal_service((unsigned)atoi(argv[1]));
	trace_marker("exit signal_service\n");
	fflush(stdout);
	fprintf(stderr, "signal_service returned %d\n", r);
	return 0;
}
