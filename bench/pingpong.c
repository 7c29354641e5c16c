/*
 * pingpong.c - the tracer benchmark's workload: PAIRS pairs of processes,
 * each pair bouncing one byte ROUNDS times over two pipes (a round trip is
 * a write and a read on each side).  Nothing here is traced by the tracer's
 * filter except the forks, the pipes and the waits, so a traced run should
 * cost what a bare one does.
 *
 *   pingpong [PAIRS [ROUNDS]]      (default 4 pairs, 20000 round trips)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void bounce(int in, int out, long rounds, int serve)
{
	char c = 'x';
	for (long i = 0; i < rounds; i++) {
		if (!serve && write(out, &c, 1) != 1)
			_exit(1);
		if (read(in, &c, 1) != 1)
			_exit(1);
		if (serve && write(out, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int pairs = argc > 1 ? atoi(argv[1]) : 4;
	long rounds = argc > 2 ? atol(argv[2]) : 20000;
	int st, failed = 0;

	for (int p = 0; p < pairs; p++) {
		int ab[2], ba[2];
		if (pipe(ab) < 0 || pipe(ba) < 0)
			return 2;
		if (fork() == 0) {
			close(ab[1]);
			close(ba[0]);
			bounce(ab[0], ba[1], rounds, 1);
		}
		if (fork() == 0) {
			close(ab[0]);
			close(ba[1]);
			bounce(ba[0], ab[1], rounds, 0);
		}
		close(ab[0]);
		close(ab[1]);
		close(ba[0]);
		close(ba[1]);
	}
	while (wait(&st) > 0)
		failed |= !WIFEXITED(st) || WEXITSTATUS(st);
	if (failed)
		fprintf(stderr, "pingpong: a pair failed\n");
	return failed;
}
