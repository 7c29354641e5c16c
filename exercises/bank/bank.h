/*
 * bank.h - the contract of the bank exercise (do not edit).
 *
 * A bank account whose balance lives in memory shared with the processes
 * forked after it was created, and is protected by a lock that works
 * across processes.  Deposits and withdrawals may run in several processes
 * at once and no update may be lost.  There is no overdraft check: the
 * balance may go negative.
 *
 *   account_create(initial)   a new account holding initial; NULL on error.
 *                             Children forked afterwards use the same
 *                             account through the same pointer.
 *   account_deposit(a, x)     balance += x, atomically with respect to
 *                             every other process using a.
 *   account_withdraw(a, x)    balance -= x, likewise.
 *   account_balance(a)        the current balance.
 *   account_destroy(a)        release it (called once, by the process that
 *                             created it, after the others are done).
 *
 *   bank_run(initial, deposits, nd, withdrawals, nw)
 *       creates an account holding initial, makes the nd deposits in one
 *       child and the nw withdrawals in another child, both children
 *       running at the same time, reaps both, and returns the final balance
 *       (then destroys the account).  Returns LONG_MIN on any failure
 *       (account_create or fork fails, a child fails); even then every
 *       child created has been reaped.
 */
#ifndef BANK_H
#define BANK_H

#include <stddef.h>

struct account;

struct account *account_create(long initial);
void account_deposit(struct account *a, long amount);
void account_withdraw(struct account *a, long amount);
long account_balance(struct account *a);
void account_destroy(struct account *a);

long bank_run(long initial, const long *deposits, size_t ndeposits,
	      const long *withdrawals, size_t nwithdrawals);

#endif
