/*
 * signals.h - the contract of the signals exercise (do not edit).
 *
 * Handlers, ignoring, an alarm, and sleeping between signals.
 *
 *   - signal_service(alarm_s) installs its handlers first, then prints
 *       ready\n
 *     From then on:
 *   - SIGINT is ignored.
 *   - On each SIGUSR1 it prints  usr1 N\n  (N counts from 1).
 *   - It asks for SIGALRM in alarm_s seconds (1 <= alarm_s <= 5) with
 *     alarm(), once.  When SIGALRM arrives it prints  alarm\n  and returns
 *     the number of SIGUSR1 received.
 *   - On SIGTERM it prints  term\n  and returns -1 at once.
 *   - Handlers only set flags (volatile sig_atomic_t); the printing happens
 *     outside them.  Between signals it sleeps (sigsuspend or pause), never
 *     polls, and no signal is lost: one that arrives while it is about to
 *     sleep still wakes it.
 *
 * Lines go to standard output as they happen (the harness makes stdout
 * line-buffered; printf and write both do).
 */
#ifndef SIGNALS_H
#define SIGNALS_H

int signal_service(unsigned alarm_s);

#endif
