/*
 * sandbox_true.c - bench driver: run a command in the sandbox (default
 * /bin/true), as the grader would, and exit with its status.
 *
 *   sandbox_true [-n N] [-q] [-- CMD ARGS...]
 *
 * With -n N it runs N times in one process and prints the mean time of one
 * run (the launch cost without the process start-up and the one-time tier
 * probe).  Used by bench/bench_sandbox.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sandbox.h"
#include "util.h"

int main(int argc, char **argv)
{
	char *def[] = {"/bin/true", NULL};
	char *const *cmd = def;
	struct sandbox_cmd c;
	struct run r;
	long n = 1;
	bool quiet = false;
	char *wd;
	double t0;
	int i, status = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = atol(argv[++i]);
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
		printf("%s tier: %.3f ms per run (%ld runs)\n", sandbox_probe()->name,
		       (now_ms() - t0) / n, n);
	rm_rf(wd);
	free(wd);
	return status;
}
