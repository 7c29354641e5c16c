/*
 * main.c - the command table.  `check` reads top to bottom as the pipeline:
 * load the spec, grade the submission (intake, stage, build, run, check),
 * report.  Exit status: 0 full marks, 1 graded but not full marks, 2 could
 * not grade (usage, bad spec, internal or sandbox error).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "batch.h"
#include "build.h"
#include "gradebook_lms.h"
#include "check.h"
#include "exercise.h"
#include "grade.h"
#include "i18n.h"
#include "package.h"
#include "report.h"
#include "sandbox.h"
#include "scaffold.h"
#include "selftest.h"
#include "spec.h"
#include "trace.h"
#include "trace_insn.h"
#include "util.h"

#define EXIT_FULL_MARKS 0
#define EXIT_NOT_FULL   1
#define EXIT_CANNOT     2

static int fail(void)
{
	fprintf(stderr, "grader: %s\n", error_get());
	return EXIT_CANNOT;
}

static int usage(const char *line)
{
	fprintf(stderr, "usage: grader %s\n       grader help\n", line);
	return EXIT_CANNOT;
}

static bool use_color(FILE *f)
{
	const char *no = getenv("NO_COLOR");
	return isatty(fileno(f)) && !(no && *no);
}

static int parse_seed(const char *s, unsigned long *seed)
{
	char *end;
	*seed = strtoul(s, &end, 10);
	if (!*s || *end)
		return error_set("--seed takes a whole number, got '%s'", s);
	return 0;
}

static int load_spec(const char *exercise, struct spec *s)
{
	char *path = exercise_spec_path(exercise);
	if (!path)
		return -1;
	int rc = spec_load(path, s);
	free(path);
	return rc;
}

/* load_spec, then refuse an exercise whose reference does not compile:
   the instructor's build mistake is never every student's compile error. */
static int load_gradable_spec(const char *exercise, struct spec *s)
{
	if (load_spec(exercise, s) < 0)
		return -1;
	if (selftest_reference_builds(s) == 0)
		return 0;
	spec_free(s);
	return -1;
}

/* ---- check ---- */

struct check_args {
	const char *json, *junit, *html, *markdown;
	struct grade_opts grade;
	bool verbose;
};

static int write_reports(const struct result *r, const struct check_args *a)
{
	enum term_detail d = a->verbose ? TERM_VERBOSE : a->grade.quiet ? TERM_QUIET : TERM_NORMAL;
	if (report_terminal(r, stdout, use_color(stdout), d) < 0)
		return -1;
	if (a->json && report_gradescope(r, a->json) < 0)
		return -1;
	if (a->junit && report_junit(r, a->junit) < 0)
		return -1;
	if (a->html && report_html(r, a->html) < 0)
		return -1;
	if (a->markdown && report_markdown(r, a->markdown) < 0)
		return -1;
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", required_argument, NULL, 'j'}, {"junit", required_argument, NULL, 'u'},
		{"html", required_argument, NULL, 'h'}, {"markdown", required_argument, NULL, 'm'},
		{"seed", required_argument, NULL, 's'},
		{"keep", no_argument, NULL, 'k'}, {"verbose", no_argument, NULL, 'v'},
		{"quiet", no_argument, NULL, 'q'}, {"lang", required_argument, NULL, 'l'},
		{0, 0, 0, 0},
	};
	const char *use = "check EXERCISE [SUBMISSION] [--json FILE] [--junit FILE] [--html FILE]\n"
			  "                    [--markdown FILE] [--seed N] [--keep] [--verbose] [--quiet]\n"
			  "                    [--lang zh|en]";
	struct check_args a = {.grade.seed = grade_new_seed()};
	int c;
	i18n_init(NULL);        /* the environment's language; --lang may change it */
	while ((c = getopt_long(argc, argv, "vq", opts, NULL)) != -1) {
		switch (c) {
		case 'j': a.json = optarg; break;
		case 'u': a.junit = optarg; break;
		case 'h': a.html = optarg; break;
		case 'm': a.markdown = optarg; break;
		case 's': if (parse_seed(optarg, &a.grade.seed) < 0) return fail(); break;
		case 'k': a.grade.keep = true; break;
		case 'v': a.verbose = true; break;
		case 'q': a.grade.quiet = true; break;
		case 'l': if (i18n_init(optarg) < 0) return fail(); break;
		default: return usage(use);
		}
	}
	if (optind >= argc || argc - optind > 2)
		return usage(use);
	const char *submission = argc - optind == 2 ? argv[optind + 1] : ".";
	struct spec spec;
	struct result r;
	if (load_gradable_spec(argv[optind], &spec) < 0)
		return fail();
	int rc = grade_submission(&spec, submission, &a.grade, &r);
	if (rc == 0)
		rc = write_reports(&r, &a);
	int status = rc < 0 ? fail() : result_exit_status(&r);
	result_free(&r);
	spec_free(&spec);
	return status;
}

/* ---- batch ---- */

/* "K/N", 0 <= K < N */
static int parse_shard(const char *s, struct batch_opts *b)
{
	char *end;
	unsigned long k = strtoul(s, &end, 10), n;
	if (end == s || *end != '/' || !isdigit((unsigned char)end[1]))
		return -1;
	n = strtoul(end + 1, &end, 10);
	if (*end || n == 0 || k >= n || n > 1000000)
		return -1;
	b->shard = (unsigned)k;
	b->shards = (unsigned)n;
	return 0;
}

static const char batch_help[] =
	"Grade many submissions into OUTDIR/grades.csv (README.md: TAs).\n"
	"Each SUBMISSION is a student's file, folder or archive, an LMS bulk download\n"
	"(Moodle, Canvas, Blackboard) or a folder of students.  Run it again to resume.\n"
	"\n"
	"  -o, --output OUTDIR      where grades.csv, reports/ and summary.txt go\n"
	"  -j, --jobs N             grade N submissions at once.  Default: one per CPU,\n"
	"                           and more, up to 16 per CPU, while the graders leave\n"
	"                           a CPU idle (tests that sleep, as event_gate's\n"
	"                           timeouts do, hold no CPU); fewer again, down to one\n"
	"                           per CPU, when they keep the CPUs busy\n"
	"      --seed N             the seed of every submission's inputs\n"
	"      --shard K/N          grade share K of N (0 <= K < N); join with merge\n"
	"      --format canvas|moodle  also write OUTDIR/canvas.csv or moodle.csv\n"
	"      --lang zh|en         the reports' language (default: the environment's)\n"
	"  -h, --help               this help\n";

static int cmd_batch(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
		{"seed", required_argument, NULL, 's'}, {"format", required_argument, NULL, 'f'},
		{"shard", required_argument, NULL, 'k'}, {"lang", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0},
	};
	const char *use = "batch EXERCISE SUBMISSIONS... -o OUTDIR [-j N] [--shard K/N] [--seed N] "
			  "[--format canvas|moodle] [--lang zh|en]";
	struct batch_opts b = {.grade.quiet = true, .grade.seed = grade_new_seed()};
	int c;
	i18n_init(NULL);        /* the environment's language; --lang may change it */
	while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': printf("usage: grader %s\n\n%s", use, batch_help); return 0;
		case 'o': b.outdir = optarg; break;
		case 'j': if ((b.jobs = atoi(optarg)) < 1) return usage(use); break;
		case 's': if (parse_seed(optarg, &b.grade.seed) < 0) return fail(); break;
		case 'f': b.format = optarg; break;
		case 'k': if (parse_shard(optarg, &b) < 0) return usage(use); break;
		case 'l': if (i18n_init(optarg) < 0) return fail(); break;
		default: return usage(use);
		}
	}
	if (!b.outdir || argc - optind < 2 ||
	    (b.format && !gradebook_format_known(b.format)))
		return usage(use);
	struct spec spec;
	if (load_gradable_spec(argv[optind], &spec) < 0)
		return fail();
	int rc = build_prepare(&spec);     /* the harness compiled once, not per worker */
	if (rc == 0)
		rc = batch_run(&spec, argv + optind + 1, &b);
	spec_free(&spec);
	return rc < 0 ? fail() : 0;
}

static int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
		{0, 0, 0, 0},
	};
	const char *use = "merge OUTDIR... -o OUTDIR [--format canvas|moodle]";
	struct batch_opts b = {0};
	int c;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': b.outdir = optarg; break;
		case 'f': b.format = optarg; break;
		default: return usage(use);
		}
	}
	if (!b.outdir || argc - optind < 1 || (b.format && !gradebook_format_known(b.format)))
		return usage(use);
	return batch_merge(argv + optind, &b) < 0 ? fail() : 0;
}

/* ---- selftest ---- */

static int cmd_selftest(int argc, char **argv)
{
	static const struct option opts[] = {
		{"jobs", required_argument, NULL, 'j'}, {"seed", required_argument, NULL, 's'},
		{0, 0, 0, 0},
	};
	const char *use = "selftest EXERCISE [-j N] [--seed N]";
	struct selftest_opts o = {.seed = grade_new_seed()};
	int c;
	while ((c = getopt_long(argc, argv, "j:", opts, NULL)) != -1) {
		switch (c) {
		case 'j': o.jobs = (unsigned)atoi(optarg); break;
		case 's': if (parse_seed(optarg, &o.seed) < 0) return fail(); break;
		default: return usage(use);
		}
	}
	if (argc - optind != 1)
		return usage(use);
	struct spec spec;
	struct buf out = BUF_INIT;
	if (load_spec(argv[optind], &spec) < 0)
		return fail();
	int rc = selftest_run(&spec, &o, &out);
	fputs(buf_str(&out), stdout);
	buf_free(&out);
	spec_free(&spec);
	return rc < 0 ? fail() : rc == 0 ? 0 : EXIT_NOT_FULL;
}

/* ---- new ---- */

static int cmd_new(int argc, char **argv)
{
	if (argc != 2)
		return usage("new NAME");
	char *root = exercise_root();
	if (!root || scaffold_write(root, argv[1]) < 0) {
		free(root);
		return fail();
	}
	printf("wrote exercises/%s/ (statement, header, stub, harness, spec), solutions/%s/%s.c\n"
	       "and tests/submissions/%s/wrong_count.c beside %s\n"
	       "next: build/grader selftest %s\n", argv[1], argv[1], argv[1], argv[1], root, argv[1]);
	free(root);
	return 0;
}

/* ---- trace ---- */

/* The most of a piped standard input `trace` passes on. */
#define TRACE_STDIN_MAX (64L << 20)

/* A path the traced program's standard input opens, as strace would pass
   ours: a file or a terminal as is, a pipe copied into a temporary file
   (*spool, to unlink).  NULL with *spool NULL when stdin is closed. */
static const char *trace_stdin(char **spool)
{
	struct stat st;
	*spool = NULL;
	if (fstat(0, &st) < 0)
		return NULL;
	if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))
		return "/proc/self/fd/0";
	*spool = xasprintf("%s/grader-stdin-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	int fd = mkstemp(*spool);
	struct buf in = BUF_INIT;
	int rc = fd < 0 ? error_errno("cannot create %s", *spool) : 0;
	char chunk[65536];
	ssize_t n = 0;
	while (rc == 0 && (n = read(0, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno != EINTR)
			rc = error_errno("cannot read standard input");
		else if (n > 0)
			buf_add(&in, chunk, (size_t)n);
		if ((long)in.len > TRACE_STDIN_MAX)
			rc = error_set("standard input: more than %ld MiB", TRACE_STDIN_MAX >> 20);
	}
	if (rc == 0 && (write_all(fd, in.data, in.len) < 0 || fchmod(fd, 0644) < 0))
		rc = error_prefix("%s", *spool);
	if (fd >= 0)
		close(fd);
	buf_free(&in);
	if (rc < 0 && fd >= 0)
		unlink(*spool);
	if (rc < 0) {
		free(*spool);
		*spool = NULL;
		return "";
	}
	return *spool;
}

static int cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", required_argument, NULL, 'j'}, {"pipe-writes", no_argument, NULL, 'p'},
		{0, 0, 0, 0},
	};
	const char *use = "trace [--json FILE] [--pipe-writes] -- PROGRAM [ARGS...]";
	const char *json = NULL;
	struct tracer_opts to = {0};
	int c;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'j')
			json = optarg;
		else if (c == 'p')
			to.pipe_writes = true;
		else
			return usage(use);
	}
	if (optind >= argc)
		return usage(use);
	struct tracer *tracer = tracer_new(&to);
	char cwd[4096], *spool;
	if (!tracer || !getcwd(cwd, sizeof(cwd)))
		return fail();
	const char *in = trace_stdin(&spool);
	if (in && !*in)
		return fail();
	struct sandbox_cmd cmd = {
		.argv = argv + optind, .workdir = cwd, .tracer = tracer, .marker_fd = TRACE_MARKER_FD,
		.stdin_path = in,
		.limits = {.cpu_ms = 60000, .wall_ms = 120000, .memory = 1L << 30, .processes = 256,
			   .output = 1L << 20, .file_size = 256L << 20, .open_files = 256},
	};
	struct run r;
	int ran = sandbox_run(&cmd, &r);
	if (spool)
		unlink(spool);
	free(spool);
	if (ran < 0)
		return fail();
	char *out = capture_text(&r.out), *err = capture_text(&r.err);
	fputs(out, stdout);
	fputs(err, stderr);
	free(out);
	free(err);
	printf("\n-- %s (cpu %.0f ms, wall %.0f ms; sandbox: %s) --\n", outcome_name(r.outcome),
	       r.cpu_ms, r.wall_ms, r.sandbox ? r.sandbox->name : "?");
	if (r.trace)
		trace_print(r.trace, stdout);
	int rc = json && r.trace ? trace_write_json(r.trace, json) : 0;
	int status = rc < 0 ? fail() : r.outcome == OUT_EXITED ? r.exit_code : EXIT_NOT_FULL;
	run_free(&r);
	return status;
}

/* ---- lint, list, package ---- */

static int cmd_lint(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--explain")) {
		struct buf out = BUF_INIT;
		spec_explain(&out);
		fputs(buf_str(&out), stdout);
		buf_free(&out);
		return 0;
	}
	if (argc != 2)
		return usage("lint SPEC.yaml | lint --explain");
	struct spec spec;
	if (spec_load(argv[1], &spec) < 0) {
		fprintf(stderr, "%s\n", error_get());
		return EXIT_NOT_FULL;
	}
	double points = 0;
	for (size_t i = 0; i < spec.ntests; i++)
		points += spec.tests[i].points;
	printf("%s: ok, %zu tests, %g points\n", argv[1], spec.ntests, points);
	spec_free(&spec);
	return 0;
}

static void print_check(const struct check *c, void *arg)
{
	printf("  %-14s %s%s\n", c->name, c->summary, c->needs != NEEDS_OUTPUT ? " (traced)" : "");
}

static int cmd_list(int argc, char **argv)
{
	char **names = exercise_list();
	if (!names)
		return fail();
	printf("exercises:\n");
	for (size_t i = 0; names[i]; i++) {
		struct spec s;
		if (load_spec(names[i], &s) < 0) {
			printf("  %-14s (broken spec: %s)\n", names[i], error_get());
			continue;
		}
		double points = 0;
		for (size_t t = 0; t < s.ntests; t++)
			points += s.tests[t].points;
		printf("  %-14s %s (%zu tests, %g points)\n", names[i], s.title ? s.title : "",
		       s.ntests, points);
		spec_free(&s);
	}
	strv_free(names);
	printf("checks:\n");
	check_each(print_check, NULL);
	const struct sandbox_info *sb = sandbox_probe();
	printf("sandbox: %s%s%s\n", sb->name, sb->missing[0] ? "; missing: " : "", sb->missing);
	printf("race provocation: %s\n", insn_decoder_ready() ?
	       "runs of decoded instructions (Zydis 4)" :
	       "single steps (no Zydis 4 decoder: slower, as exact)");
	return 0;
}

static int cmd_package(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'}, {"lang", required_argument, NULL, 'l'},
		{0, 0, 0, 0},
	};
	const char *use = "package gradescope EXERCISE -o autograder.zip [--lang zh|en]\n"
			  "       grader package student EXERCISE -o handout.zip";
	const char *out = NULL, *lang = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'l' && (!strcmp(optarg, "zh") || !strcmp(optarg, "en")))
			lang = optarg;
		else
			return usage(use);
	}
	bool student = argc - optind == 2 && !strcmp(argv[optind], "student");
	if (!out || argc - optind != 2 || (!student && strcmp(argv[optind], "gradescope")) ||
	    (student && lang))
		return usage(use);
	struct spec spec;
	if (load_spec(argv[optind + 1], &spec) < 0)
		return fail();
	int rc = student ? package_student(&spec, out) : package_gradescope(&spec, out, lang);
	spec_free(&spec);
	if (rc < 0)
		return fail();
	printf(student ? "wrote %s (hand it out: the task, the stub and the visible tests)\n"
		       : "wrote %s (upload it as the autograder of a Gradescope programming assignment)\n", out);
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"check", cmd_check, "grade one submission (a C file, folder or archive; default .)"},
	{"batch", cmd_batch, "grade many submissions (or an LMS bulk zip) into OUTDIR, resumably"},
	{"merge", cmd_merge, "join the OUTDIRs of batch --shard K/N runs into one"},
	{"trace", cmd_trace, "run a program sandboxed and traced; print its process tree and IPC"},
	{"lint", cmd_lint, "check an exercise spec without running anything"},
	{"selftest", cmd_selftest, "grade an exercise's reference, stub and faulty submissions"},
	{"new", cmd_new, "write a new exercise that passes selftest, to make your own"},
	{"list", cmd_list, "list exercises, checks and the sandbox tier"},
	{"package", cmd_package, "package an exercise as a Gradescope autograder zip or a student handout"},
	{"help", cmd_help, "this text"},
};

static int cmd_help(int argc, char **argv)
{
	printf("usage: grader COMMAND [ARGS]\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].summary);
	printf("\nexit status: 0 full marks, 1 not full marks, 2 could not grade\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cmd_help(argc, argv), EXIT_CANNOT;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc, argv);
	fprintf(stderr, "grader: unknown command '%s' (see: grader help)\n", argv[1]);
	return EXIT_CANNOT;
}
