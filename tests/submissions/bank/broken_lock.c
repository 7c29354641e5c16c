// expect: four processes hammer one account => wrong answer [stdout]
// expect: bank_run under provoked interleaving => wrong answer [stdout]
// A home-made lock: "wait while busy, then set busy" is two steps, so two processes can both see it free and both enter.
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bank.h"

struct account {
	volatile int busy;  /* the "lock": tested, then set, in two steps */
	long balance;
};

struct account *account_create(long initial)
{
	struct account *a = mmap(NULL, sizeof *a, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return NULL;
	a->busy = 0;
	a->balance = initial;
	return a;
}

static void lock(struct account *a)
{
	while (a->busy)
		sched_yield();
	a->busy = 1;        /* another process may have got here too */
}

static void unlock(struct account *a)
{
	a->busy = 0;
}

void account_deposit(struct account *a, long amount)
{
	lock(a);
	a->balance += amount;
	unlock(a);
}

void account_withdraw(struct account *a, long amount)
{
	lock(a);
	a->balance -= amount;
	unlock(a);
}

long account_balance(struct account *a)
{
	lock(a);
	long b = a->balance;
	unlock(a);
	return b;
}

void account_destroy(struct account *a)
{
	munmap(a, sizeof *a);
}

/* A child that waits for the go byte, applies amounts, and exits. */
static pid_t start_child(struct account *a, int gate[2], const long *v, size_t n, int sign)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	char go;
	close(gate[1]);
	ssize_t r;
	while ((r = read(gate[0], &go, 1)) < 0 && errno == EINTR)
		;
	if (r != 1)                 /* the parent gave up: do nothing */
		_exit(1);
	for (size_t i = 0; i < n; i++) {
		if (sign > 0)
			account_deposit(a, v[i]);
		else
			account_withdraw(a, v[i]);
	}
	_exit(0);
}

static int reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

long bank_run(long initial, const long *deposits, size_t ndeposits,
	      const long *withdrawals, size_t nwithdrawals)
{
	int gate[2];
	long result = LONG_MIN;
	struct account *a = account_create(initial);
	if (!a)
		return LONG_MIN;
	if (pipe(gate) < 0)
		goto out;
	pid_t dep = start_child(a, gate, deposits, ndeposits, +1);
	pid_t wdr = dep < 0 ? -1 : start_child(a, gate, withdrawals, nwithdrawals, -1);
	close(gate[0]);
	if (wdr >= 0 && write(gate[1], "gg", 2) != 2) {
		close(gate[1]);     /* the children read EOF and give up */
		reap(dep);
		reap(wdr);
		goto out;
	}
	close(gate[1]);             /* on a failed fork: EOF, the child gives up */
	int ok = dep >= 0 && wdr >= 0;
	if (dep >= 0 && reap(dep) < 0)
		ok = 0;
	if (wdr >= 0 && reap(wdr) < 0)
		ok = 0;
	if (ok)
		result = account_balance(a);
out:
	account_destroy(a);
	return result;
}
