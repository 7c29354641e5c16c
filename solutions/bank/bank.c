/*
 * bank.c - reference solution: the account (balance and a POSIX semaphore
 * used as a lock) lives in one shared anonymous mapping, so every process
 * forked after account_create() sees the same balance and the same lock.
 * bank_run starts both children behind a barrier so that they really run
 * at the same time, then reaps them.
 */
#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bank.h"

struct account {
	sem_t lock;         /* pshared = 1: works across processes */
	long balance;
};

struct account *account_create(long initial)
{
	struct account *a = mmap(NULL, sizeof *a, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return NULL;
	if (sem_init(&a->lock, 1, 1) < 0) {
		munmap(a, sizeof *a);
		return NULL;
	}
	a->balance = initial;
	return a;
}

static void lock(struct account *a)
{
	while (sem_wait(&a->lock) < 0 && errno == EINTR)
		;
}

static void unlock(struct account *a)
{
	sem_post(&a->lock);
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
	sem_destroy(&a->lock);
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
