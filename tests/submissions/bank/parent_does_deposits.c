// expect: bank_run children overlap and are reaped => wrong answer [processes]
// expect: bank_run: second fork fails => wrong answer [stdout]
// bank_run makes the deposits in the parent and forks only one child, for the withdrawals.
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bank.h"

struct account {
	sem_t lock;
	long balance;
};

struct account *account_create(long initial)
{
	struct account *a = mmap(NULL, sizeof *a, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED || sem_init(&a->lock, 1, 1) < 0)
		return NULL;
	a->balance = initial;
	return a;
}

void account_deposit(struct account *a, long amount)
{
	sem_wait(&a->lock);
	a->balance += amount;
	sem_post(&a->lock);
}

void account_withdraw(struct account *a, long amount)
{
	sem_wait(&a->lock);
	a->balance -= amount;
	sem_post(&a->lock);
}

long account_balance(struct account *a)
{
	sem_wait(&a->lock);
	long b = a->balance;
	sem_post(&a->lock);
	return b;
}

void account_destroy(struct account *a)
{
	sem_destroy(&a->lock);
	munmap(a, sizeof *a);
}

long bank_run(long initial, const long *deposits, size_t ndeposits,
	      const long *withdrawals, size_t nwithdrawals)
{
	int status;
	long result = LONG_MIN;
	struct account *a = account_create(initial);
	if (!a)
		return LONG_MIN;
	pid_t wdr = fork();
	if (wdr == 0) {
		for (size_t i = 0; i < nwithdrawals; i++)
			account_withdraw(a, withdrawals[i]);
		_exit(0);
	}
	if (wdr < 0)
		goto out;
	for (size_t i = 0; i < ndeposits; i++)     /* in the parent */
		account_deposit(a, deposits[i]);
	if (waitpid(wdr, &status, 0) == wdr && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		result = account_balance(a);
out:
	account_destroy(a);
	return result;
}
