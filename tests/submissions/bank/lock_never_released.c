// expect: one process => time limit (wall) []
// expect: a forked child updates the account => wrong answer [stdout]
// expect: four processes hammer one account => wrong answer [stdout]
// expect: bank_run children overlap and are reaped => time limit (wall) []
// expect: bank_run under provoked interleaving => time limit (wall) []
// expect-message: bank_run under provoked interleaving => child #1 (of the program) is waiting on a futex in shared memory
// expect-message: one process => the program is waiting on a futex
// account_withdraw never releases the lock: the next operation waits for ever.
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

/* Both children wait on a pipe until both exist, so that they overlap. */
static pid_t start_child(struct account *a, int gate[2], const long *v, size_t n, int sign)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	char go;
	close(gate[1]);
	if (read(gate[0], &go, 1) != 1)
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
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

long bank_run(long initial, const long *deposits, size_t ndeposits,
	      const long *withdrawals, size_t nwithdrawals)
{
	int gate[2];
	long result = LONG_MIN;
	struct account *a = account_create(initial);
	if (!a || pipe(gate) < 0)
		return LONG_MIN;
	pid_t dep = start_child(a, gate, deposits, ndeposits, +1);
	pid_t wdr = dep < 0 ? -1 : start_child(a, gate, withdrawals, nwithdrawals, -1);
	close(gate[0]);
	if (wdr >= 0 && write(gate[1], "gg", 2) != 2)
		wdr = -1;
	close(gate[1]);
	int ok = dep >= 0 && wdr >= 0;
	if (dep >= 0 && reap(dep) < 0)
		ok = 0;
	if (wdr >= 0 && reap(wdr) < 0)
		ok = 0;
	if (ok)
		result = account_balance(a);
	account_destroy(a);
	return result;
}
