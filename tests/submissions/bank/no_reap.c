// expect: bank_run children overlap and are reaped => wrong answer [processes]
// expect: bank_run: second fork fails => wrong answer [processes]
// The children report "done" through a pipe and bank_run never calls waitpid(): two zombies are left.
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

static pid_t start_child(struct account *a, int gate[2], int done, const long *v, size_t n, int sign)
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
	if (write(done, "d", 1) != 1)
		_exit(1);
	_exit(0);
}

long bank_run(long initial, const long *deposits, size_t ndeposits,
	      const long *withdrawals, size_t nwithdrawals)
{
	int gate[2], done[2];
	char buf[2];
	long result = LONG_MIN;
	struct account *a = account_create(initial);
	if (!a || pipe(gate) < 0 || pipe(done) < 0)
		return LONG_MIN;
	pid_t dep = start_child(a, gate, done[1], deposits, ndeposits, +1);
	pid_t wdr = dep < 0 ? -1 : start_child(a, gate, done[1], withdrawals, nwithdrawals, -1);
	close(gate[0]);
	close(done[1]);
	if (wdr >= 0 && write(gate[1], "gg", 2) == 2) {
		/* wait for two "done" bytes instead of waitpid() */
		if (read(done[0], buf, 1) == 1 && read(done[0], buf + 1, 1) == 1)
			result = account_balance(a);
	}
	close(gate[1]);
	close(done[0]);
	account_destroy(a);
	return result;
}
