// expect: bank_run children overlap and are reaped => wrong answer [processes]
// bank_run waits for the deposit child before it forks the withdrawal child: the two never run at the same time.
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

static pid_t run_child(struct account *a, const long *v, size_t n, int sign)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
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
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

long bank_run(long initial, const long *deposits, size_t ndeposits,
	      const long *withdrawals, size_t nwithdrawals)
{
	long result = LONG_MIN;
	struct account *a = account_create(initial);
	if (!a)
		return LONG_MIN;
	pid_t dep = run_child(a, deposits, ndeposits, +1);
	if (dep < 0 || reap(dep) < 0)           /* waits before the second fork */
		goto out;
	pid_t wdr = run_child(a, withdrawals, nwithdrawals, -1);
	if (wdr < 0 || reap(wdr) < 0)
		goto out;
	result = account_balance(a);
out:
	account_destroy(a);
	return result;
}
