/*
 * sandbox_true.c - bench driver: run a command in the sandbox (default
 * /bin/true), as the grader would, and exit with its status.
 *
 *   sandbox_true [-t TIER] [-n N] [-q] [-- CMD ARGS...]
 *
 * -t TIER sets GRADER_SANDBOX (basic, userns, root) before the probe: the
 * bench runs it without an `env` in front, whose exec would cost as much
 * as the run itself.
 * With -n N it runs N times in one process and prints the mean time of one
 * run (the launch cost without the process start-up and the one-time tier
 * probe), wall and CPU (user + system of this process and of everything
 * it waited for: less sensitive to a busy machine).  Used by
 * bench/bench_sandbox.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "sandbox.h"
#include "util.h"

static double cpu_ms(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return (self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec +
		kids.ru_stime.tv_sec) * 1e3 +
	       (self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec +
		kids.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
	char *def[] = {"/bin/true", NULL};
	char *const *cmd = def;
	struct sandbox_cmd c;
	struct run r;
	long n = 1;
	bool quiet = false;
	char *wd;
	double t0, c0;
	int i, status = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = atol(argv[++i]);
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			setenv("GRADER_SANDBOX", argv[++i], 1);
		else if (!strcmp(argv[i], "-q"))
			quiet = true;
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
	}
	if (i < argc)
		cmd = argv + i;
	wd = make_temp_dir("bench");
	if (!wd) {
		fprintf(stderr, "sandbox_true: %s\n", error_get());
		return 2;
	}
	memset(&c, 0, sizeof(c));
	c.argv = cmd;
	c.workdir = wd;
	c.marker_fd = -1;
	c.limits = (struct limits){.cpu_ms = 2000, .wall_ms = 7000, .memory = 256L << 20,
				   .processes = 64, .output = 64L << 10,
				   .file_size = 64L << 20, .open_files = 64};
	sandbox_probe();
	t0 = now_ms();
	c0 = cpu_ms();
	for (long k = 0; k < n; k++) {
		if (sandbox_run(&c, &r) < 0) {
			fprintf(stderr, "sandbox_true: %s\n", error_get());
			rm_rf(wd);
			return 2;
		}
		status = r.outcome == OUT_EXITED ? r.exit_code : 1;
		run_free(&r);
	}
	if (n > 1 && !quiet)
		printf("%-14s tier: %6.2f ms per run, cpu %6.2f ms (%ld runs)\n",
		       sandbox_probe()->name, (now_ms() - t0) / n, (cpu_ms() - c0) / n, n);
	rm_rf(wd);
	free(wd);
	return status;
}
