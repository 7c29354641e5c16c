/*
 * signals.c - your solution: handlers, ignoring, an alarm, sleeping
 * between signals.  The contract is in signals.h; README.md explains the
 * task.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "signals.h"

int signal_service(unsigned alarm_s)
{
	/* TODO: install the handlers (they only set flags), ignore SIGINT,
	   print "ready", ask for the alarm once, then sleep until a signal
	   comes (without losing one that arrives just before you sleep) and
	   print what happened, until SIGALRM or SIGTERM ends it. */
	(void)alarm_s;
	printf("ready\n");
	return -1;
}
