/*
 * grade.c - one submission through the pipeline (see grade.h):
 *
 *   stage (intake) -> build -> for each test: inputs, sandboxed run
 *   (traced when a check needs it) -> checks -> struct result
 *
 * Everything the student's code could influence is observed here, never
 * trusted: expected values come from the grader's own inputs (inputs.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "build.h"
#include "check.h"
#include "grade.h"
#include "i18n.h"
#include "inputs.h"
#include "run.h"
#include "sandbox.h"
#include "stage.h"
#include "trace.h"
#include "util.h"

unsigned long grade_new_seed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long x = (unsigned long)ts.tv_nsec * 2654435761UL ^ (unsigned long)ts.tv_sec ^
			  ((unsigned long)getpid() << 20);
	return x % 1000000000UL;  /* short enough to type */
}

/* One line on a terminal, rewritten in place: cut to its width, since a
   line that wraps is no longer erased by the next. */
static void progress(const struct grade_opts *o, const char *fmt, ...) PRINTF(2, 3);
static void progress(const struct grade_opts *o, const char *fmt, ...)
{
	if (o->quiet || !isatty(STDERR_FILENO))
		return;
	struct winsize ws;
	size_t cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col : 80;
	struct buf line = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\r\033[K%.*s", (int)text_fit(buf_str(&line), cols - 1, NULL),
		buf_str(&line));
	fflush(stderr);
	buf_free(&line);
}

/* ---- one run of one test ---- */

static char **expand_argv(const struct test *t, const struct vars *v)
{
	char **argv = NULL;
	for (size_t i = 0; t->run[i]; i++) {
		char *arg = i == 0 && !strcmp(t->run[0], "harness") ? xstrdup("./harness")
								       : vars_expand(v, t->run[i]);
		if (!arg) {
			strv_free(argv);
			error_prefix("test '%s': argument %zu", t->name, i + 1);
			return NULL;
		}
		strv_push(&argv, arg);
		free(arg);
	}
	return argv;
}

static char *join_args(char *const *argv)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; argv[i]; i++)
		buf_addf(&b, "%s%s", i ? " " : "", argv[i]);
	return buf_detach(&b);
}

/* The stdin file, outside the run directory; NULL when stdin is empty. */
static int write_stdin(const struct test *t, const struct vars *v, const struct stage *st,
		       char **path)
{
	*path = NULL;
	if (!t->stdin_text)
		return 0;
	char *text = vars_expand(v, t->stdin_text);
	if (!text)
		return error_prefix("test '%s': stdin", t->name);
	*path = path_join(st->root, "stdin");
	int rc = file_write(*path, text, strlen(text), 0644);
	free(text);
	return rc;
}

/* The run's seed (never 0: 0 turns race provocation off). */
static unsigned long seed_of(const struct vars *v)
{
	long seed = 0;
	vars_get(v, "seed", &seed);
	return seed ? (unsigned long)seed : 1;
}

/* The test's `send:` for the tracer (NULL if none; the strings stay the
   spec's; free() the array). */
static struct signal_send *test_sends(const struct test *t)
{
	struct signal_send *out = t->nsends ? xcalloc(t->nsends, sizeof(*out)) : NULL;
	for (size_t i = 0; i < t->nsends; i++) {
		const struct send *p = &t->sends[i];
		out[i] = (struct signal_send){
			.sig = check_signal_number(p->signal),
			.target = p->child == UNSET ? 0 : (int)p->child,
			.after_output = p->after_output, .after_marker = p->after_marker,
			.before_wait = p->before_wait == UNSET ? 0 : p->before_wait,
			.delay_ms = p->delay_ms == UNSET ? 0 : p->delay_ms,
			.gap_ms = p->gap_ms == UNSET ? 0 : p->gap_ms,
			.times = p->times == UNSET ? 1 : p->times,
		};
	}
	return out;
}

static int sandbox_test(const struct spec *s, const struct test *t, const struct stage *st,
			const struct vars *v, struct test_verdict *tr)
{
	char **argv = expand_argv(t, v);
	char *stdin_path;
	if (!argv || write_stdin(t, v, st, &stdin_path) < 0) {
		strv_free(argv);
		return -1;
	}
	struct tracer *tracer = NULL;
	if (t->trace != TRACE_NONE) {
		struct signal_send *sends = test_sends(t);
		/* markers count only from the harness (trace.h, TRACE_MARKER_FN) */
		struct tracer_opts to = {.faults = t->faults, .nfaults = t->nfaults,
					 .race_seed = t->race ? seed_of(v) : 0, .race_steps = t->race,
					 .markers_from_harness = true,
					 .lifecycle_only = t->trace == TRACE_LIFECYCLE,
					 .pipe_writes = t->pipe_writes,
					 .pace_marker = t->pace.marker, .pace_writes = t->pace.writes == 1,
					 .pace_ms = t->pace.ms == UNSET ? 0 : t->pace.ms,
					 .sends = sends, .nsends = t->nsends};
		tracer = tracer_new(&to);
		free(sends);              /* the tracer keeps copies */
		if (!tracer) {
			strv_free(argv);
			free(stdin_path);
			return error_prefix("test '%s'", t->name);
		}
	}
	struct sandbox_cmd cmd = {
		.argv = argv,
		.workdir = st->run,
		.stdin_path = stdin_path,
		.limits = spec_limits(s, t),
		.tracer = tracer,
		.marker_fd = TRACE_MARKER_FD,
	};
	free(tr->args);
	tr->args = join_args(argv);
	run_free(&tr->run);
	int rc = sandbox_run(&cmd, &tr->run);
	tr->ran = true;
	strv_free(argv);
	free(stdin_path);
	return rc < 0 ? error_prefix("test '%s'", t->name) : 0;
}

/* ---- judging ---- */

/* What each live process was blocked in when the run was stopped. */
static void describe_blocked(struct buf *msg, const struct trace *tr)
{
	if (!tr)
		return;
	for (size_t i = 0; i < tr->nev; i++) {
		const struct event *e = &tr->ev[i];
		char name[64];
		if (e->kind != EV_BLOCKED)
			continue;
		buf_adds(msg, "  ");
		buf_addf(msg, _("%s is %s\n"), trace_proc_name(tr, e->proc, name, sizeof(name)),
			 e->blocked.what ? e->blocked.what : _("blocked"));
	}
}

/* "1.5 MiB" for a size in bytes (limits are whole MiB or KiB mostly). */
static void add_size(struct buf *m, double bytes)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB"};
	size_t u = 0;
	while (bytes >= 1024 && u + 1 < sizeof(units) / sizeof(*units)) {
		bytes /= 1024;
		u++;
	}
	buf_addf(m, bytes == (long)bytes ? "%.0f %s" : "%.1f %s", bytes, units[u]);
}

/* The first line states what was measured and the limit, as
   "time limit (cpu): 512 ms of CPU used, the limit is 500 ms"; then what
   each live process was blocked in and a hint. */
static char *limit_message(const struct run *r, const struct limits *lim)
{
	struct buf m = BUF_INIT;
	buf_addf(&m, "%s%s", _(outcome_name(r->outcome)), _(": "));
	switch (r->outcome) {
	case OUT_TIME_CPU:
		buf_addf(&m, _("%.0f ms of CPU used, the limit is %ld ms\n"), r->cpu_ms, lim->cpu_ms);
		check_hint(&m, _("look for an endless loop, or a busy wait where a blocking call belongs"));
		break;
	case OUT_TIME_WALL:
		buf_addf(&m, _("still running after %.0f ms, the limit is %ld ms\n"), r->wall_ms,
			 lim->wall_ms);
		if (r->trace)
			describe_blocked(&m, r->trace);
		else
			buf_adds(&m, _("  (this test is not traced: what each process was waiting "
				 "for is not known)\n"));
		check_hint(&m, _("a process waiting for something that never comes: a lock never "
			   "released, a pipe whose write end is still open, a wait for a child that "
			   "waits too"));
		break;
	case OUT_MEMORY:
		buf_adds(&m, _("peak memory "));
		add_size(&m, (double)r->peak_memory);
		buf_adds(&m, _(", the limit is "));
		add_size(&m, (double)lim->memory);
		buf_addc(&m, '\n');
		break;
	case OUT_OUTPUT:
		add_size(&m, (double)(r->out.total + r->err.total));
		buf_addf(&m, _(" printed (%zu B on stdout, %zu B on stderr), the limit is "),
			 r->out.total, r->err.total);
		add_size(&m, (double)lim->output);
		buf_addc(&m, '\n');
		break;
	case OUT_PROCESSES:
		buf_addf(&m, _("a fork failed: the limit is %ld processes alive at once\n"),
			 lim->processes);
		check_hint(&m, _("a fork in a loop where the child goes on looping (return or _exit "
			   "in the child)"));
		break;
	case OUT_FORBIDDEN:
		buf_addf(&m, _("%s, which the sandbox does not allow\n"), r->forbidden);
		break;
	case OUT_FILE_SIZE:
		buf_adds(&m, _("a file grew past the limit of "));
		add_size(&m, (double)lim->file_size);
		buf_addc(&m, '\n');
		break;
	default:
		break;
	}
	return buf_detach(&m);
}

/* Append to *message where each process that a crash signal killed was
   ("child #1 (of the program) was killed by SIGSEGV (address 0x0) in
   half_copy() at half_copy.c:42, called from main() at main.c:88"). */
static void describe_crashes(const struct trace *tr, char **message)
{
	struct buf m = BUF_INIT;
	char name[64];

	for (size_t i = 0; tr && i < tr->ncrashes; i++) {
		const struct crash *c = &tr->crashes[i];
		if (tr->procs[c->proc].exit_signal != c->signal)
			continue;           /* it did not die of it (killed at a limit) */
		if (!m.len && *message)
			buf_adds(&m, *message);
		buf_addf(&m, _("%s was killed by "), trace_proc_name(tr, c->proc, name, sizeof(name)));
		trace_crash_where(c, &m);
		buf_addc(&m, '\n');
	}
	if (m.len) {
		free(*message);
		*message = buf_detach(&m);
	}
}

/* The verdict's status from one format: the keyword in English, the text
   for people in the grader's language. */
static void PRINTF(2, 3) set_status(struct test_verdict *tr, const char *fmt, ...)
{
	struct buf keyword = BUF_INIT, text = BUF_INIT;
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	buf_vaddf(&keyword, fmt, ap);
	buf_vaddf(&text, _(fmt), again);
	va_end(again);
	va_end(ap);
	free(tr->status);
	free(tr->status_text);
	tr->status = buf_detach(&keyword);
	tr->status_text = buf_detach(&text);
}

/* set_status for a status without arguments (a message id) */
static void set_status_word(struct test_verdict *tr, const char *word)
{
	free(tr->status);
	free(tr->status_text);
	tr->status = xstrdup(word);
	tr->status_text = xstrdup(_(word));
}

static void set_status_of(struct test_verdict *tr, bool checks_passed)
{
	const struct run *r = &tr->run;
	char sig[32];

	if (checks_passed && (r->outcome == OUT_EXITED || r->outcome == OUT_SIGNALED))
		set_status_word(tr, N_("passed"));
	else if (r->outcome == OUT_EXITED && r->exit_code)
		set_status(tr, N_("runtime error (exit %d)"), r->exit_code);
	else if (r->outcome == OUT_EXITED)
		set_status_word(tr, N_("wrong answer"));
	else if (r->outcome == OUT_SIGNALED)
		set_status(tr, N_("signal (%s)"), signal_name(r->signal, sig, sizeof(sig)));
	else if (r->outcome == OUT_FORBIDDEN)
		set_status(tr, N_("forbidden system call: %s"), r->forbidden);
	else
		set_status_word(tr, outcome_name(r->outcome));
}

/* Evaluate every expectation.  1 all passed, 0 some failed, -1 grader fault. */
static int run_checks(const struct spec *s, const struct test *t, const struct stage *st,
		      const struct vars *v, struct test_verdict *tr)
{
	struct check_ctx ctx = {s, t, &tr->run, tr->run.trace, v, st->run, st->inputs, NULL};
	int all = 1;
	tr->checks = xcalloc(t->nexpects, sizeof(*tr->checks));
	for (size_t i = 0; i < t->nexpects; i++) {
		const struct expect *e = &t->expects[i];
		struct check_result *cr = &tr->checks[tr->nchecks++];
		struct buf msg = BUF_INIT;
		cr->check = xstrdup(e->check->name);
		cr->label = e->label ? xstrdup(e->label) : NULL;
		cr->line = e->line;
		ctx.blame = &cr->blame;
		int rc = e->check->fn(e->params, &ctx, &msg);
		if (rc < 0) {
			buf_free(&msg);
			return error_prefix("%s:%d: check '%s' of test '%s'", s->path, e->line,
					    e->check->name, t->name);
		}
		cr->passed = rc == 1;
		if (!cr->passed && e->hint)
			check_hint(&msg, "%s", i18n_zh() && e->hint_zh ? e->hint_zh : e->hint);
		cr->message = cr->passed ? NULL : buf_detach(&msg);
		buf_free(&msg);
		all &= cr->passed;
	}
	return all;
}

static void clear_checks(struct test_verdict *tr)
{
	for (size_t i = 0; i < tr->nchecks; i++) {
		free(tr->checks[i].check);
		free(tr->checks[i].label);
		free(tr->checks[i].message);
	}
	free(tr->checks);
	tr->checks = NULL;
	tr->nchecks = 0;
	free(tr->message);
	tr->message = NULL;
	free(tr->status);
	tr->status = NULL;
	free(tr->status_text);
	tr->status_text = NULL;
}

/* The program gets copies of the inputs: checks compare with the grader's
   own, so a program that rewrites its input cannot make itself right. */
static int copy_inputs(const struct test *t, const struct stage *st)
{
	for (size_t i = 0; i < t->ninputs; i++) {
		const struct input *in = &t->inputs[i];
		if (in->missing == 1)
			continue;
		char *from = path_join(st->inputs, in->file);
		char *to = path_join(st->run, in->file);
		int rc = mkdir_parent(to);
		if (rc == 0)
			rc = file_copy(from, to);
		free(from);
		free(to);
		if (rc < 0)
			return error_prefix("test '%s'", t->name);
	}
	return 0;
}

/* Run and judge one repetition.  1 passed, 0 failed, -1 grader fault. */
static int grade_once(const struct spec *s, const struct test *t, struct stage *st,
		      unsigned long seed, struct test_verdict *tr)
{
	struct vars *v = vars_new();
	int rc = stage_reset_run(st);
	if (rc == 0)
		rc = inputs_generate(t, st->inputs, seed, v);
	if (rc == 0)
		rc = copy_inputs(t, st);
	if (rc == 0)
		rc = sandbox_test(s, t, st, v, tr);
	if (rc == 0) {
		clear_checks(tr);
		/* the sandbox stopped it: no check applies */
		if (outcome_is_limit(tr->run.outcome) || tr->run.outcome == OUT_FORBIDDEN) {
			struct limits lim = spec_limits(s, t);
			tr->message = limit_message(&tr->run, &lim);
			rc = 0;
		} else {
			rc = run_checks(s, t, st, v, tr);
		}
		if (rc == 0)
			describe_crashes(tr->run.trace, &tr->message);
		if (rc >= 0)
			set_status_of(tr, rc == 1);
	}
	vars_free(v);
	return rc;
}

/* What a verdict says of its test before it is run: name, visibility,
   tags, points. */
static void verdict_init(struct test_verdict *tr, const struct test *t)
{
	tr->name = xstrdup(t->name);
	tr->visibility = xstrdup(t->visibility ? t->visibility : "visible");
	for (size_t i = 0; t->tags && t->tags[i]; i++)
		strv_push(&tr->tags, t->tags[i]);
	tr->max_score = t->points;
}

static int grade_test(const struct spec *s, const struct test *t, struct stage *st,
		      unsigned long seed, struct test_verdict *tr)
{
	long repeat = t->repeat == UNSET || t->repeat < 1 ? 1 : t->repeat;
	verdict_init(tr, t);
	for (long i = 0; i < repeat; i++) {
		int rc = grade_once(s, t, st, seed + (unsigned long)i, tr);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (repeat > 1) {
				struct buf m = BUF_INIT;
				buf_addf(&m, _("failed on run %ld of %ld (seed %lu)\n"), i + 1, repeat,
					 seed + (unsigned long)i);
				if (tr->message)
					buf_adds(&m, tr->message);
				free(tr->message);
				tr->message = buf_detach(&m);
			}
			return 0;
		}
	}
	tr->passed = true;
	tr->score = t->points;
	return 0;
}

/* ---- the submission ---- */

static void mark_not_run(const struct spec *s, struct result *r, const char *status,
			 const char *why)
{
	r->tests = xcalloc(s->ntests, sizeof(*r->tests));
	r->ntests = s->ntests;
	for (size_t i = 0; i < s->ntests; i++) {
		struct test_verdict *tr = &r->tests[i];
		verdict_init(tr, &s->tests[i]);
		set_status_word(tr, status);
		tr->message = xstrdup(_(why));
	}
}

static void copy_strv(char ***to, char **from)
{
	for (size_t i = 0; from && from[i]; i++)
		strv_push(to, from[i]);
}

static int grade_tests(const struct spec *s, struct stage *st, const struct grade_opts *o,
		       struct result *r)
{
	r->tests = xcalloc(s->ntests, sizeof(*r->tests));
	for (size_t i = 0; i < s->ntests; i++) {
		progress(o, "test %zu/%zu: %s ", i + 1, s->ntests, s->tests[i].name);
		r->ntests = i + 1;
		if (grade_test(s, &s->tests[i], st, o->seed, &r->tests[i]) < 0)
			return -1;
		r->score += r->tests[i].score;
	}
	progress(o, "%s", "");
	return 0;
}

static void result_init(const struct spec *s, const char *submission, const struct grade_opts *o,
			struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->exercise = xstrdup(s->exercise);
	const char *title = i18n_zh() && s->title_zh ? s->title_zh : s->title;
	r->title = xstrdup(title ? title : s->exercise);
	r->submission = xstrdup(submission);
	r->student = intake_student_name(submission);
	r->seed = o->seed;
	r->sandbox = sandbox_probe();
	for (size_t i = 0; i < s->ntests; i++)
		r->max_score += s->tests[i].points;
}

int grade_submission(const struct spec *s, const char *submission,
		     const struct grade_opts *o, struct result *r)
{
	double start = now_ms();
	struct stage st;
	struct build_result br = {0};
	int rc = -1;
	result_init(s, submission, o, r);
	if (stage_prepare(s, submission, &st) < 0)
		goto out;
	st.keep = o->keep;
	if (o->keep && !o->quiet)
		fprintf(stderr, "scratch directory kept: %s\n", st.root);
	copy_strv(&r->intake_notes, st.intake.notes);
	if (st.intake.missing) {
		copy_strv(&r->files_found, st.intake.found);
		copy_strv(&r->files_missing, st.intake.missing);
		mark_not_run(s, r, N_("missing file"), N_("not run: a file the exercise needs is missing"));
		rc = 0;
		goto out;
	}
	if (st.intake.ambiguous) {
		/* reported as missing (no file could be used), the notes say why */
		copy_strv(&r->files_ambiguous, st.intake.ambiguous);
		copy_strv(&r->files_missing, st.intake.ambiguous);
		copy_strv(&r->files_found, st.intake.candidates);
		mark_not_run(s, r, N_("ambiguous file"), N_("not run: a file the exercise needs is "
			     "there more than once, equally deep (see the note)"));
		rc = 0;
		goto out;
	}
	progress(o, "compiling ");
	if (build_run(s, &st, &br) < 0)
		goto out;
	r->compiled = br.ok;
	r->compile_output = br.messages && *br.messages ? xstrdup(br.messages) : NULL;
	if (!br.ok) {
		mark_not_run(s, r, N_("compile error"), N_("not run: the program does not compile"));
		rc = 0;
		goto out;
	}
	rc = grade_tests(s, &st, o, r);
out:
	if (rc < 0)
		error_prefix("%s", submission);
	build_result_free(&br);
	stage_free(&st);
	r->elapsed_ms = now_ms() - start;
	return rc;
}
