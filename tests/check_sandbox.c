/*
 * check_sandbox.c - the sandbox: captures, limits, outcomes, tiers, and the
 * hostile submissions of tests/hostile/.
 *
 * Every hostile program opens with a comment saying what it attacks and
 * what it must get:
 *   expect:  alternatives separated by '|': an outcome name ("time limit
 *            (cpu)"), "exited", "exited N", "not exited 0", "signal SIGKILL",
 *            "forbidden system call socket(AF_INET)"
 *   within:  seconds the whole run may take
 *   args:    NAME (a unique file name), PORT (a listener on 127.0.0.1),
 *            SECRET_PATH (a planted secret file)
 *   compile: yes - the attack is on the compiler: the file is compiled in
 *            the sandbox and the compile must fail (expect applies to it)
 * and every one of them is also checked for: no process left (each run
 * carries a unique token in its argv), no file created outside its
 * workdir, the planted secret never in its output, the listener never
 * connected to.  The tier is the strongest available, or GRADER_SANDBOX
 * (tests/run_hostile.sh runs this suite once per tier).
 */
#include <check.h>
#include <arpa/inet.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "sandbox.h"
#include "sandbox_internal.h"
#include "trace.h"
#include "util.h"

#define HOSTILE_DIR "tests/hostile"

static struct limits test_limits(void)
{
	struct limits l = {
		.cpu_ms = 1000, .wall_ms = 5000, .memory = 64L << 20, .processes = 32,
		.output = 64L << 10, .file_size = 16L << 20, .open_files = 64,
	};
	return l;
}

static struct limits compile_limits(void)
{
	struct limits l = {
		.cpu_ms = 5000, .wall_ms = 15000, .memory = 256L << 20, .processes = 32,
		.output = 64L << 10, .file_size = 64L << 20, .open_files = 256,
	};
	return l;
}

/* Run argv in a fresh scratch dir holding the given files (NULL-terminated
   name/content pairs).  The dir is returned in *dir (caller removes). */
static int run_in(char *const *argv, struct limits lim, const char *const *files,
		  const char *stdin_path, struct run *r, char **dir)
{
	struct sandbox_cmd c;
	char *wd = make_temp_dir("sbxtest");
	int rc;

	ck_assert_ptr_nonnull(wd);
	for (size_t i = 0; files && files[i]; i += 2) {
		char *p = path_join(wd, files[i]);
		ck_assert_int_eq(file_write(p, files[i + 1], strlen(files[i + 1]), 0644), 0);
		free(p);
	}
	memset(&c, 0, sizeof(c));
	c.argv = argv;
	c.workdir = wd;
	c.stdin_path = stdin_path;
	c.limits = lim;
	c.marker_fd = -1;
	rc = sandbox_run(&c, r);
	if (dir)
		*dir = wd;
	else {
		rm_rf(wd);
		free(wd);
	}
	return rc;
}

static char *sh(const char *script, struct limits lim, struct run *r)
{
	char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
	char *dir;

	ck_assert_msg(run_in(argv, lim, NULL, NULL, r, &dir) == 0, "sandbox_run: %s", error_get());
	return dir;
}

/* ---- unit tests ---- */

START_TEST(test_outcome_names)
{
	ck_assert_str_eq(outcome_name(OUT_EXITED), "exited");
	ck_assert_str_eq(outcome_name(OUT_TIME_CPU), "time limit (cpu)");
	ck_assert_str_eq(outcome_name(OUT_TIME_WALL), "time limit (wall)");
	ck_assert_str_eq(outcome_name(OUT_MEMORY), "memory limit");
	ck_assert_str_eq(outcome_name(OUT_OUTPUT), "output limit");
	ck_assert_str_eq(outcome_name(OUT_PROCESSES), "process limit");
	ck_assert_str_eq(outcome_name(OUT_FORBIDDEN), "forbidden system call");
	ck_assert_str_eq(outcome_name(OUT_FILE_SIZE), "file size limit");
	ck_assert_str_eq(outcome_name((enum outcome)99), "unknown");
	/* the resource limits; a forbidden call is not one */
	ck_assert(outcome_is_limit(OUT_TIME_CPU) && outcome_is_limit(OUT_TIME_WALL) &&
		  outcome_is_limit(OUT_MEMORY) && outcome_is_limit(OUT_OUTPUT) &&
		  outcome_is_limit(OUT_PROCESSES) && outcome_is_limit(OUT_FILE_SIZE));
	ck_assert(!outcome_is_limit(OUT_EXITED) && !outcome_is_limit(OUT_SIGNALED) &&
		  !outcome_is_limit(OUT_FORBIDDEN));
}
END_TEST

START_TEST(test_capture_text)
{
	struct capture c;
	char *s;

	memset(&c, 0, sizeof(c));
	buf_adds(&c.head, "abc");
	c.total = 3;
	s = capture_text(&c);
	ck_assert_str_eq(s, "abc");
	free(s);
	buf_adds(&c.tail, "xyz");
	c.total = 100;
	c.truncated = true;
	s = capture_text(&c);
	ck_assert_str_eq(s, "abc\n[... 94 bytes cut ...]\nxyz");
	free(s);
	buf_free(&c.head);
	buf_free(&c.tail);
}
END_TEST

START_TEST(test_probe)
{
	const struct sandbox_info *i = sandbox_probe();
	const char *forced = getenv("GRADER_SANDBOX");

	ck_assert_ptr_eq(i, sandbox_probe());       /* cached */
	ck_assert_ptr_nonnull(i->name);
	if (i->tier == SANDBOX_ROOT)
		ck_assert_str_eq(i->name, "root");
	if (i->tier == SANDBOX_USERNS)
		ck_assert_str_eq(i->name, "user namespace");
	if (i->tier == SANDBOX_BASIC)
		ck_assert_str_eq(i->name, "basic");
	if (forced && !strcmp(forced, "basic"))
		ck_assert_int_eq(i->tier, SANDBOX_BASIC);
	if (i->tier != SANDBOX_ROOT)
		ck_assert_msg(i->missing[0], "a weaker tier must say what it lacks");
}
END_TEST

/* A classic BPF interpreter, enough for seccomp filters: the filter's
   action for d (an instruction it does not know fails the test). */
static uint32_t bpf_run(const struct sock_fprog *p, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};
	const unsigned char *data = (const unsigned char *)d;

	for (unsigned pc = 0; pc < p->len; pc++) {
		const struct sock_filter *f = &p->filter[pc];
		uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			ck_assert_msg(BPF_MODE(f->code) == BPF_ABS || BPF_MODE(f->code) == BPF_MEM,
				      "insn %u: ld mode %#x", pc, f->code);
			if (BPF_MODE(f->code) == BPF_MEM) {
				a = mem[f->k];
				break;
			}
			ck_assert_uint_le(f->k + 4, sizeof(*d));
			memcpy(&a, data + f->k, 4);
			break;
		case BPF_LDX:
			ck_assert_int_eq(BPF_MODE(f->code), BPF_MEM);
			x = mem[f->k];
			break;
		case BPF_ST:
			mem[f->k] = a;
			break;
		case BPF_STX:
			mem[f->k] = x;
			break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			default: ck_abort_msg("insn %u: alu op %#x", pc, f->code);
			}
			break;
		case BPF_JMP:
			switch (BPF_OP(f->code)) {
			case BPF_JA: pc += f->k; break;
			case BPF_JEQ: pc += a == src ? f->jt : f->jf; break;
			case BPF_JGT: pc += a > src ? f->jt : f->jf; break;
			case BPF_JGE: pc += a >= src ? f->jt : f->jf; break;
			case BPF_JSET: pc += a & src ? f->jt : f->jf; break;
			default: ck_abort_msg("insn %u: jmp op %#x", pc, f->code);
			}
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			ck_abort_msg("insn %u: class %#x", pc, f->code);
		}
	}
	ck_abort_msg("the filter ran off its end");
	return 0;
}

/* The untraced filter is written by hand (libseccomp's compiler is slow):
   it must decide exactly as libseccomp's compilation of the same rules,
   for every call number, on every architecture, and for the arguments
   that matter (both halves of 64-bit arguments). */
START_TEST(test_seccomp_filter_matches_libseccomp)
{
	static const uint64_t args[] = {
		0, 1, 2, 10, 16, 0x100000001ULL, 0xffffffffULL, 0xffffffffffffffffULL,
		0x7fffffffULL, 0x80000000ULL, 0x11, 0x01200011, 0x3d0f00,
		0x10000000, 0x20000, 0x20000000, 0x40000000, 0x4000000, 0x8000000,
		0x2000000, 0x80, 0x100000000ULL, 0xffffffff00000000ULL,
	};
	static const uint32_t arches[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386,
					   AUDIT_ARCH_AARCH64, 0};
	struct sandbox_cmd c;
	struct sbx_plan p;
	long checked = 0;

	memset(&c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	p.cmd = &c;
	for (int variant = 0; variant < 2; variant++) {
		struct sock_fprog mine, theirs;
		/* variant 1: the basic tier without Landlock: kill(-1) denied */
		p.tier = variant ? SANDBOX_BASIC : SANDBOX_ROOT;
		p.landlock = false;
		ck_assert_msg(sbx_seccomp_program(&p, 0, &mine) == 0, "%s", error_get());
		ck_assert_msg(sbx_seccomp_program(&p, 1, &theirs) == 0, "%s", error_get());
		for (size_t ai = 0; ai < ARRAY_SIZE(arches); ai++) {
			struct seccomp_data d;
			memset(&d, 0, sizeof(d));
			d.arch = arches[ai] ? arches[ai] : (uint32_t)seccomp_arch_native();
			for (long nr = -1; nr < 1100; nr++) {
				for (size_t k = 0; k < ARRAY_SIZE(args); k++) {
					uint32_t m, t;
					d.nr = (int)(nr < 1000 ? nr : 0x40000000 + nr - 1000);
					d.args[0] = args[k];
					d.args[1] = args[ARRAY_SIZE(args) - 1 - k];
					m = bpf_run(&mine, &d);
					t = bpf_run(&theirs, &d);
					ck_assert_msg(m == t, "arch %#x nr %d arg0 %#llx: mine %#x, libseccomp %#x",
						      d.arch, d.nr, (unsigned long long)d.args[0], m, t);
					checked++;
				}
			}
		}
		free(mine.filter);
		free(theirs.filter);
	}
	ck_assert_int_gt(checked, 100000);
}
END_TEST

START_TEST(test_echo_and_exit_code)
{
	struct run r;
	char *d = sh("echo hello; echo oops >&2; exit 3", test_limits(), &r);

	ck_assert_int_eq(r.outcome, OUT_EXITED);
	ck_assert_int_eq(r.exit_code, 3);
	ck_assert_str_eq(buf_str(&r.out.head), "hello\n");
	ck_assert_str_eq(buf_str(&r.err.head), "oops\n");
	ck_assert_uint_eq(r.out.total, 6);
	ck_assert(!r.out.truncated);
	ck_assert_ptr_eq(r.sandbox, sandbox_probe());
	ck_assert(r.wall_ms > 0 && r.wall_ms < 3000);
	ck_assert(r.processes >= 1);
	run_free(&r);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_signal)
{
	struct run r;
	char *d = sh("kill -SEGV $$", test_limits(), &r);

	ck_assert_int_eq(r.outcome, OUT_SIGNALED);
	ck_assert_int_eq(r.signal, SIGSEGV);
	run_free(&r);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_stdin_file)
{
	char *argv[] = {"cat", NULL};
	char *in = make_temp_dir("sbxin");
	char *path = path_join(in, "input");
	struct run r;

	ck_assert_int_eq(file_write(path, "line 1\nline 2\n", 14, 0600), 0);
	ck_assert_int_eq(run_in(argv, test_limits(), NULL, path, &r, NULL), 0);
	ck_assert_int_eq(r.outcome, OUT_EXITED);
	ck_assert_str_eq(buf_str(&r.out.head), "line 1\nline 2\n");
	run_free(&r);
	/* no stdin: /dev/null */
	ck_assert_int_eq(run_in(argv, test_limits(), NULL, NULL, &r, NULL), 0);
	ck_assert_uint_eq(r.out.total, 0);
	run_free(&r);
	rm_rf(in);
	free(in);
	free(path);
}
END_TEST

START_TEST(test_output_head_and_tail)
{
	struct limits l = test_limits();
	struct run r;
	char *d;
	char *text;

	l.output = 1000;
	/* 100 numbered lines of 20 bytes after 990 'a's: over the cap */
	d = sh("head -c 990 /dev/zero | tr '\\0' a; i=0; while [ $i -lt 100 ]; do "
	       "printf 'line %014d\\n' $i; i=$((i+1)); done", l, &r);
	ck_assert_int_eq(r.outcome, OUT_OUTPUT);
	ck_assert_uint_eq(r.out.head.len, 1000);
	ck_assert(r.out.truncated);
	ck_assert(r.out.total > 1000);
	ck_assert(r.out.tail.len > 0 && r.out.tail.len <= 250);
	text = capture_text(&r.out);
	ck_assert_ptr_nonnull(strstr(text, "aaaa"));
	free(text);
	run_free(&r);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_output_just_under_cap)
{
	struct limits l = test_limits();
	struct run r;
	char *d;

	l.output = 1000;
	d = sh("head -c 1000 /dev/zero | tr '\\0' b", l, &r);
	ck_assert_int_eq(r.outcome, OUT_EXITED);
	ck_assert_uint_eq(r.out.total, 1000);
	ck_assert(!r.out.truncated);
	run_free(&r);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_wall_limit)
{
	struct limits l = test_limits();
	struct run r;
	double t0 = now_ms();
	char *d;

	l.wall_ms = 500;
	d = sh("sleep 30", l, &r);
	ck_assert_int_eq(r.outcome, OUT_TIME_WALL);
	ck_assert(now_ms() - t0 < 3000);
	run_free(&r);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_cpu_limit)
{
	struct limits l = test_limits();
	struct run r;
	char *d;

	l.cpu_ms = 300;
	l.wall_ms = 5000;
	d = sh("while :; do :; done", l, &r);
	ck_assert_int_eq(r.outcome, OUT_TIME_CPU);
	ck_assert_msg(r.cpu_ms >= 250, "cpu %.0f ms", r.cpu_ms);
	run_free(&r);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_file_size_limit)
{
	struct limits l = test_limits();
	struct run r;
	char *d;

	l.file_size = 100000;
	d = sh("head -c 200000 /dev/zero > big", l, &r);
	ck_assert_msg(r.outcome == OUT_FILE_SIZE ||
		      (r.outcome == OUT_EXITED && r.exit_code != 0),
		      "outcome %s", outcome_name(r.outcome));
	run_free(&r);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_env_and_marker_fd)
{
	char *argv[] = {"/bin/sh", "-c",
			"echo \"$PATH|$HOME\"; readlink /proc/self/fd/1021", NULL};
	struct sandbox_cmd c;
	char *wd = make_temp_dir("sbxenv");
	struct run r;

	memset(&c, 0, sizeof(c));
	c.argv = argv;
	c.workdir = wd;
	c.limits = test_limits();
	c.marker_fd = 1021;
	ck_assert_int_eq(sandbox_run(&c, &r), 0);
	ck_assert_int_eq(r.outcome, OUT_EXITED);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.out.head), "/usr/bin"));
	ck_assert_ptr_nonnull(strstr(buf_str(&r.out.head), "/dev/null"));
	run_free(&r);
	rm_rf(wd);
	free(wd);
}
END_TEST

START_TEST(test_workdir_round_trip)
{
	const char *files[] = {"in.txt", "input\n", "gone.txt", "delete me\n", NULL};
	char *argv[] = {"/bin/sh", "-c",
			"cat in.txt > out.txt; rm gone.txt; mkdir -p sub/dir; "
			"echo deep > sub/dir/f; ln -s /etc/passwd link; pwd", NULL};
	struct run r;
	struct buf b = BUF_INIT;
	struct stat st;
	char *dir, *p;

	ck_assert_int_eq(run_in(argv, test_limits(), files, NULL, &r, &dir), 0);
	ck_assert_int_eq(r.outcome, OUT_EXITED);
	ck_assert_int_eq(r.exit_code, 0);
	p = path_join(dir, "out.txt");
	ck_assert_int_eq(file_read(p, &b), 0);
	ck_assert_str_eq(buf_str(&b), "input\n");
	free(p);
	p = path_join(dir, "gone.txt");
	ck_assert(!path_exists(p));
	free(p);
	p = path_join(dir, "sub/dir/f");
	ck_assert(path_exists(p));
	free(p);
	p = path_join(dir, "link");
	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));        /* copied as a link, not followed */
	free(p);
	buf_free(&b);
	run_free(&r);
	rm_rf(dir);
	free(dir);
}
END_TEST

START_TEST(test_setup_errors)
{
	char *argv[] = {"/bin/true", NULL};
	char *missing[] = {"no-such-program-here", NULL};
	struct sandbox_cmd c;
	struct run r;
	char *wd = make_temp_dir("sbxerr");

	memset(&c, 0, sizeof(c));
	c.argv = argv;
	c.workdir = "/nonexistent/dir";
	c.limits = test_limits();
	c.marker_fd = -1;
	ck_assert_int_eq(sandbox_run(&c, &r), -1);
	ck_assert_ptr_nonnull(strstr(error_get(), "workdir"));
	c.workdir = wd;
	c.argv = missing;
	ck_assert_int_eq(sandbox_run(&c, &r), -1);
	ck_assert_ptr_nonnull(strstr(error_get(), "not found"));
	c.argv = argv;
	c.stdin_path = "/nonexistent/stdin";
	ck_assert_int_eq(sandbox_run(&c, &r), -1);
	ck_assert_ptr_nonnull(strstr(error_get(), "stdin"));
	rm_rf(wd);
	free(wd);
}
END_TEST

START_TEST(test_processes_counted)
{
	struct run r;
	char *d = sh("/bin/true & /bin/true & /bin/true & wait", test_limits(), &r);

	ck_assert_int_eq(r.outcome, OUT_EXITED);
	if (r.sandbox->tier != SANDBOX_BASIC)
		ck_assert_msg(r.processes >= 4, "processes %ld", r.processes);
	run_free(&r);
	rm_rf(d);
	free(d);
}
END_TEST

/* The grader pins itself (and so the keeper) to one CPU during a run; the
   program must get the grader's own affinity back, and the grader too. */
START_TEST(test_cpu_affinity_restored)
{
	struct run r;
	cpu_set_t before, after;
	char want[64], *line;
	struct buf self = BUF_INIT;
	char *d;

	ck_assert_int_eq(sched_getaffinity(0, sizeof(before), &before), 0);
	ck_assert_int_eq(file_read("/proc/self/status", &self), 0);
	line = strstr(self.data, "Cpus_allowed_list:");
	ck_assert_ptr_nonnull(line);
	snprintf(want, sizeof(want), "%.*s", (int)strcspn(line, "\n"), line);
	d = sh("grep Cpus_allowed_list: /proc/self/status", test_limits(), &r);
	ck_assert_int_eq(r.outcome, OUT_EXITED);
	ck_assert_msg(strstr(buf_str(&r.out.head), want), "program has '%s', grader '%s'",
		      buf_str(&r.out.head), want);
	ck_assert_int_eq(sched_getaffinity(0, sizeof(after), &after), 0);
	ck_assert(CPU_EQUAL(&before, &after));
	run_free(&r);
	buf_free(&self);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_ipc_allowed)
{
	/* what the course needs must keep working: pipes, FIFOs, unix sockets
	   (via the shell and coreutils), POSIX shared memory in /dev/shm */
	struct run r;
	char *d = sh("mkfifo f && (echo via-fifo > f &) && cat f; "
		     "echo x > /dev/shm/sbx-test-$$ && rm /dev/shm/sbx-test-$$ && echo shm-ok",
		     test_limits(), &r);

	ck_assert_int_eq(r.outcome, OUT_EXITED);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.out.head), "via-fifo"));
	ck_assert_ptr_nonnull(strstr(buf_str(&r.out.head), "shm-ok"));
	run_free(&r);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_compile_in_staged_dir)
{
	/* the grader's layout: the workdir inside a private (0700) temp dir;
	   the compiler runs and its program runs, at every tier */
	char *root = make_temp_dir("sbxstage");
	char *src = path_join(root, "src");
	char *file = path_join(src, "hello.c");
	const char *code = "#include <stdio.h>\nint main(void) { puts(\"hi from c\"); return 0; }\n";
	char *argv[] = {"/bin/sh", "-c", "gcc -O0 -o hello hello.c && ./hello", NULL};
	struct sandbox_cmd c;
	struct run r;
	char *bin;

	ck_assert_int_eq(mkdir(src, 0755), 0);
	ck_assert_int_eq(file_write(file, code, strlen(code), 0644), 0);
	memset(&c, 0, sizeof(c));
	c.argv = argv;
	c.workdir = src;
	c.limits = compile_limits();
	c.marker_fd = -1;
	ck_assert_msg(sandbox_run(&c, &r) == 0, "%s", error_get());
	ck_assert_msg(r.outcome == OUT_EXITED && r.exit_code == 0, "%s %d: %s",
		      outcome_name(r.outcome), r.exit_code, buf_str(&r.err.head));
	ck_assert_str_eq(buf_str(&r.out.head), "hi from c\n");
	bin = path_join(src, "hello");
	ck_assert(path_exists(bin));            /* the result is in the workdir */
	free(bin);
	run_free(&r);
	rm_rf(root);
	free(root);
	free(src);
	free(file);
}
END_TEST

START_TEST(test_ro_paths)
{
	/* an extra read-only tree is readable at its own path, not writable */
	char *extra = make_temp_dir("sbxro");
	char *file = path_join(extra, "data.txt");
	char *script = xasprintf("cat %s; echo x > %s/new && echo WROTE", file, extra);
	char *argv[] = {"/bin/sh", "-c", script, NULL};
	const char *ro[] = {extra, NULL};
	char *wd = make_temp_dir("sbxrow");
	struct sandbox_cmd c;
	struct run r;
	char *p;

	chmod(extra, 0755);
	ck_assert_int_eq(file_write(file, "shared data\n", 12, 0644), 0);
	memset(&c, 0, sizeof(c));
	c.argv = argv;
	c.workdir = wd;
	c.ro_paths = ro;
	c.limits = test_limits();
	c.marker_fd = -1;
	ck_assert_int_eq(sandbox_run(&c, &r), 0);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.out.head), "shared data"));
	ck_assert_ptr_null(strstr(buf_str(&r.out.head), "WROTE"));
	p = path_join(extra, "new");
	ck_assert(!path_exists(p));
	free(p);
	run_free(&r);
	rm_rf(extra);
	rm_rf(wd);
	free(extra);
	free(wd);
	free(file);
	free(script);
}
END_TEST

START_TEST(test_big_workdir)
{
	/* a workdir larger than the scratch allowance still fits (the
	   allowance comes on top of what is there), and a run can fill only
	   the allowance */
	struct limits l = test_limits();
	char *wd = make_temp_dir("sbxbig");
	char *big = path_join(wd, "input.bin");
	char *argv[] = {"/bin/sh", "-c", "wc -c < input.bin", NULL};
	struct sandbox_cmd c;
	struct run r;
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 70L << 20), 0);   /* 70 MiB > 64 MiB */
	close(fd);
	l.memory = 256L << 20;
	memset(&c, 0, sizeof(c));
	c.argv = argv;
	c.workdir = wd;
	c.limits = l;
	c.marker_fd = -1;
	ck_assert_msg(sandbox_run(&c, &r) == 0, "%s", error_get());
	ck_assert_int_eq(r.outcome, OUT_EXITED);
	ck_assert_int_eq(atol(buf_str(&r.out.head)), 70L << 20);
	run_free(&r);
	rm_rf(wd);
	free(wd);
	free(big);
}
END_TEST

/* ---- the hostile submissions ---- */

struct hostile {
	char *file;              /* tests/hostile/X.c */
	char *expect;
	double within_s;
	char *args;
	bool compile;
};

static char *header_field(const char *text, const char *key)
{
	char pat[32];
	const char *p, *end;

	snprintf(pat, sizeof(pat), " * %s:", key);
	p = strstr(text, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	end = strchr(p, '\n');
	return xstrndup(p, end ? (size_t)(end - p) : strlen(p));
}

static int load_hostile(const char *path, struct hostile *h)
{
	struct buf b = BUF_INIT;
	char *within, *compile;

	memset(h, 0, sizeof(*h));
	if (file_read(path, &b) < 0)
		return -1;
	h->file = xstrdup(path);
	h->expect = header_field(buf_str(&b), "expect");
	h->args = header_field(buf_str(&b), "args");
	within = header_field(buf_str(&b), "within");
	compile = header_field(buf_str(&b), "compile");
	h->within_s = within ? atof(within) : 10;
	h->compile = compile && !strncmp(compile, "yes", 3);
	free(within);
	free(compile);
	buf_free(&b);
	return h->expect ? 0 : -1;
}

static void hostile_free(struct hostile *h)
{
	free(h->file);
	free(h->expect);
	free(h->args);
}

static bool one_expectation(const char *e, const struct run *r)
{
	if (!strcmp(e, "exited"))
		return r->outcome == OUT_EXITED;
	if (!strncmp(e, "exited ", 7))
		return r->outcome == OUT_EXITED && r->exit_code == atoi(e + 7);
	if (!strcmp(e, "not exited 0"))
		return !(r->outcome == OUT_EXITED && r->exit_code == 0);
	if (!strcmp(e, "signal SIGKILL"))
		return r->outcome == OUT_SIGNALED && r->signal == SIGKILL;
	if (!strncmp(e, "forbidden system call ", 22))
		return r->outcome == OUT_FORBIDDEN && !strcmp(r->forbidden, e + 22);
	return !strcmp(outcome_name(r->outcome), e);
}

static bool expected(const char *expect, const struct run *r)
{
	char *copy = xstrdup(expect), *save = NULL;
	bool ok = false;

	for (char *alt = strtok_r(copy, "|", &save); alt && !ok; alt = strtok_r(NULL, "|", &save)) {
		while (*alt == ' ')
			alt++;
		for (char *end = alt + strlen(alt); end > alt && end[-1] == ' ';)
			*--end = '\0';
		ok = one_expectation(alt, r);
	}
	free(copy);
	return ok;
}

/* What the hostile runs are checked against. */
struct world {
	char token[64];          /* in every argv: finds leftover processes */
	char secret[64];         /* the planted secret's content */
	char *secret_dir;        /* planted: spec.yaml, solutions/, secret.txt */
	char *secret_path;
	int listener;            /* TCP on 127.0.0.1 */
	int port;
	char name[64];           /* file name the attackers create */
};

static void world_open(struct world *w)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	char *p;
	const char *env_token = getenv("GRADER_HOSTILE_TOKEN");

	srand((unsigned)(getpid() ^ time(NULL)));
	snprintf(w->token, sizeof(w->token), "hostile-%d-%d", (int)getpid(), rand());
	snprintf(w->secret, sizeof(w->secret), "%s", env_token ? env_token : "");
	if (!w->secret[0])
		snprintf(w->secret, sizeof(w->secret), "SECRET-%08x%08x", rand(), rand());
	snprintf(w->name, sizeof(w->name), "hostile-mark-%d-%d", (int)getpid(), rand());
	w->secret_dir = make_temp_dir("secret");
	ck_assert_ptr_nonnull(w->secret_dir);
	chmod(w->secret_dir, 0755);
	w->secret_path = path_join(w->secret_dir, "spec.yaml");
	ck_assert_int_eq(file_write(w->secret_path, w->secret, strlen(w->secret), 0644), 0);
	p = path_join(w->secret_dir, "secret.txt");
	ck_assert_int_eq(file_write(p, w->secret, strlen(w->secret), 0644), 0);
	free(p);
	p = path_join(w->secret_dir, "solutions");
	mkdir(p, 0755);
	free(p);

	w->listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(w->listener, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(w->listener, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(w->listener, 4), 0);
	ck_assert_int_eq(getsockname(w->listener, (struct sockaddr *)&sa, &len), 0);
	w->port = ntohs(sa.sin_port);
}

static void world_close(struct world *w)
{
	close(w->listener);
	rm_rf(w->secret_dir);
	free(w->secret_dir);
	free(w->secret_path);
}

static char **hostile_argv(const struct hostile *h, const struct world *w, const char *exe)
{
	char **argv = NULL;
	char *copy = xstrdup(h->args ? h->args : ""), *save = NULL;
	char num[16];

	strv_push(&argv, exe);
	for (char *a = strtok_r(copy, " ", &save); a; a = strtok_r(NULL, " ", &save)) {
		if (!strcmp(a, "NAME"))
			strv_push(&argv, w->name);
		else if (!strcmp(a, "PORT")) {
			snprintf(num, sizeof(num), "%d", w->port);
			strv_push(&argv, num);
		} else if (!strcmp(a, "SECRET_PATH"))
			strv_push(&argv, w->secret_path);
	}
	strv_push(&argv, w->token);
	free(copy);
	return argv;
}

/* pids whose command line contains token (other than us) */
static int leftover_processes(const char *token, char *which, size_t n)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	which[0] = '\0';
	while (d && (e = readdir(d))) {
		char path[64];
		struct buf b = BUF_INIT;
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		if (file_read(path, &b) == 0 && memmem(b.data, b.len, token, strlen(token))) {
			size_t l = strlen(which);
			snprintf(which + l, n - l, " %d", pid);
			found++;
		}
		buf_free(&b);
	}
	if (d)
		closedir(d);
	return found;
}

static void check_no_files(const struct world *w, const char *workdir)
{
	static const char *const dirs[] = {"/tmp", "/root", "/dev/shm", "/", "/etc",
					   "/usr", "/var/tmp", "/home"};
	char *parent = xstrdup(workdir);
	char *slash = strrchr(parent, '/');

	if (slash)
		*slash = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(dirs) + 1; i++) {
		const char *dir = i < ARRAY_SIZE(dirs) ? dirs[i] : parent;
		char *p = path_join(dir, w->name);
		bool there = path_exists(p);
		if (there)
			unlink(p);
		ck_assert_msg(!there, "hostile program left %s", p);
		free(p);
	}
	free(parent);
}

static long long tree_bytes(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long long sum = 0;

	while (d && (e = readdir(d))) {
		struct stat st;
		char *p;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		p = path_join(dir, e->d_name);
		if (lstat(p, &st) == 0)
			sum += S_ISDIR(st.st_mode) ? tree_bytes(p) : (long long)st.st_blocks * 512;
		free(p);
	}
	if (d)
		closedir(d);
	return sum;
}

static bool output_has(const struct run *r, const char *needle)
{
	char *o = capture_text(&r->out), *e = capture_text(&r->err);
	bool has = strstr(o, needle) || strstr(e, needle);

	free(o);
	free(e);
	return has;
}

/* Compile src (in the sandbox, like the grader does) into dir/prog. */
static int compile(const char *src, const char *dir, const struct world *w, struct run *r)
{
	char *dst = path_join(dir, "prog.c");
	char *def = xasprintf("-DSECRET=\"%s\"", w->secret_path);
	char *argv[] = {"gcc", "-O0", def, "-o", "prog", "prog.c", NULL};
	struct sandbox_cmd c;
	int rc;

	ck_assert_int_eq(file_copy(src, dst), 0);
	memset(&c, 0, sizeof(c));
	c.argv = argv;
	c.workdir = dir;
	c.limits = compile_limits();
	c.marker_fd = -1;
	rc = sandbox_run(&c, r);
	free(dst);
	free(def);
	return rc;
}

static void describe(const struct hostile *h, const struct run *r, char *buf, size_t n)
{
	char *e = capture_text(&r->err);

	snprintf(buf, n, "%s: got %s (exit %d, signal %d, forbidden '%s', wall %.0f ms, "
		 "cpu %.0f ms) expected %s; stderr: %.300s", h->file, outcome_name(r->outcome),
		 r->exit_code, r->signal, r->forbidden, r->wall_ms, r->cpu_ms, h->expect, e);
	free(e);
}

static void run_hostile(const char *path, bool traced)
{
	struct hostile h;
	struct world w;
	struct run r;
	char *dir = make_temp_dir("hostile");
	char why[1024], which[256];
	double t0;
	char **argv;
	struct sandbox_cmd c;

	ck_assert_int_eq(load_hostile(path, &h), 0);
	world_open(&w);
	t0 = now_ms();
	if (h.compile) {
		ck_assert_msg(compile(path, dir, &w, &r) == 0, "%s: %s", path, error_get());
	} else {
		ck_assert_msg(compile(path, dir, &w, &r) == 0, "%s: %s", path, error_get());
		describe(&h, &r, why, sizeof(why));
		ck_assert_msg(r.outcome == OUT_EXITED && r.exit_code == 0,
			      "compiling in the sandbox failed: %s", why);
		run_free(&r);
		argv = hostile_argv(&h, &w, "./prog");
		memset(&c, 0, sizeof(c));
		c.argv = argv;
		c.workdir = dir;
		c.limits = test_limits();
		c.marker_fd = -1;
		if (traced) {
			struct tracer_opts to;
			memset(&to, 0, sizeof(to));
			c.tracer = tracer_new(&to);
			ck_assert_msg(c.tracer != NULL, "tracer_new: %s", error_get());
			c.marker_fd = TRACE_MARKER_FD;
		}
		t0 = now_ms();
		ck_assert_msg(sandbox_run(&c, &r) == 0, "%s: %s", path, error_get());
		strv_free(argv);
		if (traced)
			ck_assert_msg(r.trace && r.trace->nprocs >= 1, "%s: no trace", path);
	}
	describe(&h, &r, why, sizeof(why));
	if (getenv("HOSTILE_VERBOSE"))
		fprintf(stderr, "  %-14s %-15s%s %-22s %6.0f ms wall %6.0f ms cpu %9ld B mem %5ld procs %s\n",
			r.sandbox->name, h.file + strlen(HOSTILE_DIR) + 1, traced ? "+trace" : "      ",
			outcome_name(r.outcome), r.wall_ms, r.cpu_ms, r.peak_memory,
			r.processes, r.forbidden);
	ck_assert_msg(expected(h.expect, &r), "%s", why);
	ck_assert_msg(now_ms() - t0 <= h.within_s * 1000, "too slow: %s", why);
	ck_assert_msg(!output_has(&r, w.secret), "secret leaked: %s", why);
	ck_assert_msg(leftover_processes(w.token, which, sizeof(which)) == 0,
		      "processes left behind:%s (%s)", which, h.file);
	if (strstr(h.file, "daemon")) {  /* would it come back to life? */
		char *marker = path_join(dir, w.name);
		sleep(3);
		ck_assert_msg(!path_exists(marker), "the daemon wrote %s after the run", marker);
		ck_assert_msg(leftover_processes(w.token, which, sizeof(which)) == 0,
			      "daemon survived:%s", which);
		free(marker);
	}
	check_no_files(&w, dir);
	{       /* the scratch is bounded: the allowance (64 MiB with these
		   limits) plus what was there, whatever the program did.  The
		   namespace tiers hold it exactly (a tmpfs of that size); the
		   basic tier watches it every 25 ms (so a fast writer gets
		   some way past it before it is stopped) */
		long long used = tree_bytes(dir);
		long long bound = r.sandbox->tier == SANDBOX_BASIC ? 320LL << 20 : 80LL << 20;
		ck_assert_msg(used <= bound, "%s: the workdir grew to %lld bytes",
			      h.file, used);
	}
	{       /* nobody connected to the listener */
		int fd = accept(w.listener, NULL, NULL);
		if (fd >= 0)
			close(fd);
		ck_assert_msg(fd < 0, "the hostile program reached 127.0.0.1:%d", w.port);
	}
	run_free(&r);
	world_close(&w);
	hostile_free(&h);
	rm_rf(dir);
	free(dir);
}

static const char *const hostiles[] = {
	/* quick ones first: the default unit run takes only these */
	"bigout", "killer", "secrets", "connect", "files", "ptrace", "shell", "cc_secret",
	"cc_bigarray",
	/* slower: limits must be reached, or a daemon waited for */
	"spin", "forkbomb", "memhog", "daemon", "deaf", "filldisk", "sparse", "cc_devzero",
	"cc_macrobomb",
};
#define QUICK_HOSTILES 9

/* Under the tracer too: grading runs are traced. */
static const char *const traced_hostiles[] = {
	"bigout", "killer", "connect", "ptrace", "forkbomb", "daemon", "deaf",
};

START_TEST(test_hostile)
{
	char path[256];

	snprintf(path, sizeof(path), HOSTILE_DIR "/%s.c", hostiles[_i]);
	run_hostile(path, false);
}
END_TEST

START_TEST(test_hostile_traced)
{
	char path[256];

	snprintf(path, sizeof(path), HOSTILE_DIR "/%s.c", traced_hostiles[_i]);
	run_hostile(path, true);
}
END_TEST

Suite *suite_sandbox(void);
Suite *suite_sandbox(void)
{
	Suite *s = suite_create("sandbox");
	TCase *unit = tcase_create("unit");
	TCase *hostile = tcase_create("hostile");
	/* tests/run_hostile.sh sets GRADER_HOSTILE=all: every attack, at every
	   tier, traced and not; the plain unit run takes the quick ones */
	const char *all = getenv("GRADER_HOSTILE");
	bool full = all && !strcmp(all, "all");

	tcase_set_timeout(unit, 60);
	tcase_add_test(unit, test_outcome_names);
	tcase_add_test(unit, test_capture_text);
	tcase_add_test(unit, test_probe);
	tcase_add_test(unit, test_seccomp_filter_matches_libseccomp);
	tcase_add_test(unit, test_echo_and_exit_code);
	tcase_add_test(unit, test_signal);
	tcase_add_test(unit, test_stdin_file);
	tcase_add_test(unit, test_output_head_and_tail);
	tcase_add_test(unit, test_output_just_under_cap);
	tcase_add_test(unit, test_wall_limit);
	tcase_add_test(unit, test_cpu_limit);
	tcase_add_test(unit, test_file_size_limit);
	tcase_add_test(unit, test_env_and_marker_fd);
	tcase_add_test(unit, test_workdir_round_trip);
	tcase_add_test(unit, test_setup_errors);
	tcase_add_test(unit, test_processes_counted);
	tcase_add_test(unit, test_ipc_allowed);
	tcase_add_test(unit, test_cpu_affinity_restored);
	tcase_add_test(unit, test_compile_in_staged_dir);
	tcase_add_test(unit, test_ro_paths);
	tcase_add_test(unit, test_big_workdir);
	suite_add_tcase(s, unit);

	tcase_set_timeout(hostile, 120);
	tcase_add_loop_test(hostile, test_hostile, 0, full ? ARRAY_SIZE(hostiles) : QUICK_HOSTILES);
	if (full)
		tcase_add_loop_test(hostile, test_hostile_traced, 0, ARRAY_SIZE(traced_hostiles));
	suite_add_tcase(s, hostile);
	return s;
}
