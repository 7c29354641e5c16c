/*
 * batch.c - grade many submissions into OUTDIR, resumably (see batch.h).
 *
 * Theory of operation.
 *
 *   OUTDIR/grades.csv   the one record of what is done: a student is graded
 *                       when their row is in it.  Only the parent writes it:
 *                       each row with one write(2) on an O_APPEND descriptor,
 *                       then fsync.  On start the file is read back; a torn
 *                       last row (a crash mid-write) is cut off, and rows of
 *                       grader faults (status "error") are dropped so that a
 *                       rerun retries them.  Everyone else already there is
 *                       skipped: a rerun never duplicates nor loses a row.
 *   OUTDIR/reports/     <student>.txt .json .html, written by the worker
 *   OUTDIR/errors.txt   "student: message" for every grader fault
 *   OUTDIR/summary.txt  rewritten at the end of each run from grades.csv
 *   OUTDIR/submissions/K/  the split of the bulk download given as argument K
 *                       (redone each run)
 *   OUTDIR/.batch/      lock, worker messages, per-test outcomes (summary)
 *
 * One worker process per submission, at most `jobs` at once (by default
 * as many as the CPUs have room for: "How many at once" below).  A worker
 * grades, writes its reports and leaves its CSV row in .batch/<pid>.msg; the
 * parent reaps it, appends the row and prints a progress line.  A worker
 * that fails, crashes or overruns its time budget becomes an "error" row:
 * the batch goes on.  Workers run in their own process group and die with
 * the parent (PR_SET_PDEATHSIG); SIGINT/SIGTERM stop the batch cleanly (the
 * running workers are killed and their students stay to do).  Each worker
 * gets a temporary root of its own (set_temp_root), removed when it ends,
 * so the scratch directory of a killed grader does not stay behind.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "batch.h"
#include "batch_progress.h"
#include "gradebook_lms.h"
#include "intake.h"
#include "report.h"
#include "util.h"

#define ERROR_STATUS "error"
#define LEVEL_WINDOW_MS 250     /* how many at once (by default): see below */
#define LEVEL_MAX_PER_CPU 16

struct student {
	char *name;             /* exactly as the gradebook shows it */
	char *lms_id;           /* "" when none; name and lms_id: unique */
	const char *lms;        /* "canvas", "moodle", "blackboard" or NULL */
	bool late;
	char *file;             /* unique file name: reports/<file>.txt */
	char *submission;
	bool done;
};

struct worker {
	pid_t pid;
	size_t student;
	double start;
	bool timed_out;
};

struct batch {
	const struct spec *spec;
	const struct batch_opts *o;
	batch_grade_fn grade;
	char *outdir, *reports, *state, *csv, *errors;
	char *tmp;              /* the workers' temporary roots: tmp/<student index> */
	int csv_fd, lock_fd;
	char *header;           /* the header line this grader writes */
	char **columns;
	struct student *st;
	size_t n;
	struct worker *w;
	size_t nw, jobs;        /* running; at most (the array's size) */
	size_t level, most;     /* may run now (jobs, or the measure's); ran at once */
	size_t cpus;
	double sampled;         /* now_ms() of the last count (jobs 0) */
	double runnable;        /* processes of ours that ran at the last count; -1: none yet */
	size_t finished;        /* done, for progress: [finished/n] */
	size_t full_marks;      /* of the rows already there */
	struct progress progress;
	double timeout_ms;
	pid_t parent;
};

static volatile sig_atomic_t interrupted;

static void on_stop(int sig) { interrupted = sig; }
static void on_child(int sig) { (void)sig; }

/* ---- CSV (report_csv.c writes and reads it) ---- */

static int column(char *const *columns, const char *name)
{
	for (int i = 0; columns && columns[i]; i++)
		if (!strcmp(columns[i], name))
			return i;
	return -1;
}

static const char *field(char *const *fields, int col)
{
	return col >= 0 && (size_t)col < strv_len(fields) ? fields[col] : "";
}

/* What report_csv_row / report_csv_header print, as a string. */
static char *render_row(const struct result *r)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	if (!f) {
		fputs("grader: out of memory\n", stderr);
		abort();
	}
	if (r)
		report_csv_row(r, f);
	else
		report_csv_header(f);
	fclose(f);
	if (n == 0 || s[n - 1] != '\n') {
		s = xrealloc(s, n + 2);
		s[n] = '\n';
		s[n + 1] = '\0';
	}
	return s;
}

/* The name as the gradebook will show it (reports clean odd characters):
   the key resuming compares. */
static char *gradebook_name(const struct batch *b, const char *name)
{
	struct result r = {0};
	r.student = (char *)name;
	r.submission = (char *)"";
	char *row = render_row(&r), **fields;
	size_t pos = 0;
	char *out = xstrdup(name);
	if (report_csv_next(row, strlen(row), &pos, &fields) == 1) {
		free(out);
		out = xstrdup(field(fields, column(b->columns, "student")));
		strv_free(fields);
	}
	free(row);
	return out;
}

/* ---- students ---- */

static char *file_name(const char *name)
{
	char *s = xstrndup(name, 120);
	for (unsigned char *c = (unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f || strchr("/\\:*?\"<>|", *c))
			*c = '_';
	if (s[0] == '.' || s[0] == '-')
		s[0] = '_';
	return s;
}

static struct student *find_student(struct batch *b, const char *name, const char *lms_id)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->st[i].name, name) && !strcmp(b->st[i].lms_id, lms_id))
			return &b->st[i];
	return NULL;
}

static bool file_taken(const struct batch *b, const char *file)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcasecmp(b->st[i].file, file))
			return true;
	return false;
}

/* Add a submission, who the LMS says it is (NULL: what its name says).
   Students are told apart by name and LMS id: two John Smiths of two ids
   are two rows "John Smith"; a second "lovelace" without one becomes
   "lovelace-2". */
static void add_student(struct batch *b, const char *submission, const struct lms_student *who)
{
	struct lms_student own;
	bool parsed = !who && intake_lms_identity(submission, &own);
	if (parsed)
		who = &own;
	char *raw = who && who->name ? xstrdup(who->name) : intake_student_name(submission);
	char *base = gradebook_name(b, raw);
	char *id = xstrdup(who && who->id ? who->id : "");
	char *name = xstrdup(base);
	for (int k = 2; find_student(b, name, id); k++) {
		free(name);
		name = xasprintf("%s-%d", base, k);
	}
	char *file_base = *id ? xasprintf("%s_%s", name, id) : xstrdup(name);
	char *file = file_name(file_base);
	for (int k = 2; file_taken(b, file); k++) {
		free(file);
		char *f = xasprintf("%s-%d", file_base, k);
		file = file_name(f);
		free(f);
	}
	b->st = xrealloc(b->st, (b->n + 1) * sizeof(*b->st));
	b->st[b->n++] = (struct student){name, id, who ? who->lms : NULL, who && who->late, file,
					 xstrdup(submission), false};
	if (parsed) {
		free(own.id);
		free(own.submission_id);
	}
	free(file_base);
	free(base);
	free(raw);
}

/* Split bulk download number k (arguments count from 1) into
   OUTDIR/submissions/k/ (redone each run) and add its students. */
static int add_bulk(struct batch *b, const char *path, size_t k)
{
	struct lms_student *st = NULL;
	char *name = xasprintf("submissions/%zu", k);
	char *dest = path_join(b->outdir, name);
	int n = rm_rf(dest) < 0 ? -1 : intake_split_bulk(path, dest, &st);
	if (n >= 0)
		fprintf(stderr, "%s: LMS bulk download of %d submissions\n", path, n);
	for (size_t i = 0; n >= 0 && st[i].dir; i++)
		add_student(b, st[i].dir, &st[i]);
	intake_lms_free(st);
	free(dest);
	free(name);
	return n < 0 ? -1 : 0;
}

/* Every argument is one student, a bulk download or a folder of students. */
static int list_students(struct batch *b, char *const *subs)
{
	for (size_t i = 0; subs[i]; i++) {
		char **members;
		int kind = intake_classify(subs[i], b->spec->student_files, &members);
		if (kind < 0)
			return -1;
		if (kind == INTAKE_BULK && add_bulk(b, subs[i], i + 1) < 0)
			return -1;
		if (kind == INTAKE_CLASS)
			fprintf(stderr, "%s: a folder of %zu students\n", subs[i], strv_len(members));
		for (size_t j = 0; members && members[j]; j++)
			add_student(b, members[j], NULL);
		if (kind == INTAKE_STUDENT)
			add_student(b, subs[i], NULL);
		strv_free(members);
	}
	return 0;
}

/* ---- shards ---- */

/* A hash of the student's name and LMS id: the same share whatever the
   order of the listing or the machine. */
static unsigned shard_of(const struct student *s, unsigned shards)
{
	uint64_t h = 14695981039346656037ULL;
	const char *parts[] = {s->name, s->lms_id};
	for (size_t p = 0; p < ARRAY_SIZE(parts); p++)
		for (const unsigned char *c = (const unsigned char *)parts[p]; ; c++) {
			h = (h ^ *c) * 1099511628211ULL;
			if (!*c)
				break;
		}
	/* FNV's low bits mix poorly (student00..11 all fell in one of 3):
	   MurmurHash3's finalizer spreads every bit before the modulo */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (unsigned)(h % shards);
}

/* .batch/roster: "shard TAB name TAB lms_id TAB file" for every student
   listed (all shards), and .batch/exercise: "exercise TAB title", then
   "points TAB name" a test: what merge needs (no path to the exercise:
   shards may have run on machines with other paths). */
static int write_roster(const struct batch *b)
{
	struct buf r = BUF_INIT, e = BUF_INIT;
	unsigned shards = b->o->shards ? b->o->shards : 1;
	for (size_t i = 0; i < b->n; i++)
		buf_addf(&r, "%u\t%s\t%s\t%s\n", shard_of(&b->st[i], shards), b->st[i].name,
			 b->st[i].lms_id, b->st[i].file);
	buf_addf(&e, "%s\t%s\n", b->spec->exercise, b->spec->title ? b->spec->title : "");
	for (size_t i = 0; i < b->spec->ntests; i++)
		buf_addf(&e, "%.17g\t%s\n", b->spec->tests[i].points, b->spec->tests[i].name);
	char *roster = path_join(b->state, "roster"), *ex = path_join(b->state, "exercise");
	int rc = file_write(roster, buf_str(&r), r.len, 0644);
	if (rc == 0)
		rc = file_write(ex, buf_str(&e), e.len, 0644);
	free(ex);
	free(roster);
	buf_free(&r);
	buf_free(&e);
	return rc;
}

static void student_free(struct student *s)
{
	free(s->name);
	free(s->lms_id);
	free(s->file);
	free(s->submission);
}

/* Keep the students of this shard only. */
static void keep_shard(struct batch *b)
{
	size_t kept = 0;
	if (!b->o->shards)
		return;
	for (size_t i = 0; i < b->n; i++) {
		if (shard_of(&b->st[i], b->o->shards) == b->o->shard)
			b->st[kept++] = b->st[i];
		else
			student_free(&b->st[i]);
	}
	fprintf(stderr, "shard %u/%u: %zu of %zu students\n", b->o->shard, b->o->shards, kept, b->n);
	b->n = kept;
}

/* ---- grades.csv ---- */

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return error_errno("cannot open %s", dir);
	fsync(fd);
	close(fd);
	return 0;
}

/* Replace the gradebook with content (temp file, fsync, rename). */
static int rewrite_csv(struct batch *b, const struct buf *content)
{
	char *tmp = xasprintf("%s.tmp", b->csv);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = fd < 0 ? error_errno("cannot create %s", tmp)
			: write_all(fd, content->data ? content->data : "", content->len);
	if (fd >= 0 && rc == 0 && fsync(fd) < 0)
		rc = error_errno("cannot write %s", tmp);
	if (fd >= 0)
		close(fd);
	if (rc == 0 && rename(tmp, b->csv) < 0)
		rc = error_errno("cannot replace %s", b->csv);
	if (rc == 0)
		rc = fsync_dir(b->outdir);
	free(tmp);
	return rc;
}

static bool full_marks(const char *score, const char *max)
{
	return atof(max) > 0 && atof(score) >= atof(max);
}

/*
 * Read grades.csv back: keep the header and every complete row but the
 * "error" ones, mark their students done, rewrite the file if anything was
 * cut, then open it for appending.
 */
static int load_csv(struct batch *b)
{
	struct buf old = BUF_INIT, keep = BUF_INIT;
	int col_student = column(b->columns, "student"), col_status = column(b->columns, "status");
	int col_id = column(b->columns, "lms_id");
	int col_score = column(b->columns, "score"), col_max = column(b->columns, "max_score");
	int rc = 0;
	if (col_student < 0)
		return error_set("the gradebook has no 'student' column");
	if (path_exists(b->csv) && file_read(b->csv, &old) < 0)
		return -1;
	size_t pos = 0, start = 0;
	char **fields;
	int r = report_csv_next(old.data, old.len, &pos, &fields);
	if (r == 1) {
		if (strncmp(old.data, b->header, pos) || strlen(b->header) != pos)
			rc = error_set("%s has other columns than this grader writes; "
				       "use a new output directory", b->csv);
		strv_free(fields);
	}
	buf_adds(&keep, b->header);
	start = r == 1 ? pos : 0;
	while (rc == 0 && r == 1 && (r = report_csv_next(old.data, old.len, &pos, &fields)) == 1) {
		struct student *s = find_student(b, field(fields, col_student), field(fields, col_id));
		/* a grader fault of a student in this run: drop it, grade again */
		if (!s || strcmp(field(fields, col_status), ERROR_STATUS)) {
			buf_add(&keep, old.data + start, pos - start);
			if (s && !s->done)
				b->full_marks += full_marks(field(fields, col_score),
							    field(fields, col_max));
			if (s)
				s->done = true;
		}
		start = pos;
		strv_free(fields);
	}
	if (rc == 0 && (keep.len != old.len || memcmp(keep.data, old.data, old.len)))
		rc = rewrite_csv(b, &keep);
	if (rc == 0) {
		b->csv_fd = open(b->csv, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (b->csv_fd < 0)
			rc = error_errno("cannot open %s", b->csv);
	}
	buf_free(&old);
	buf_free(&keep);
	return rc;
}

/* One row, one write, on disk before the next. */
static int append_row(struct batch *b, const char *row)
{
	if (write_all(b->csv_fd, row, strlen(row)) < 0 || fsync(b->csv_fd) < 0)
		return error_errno("cannot append to %s", b->csv);
	return 0;
}

static double max_score(const struct spec *s)
{
	double m = 0;
	for (size_t i = 0; i < s->ntests; i++)
		m += s->tests[i].points;
	return m;
}

static char *error_row(const struct batch *b, const struct student *s)
{
	struct buf row = BUF_INIT;
	char *max = xasprintf("%g", max_score(b->spec));
	size_t n = strv_len(b->columns);
	for (size_t i = 0; i < n; i++) {
		const char *c = b->columns[i];
		const char *v = !strcmp(c, "student") ? s->name
			      : !strcmp(c, "lms") ? (s->lms ? s->lms : "")
			      : !strcmp(c, "lms_id") ? s->lms_id
			      : !strcmp(c, "late") ? (s->late ? "yes" : "")
			      : !strcmp(c, "feedback") ? "not graded yet: the grader failed"
			      : !strcmp(c, "status") ? ERROR_STATUS
			      : !strcmp(c, "max_score") ? max
			      : !strcmp(c, "submission") ? s->submission : "";
		report_csv_field(&row, v, i + 1 == n);
	}
	free(max);
	return buf_detach(&row);
}

/* ---- the worker ---- */

static char *msg_path(const struct batch *b, pid_t pid)
{
	char *name = xasprintf("%d.msg", (int)pid);
	char *p = path_join(b->state, name);
	free(name);
	return p;
}

static char *report_path(const struct batch *b, const struct student *s, const char *ext)
{
	char *name = xasprintf("%s.%s", s->file, ext);
	char *p = path_join(b->reports, name);
	free(name);
	return p;
}

static int write_text_report(const struct batch *b, const struct student *s,
			     const struct result *r)
{
	char *path = report_path(b, s, "txt");
	FILE *f = fopen(path, "we");
	int rc = f ? report_terminal(r, f, false, TERM_NORMAL) : error_errno("cannot create %s", path);
	if (f && fclose(f) != 0 && rc == 0)
		rc = error_errno("cannot write %s", path);
	free(path);
	return rc;
}

/* Each test's outcome, for the summary: "1\tname" passed, "0\tname" not. */
static int write_outcomes(const struct batch *b, const struct student *s, const struct result *r)
{
	struct buf t = BUF_INIT;
	for (size_t i = 0; i < r->ntests; i++) {
		buf_addf(&t, "%d\t", r->tests[i].passed ? 1 : 0);
		for (const char *c = r->tests[i].name ? r->tests[i].name : "?"; *c; c++)
			buf_addc(&t, *c == '\n' || *c == '\t' ? ' ' : *c);
		buf_addc(&t, '\n');
	}
	char *name = xasprintf("%s.tests", s->file);
	char *path = path_join(b->state, name);
	int rc = file_write(path, t.data ? t.data : "", t.len, 0644);
	free(name);
	free(path);
	buf_free(&t);
	return rc;
}

static int write_reports(const struct batch *b, const struct student *s, const struct result *r)
{
	char *json = report_path(b, s, "json"), *html = report_path(b, s, "html");
	int rc = write_text_report(b, s, r);
	if (rc == 0)
		rc = report_gradescope(r, json);
	if (rc == 0)
		rc = report_html(r, html);
	if (rc == 0)
		rc = write_outcomes(b, s, r);
	free(json);
	free(html);
	return rc;
}

/* The message the parent reads: "ok SCORE MAX\nROW" or "error\nMESSAGE". */
static void leave_message(const struct batch *b, const struct buf *msg)
{
	char *path = msg_path(b, getpid());
	char *tmp = xasprintf("%s.tmp", path);
	if (file_write(tmp, msg->data, msg->len, 0644) == 0)
		rename(tmp, path);
	free(tmp);
	free(path);
}

static void worker_setup(const struct batch *b)
{
	sigset_t none;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != b->parent)
		_exit(1);
	close(b->lock_fd);
	close(b->csv_fd);
}

/* Take the OUTDIR lock: a POSIX record lock, which belongs to this process
   alone (fork does not pass it on), so a killed batch's workers, dying a
   moment later, never keep a resumed batch out.  0 or -1. */
static int lock_outdir(int fd)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	return fcntl(fd, F_SETLK, &fl);
}

static void __attribute__((noreturn)) worker_main(const struct batch *b, const struct student *s)
{
	struct grade_opts go = b->o->grade;
	struct result r;
	struct buf msg = BUF_INIT;
	worker_setup(b);
	go.quiet = true;
	memset(&r, 0, sizeof(r));
	if (b->grade(b->spec, s->submission, &go, &r) < 0) {
		buf_addf(&msg, "error\n%s", error_get());
		leave_message(b, &msg);
		_exit(3);
	}
	free(r.student);
	r.student = xstrdup(s->name);
	r.lms = s->lms;
	r.lms_id = xstrdup(s->lms_id);
	r.late = s->late;
	if (write_reports(b, s, &r) < 0) {
		buf_addf(&msg, "error\ncannot write the reports: %s", error_get());
		leave_message(b, &msg);
		_exit(3);
	}
	char *row = render_row(&r);
	buf_addf(&msg, "ok %.17g %.17g\n%s", r.score, r.max_score, row);
	leave_message(b, &msg);
	free(row);
	result_free(&r);
	_exit(0);
}

/* ---- the parent ---- */

static char *worker_tmp(const struct batch *b, size_t i)
{
	char *name = xasprintf("%zu", i);
	char *p = path_join(b->tmp, name);
	free(name);
	return p;
}

static int start_worker(struct batch *b, size_t i)
{
	char *tmp = worker_tmp(b, i);
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST) {
		error_errno("cannot create %s", tmp);
		free(tmp);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		free(tmp);
		return error_errno("cannot start a grader process");
	}
	if (pid == 0) {
		set_temp_root(tmp);
		worker_main(b, &b->st[i]);
	}
	free(tmp);
	setpgid(pid, pid);
	b->w[b->nw++] = (struct worker){pid, i, now_ms(), false};
	return 0;
}

static char *why_failed(const struct batch *b, const struct worker *w, int status)
{
	if (w->timed_out)
		return xasprintf("the grader took longer than %.0f s and was stopped",
				 b->timeout_ms / 1000);
	if (WIFSIGNALED(status))
		return xasprintf("the grader process was killed by signal %d (%s)",
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
	return xasprintf("the grader process exited with status %d and no result",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void log_error(struct batch *b, const struct student *s, const char *message)
{
	char *line = xasprintf("%s: %s\n", s->name, message);
	for (char *c = line; c[1]; c++)
		if (*c == '\n')
			*c = ' ';
	int fd = open(b->errors, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		write_all(fd, line, strlen(line));
		close(fd);
	}
	free(line);
}

/* Record what worker w left, whatever happened to it.  -1: cannot write. */
static int finish_worker(struct batch *b, const struct worker *w, int status)
{
	struct student *s = &b->st[w->student];
	char *path = msg_path(b, w->pid);
	struct buf msg = BUF_INIT;
	double score = 0, max = 0, ms = now_ms() - w->start;
	int used = 0, rc;
	bool ok = false;
	if (path_exists(path) && file_read(path, &msg) == 0 && strchr(buf_str(&msg), '\n')) {
		used = (int)(strchr(msg.data, '\n') - msg.data) + 1;
		ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !w->timed_out &&
		     sscanf(msg.data, "ok %lf %lf", &score, &max) == 2;
	}
	unlink(path);
	free(path);
	b->finished++;
	if (ok) {
		rc = append_row(b, msg.data + used);
		char *what = xasprintf("%g/%g (%.1f s)", score, max, ms / 1000);
		progress_student(&b->progress, s->name, what, max > 0 && score >= max, false);
		free(what);
	} else {
		char *why = str_starts(buf_str(&msg), "error\n") ? xstrdup(msg.data + 6)
								 : why_failed(b, w, status);
		char *row = error_row(b, s);
		rc = append_row(b, row);
		log_error(b, s, why);
		char *what = xasprintf("error: %s", why);
		progress_student(&b->progress, s->name, what, false, true);
		free(what);
		free(row);
		free(why);
	}
	s->done = true;
	buf_free(&msg);
	return rc;
}

static double next_deadline(const struct batch *b)
{
	double soonest = b->o->jobs > 0 ? 1000 : LEVEL_WINDOW_MS;
	for (size_t i = 0; i < b->nw; i++) {
		double left = b->w[i].start + b->timeout_ms - now_ms();
		if (left < soonest)
			soonest = left;
	}
	return soonest < 0 ? 0 : soonest;
}

/* Sleep until a worker ends, a deadline passes or a stop signal arrives. */
static void wait_event(const struct batch *b, const sigset_t *unblocked)
{
	long long ns = (long long)(next_deadline(b) * 1e6);
	struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
	ppoll(NULL, 0, &ts, unblocked);
}

static void kill_overdue(struct batch *b)
{
	for (size_t i = 0; i < b->nw; i++) {
		struct worker *w = &b->w[i];
		if (!w->timed_out && now_ms() - w->start > b->timeout_ms) {
			w->timed_out = true;
			kill(-w->pid, SIGKILL);
			kill(w->pid, SIGKILL);
		}
	}
}

/* Reap every ended worker.  -1: the gradebook cannot be written. */
static int reap(struct batch *b, bool record)
{
	int rc = 0;
	for (size_t i = 0; i < b->nw;) {
		int status;
		pid_t p = waitpid(b->w[i].pid, &status, WNOHANG);
		if (p == 0) {
			i++;
			continue;
		}
		if (p > 0 && record && finish_worker(b, &b->w[i], status) < 0)
			rc = -1;
		if (p > 0 && !record) {
			char *path = msg_path(b, p);
			unlink(path);
			free(path);
		}
		if (p > 0) {
			char *tmp = worker_tmp(b, b->w[i].student);
			rm_rf(tmp);
			free(tmp);
		}
		b->w[i] = b->w[--b->nw];
	}
	return rc;
}

static void stop_all(struct batch *b, const sigset_t *unblocked)
{
	for (size_t i = 0; i < b->nw; i++) {
		kill(-b->w[i].pid, SIGKILL);
		kill(b->w[i].pid, SIGKILL);
	}
	while (b->nw) {
		reap(b, false);
		if (b->nw)
			wait_event(b, unblocked);
	}
}

/* ---- how many at once ----
 *
 * With -j N, N.  By default, as many as the CPUs have room for: the tests
 * of a submission often sleep (event_gate's timeouts: nine seconds of a
 * reference's ten), and a worker that sleeps holds no CPU.  The level
 * starts at one worker per CPU.  Every LEVEL_WINDOW_MS while the level is
 * reached, the batch counts its processes (the workers, their compilers
 * and tests, from /proc) that are running or want to run: when the last
 * two counts both leave at least one CPU free, the level goes up by one;
 * when their mean is more than the CPUs, it goes down by one, never below
 * one per CPU.  A worker that ends is replaced at once while the level
 * allows it.  So a batch keeps about as much work ready to run as there
 * are CPUs, as with one worker per CPU: timed checks and CPU-time checks
 * (busy_wait) judge under the load they are written for
 * (tests/stability.sh), and spinners that show up bring the level down.
 * Other users' load is not counted: it slows the batch as it would at
 * -j CPUS, no more.  At most LEVEL_MAX_PER_CPU per CPU (8 kept event_gate
 * from its goal: bench/RESULTS.md, batch).
 */

/* The processes under root (root left out) that are running or runnable. */
static double runnable_below(pid_t root)
{
	struct proc_state { pid_t pid, ppid; bool runs, ours; } *ps = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], state;
		int pid, ppid;
		struct buf text = BUF_INIT;
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		const char *close_paren = NULL;
		if (file_read(path, &text) == 0)
			close_paren = strrchr(buf_str(&text), ')');
		if (close_paren && sscanf(buf_str(&text), "%d", &pid) == 1 &&
		    sscanf(close_paren + 1, " %c %d", &state, &ppid) == 2) {
			grow(&ps, &cap, n + 1, sizeof(*ps));
			ps[n++] = (struct proc_state){pid, ppid, state == 'R', ppid == root};
		}
		buf_free(&text);
	}
	closedir(d);            /* (a process gone meanwhile is left out) */
	for (bool more = true; more;) {         /* ours: a descendant of ours */
		more = false;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; !ps[i].ours && j < n; j++)
				if (ps[j].ours && ps[j].pid == ps[i].ppid)
					more = ps[i].ours = true;
	}
	double runs = 0;
	for (size_t i = 0; i < n; i++)
		runs += ps[i].ours && ps[i].runs;
	free(ps);
	return runs;
}

/* The level for the next window (jobs 0), counted while it is reached. */
static void adjust_level(struct batch *b)
{
	if (b->o->jobs > 0 || b->nw < b->level || now_ms() - b->sampled < LEVEL_WINDOW_MS)
		return;
	b->sampled = now_ms();
	double last = b->runnable, now = b->o->runnable ? b->o->runnable() : runnable_below(b->parent);
	b->runnable = now;
	if (last < 0 || now < 0)
		return;
	if ((last > now ? last : now) + 1 <= (double)b->cpus && b->level < b->jobs)
		b->level++;
	else if ((last + now) / 2 > (double)b->cpus && b->level > b->cpus)
		b->level--;
}

static void tick(struct batch *b)
{
	double slowest = 0;
	for (size_t i = 0; i < b->nw; i++)
		if (now_ms() - b->w[i].start > slowest)
			slowest = now_ms() - b->w[i].start;
	progress_tick(&b->progress, b->nw, slowest);
}

static int run_workers(struct batch *b)
{
	struct sigaction stop = {.sa_handler = on_stop}, child = {.sa_handler = on_child};
	struct sigaction old_int, old_term, old_chld;
	sigset_t block, old_mask;
	size_t next = 0;
	int rc = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	sigaction(SIGINT, &stop, &old_int);
	sigaction(SIGTERM, &stop, &old_term);
	sigaction(SIGCHLD, &child, &old_chld);
	sigset_t unblocked = old_mask;
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGCHLD);
	interrupted = 0;
	b->w = xcalloc(b->jobs, sizeof(*b->w));
	for (;;) {
		while (next < b->n && b->st[next].done)
			next++;
		adjust_level(b);
		if (rc == 0 && !interrupted && b->nw < b->level && next < b->n) {
			if (start_worker(b, next) == 0) {
				next++;
				if (b->nw > b->most)
					b->most = b->nw;
				continue;
			}
			if (b->nw == 0)
				rc = -1;
		}
		if (b->nw == 0 || interrupted || rc < 0)
			break;
		tick(b);
		wait_event(b, &unblocked);
		kill_overdue(b);
		if (reap(b, true) < 0)
			rc = -1;
	}
	if (interrupted)
		rc = error_set("interrupted by signal %d: %zu of %zu graded; run again to resume",
			       (int)interrupted, b->finished, b->n);
	stop_all(b, &unblocked);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGCHLD, &old_chld, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return rc;
}

/* ---- summary ---- */

struct tally {
	char **tests;
	size_t *fails, n;
	size_t ran;
};

static void tally_test(struct tally *t, const char *name, bool passed)
{
	size_t i = 0;
	while (i < t->n && strcmp(t->tests[i], name))
		i++;
	if (i == t->n) {
		strv_push(&t->tests, name);
		t->fails = xrealloc(t->fails, (t->n + 1) * sizeof(*t->fails));
		t->fails[t->n++] = 0;
	}
	t->fails[i] += !passed;
}

static void tally_student(const struct batch *b, struct tally *t, const char *name,
			  const char *lms_id)
{
	struct student *s = find_student((struct batch *)b, name, lms_id);
	struct buf data = BUF_INIT;
	if (!s)
		return;
	char *file = xasprintf("%s.tests", s->file);
	char *path = path_join(b->state, file);
	if (path_exists(path) && file_read(path, &data) == 0 && data.len) {
		t->ran++;
		for (char *line = data.data; *line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			if (strlen(line) > 2)
				tally_test(t, line + 2, line[0] == '1');
			line = nl ? nl + 1 : line + strlen(line);
		}
	}
	buf_free(&data);
	free(path);
	free(file);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void summary_scores(struct buf *out, double *pct, double *score, size_t n, double max)
{
	size_t hist[11] = {0}, top = 1;
	double sum = 0;
	if (!n)
		return;
	for (size_t i = 0; i < n; i++) {
		sum += score[i];
		int k = pct[i] >= 100 ? 10 : pct[i] < 0 ? 0 : (int)(pct[i] / 10);
		if (++hist[k] > top)
			top = hist[k];
	}
	qsort(score, n, sizeof(*score), cmp_double);
	double median = n % 2 ? score[n / 2] : (score[n / 2 - 1] + score[n / 2]) / 2;
	buf_addf(out, "score (out of %g): mean %.2f, median %g, min %g, max %g\n\n", max, sum / n,
		 median, score[0], score[n - 1]);
	buf_adds(out, "histogram (percent of the maximum):\n");
	for (int k = 0; k <= 10; k++) {
		char label[16];
		snprintf(label, sizeof(label), k == 10 ? "100%%" : "%d-%d%%", k * 10, k * 10 + 9);
		buf_addf(out, "  %-8s %5zu", label, hist[k]);
		if (hist[k])
			buf_adds(out, "  ");
		for (size_t j = 0; j < (hist[k] * 40 + top - 1) / top; j++)
			buf_addc(out, '#');
		buf_addc(out, '\n');
	}
}

/* One line a test, the counts in one column whatever the names' widths
   (wide characters count two). */
static void summary_failures(struct buf *out, const struct tally *t)
{
	size_t width = 0;
	for (size_t i = 0; i < t->n; i++)
		if (text_cols(t->tests[i]) > width)
			width = text_cols(t->tests[i]);
	for (size_t i = 0; i < t->n; i++) {
		buf_addf(out, "  %s%*s %5zu  (%3.0f%%)\n", t->tests[i],
			 (int)(width - text_cols(t->tests[i])), "", t->fails[i],
			 100.0 * t->fails[i] / t->ran);
	}
}

static void summary_errors(const struct batch *b, struct buf *out, char **errored)
{
	struct buf log = BUF_INIT;
	if (!errored)
		return;
	buf_adds(out, "\ngrader errors (retried on the next run with this output directory):\n");
	if (path_exists(b->errors))
		file_read(b->errors, &log);
	for (size_t i = 0; errored[i]; i++) {
		/* the last message logged for this student */
		char *key = xasprintf("%s: ", errored[i]);
		const char *msg = NULL;
		for (const char *l = buf_str(&log); *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "")
			if ((l == log.data || l[-1] == '\n') && str_starts(l, key))
				msg = l;
		if (msg)
			buf_addf(out, "  %.*s\n", (int)strcspn(msg, "\n"), msg);
		else
			buf_addf(out, "  %s\n", errored[i]);
		free(key);
	}
	buf_free(&log);
}

static int write_summary(struct batch *b)
{
	struct buf csv = BUF_INIT, out = BUF_INIT;
	struct tally t = {0};
	char **fields, **errored = NULL, **status = NULL;
	size_t *status_n = NULL, nstatus = 0, n = 0, cap = 0;
	double *pct = NULL, *score = NULL;
	int c_student = column(b->columns, "student"), c_status = column(b->columns, "status");
	int c_score = column(b->columns, "score"), c_max = column(b->columns, "max_score");
	int c_id = column(b->columns, "lms_id");
	size_t pos = 0;
	if (file_read(b->csv, &csv) < 0)
		return -1;
	for (size_t i = 0; i < b->spec->ntests; i++)
		tally_test(&t, b->spec->tests[i].name, true);
	report_csv_next(csv.data, csv.len, &pos, &fields);
	strv_free(fields);
	while (report_csv_next(csv.data, csv.len, &pos, &fields) == 1) {
		const char *st = field(fields, c_status);
		size_t k = 0;
		while (k < nstatus && strcmp(status[k], st))
			k++;
		if (k == nstatus) {
			strv_push(&status, st);
			status_n = xrealloc(status_n, (nstatus + 1) * sizeof(*status_n));
			status_n[nstatus++] = 0;
		}
		status_n[k]++;
		if (!strcmp(st, ERROR_STATUS)) {
			strv_push(&errored, field(fields, c_student));
		} else {
			double sc = atof(field(fields, c_score)), mx = atof(field(fields, c_max));
			grow(&pct, &cap, n + 1, sizeof(*pct));
			score = xrealloc(score, cap * sizeof(*score));
			score[n] = sc;
			pct[n++] = mx > 0 ? 100 * sc / mx : 0;
			tally_student(b, &t, field(fields, c_student), field(fields, c_id));
		}
		strv_free(fields);
	}
	size_t rows = n + strv_len(errored), todo = 0;
	for (size_t i = 0; i < b->n; i++)
		todo += !b->st[i].done;
	buf_addf(&out, "%s%s%s%s\n\n", b->spec->exercise, b->spec->title ? " (" : "",
		 b->spec->title ? b->spec->title : "", b->spec->title ? ")" : "");
	buf_addf(&out, "submissions: %zu in the gradebook, %zu graded, %zu grader errors, %zu to do\n",
		 rows, n, strv_len(errored), todo);
	buf_adds(&out, "status:");
	for (size_t k = 0; k < nstatus; k++)
		buf_addf(&out, "%s %s %zu", k ? "," : "", status[k], status_n[k]);
	buf_adds(&out, "\n");
	summary_scores(&out, pct, score, n, max_score(b->spec));
	if (t.ran) {
		buf_addf(&out, "\nfailures by test (of %zu submissions that ran):\n", t.ran);
		summary_failures(&out, &t);
	}
	summary_errors(b, &out, errored);
	char *path = path_join(b->outdir, "summary.txt");
	int rc = file_write(path, out.data, out.len, 0644);
	free(path);
	free(pct);
	free(score);
	free(status_n);
	strv_free(status);
	strv_free(errored);
	strv_free(t.tests);
	free(t.fails);
	buf_free(&csv);
	buf_free(&out);
	return rc;
}

/* ---- setup ---- */

static double time_budget_ms(const struct spec *s)
{
	double ms = (double)spec_build_limits(s).wall_ms;
	for (size_t i = 0; i < s->ntests; i++) {
		long repeat = s->tests[i].repeat > 1 ? s->tests[i].repeat : 1;
		ms += (double)spec_limits(s, &s->tests[i]).wall_ms * (double)repeat;
	}
	return 2 * ms + 5000;
}

/* The workers' temporary roots, in a fresh temporary directory named in
   .batch/tmpdir: a run killed before removing it leaves it to the next. */
static int make_batch_tmp(struct batch *b)
{
	char *note = path_join(b->state, "tmpdir");
	struct buf old = BUF_INIT;
	if (path_exists(note) && file_read(note, &old) == 0 && old.len &&
	    str_starts(path_base(old.data), "grader-batch-"))
		rm_rf(old.data);
	buf_free(&old);
	b->tmp = make_temp_dir("batch");
	int rc = !b->tmp ? -1 : file_write(note, b->tmp, strlen(b->tmp), 0644);
	free(note);
	return rc;
}

static int open_outdir(struct batch *b)
{
	b->reports = path_join(b->outdir, "reports");
	b->state = path_join(b->outdir, ".batch");
	b->csv = path_join(b->outdir, "grades.csv");
	b->errors = path_join(b->outdir, "errors.txt");
	if (mkdir_p(b->reports, 0755) < 0 || mkdir_p(b->state, 0755) < 0)
		return -1;
	char *lock = path_join(b->state, "lock");
	b->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(lock);
	if (b->lock_fd < 0)
		return error_errno("cannot create a lock in %s", b->state);
	if (lock_outdir(b->lock_fd) < 0)
		return error_set("another batch is writing to %s", b->outdir);
	if (make_batch_tmp(b) < 0)
		return -1;
	b->header = render_row(NULL);
	size_t pos = 0;
	if (report_csv_next(b->header, strlen(b->header), &pos, &b->columns) != 1)
		return error_set("the gradebook header cannot be read back");
	return 0;
}

/* OUTDIR/<format>.csv, from grades.csv */
static int export(const struct batch *b)
{
	char *name = xasprintf("%s.csv", b->o->format), *path = path_join(b->outdir, name);
	int rc = gradebook_export(b->o->format, b->csv, b->spec->exercise, path);
	free(path);
	free(name);
	return rc;
}

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		student_free(&b->st[i]);
	free(b->st);
	free(b->w);
	free(b->reports);
	free(b->state);
	free(b->csv);
	free(b->errors);
	if (b->tmp)
		rm_rf(b->tmp);
	free(b->tmp);
	free(b->header);
	strv_free(b->columns);
	if (b->csv_fd >= 0)
		close(b->csv_fd);
	if (b->lock_fd >= 0)
		close(b->lock_fd);
}

int batch_run_with(const struct spec *s, char *const *submissions, const struct batch_opts *o,
		   batch_grade_fn grade)
{
	struct batch b = {.spec = s, .o = o, .grade = grade, .outdir = (char *)o->outdir,
			  .csv_fd = -1, .lock_fd = -1, .parent = getpid()};
	cpu_set_t mine;         /* the CPUs this process may use (Slurm's, a container's) */
	long cores = sched_getaffinity(0, sizeof(mine), &mine) == 0 ? CPU_COUNT(&mine)
								      : sysconf(_SC_NPROCESSORS_ONLN);
	b.cpus = cores > 0 ? (size_t)cores : 1;
	b.jobs = o->jobs > 0 ? (size_t)o->jobs : b.cpus * LEVEL_MAX_PER_CPU;
	b.level = o->jobs > 0 ? (size_t)o->jobs : b.cpus;
	b.runnable = -1;
	b.timeout_ms = time_budget_ms(s);
	int rc = mkdir_p(o->outdir, 0755);
	if (rc == 0)
		rc = open_outdir(&b);
	if (rc == 0)
		rc = list_students(&b, submissions);
	if (rc == 0)
		rc = write_roster(&b);
	if (rc == 0) {
		keep_shard(&b);
		rc = load_csv(&b);
	}
	if (rc == 0) {
		for (size_t i = 0; i < b.n; i++)
			b.finished += b.st[i].done;
		if (b.finished)
			fprintf(stderr, "resuming: %zu of %zu already in %s\n", b.finished, b.n, b.csv);
		progress_start(&b.progress, STDERR_FILENO, b.n, b.finished, b.full_marks);
		rc = run_workers(&b);
		progress_end(&b.progress, b.most);
		/* a summary of what is there, even after an interruption */
		struct buf keep = BUF_INIT;
		buf_adds(&keep, error_get());
		if (write_summary(&b) < 0 || (o->format && export(&b) < 0))
			rc = -1;
		else if (rc < 0)
			error_set("%s", buf_str(&keep));
		buf_free(&keep);
	}
	batch_free(&b);
	return rc;
}

int batch_run(const struct spec *s, char *const *submissions, const struct batch_opts *o)
{
	return batch_run_with(s, submissions, o, grade_submission);
}

/* ---- merge ---- */

/* The students of a roster (write_roster), none done. */
static void read_roster(struct batch *b, const char *text)
{
	for (const char *l = text; *l;) {
		size_t n = strcspn(l, "\n");
		char *line = xstrndup(l, n), *f[4] = {0}, *rest = line;
		for (int i = 0; i < 4; i++)
			f[i] = strsep(&rest, "\t");
		if (f[3]) {
			b->st = xrealloc(b->st, (b->n + 1) * sizeof(*b->st));
			b->st[b->n++] = (struct student){xstrdup(f[1]), xstrdup(f[2]), NULL, false,
							 xstrdup(f[3]), xstrdup(""), false};
		}
		free(line);
		l += n + (l[n] == '\n');
	}
}

/* in/rel into b's outdir/rel, when it is there. */
static int copy_if_there(const struct batch *b, const char *in, const char *rel)
{
	char *from = path_join(in, rel), *to = path_join(b->outdir, rel);
	int rc = path_exists(from) ? file_copy(from, to) : 0;
	free(from);
	free(to);
	return rc;
}

/* A student's reports and test outcomes, from shard in. */
static int copy_student(const struct batch *b, const char *in, const struct student *s)
{
	static const char *const kinds[][2] = {{"reports", "txt"}, {"reports", "json"},
					       {"reports", "html"}, {".batch", "tests"}};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(kinds); i++) {
		char *rel = xasprintf("%s/%s.%s", kinds[i][0], s->file, kinds[i][1]);
		rc = copy_if_there(b, in, rel);
		free(rel);
	}
	return rc;
}

/* Add the rows of shard in to rows (refusing a student seen already). */
static int merge_shard(struct batch *b, const char *in, struct buf *rows, struct buf *errors)
{
	char *csv = path_join(in, "grades.csv"), *err = path_join(in, "errors.txt"), **fields;
	struct buf data = BUF_INIT;
	size_t pos = 0, start;
	int rc = file_read(csv, &data), r;
	int c_student = column(b->columns, "student"), c_id = column(b->columns, "lms_id");
	if (rc == 0 && (report_csv_next(data.data, data.len, &pos, &fields) != 1 ||
			strlen(b->header) != pos || strncmp(data.data, b->header, pos)))
		rc = error_set("%s has other columns than this grader writes", csv);
	if (pos)
		strv_free(fields);
	for (start = pos; rc == 0 && (r = report_csv_next(data.data, data.len, &pos, &fields)) == 1;
	     start = pos) {
		const char *name = field(fields, c_student), *id = field(fields, c_id);
		struct student *s = find_student(b, name, id);
		if (!s)
			rc = error_set("%s: %s%s%s is not in the shards' student list", csv, name,
				       *id ? " " : "", id);
		else if (s->done)
			rc = error_set("%s%s%s is in two shards (the second: %s): shards of one batch "
				       "share no student", name, *id ? " " : "", id, in);
		else {
			s->done = true;
			buf_add(rows, data.data + start, pos - start);
			rc = copy_student(b, in, s);
		}
		strv_free(fields);
	}
	if (rc == 0 && path_exists(err))
		rc = file_read(err, errors);
	buf_free(&data);
	free(csv);
	free(err);
	return rc;
}

/* The roster and exercise of shard in: 0, or -1 (error set). */
static int read_state(const char *in, struct buf *roster, struct buf *spec)
{
	char *r = path_join(in, ".batch/roster"), *s = path_join(in, ".batch/exercise");
	int rc = !path_exists(r) ? error_set("%s is not the output of a batch (no .batch/roster)", in)
	       : file_read(r, roster) < 0 || file_read(s, spec) < 0 ? -1 : 0;
	free(r);
	free(s);
	return rc;
}

/* Everyone in no shard: -1 naming the first few, or 0. */
static int missing_students(const struct batch *b)
{
	struct buf names = BUF_INIT;
	size_t missing = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (b->st[i].done)
			continue;
		if (++missing <= 5)
			buf_addf(&names, "%s%s%s%s", missing > 1 ? ", " : "", b->st[i].name,
				 *b->st[i].lms_id ? " " : "", b->st[i].lms_id);
	}
	int rc = missing ? error_set("%zu of %zu students are in no shard's gradebook (%s%s): "
				     "run their shards, then merge again", missing, b->n,
				     buf_str(&names), missing > 5 ? ", ..." : "")
			 : 0;
	buf_free(&names);
	return rc;
}

static int merge_into(struct batch *b, char *const *indirs, struct buf *rows)
{
	struct buf errors = BUF_INIT;
	int rc = 0;
	buf_adds(rows, b->header);
	for (size_t i = 0; rc == 0 && indirs[i]; i++)
		rc = merge_shard(b, indirs[i], rows, &errors);
	if (rc == 0)
		rc = rewrite_csv(b, rows);
	if (rc == 0)
		rc = file_write(b->errors, errors.data ? errors.data : "", errors.len, 0644);
	for (size_t i = 0; i < b->n; i++)
		b->finished += b->st[i].done;
	if (rc == 0 && (write_summary(b) < 0 || (b->o->format && export(b) < 0)))
		rc = -1;
	if (rc == 0)
		rc = missing_students(b);
	buf_free(&errors);
	return rc;
}

/* What write_roster wrote of the exercise, as much of a spec as the
   summary reads. */
static void parse_exercise(char *text, struct spec *s)
{
	memset(s, 0, sizeof(*s));
	char *line = strsep(&text, "\n"), *title = line;
	s->exercise = xstrdup(strsep(&title, "\t"));
	s->title = title && *title ? xstrdup(title) : NULL;
	while (text && (line = strsep(&text, "\n")) && *line) {
		char *name = strchr(line, '\t');
		if (!name)
			continue;
		s->tests = xrealloc(s->tests, (s->ntests + 1) * sizeof(*s->tests));
		memset(&s->tests[s->ntests], 0, sizeof(*s->tests));
		s->tests[s->ntests].points = atof(line);
		s->tests[s->ntests++].name = xstrdup(name + 1);
	}
}

static void free_exercise(struct spec *s)
{
	for (size_t i = 0; i < s->ntests; i++)
		free(s->tests[i].name);
	free(s->tests);
	free(s->exercise);
	free(s->title);
}

int batch_merge(char *const *indirs, const struct batch_opts *o)
{
	struct batch b = {.o = o, .outdir = (char *)o->outdir, .csv_fd = -1, .lock_fd = -1,
			  .parent = getpid()};
	struct buf roster = BUF_INIT, exercise = BUF_INIT, rows = BUF_INIT;
	struct spec spec;
	bool loaded = false;
	int rc = read_state(indirs[0], &roster, &exercise);
	for (size_t i = 1; rc == 0 && indirs[i]; i++) {
		struct buf other = BUF_INIT, other_exercise = BUF_INIT;
		rc = read_state(indirs[i], &other, &other_exercise);
		if (rc == 0 && (strcmp(buf_str(&other), buf_str(&roster)) ||
				strcmp(buf_str(&other_exercise), buf_str(&exercise))))
			rc = error_set("%s and %s are not shards of one batch (their exercises or "
				       "student lists differ)", indirs[0], indirs[i]);
		buf_free(&other);
		buf_free(&other_exercise);
	}
	loaded = rc == 0;
	char *text = xstrdup(buf_str(&exercise));
	if (loaded)
		parse_exercise(text, &spec);
	free(text);
	b.spec = &spec;
	if (rc == 0)
		rc = mkdir_p(o->outdir, 0755);
	if (rc == 0)
		rc = open_outdir(&b);
	if (rc == 0) {
		read_roster(&b, buf_str(&roster));
		rc = merge_into(&b, indirs, &rows);
	}
	batch_free(&b);
	if (loaded)
		free_exercise(&spec);
	buf_free(&roster);
	buf_free(&exercise);
	buf_free(&rows);
	return rc;
}
