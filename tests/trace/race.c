/* race: two children add 1 to a shared counter N times each, with a
   separate load and store (compiled -O0), so a switch between them loses
   updates.  "race sem" guards the update with a process-shared semaphore;
   "race pipe" too, and the children also say "done" through a pipe that
   the parent reads before it waits (a SIGCHLD lands while the parent is
   being stepped: this once stalled the scheduler).  Prints the final count
   (and writes it as the marker "count N" on fd 1021); exit 0 if it is 2N,
   1 if updates were lost.  "race calls" does the plain update through
   control flow a run of steps must follow exactly: calls into the text,
   recursion, returns, a switch (a jump table: an indirect jump) and a
   counted loop.  "race threads": in each child two threads add 1 to a
   global of the child N times each (a global is shared by threads, and
   reached rip-relative, not through a pointer), and the children add up
   their globals: the count is then 4N; "race threads_sem" too, with a
   semaphore of the child around the update (the threads wait at the same
   call: one int3 for both).  "race vfork": the parent vforks a
   child that stores and _exits, runs /bin/true through vfork() and exec,
   forks one child that adds, runs /bin/true again, then adds too (a vfork
   child and its parent return from vfork() to the same place, in memory
   they share): 5 processes.

     race [plain|sem|pipe|calls|threads|threads_sem|vfork] [N]    (default plain, 50) */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
	sem_t lock;
	volatile long count;
	volatile long part[2];
};

static volatile long global_count;      /* the threads' of a child */
static long thread_n;
static sem_t *thread_lock;              /* "threads_sem": a lock of the child */

static void add(struct shared *s, long n, int locked)
{
	for (long i = 0; i < n; i++) {
		if (locked)
			sem_wait(&s->lock);
		long v = s->count;
		v = v + 1;
		s->count = v;
		if (locked)
			sem_post(&s->lock);
	}
}

static long load(volatile long *p) { return *p; }
static void store(volatile long *p, long v) { *p = v; }

/* 1 by a detour: recursion down to depth, and a switch */
static long one(int depth)
{
	if (depth > 0)
		return one(depth - 1);
	switch (depth & 7) {
	case 0: return 1;
	case 1: return 2;
	case 2: return 3;
	case 3: return 4;
	case 4: return 5;
	default: return 6;
	}
}

static void add_by_calls(struct shared *s, long n)
{
	for (long i = 0; i < n; i++) {
		long v = load(&s->count), spin = 0;
		for (int k = 0; k < (int)(i % 3); k++)
			spin += k;
		store(&s->count, v + one((int)(i % 4)) + spin - spin);
	}
}

/* A vfork child stores into the memory it shares with the parent and
   _exits: nothing is compiled after the call to _exit, so its return
   address is the first instruction of the parent's way on.  6 */
static volatile int vfork_x;

static int vfork_store(void)
{
	pid_t v = vfork();

	if (v == 0) {
		vfork_x = 1;
		_exit(0);
	}
	int y = vfork_x + 5;
	waitpid(v, NULL, 0);
	return y;
}

/* /bin/true through vfork() and exec */
static void run_true(void)
{
	pid_t v = vfork();

	if (v == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(v, NULL, 0);
}

static void *add_global(void *arg)
{
	for (long i = 0; i < thread_n; i++) {
		if (thread_lock)
			sem_wait(thread_lock);
		long v = global_count;
		v = v + 1;
		global_count = v;
		if (thread_lock)
			sem_post(thread_lock);
	}
	pthread_exit(arg);      /* a call that never returns to the text */
}

/* Right after add_global: where the return address of its pthread_exit
   call points (nothing is compiled after a call that does not return). */
static long after_threads(long v)
{
	for (int i = 0; i < 4; i++)
		v = v + 0;
	return v;
}

static void add_by_threads(struct shared *s, int c, long n)
{
	pthread_t t[2];

	thread_n = n;
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, add_global, NULL) != 0)
			_exit(2);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	s->part[c] = after_threads(global_count);
}

int main(int argc, char **argv)
{
	int piped = argc > 1 && !strcmp(argv[1], "pipe");
	int locked = piped || (argc > 1 && !strcmp(argv[1], "sem"));
	int calls = argc > 1 && !strcmp(argv[1], "calls");
	int threads = argc > 1 && !strncmp(argv[1], "threads", 7);
	sem_t child_lock;

	if (argc > 1 && !strcmp(argv[1], "threads_sem")) {
		sem_init(&child_lock, 0, 1);    /* threads only: copied by fork */
		thread_lock = &child_lock;
	}
	int vforked = argc > 1 && !strcmp(argv[1], "vfork");
	int done[2];
	char b;
	long n = argc > 2 ? atol(argv[2]) : 50;
	struct shared *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sem_init(&s->lock, 1, 1);
	s->count = 0;
	if (pipe(done) < 0)
		return 2;
	if (vforked) {
		if (vfork_store() != 6)
			return 3;       /* the parent joins the schedule here */
		run_true();
		if (fork() == 0) {
			add(s, n, 0);
			_exit(0);
		}
		run_true();             /* and now vforks in it */
		add(s, n, 0);
	}
	for (int c = 0; c < 2 && !vforked; c++)
		if (fork() == 0) {
			if (threads)
				add_by_threads(s, c, n);
			else if (calls)
				add_by_calls(s, n);
			else
				add(s, n, locked);
			if (piped && write(done[1], "d", 1) != 1)
				_exit(1);
			_exit(0);
		}
	close(done[1]);
	for (int c = 0; piped && c < 2; c++)
		if (read(done[0], &b, 1) != 1)
			return 2;
	while (wait(NULL) > 0)
		;
	long count = threads ? s->part[0] + s->part[1] : s->count;
	printf("%ld\n", count);
	dprintf(1021, "count %ld\n", count);
	return count == (threads ? 4 : 2) * n ? 0 : 1;
}
