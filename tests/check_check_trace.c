/*
 * check_check_trace.c - the checks that read a trace (grader/check_trace.c),
 * each made to pass and to fail on hand-built traces.  Expectations are
 * written as spec YAML and parsed by spec_load, so the schemas (shorthands,
 * enums, validation messages) are tested with them.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "check.h"
#include "result.h"
#include "spec.h"
#include "trace.h"
#include "util.h"

/* ---- a trace builder ---- */

struct tb {
	struct trace t;
	size_t cap_ev, cap_procs;
	unsigned long seq;
};

static struct event *tb_ev(struct tb *b, int proc, enum event_kind k)
{
	grow(&b->t.ev, &b->cap_ev, b->t.nev + 1, sizeof(*b->t.ev));
	struct event *e = &b->t.ev[b->t.nev++];
	memset(e, 0, sizeof(*e));
	e->seq = ++b->seq;
	e->t_ms = (double)b->seq;
	e->proc = proc;
	e->pid = 1000 + proc;
	e->kind = k;
	return e;
}

/* A new process created by parent (-1: the program); returns its index. */
static int tb_proc(struct tb *b, int parent)
{
	grow(&b->t.procs, &b->cap_procs, b->t.nprocs + 1, sizeof(*b->t.procs));
	int idx = (int)b->t.nprocs++;
	struct proc *p = &b->t.procs[idx];
	memset(p, 0, sizeof(*p));
	p->index = idx;
	p->pid = 1000 + idx;
	p->parent = parent;
	p->reaper = -1;
	p->exit_code = -1;
	p->cpu_ms = 1;
	if (parent >= 0) {
		struct event *e = tb_ev(b, parent, EV_FORK);
		e->fork.child = idx;
		e->fork.child_pid = p->pid;
		p->seq_start = e->seq;
	} else {
		p->seq_start = tb_ev(b, idx, EV_EXEC)->seq;
	}
	return idx;
}

static void tb_exit(struct tb *b, int proc, int code)
{
	struct event *e = tb_ev(b, proc, EV_EXIT);
	e->exit.code = code;
	b->t.procs[proc].exited = true;
	b->t.procs[proc].exit_code = code;
	b->t.procs[proc].seq_exit = e->seq;
}

static void tb_reap(struct tb *b, int reaper, int child)
{
	struct event *e = tb_ev(b, reaper, EV_REAP);
	e->reap.child = child;
	b->t.procs[child].reaper = reaper;
	b->t.procs[child].seq_reaped = e->seq;
}

static void tb_marker(struct tb *b, int proc, const char *text)
{
	tb_ev(b, proc, EV_MARKER)->marker.text = xstrdup(text);
}

static void tb_open(struct tb *b, int proc, const char *path, long flags, long fd)
{
	struct event *e = tb_ev(b, proc, EV_OPEN);
	e->open.path = xstrdup(path);
	e->open.resolved = xasprintf("/tmp/run/%s", path);
	e->open.flags = flags;
	e->open.type = S_IFREG;
	e->ret = fd;
}

static void tb_write(struct tb *b, int proc, const char *path)
{
	struct event *e = tb_ev(b, proc, EV_WRITE);
	e->write.path = xasprintf("/tmp/run/%s", path);
	e->write.fd = 3;
	e->write.calls = 1;
	e->ret = 10;
}

/* A program with two children, each forked, exited and reaped in turn. */
static void tb_two_children(struct tb *b)
{
	int p = tb_proc(b, -1);
	int c1 = tb_proc(b, p);
	tb_exit(b, c1, 0);
	tb_reap(b, p, c1);
	int c2 = tb_proc(b, p);
	tb_exit(b, c2, 0);
	tb_reap(b, p, c2);
}

/* ---- running a check from YAML ---- */

struct fixture {
	char *dir;
	struct spec spec;
	struct tb b;
	struct buf msg;
	bool loaded;
};

static struct fixture F;

static void setup(void)
{
	memset(&F, 0, sizeof(F));
	F.b.t.complete = true;
	F.dir = make_temp_dir("check_trace");
}

static void teardown(void)
{
	if (F.loaded)
		spec_free(&F.spec);
	for (size_t i = 0; i < F.b.t.nev; i++)
		event_free_strings(&F.b.t.ev[i]);
	free(F.b.t.ev);
	free(F.b.t.procs);
	buf_free(&F.msg);
	rm_rf(F.dir);
	free(F.dir);
}

/* spec_load of one test whose expect list is `expect`; 0 or -1. */
static int load(const char *expect)
{
	char *yaml = xasprintf("exercise: t\nstudent_files: [t.c]\n"
			       "build: {sources: [t.c]}\n"
			       "tests:\n  - name: one\n    run: [harness]\n    expect:\n%s", expect);
	char *path = path_join(F.dir, "spec.yaml");
	ck_assert_int_eq(file_write(path, yaml, strlen(yaml), 0644), 0);
	int rc = spec_load(path, &F.spec);
	F.loaded = rc == 0;
	free(path);
	free(yaml);
	return rc;
}

static struct check_blame blamed;   /* what run_check's check named */

/* Load `expect` (one item) and run it on the built trace, with run's
   output if given (the spec stays loaded). */
static int run_check(const char *expect, const struct run *run)
{
	int rc = load(expect);
	ck_assert_msg(rc == 0, "spec_load: %s", error_get());
	const struct expect *e = &F.spec.tests[0].expects[0];
	ck_assert_msg(e->check->needs != NEEDS_OUTPUT, "%s should need the trace", e->check->name);
	struct check_ctx c = {&F.spec, &F.spec.tests[0], run, &F.b.t, NULL, F.dir, NULL, &blamed};
	buf_reset(&F.msg);
	blamed.n = 0;
	return e->check->fn(e->params, &c, &F.msg);
}

static int run1(const char *expect)
{
	return run_check(expect, NULL);
}

#define assert_msg_has(s) \
	ck_assert_msg(strstr(buf_str(&F.msg), (s)), "message lacks \"%s\":\n%s", (s), buf_str(&F.msg))

/* ---- processes ---- */

START_TEST(processes_created)
{
	tb_two_children(&F.b);
	ck_assert_int_eq(run1("      - processes: 2\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {min_created: 1, max_created: 2}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {created: 3}\n"), 0);
	assert_msg_has("expected the program to create 3 processes; it created 2");
	assert_msg_has("child #2 (of the program)");
}
END_TEST

START_TEST(processes_created_grandchildren)
{
	int p = tb_proc(&F.b, -1);
	int c1 = tb_proc(&F.b, p);
	tb_proc(&F.b, c1);          /* the child forked again */
	ck_assert_int_eq(run1("      - processes: {max_created: 2}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {max_created: 1}\n"), 0);
	assert_msg_has("at most 1");
	assert_msg_has("child #2 (of child #1)");
	assert_msg_has("hint: children forked children of their own");
}
END_TEST

START_TEST(processes_alive)
{
	tb_two_children(&F.b);      /* one child at a time: 2 alive at most */
	ck_assert_int_eq(run1("      - processes: {max_alive: 2}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {min_alive: 3}\n"), 0);
	assert_msg_has("at least 3 processes alive at the same time");
	assert_msg_has("start them all before waiting");
}
END_TEST

START_TEST(processes_alive_concurrent)
{
	int p = tb_proc(&F.b, -1);
	int c1 = tb_proc(&F.b, p), c2 = tb_proc(&F.b, p);
	tb_exit(&F.b, c1, 0);
	tb_exit(&F.b, c2, 0);
	ck_assert_int_eq(run1("      - processes: {min_alive: 3}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {max_alive: 2}\n"), 0);
	assert_msg_has("at most 2 processes alive at once");
}
END_TEST

START_TEST(processes_reaped)
{
	int p = tb_proc(&F.b, -1);
	int c1 = tb_proc(&F.b, p), c2 = tb_proc(&F.b, p), c3 = tb_proc(&F.b, c1);
	int c4 = tb_proc(&F.b, p);
	tb_exit(&F.b, c1, 0);
	tb_reap(&F.b, p, c1);
	tb_exit(&F.b, c2, 0);       /* never reaped */
	(void)c3;                   /* still running at the end */
	tb_exit(&F.b, p, 0);
	tb_exit(&F.b, c4, -1);      /* killed when the sandbox ended the run */
	ck_assert_int_eq(run1("      - processes: {all_reaped: true}\n"), 0);
	assert_msg_has("child #2 (of the program) ended but its parent never reaped it");
	assert_msg_has("child #3 (of child #1) was still running");
	assert_msg_has("child #4 (of the program) was still running when the program ended");
	assert_msg_has("hint: every fork() needs a matching wait()");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {all_reaped: false}\n"), 1);
}
END_TEST

START_TEST(processes_reaped_ok)
{
	tb_two_children(&F.b);
	ck_assert_int_eq(run1("      - processes: {all_reaped: true}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {all_reaped: false}\n"), 0);
}
END_TEST

START_TEST(processes_reaped_by_other)
{
	int p = tb_proc(&F.b, -1);
	int c1 = tb_proc(&F.b, p), c2 = tb_proc(&F.b, c1);
	tb_exit(&F.b, c1, 0);
	tb_reap(&F.b, p, c1);
	tb_exit(&F.b, c2, 0);
	tb_reap(&F.b, p, c2);       /* by the program, after the orphaning */
	ck_assert_int_eq(run1("      - processes: {all_reaped: true}\n"), 0);
	assert_msg_has("child #2 (of child #1) was reaped by the program, not by its parent");
}
END_TEST

START_TEST(processes_reaped_before)
{
	int p = tb_proc(&F.b, -1);
	int c1 = tb_proc(&F.b, p);
	tb_exit(&F.b, c1, 0);
	tb_reap(&F.b, p, c1);
	tb_marker(&F.b, p, "returned 0");
	int c2 = tb_proc(&F.b, p);  /* created after the marker: not concerned */
	(void)c2;
	ck_assert_int_eq(run1("      - processes: {reaped_before: returned}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {reaped_before: never}\n"), 0);
	assert_msg_has("never reached the point \"never\"");
}
END_TEST

START_TEST(processes_reaped_before_late)
{
	int p = tb_proc(&F.b, -1);
	int c1 = tb_proc(&F.b, p);
	tb_marker(&F.b, p, "returned");
	tb_exit(&F.b, c1, 0);
	tb_reap(&F.b, p, c1);
	ck_assert_int_eq(run1("      - processes: {reaped_before: returned}\n"), 0);
	assert_msg_has("child #1 (of the program) was not reaped before \"returned\" (it was reaped later)");
}
END_TEST

START_TEST(processes_orphans_exec_threads)
{
	int p = tb_proc(&F.b, -1);
	int c1 = tb_proc(&F.b, p), c2 = tb_proc(&F.b, c1);
	tb_exit(&F.b, c1, 0);
	struct event *o = tb_ev(&F.b, c2, EV_ORPHAN);
	o->orphan.new_parent = -1;
	F.b.t.procs[c2].execed = true;
	tb_ev(&F.b, p, EV_THREAD)->thread.tid = 4242;
	ck_assert_int_eq(run1("      - processes: {orphans: false}\n"), 0);
	assert_msg_has("child #2 (of child #1) outlived its parent child #1 (of the program)");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {orphans: true, exec: true, threads: true}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {exec: false}\n"), 0);
	assert_msg_has("ran another program");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {threads: false}\n"), 0);
	assert_msg_has("created threads");
}
END_TEST

START_TEST(processes_no_orphans_ok)
{
	tb_two_children(&F.b);
	ck_assert_int_eq(run1("      - processes: {orphans: false, exec: false, threads: false}\n"), 1);
	F.b.t.procs[0].execed = true;       /* the program ran another program */
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {exec: false}\n"), 0);
	F.b.t.procs[0].execed = false;
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {orphans: true}\n"), 0);
	assert_msg_has("expected a process to outlive its parent");
}
END_TEST

START_TEST(processes_schema)
{
	ck_assert_int_eq(load("      - processes: {}\n"), -1);
	ck_assert_msg(strstr(error_get(), "say what to check"), "%s", error_get());
	ck_assert_int_eq(load("      - processes: {created: 1, max_created: 2}\n"), -1);
	ck_assert_int_eq(load("      - processes: {creatd: 1}\n"), -1);
}
END_TEST

START_TEST(needs_trace)
{
	tb_two_children(&F.b);
	ck_assert_int_eq(load("      - processes: 2\n"), 0);
	const struct expect *e = &F.spec.tests[0].expects[0];
	struct check_ctx c = {&F.spec, &F.spec.tests[0], NULL, NULL, NULL, F.dir, NULL, NULL};
	ck_assert_int_eq(e->check->fn(e->params, &c, &F.msg), -1);
	ck_assert_msg(strstr(error_get(), "needs the trace"), "%s", error_get());
}
END_TEST

/* ---- writers, opened_itself ---- */

/* The program opens src and both outputs; child 1 writes out1 (opening src
   itself when own_src), child 2 writes out2. */
static void tb_half_copy(bool own_src, bool child2_writes_out1)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	tb_open(b, p, "src.bin", O_RDONLY, 3);
	int c1 = tb_proc(b, p);
	if (own_src)
		tb_open(b, c1, "src.bin", O_RDONLY, 4);
	tb_open(b, c1, "out1.bin", O_WRONLY | O_CREAT, 5);
	tb_write(b, c1, "out1.bin");
	int c2 = tb_proc(b, p);
	tb_open(b, c2, "./src.bin", O_RDONLY, 4);
	tb_write(b, c2, child2_writes_out1 ? "out1.bin" : "out2.bin");
	tb_exit(b, c1, 0);
	tb_exit(b, c2, 0);
}

START_TEST(writers_ok)
{
	tb_half_copy(true, false);
	ck_assert_int_eq(run1("      - writers: {files: [out1.bin, out2.bin], distinct: true, "
			      "child: true, count: 2}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - writers: out1.bin\n"), 1);
}
END_TEST

START_TEST(writers_missing_and_count)
{
	tb_half_copy(true, true);   /* nobody wrote out2.bin; out1 has two writers */
	ck_assert_int_eq(run1("      - writers: {files: [out1.bin, out2.bin], count: 1}\n"), 0);
	assert_msg_has("no process wrote out2.bin");
	assert_msg_has("expected 1 different processes to write the files; 2 did (child #1, child #2)");
}
END_TEST

START_TEST(writers_distinct_and_child)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	tb_write(b, p, "out1.bin");
	tb_write(b, p, "sub/out2.bin");
	ck_assert_int_eq(run1("      - writers: {files: [out1.bin, sub/out2.bin], distinct: true}\n"), 0);
	assert_msg_has("the program wrote out1.bin and sub/out2.bin");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - writers: {files: [out1.bin], child: true}\n"), 0);
	assert_msg_has("only the program itself wrote out1.bin");
	spec_free(&F.spec);
	/* a file of the same name elsewhere is not the same file */
	ck_assert_int_eq(run1("      - writers: [ut1.bin]\n"), 0);
}
END_TEST

START_TEST(opened_itself_ok)
{
	tb_half_copy(true, false);
	ck_assert_int_eq(run1("      - opened_itself: {source: src.bin, writers_of: [out1.bin, out2.bin]}\n"), 1);
}
END_TEST

START_TEST(opened_itself_inherited)
{
	tb_half_copy(false, false);
	ck_assert_int_eq(run1("      - opened_itself: {source: src.bin, writers_of: [out1.bin, out2.bin]}\n"), 0);
	assert_msg_has("child #1 (of the program) wrote its part but did not open src.bin itself: "
		       "it read through the descriptor its parent opened");
	assert_msg_has("share its offset");
	ck_assert_msg(!strstr(buf_str(&F.msg), "child #2"), "%s", buf_str(&F.msg));
}
END_TEST

START_TEST(opened_itself_no_writer)
{
	tb_proc(&F.b, -1);
	ck_assert_int_eq(run1("      - opened_itself: {source: src.bin, writers_of: [out1.bin]}\n"), 0);
	assert_msg_has("no process wrote out1.bin");
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - opened_itself: {source: src.bin}\n"), -1);
}
END_TEST

/* ---- order ---- */

/* ---- lines, exits, names, reaped_as_they_end, interval ---- */

/* Run the one expectation with `out` as the program's stdout. */
/* run_check with `out` as the program's stdout; the spec is freed after. */
static int run_out(const char *expect, const char *out)
{
	struct run run;
	memset(&run, 0, sizeof(run));
	buf_adds(&run.out.head, out);
	run.out.total = run.out.head.len;
	int rc = run_check(expect, &run);
	buf_free(&run.out.head);
	spec_free(&F.spec);
	F.loaded = false;
	return rc;
}

/* The program (pid 10 as it sees itself) forks 11 and 12; 11 exits 0 and
   12 exits 1; 12 is reaped first. */
static void tb_spawn_reap(struct tb *b)
{
	int p = tb_proc(b, -1), c1 = tb_proc(b, p), c2 = tb_proc(b, p);
	b->t.procs[p].vpid = 10;
	b->t.procs[c1].vpid = 11;
	b->t.procs[c2].vpid = 12;
	tb_exit(b, c2, 1);
	tb_reap(b, p, c2);
	tb_exit(b, c1, 0);
	tb_reap(b, p, c1);
	tb_exit(b, p, 0);
}

#define CHILD_LINES "      - lines: {regex: \"^child ([0-9]+) pid=([0-9]+) ppid=([0-9]+)$\", " \
		    "groups: [child, pid, ppid], count: 2}\n"
#define REAP_LINES "      - lines: {regex: \"^reaped ([0-9]+) status ([0-9]+)$\", " \
		   "groups: [pid, status], order: reap}\n"

START_TEST(lines_pids_against_the_trace)
{
	tb_spawn_reap(&F.b);
	const char *good = "child 1 pid=12 ppid=10\nchild 0 pid=11 ppid=10\n"
			   "reaped 12 status 1\nreaped 11 status 0\n";
	ck_assert_int_eq(run_out(CHILD_LINES, good), 1);
	ck_assert_int_eq(run_out(REAP_LINES, good), 1);
	ck_assert_int_eq(run_out("      - lines: {regex: \"\", count: 4}\n", good), 1);
	ck_assert_int_eq(run_out("      - lines: {regex: \"\", count: \"${2 * 2}\"}\n", good), 1);
	ck_assert_int_eq(run_out("      - lines: {regex: \"\", count: \"2 + 3\"}\n", good), 0);
	assert_msg_has("expected 5 lines of stdout matching //; there were 4");
	ck_assert_int_eq(load("      - lines: {regex: \"\", count: \"${n}\"}\n"), -1);
	ck_assert_msg(strstr(error_get(), "unknown variable 'n'"), "%s", error_get());

	ck_assert_int_eq(run_out(CHILD_LINES, "child 0 pid=0 ppid=10\nchild 1 pid=12 ppid=10\n"), 0);
	assert_msg_has("line 1: 0 is not the pid of any process of the run");
	ck_assert_int_eq(run_out(CHILD_LINES, "child 0 pid=11 ppid=11\nchild 1 pid=12 ppid=10\n"), 0);
	assert_msg_has("child #1 (of the program)'s parent has pid 10, not 11");
	ck_assert_int_eq(run_out(CHILD_LINES, "child 1 pid=11 ppid=10\nchild 0 pid=12 ppid=10\n"), 0);
	assert_msg_has("is the program's child number 0 (from 0, in creation order), not 1");
	ck_assert_int_eq(run_out("      - lines: {regex: \"^f ([0-9]+) pid ([0-9]+)$\", "
				 "groups: [child, pid]}\n", "f 0 pid 10\n"), 0);
	assert_msg_has("line 1: the pid is the program's, not a child's of the program (child "
		       "number 0 was expected)");
	ck_assert_int_eq(run_out(CHILD_LINES, "child 0 pid=11 ppid=10\n"), 0);
	assert_msg_has("expected 2 lines of stdout matching");
	ck_assert_int_eq(run_out(REAP_LINES, "reaped 12 status 256\nreaped 11 status 0\n"), 0);
	assert_msg_has("child #2 (of the program)'s exit status was 1, not 256");
	ck_assert_int_eq(run_out(REAP_LINES, "reaped 11 status 0\nreaped 12 status 1\n"), 0);
	assert_msg_has("the lines are not in the order of the reaps");
	ck_assert_int_eq(run_out("      - lines: {regex: \"^hello$\", count: 1}\n",
				 "hello\nchild 0 pid=11 ppid=10\nhello\n"), 0);
	assert_msg_has("line 3: printed a second time");
	ck_assert_int_eq(load("      - lines: {regex: \"^x ([0-9]+)$\", groups: [status]}\n"), -1);
	ck_assert_int_eq(load("      - lines: {regex: \"^x ([0-9]+)$\", groups: [pid, ppid]}\n"), -1);
	ck_assert_int_eq(load("      - lines: {regex: \"^x ([0-9]+)$\", groups: [who]}\n"), -1);
}
END_TEST

#define SEQ_LINES "      - lines: {regex: \"^sender ([0-9]+) message ([0-9]+)$\", " \
		  "groups: [key, seq], count: 4}\n"
#define BLOCK_LINES "      - lines: {regex: \"^writer ([0-9]+) line ([0-9]+)$\", " \
		    "groups: [key, seq], blocks: true}\n"

START_TEST(lines_keys_in_sequence_and_blocks)
{
	tb_spawn_reap(&F.b);
	ck_assert_int_eq(run_out(SEQ_LINES, "sender 1 message 0\nsender 0 message 0\n"
				 "sender 1 message 1\nsender 0 message 1\n"), 1);
	ck_assert_int_eq(run_out(SEQ_LINES, "sender 1 message 1\nsender 0 message 0\n"
				 "sender 1 message 0\nsender 0 message 1\n"), 0);
	assert_msg_has("line 1: number 1 of 1 came where number 0 was due");
	ck_assert_int_eq(run_out(SEQ_LINES, "sender 1 message 0\nsender 0 message 0\n"
				 "sender 1 mes1sage 1\nsender 0 message 1\n"), 0);
	assert_msg_has("expected 4 lines of stdout matching");
	ck_assert_int_eq(run_out(BLOCK_LINES, "writer 1 line 0\nwriter 1 line 1\n"
				 "writer 0 line 0\nwriter 0 line 1\n"), 1);
	ck_assert_int_eq(run_out(BLOCK_LINES, "writer 1 line 0\nwriter 0 line 0\n"
				 "writer 1 line 1\nwriter 0 line 1\n"), 0);
	assert_msg_has("line 3: the lines of 1 are not together");
	ck_assert_int_eq(load("      - lines: {regex: \"^x ([0-9]+)$\", groups: [seq]}\n"), -1);
}
END_TEST

START_TEST(ipc_counts)
{
	int p = tb_proc(&F.b, -1);
	tb_ev(&F.b, p, EV_PIPE)->ret = 0;
	tb_ev(&F.b, p, EV_PIPE)->ret = 0;
	tb_ev(&F.b, p, EV_PIPE)->ret = -24;          /* EMFILE: none made */
	ck_assert_int_eq(run1("      - ipc: {uses: [pipe]}\n"), 1);   /* no count asked */
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - ipc: {pipe: 2}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - ipc: {pipe: {count: 1}}\n"), 0);
	assert_msg_has("expected 1 pipe object to be created; 2 were");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - ipc: {pipe: {max: 1}, message_queue: {min: 1}}\n"), 0);
	assert_msg_has("expected at most 1 pipe objects to be created; 2 were");
	assert_msg_has("expected at least 1 message_queue objects to be created; 0 were");
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - ipc: {pipe: {count: 1, colour: red}}\n"), -1);
}
END_TEST

/* A write to the pipe on fd 4 of n bytes with lines '\n', ending in one or not. */
static const struct event *tb_pipe_write(struct tb *b, int proc, long n, int lines, bool ends)
{
	struct event *e = tb_ev(b, proc, EV_WRITE);
	e->write.path = xstrdup("pipe:[42]");
	e->write.fd = 4;
	e->write.pipe = true;
	e->write.calls = 1;
	e->write.lines = lines;
	e->write.ends_line = ends;
	e->ret = n;
	return e;
}

START_TEST(pipe_writes_whole_lines)
{
	int p = tb_proc(&F.b, -1);
	int c1 = tb_proc(&F.b, p), c2 = tb_proc(&F.b, p);
	tb_pipe_write(&F.b, c1, 20, 1, true);
	tb_pipe_write(&F.b, c2, 20, 1, true);
	tb_write(&F.b, p, "out.txt");              /* a file: not judged */
	ck_assert_int_eq(run1("      - pipe_writes: {lines: 1, max_bytes: 4096, writers: 2}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - pipe_writes: {writers: 1}\n"), 0);
	assert_msg_has("expected 1 different processes to write to pipes; 2 did "
		       "(child #1, child #2)");
	spec_free(&F.spec);
	/* a line in two pieces: the '\n' alone is not a whole line either */
	const struct event *piece = tb_pipe_write(&F.b, c1, 12, 0, false);
	tb_pipe_write(&F.b, c1, 8, 1, true);
	ck_assert_int_eq(run1("      - pipe_writes: 1\n"), 0);
	assert_msg_has("child #1 (of the program) wrote 12 bytes to the pipe on fd 4 in one call "
		       "(no line end); every write to a pipe should be one whole line "
		       "(2 of the 4 writes were not)");
	assert_msg_has("hint: build the line in a buffer");
	ck_assert_int_eq(blamed.n, 1);
	ck_assert_uint_eq(blamed.seq[0], piece->seq);
	spec_free(&F.spec);
	/* the program's writes only: the children's pieces do not count */
	ck_assert_int_eq(run1("      - pipe_writes: {lines: 1, by: program}\n"), 1);
}
END_TEST

START_TEST(pipe_writes_size_and_blocks)
{
	int p = tb_proc(&F.b, -1);
	int c1 = tb_proc(&F.b, p);
	tb_pipe_write(&F.b, c1, 5000, 250, true);  /* stdio's buffer at exit */
	ck_assert_int_eq(run1("      - pipe_writes: {max_bytes: 4096}\n"), 0);
	assert_msg_has("wrote 5000 bytes to the pipe on fd 4 in one call (250 line ends); "
		       "every write to a pipe should be at most 4096 bytes (1 of the 1 writes");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - pipe_writes: {lines: 2}\n"), 0);
	assert_msg_has("should be whole lines");
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - pipe_writes: {by: child}\n"), -1);
	ck_assert_msg(strstr(error_get(), "give 'lines', 'max_bytes' or 'writers'"), "%s", error_get());
	ck_assert_int_eq(load("      - pipe_writes: {lines: 0}\n"), -1);
	ck_assert_int_eq(load("      - pipe_writes: {lines: 1}\n"), 0);
	ck_assert(F.spec.tests[0].pipe_writes);    /* the tracer is asked to trace them */
	ck_assert_int_eq(F.spec.tests[0].trace, TRACE_FULL);
}
END_TEST

START_TEST(processes_exits_and_names)
{
	tb_spawn_reap(&F.b);
	ck_assert_int_eq(run1("      - processes: {exits: [0, 1]}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {exits: [0, SIGTERM]}\n"), 0);
	assert_msg_has("child #2 (of the program) (the program's child number 1) exited with "
		       "status 1; expected it to be killed by SIGTERM");
	spec_free(&F.spec);
	F.b.t.procs[2].exit_signal = SIGTERM;
	ck_assert_int_eq(run1("      - processes: {exits: [0, SIGTERM]}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - processes: {exits: [0, 300]}\n"), -1);
	strcpy(F.b.t.procs[1].name, "worker-7");
	ck_assert_int_eq(run1("      - processes: {names: [worker-7]}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - processes: {names: [worker-8]}\n"), 0);
	assert_msg_has("no child took the name \"worker-8\"");
	assert_msg_has("the children's names: \"worker-7\" \"\"");
}
END_TEST

START_TEST(processes_reaped_as_they_end)
{
	tb_spawn_reap(&F.b);          /* 12 ended first and was reaped first */
	ck_assert_int_eq(run1("      - processes: {reaped_as_they_end: true}\n"), 1);
	spec_free(&F.spec);
	memset(&F.b, 0, sizeof(F.b));
	F.b.t.complete = true;
	int p = tb_proc(&F.b, -1), c1 = tb_proc(&F.b, p), c2 = tb_proc(&F.b, p);
	tb_exit(&F.b, c2, 0);         /* c2 ends first ... */
	tb_exit(&F.b, c1, 0);
	tb_reap(&F.b, p, c1);         /* ... but c1 is reaped first */
	tb_reap(&F.b, p, c2);
	/* by a wait for any child: the two were zombies together, fine */
	ck_assert_int_eq(run1("      - processes: {reaped_as_they_end: true}\n"), 1);
	spec_free(&F.spec);
	/* by waitpid(c1): c2 stayed a zombie while the parent waited for c1 */
	F.b.t.procs[c1].reaped_by_pid = true;
	ck_assert_int_eq(run1("      - processes: {reaped_as_they_end: true}\n"), 0);
	assert_msg_has("child #2 (of the program) ended before child #1, but stayed a zombie "
		       "while its parent waited for child #1 by its pid");
}
END_TEST

START_TEST(interval_between_markers)
{
	int p = tb_proc(&F.b, -1);
	tb_marker(&F.b, p, "enter join");
	for (int i = 0; i < 5; i++)
		tb_marker(&F.b, p, "noise");          /* t_ms is the seq: 6 ms pass */
	tb_marker(&F.b, p, "exit join");
	ck_assert_int_eq(run1("      - interval: {from: enter join, to: exit join, min_ms: 5, "
			      "max_ms: 7}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - interval: {from: enter join, to: exit join, min_ms: 7}\n"), 0);
	assert_msg_has("from \"enter join\" to \"exit join\" took 6 ms; expected at least 7 ms");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - interval: {from: enter join, to: exit join, max_ms: 5}\n"), 0);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - interval: {from: exit join, to: enter join, max_ms: 5}\n"), 0);
	assert_msg_has("the harness never reached \"enter join\" after it");
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - interval: {from: a, to: b}\n"), -1);
}
END_TEST

START_TEST(order_ok_and_fail)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	tb_open(b, p, "data.txt", O_WRONLY | O_CREAT, 3);
	tb_write(b, p, "data.txt");
	struct event *e = tb_ev(b, p, EV_CLOSE);
	e->close.fd = 3;
	e->close.path = xstrdup("/tmp/run/data.txt");
	tb_marker(b, p, "set");
	int c = tb_proc(b, p);
	tb_open(b, c, "data.txt", O_RDONLY, 3);
	ck_assert_int_eq(run1("      - order: {first: {event: close, path: data.txt, by: program}, "
			      "then: {event: marker, marker: set}}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - order: {first: {event: write, path: data.txt}, "
			      "then: {event: open, path: data.txt, by: child}}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - order: {first: {event: marker, marker: set}, "
			      "then: {event: write, path: data.txt}}\n"), 0);
	assert_msg_has("expected every the harness's \"set\" to come before any write of data.txt");
	assert_msg_has("but the program: write /tmp/run/data.txt came before the program: \"set\"");
	/* the two events are named for the timeline: the write, then "set" */
	ck_assert_uint_eq(blamed.n, 2);
	ck_assert_int_eq(F.b.t.ev[blamed.seq[0] - 1].kind, EV_WRITE);
	ck_assert_int_eq(F.b.t.ev[blamed.seq[1] - 1].kind, EV_MARKER);
}
END_TEST

/* 'before': the woken process's event comes before the waker's next one */
START_TEST(order_promptly)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	int c = tb_proc(b, p);
	tb_marker(b, p, "get 1");
	tb_marker(b, c, "put 1 returned");        /* woken at once */
	tb_marker(b, p, "consumer done");
	tb_marker(b, p, "get 2");
	tb_marker(b, p, "consumer done");
	tb_marker(b, c, "put 2 returned");        /* only after the next one */
#define PROMPT(n) "      - order: {first: {event: marker, marker: get " #n "}, " \
		  "then: {event: marker, marker: put " #n " returned}, " \
		  "before: {event: marker, marker: consumer done}}\n"
	ck_assert_int_eq(run1(PROMPT(1)), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1(PROMPT(2)), 0);
	assert_msg_has("expected child #1 (of the program): \"put 2 returned\" promptly after "
		       "the program: \"get 2\", before the program: \"consumer done\"; it came "
		       "only after it");
	ck_assert_uint_eq(blamed.n, 2);
#undef PROMPT
}
END_TEST

START_TEST(order_missing)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	tb_marker(b, p, "enter 1");
	ck_assert_int_eq(run1("      - order: {first: {event: marker, marker: enter}, "
			      "then: {event: fork}}\n"), 0);
	assert_msg_has("but fork never happened");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - order: {first: {event: marker, marker: enter}, "
			      "then: {event: fork}, require: false}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - order: {first: {event: fork, path: x}, then: {event: exit}}\n"), -1);
	ck_assert_int_eq(load("      - order: {first: {event: jump}, then: {event: exit}}\n"), -1);
	ck_assert_int_eq(load("      - order: {first: {event: marker}, then: {event: exit}}\n"), -1);
}
END_TEST

START_TEST(order_by_child_exit_reap)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	int c = tb_proc(b, p);
	tb_marker(b, p, "waiting");
	tb_exit(b, c, 0);
	tb_reap(b, p, c);
	ck_assert_int_eq(run1("      - order: {first: {event: exit, by: child}, then: {event: reap}}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - order: {first: {event: reap}, then: {event: marker, marker: waiting}}\n"), 0);
}
END_TEST

/* ---- ipc ---- */

START_TEST(ipc_uses_forbids)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	struct event *e = tb_ev(b, p, EV_PIPE);
	e->pipe.read_fd = 3;
	e->pipe.write_fd = 4;
	int c = tb_proc(b, p);
	e = tb_ev(b, c, EV_MMAP_SHARED);     /* the loader's cache: not shared memory */
	e->mmap.path = xstrdup("/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache");
	ck_assert_int_eq(run1("      - ipc: {uses: [pipe], forbids: [shared_memory, message_queue]}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - ipc: {uses: [message_queue, pipe]}\n"), 0);
	assert_msg_has("through a message queue; none did");
	e = tb_ev(b, c, EV_MMAP_SHARED);
	e->mmap.fd = -1;
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - ipc: {forbids: [shared_memory]}\n"), 0);
	assert_msg_has("shared memory, which this exercise does not allow, was used "
		       "(child #1 (of the program): mmap(MAP_SHARED))");
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - ipc: {uses: [telepathy]}\n"), -1);
}
END_TEST

START_TEST(ipc_objects)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	struct event *e = tb_ev(b, p, EV_IPC);
	e->ipc.call = xstrdup("mq_open");
	e->ipc.name = xstrdup("q");
	e->ret = 3;
	e = tb_ev(b, p, EV_IPC);
	e->ipc.call = xstrdup("sem_open");
	e->ret = -ENOENT;               /* failed: no evidence */
	e = tb_ev(b, p, EV_SIGNAL_SEND);
	e->signal_send.sig = SIGUSR1;
	ck_assert_int_eq(run1("      - ipc: [message_queue, signal]\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - ipc: [semaphore]\n"), 0);
	assert_msg_has("hint: a semaphore or lock in shared memory is seen only when");
	/* a contended semaphore in shared memory shows as futex calls */
	e = tb_ev(b, p, EV_FUTEX);
	e->futex.addr = 0x1000;
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - ipc: [semaphore, futex]\n"), 1);
}
END_TEST

/* ---- markers ---- */

START_TEST(markers_checks)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	int w1 = tb_proc(b, p), w2 = tb_proc(b, p);
	tb_marker(b, w1, "enter 1");
	tb_marker(b, w2, "enter 2");
	tb_marker(b, w1, "exit 1");
	tb_marker(b, w1, "enter 3");
	tb_marker(b, w2, "exit 2");
	tb_marker(b, w1, "exit 3");
	tb_marker(b, p, "entering");   /* not "enter ID" */
	ck_assert_int_eq(run1("      - markers: {count: 3, max_in_flight: 2, min_in_flight: 2, "
			      "distinct_processes: 2, in_program: false}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - markers: 4\n"), 0);
	assert_msg_has("expected 4 \"enter\" markers from the harness; there were 3");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - markers: {max_in_flight: 1, min_processes: 3}\n"), 0);
	assert_msg_has("at most 1 tasks in progress at once; there were 2");
	assert_msg_has("at least 3 processes; 2 did");
	tb_marker(b, p, "enter 9");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - markers: {in_program: false}\n"), 0);
	assert_msg_has("the program itself did work");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - markers: {enter: start, count: 0}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - markers: {enter: x}\n"), -1);
}
END_TEST

START_TEST(markers_sequential)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	for (int i = 0; i < 3; i++) {
		char m[32];
		snprintf(m, sizeof(m), "enter %d", i);
		tb_marker(b, p, m);
		snprintf(m, sizeof(m), "exit %d", i);
		tb_marker(b, p, m);
	}
	ck_assert_int_eq(run1("      - markers: {min_in_flight: 2}\n"), 0);
	assert_msg_has("at most 1 were");
	assert_msg_has("hint: the work must run in parallel");
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - markers: {distinct_processes: 1, in_program: true}\n"), 1);
}
END_TEST

/* ---- busy_wait ---- */

START_TEST(busy_wait_checks)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	int c = tb_proc(b, p);
	b->t.procs[p].cpu_ms = 20;
	b->t.procs[c].cpu_ms = 900;
	ck_assert_int_eq(run1("      - busy_wait: 1s\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - busy_wait: {max_cpu_ms: 100, process: program}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - busy_wait: {max_cpu_ms: 100ms, process: child}\n"), 0);
	assert_msg_has("child #1 (of the program) used 900 ms of CPU time (at most 100 expected)");
	assert_msg_has("hint: a process that loops checking a variable");
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - busy_wait: {process: child}\n"), -1);
}
END_TEST

/* ---- signals ---- */

START_TEST(signals_checks)
{
	struct tb *b = &F.b;
	int p = tb_proc(b, -1);
	int c = tb_proc(b, p);
	struct event *e = tb_ev(b, p, EV_SIGACTION);
	e->sigaction.sig = SIGUSR1;
	e->sigaction.handler = DISP_HANDLER;
	e = tb_ev(b, p, EV_SIGACTION);
	e->sigaction.sig = SIGINT;
	e->sigaction.handler = DISP_IGNORE;  /* not a handler */
	e = tb_ev(b, c, EV_SIGNAL_SEND);
	e->signal_send.target = p;
	e->signal_send.sig = SIGUSR1;
	e = tb_ev(b, c, EV_SIGNAL_SEND);
	e->signal_send.sig = SIGTERM;
	e->ret = -ESRCH;                /* failed: not sent */
	tb_ev(b, p, EV_SIGNAL_DELIVER)->signal_deliver.sig = SIGUSR1;
	ck_assert_int_eq(run1("      - signals: {sent: [SIGUSR1], handler: [USR1], delivered: [SIGUSR1]}\n"), 1);
	spec_free(&F.spec);
	ck_assert_int_eq(run1("      - signals: {sent: [SIGTERM], handler: [SIGINT], delivered: [SIGCHLD]}\n"), 0);
	assert_msg_has("expected a process to send SIGTERM; none did");
	assert_msg_has("expected a handler function for SIGINT");
	assert_msg_has("expected SIGCHLD to reach a process; it never did");
	spec_free(&F.spec);
	ck_assert_int_eq(load("      - signals: {sent: [SIGFOO]}\n"), -1);
	/* a signal the grader sent is not one the program sent */
	e = tb_ev(b, p, EV_SIGNAL_SEND);
	e->signal_send.target = p;
	e->signal_send.sig = SIGUSR2;
	e->signal_send.by_grader = true;
	ck_assert_int_eq(run1("      - signals: {sent: [SIGUSR2]}\n"), 0);
	spec_free(&F.spec);
	/* timers armed: an alarm set again on each signal comes late */
	tb_ev(b, p, EV_TIMER)->timer.ms = 2000;
	tb_ev(b, p, EV_TIMER)->timer.ms = 0;      /* alarm(0) cancels: not counted */
	ck_assert_int_eq(run1("      - signals: {timers: 1}\n"), 1);
	spec_free(&F.spec);
	const struct event *again = tb_ev(b, p, EV_TIMER);
	((struct event *)again)->timer.ms = 2000;
	ck_assert_int_eq(run1("      - signals: {timers: 1}\n"), 0);
	assert_msg_has("expected a timer (alarm) to be set 1 times; it was set 2 times");
	assert_msg_has("the one too many: the program set 2000 ms");
	ck_assert_uint_eq(blamed.seq[0], again->seq);
}
END_TEST

Suite *suite_check_trace(void);
Suite *suite_check_trace(void)
{
	Suite *s = suite_create("check_trace");
	TCase *tc = tcase_create("checks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, processes_created);
	tcase_add_test(tc, processes_created_grandchildren);
	tcase_add_test(tc, processes_alive);
	tcase_add_test(tc, processes_alive_concurrent);
	tcase_add_test(tc, processes_reaped);
	tcase_add_test(tc, processes_reaped_ok);
	tcase_add_test(tc, processes_reaped_by_other);
	tcase_add_test(tc, processes_reaped_before);
	tcase_add_test(tc, processes_reaped_before_late);
	tcase_add_test(tc, processes_orphans_exec_threads);
	tcase_add_test(tc, processes_no_orphans_ok);
	tcase_add_test(tc, processes_schema);
	tcase_add_test(tc, needs_trace);
	tcase_add_test(tc, writers_ok);
	tcase_add_test(tc, writers_missing_and_count);
	tcase_add_test(tc, writers_distinct_and_child);
	tcase_add_test(tc, opened_itself_ok);
	tcase_add_test(tc, opened_itself_inherited);
	tcase_add_test(tc, opened_itself_no_writer);
	tcase_add_test(tc, order_ok_and_fail);
	tcase_add_test(tc, lines_pids_against_the_trace);
	tcase_add_test(tc, lines_keys_in_sequence_and_blocks);
	tcase_add_test(tc, ipc_counts);
	tcase_add_test(tc, pipe_writes_whole_lines);
	tcase_add_test(tc, pipe_writes_size_and_blocks);
	tcase_add_test(tc, processes_exits_and_names);
	tcase_add_test(tc, processes_reaped_as_they_end);
	tcase_add_test(tc, interval_between_markers);
	tcase_add_test(tc, order_missing);
	tcase_add_test(tc, order_promptly);
	tcase_add_test(tc, order_by_child_exit_reap);
	tcase_add_test(tc, ipc_uses_forbids);
	tcase_add_test(tc, ipc_objects);
	tcase_add_test(tc, markers_checks);
	tcase_add_test(tc, markers_sequential);
	tcase_add_test(tc, busy_wait_checks);
	tcase_add_test(tc, signals_checks);
	suite_add_tcase(s, tc);
	return s;
}
