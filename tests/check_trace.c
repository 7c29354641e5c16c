/*
 * check_trace.c - the tracer (grader/trace*.c) on real programs: the small
 * C programs of tests/trace/, each run under tests/trace/driver.c (the
 * smallest correct driver of trace.h), directly and in a new pid namespace
 * under an init wrapper (as the sandbox's namespace tiers run programs).
 *
 * Every trace is also held to the invariants the checks rely on: sequence
 * numbers strictly increase, a child's events come after its fork, a reap
 * comes after the reaped process's exit, and a reap is done by a process
 * of the tree.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define TRACE_DRIVER_NO_MAIN
#include "trace/driver.c"
#include "trace_insn.h"

static char *bin_dir;        /* the compiled programs (built once)  */
static char *run_dir;        /* a fresh directory per test          */

static const char *const programs[] = {
	"fork_wait", "no_wait", "orphan", "vfork_exec", "threads", "thread_exec", "signals",
	"stopcont", "spawn", "faults", "markers", "shm_futex", "mq", "sem_open", "writers",
	"pipe_deadlock", "waits", "busy", "sysv", "race", "spin", "marker_site", "crash",
	"named", "restart", "pipe_writes", "paced", "sends",
};
static char *top_dir;        /* the project, where the sources are  */

static void build_all(void)
{
	char cwd[4096];
	if (!getcwd(cwd, sizeof(cwd)))
		abort();
	bin_dir = make_temp_dir("tracebin");
	top_dir = xstrdup(cwd);
	for (size_t i = 0; i < ARRAY_SIZE(programs); i++) {
		char *cmd = xasprintf("cc -O0 -g -pthread -o %s/%s %s/tests/trace/%s.c -lrt",
				      bin_dir, programs[i], cwd, programs[i]);
		if (system(cmd) != 0) {
			fprintf(stderr, "cannot build tests/trace/%s.c (run from the top directory)\n",
				programs[i]);
			abort();
		}
		free(cmd);
	}
}

static void remove_all(void)
{
	rm_rf(bin_dir);
	free(bin_dir);
	free(top_dir);
}

static void setup(void)
{
	run_dir = make_temp_dir("tracerun");
	ck_assert_int_eq(chdir(run_dir), 0);
}

static void teardown(void)
{
	rm_rf(run_dir);
	free(run_dir);
}

/* ---- running and querying ---- */

static int status;
static bool timed_out;

static void check_invariants(const struct trace *t)
{
	for (size_t i = 1; i < t->nev; i++)
		ck_assert_msg(t->ev[i].seq > t->ev[i - 1].seq, "seq not increasing at %zu", i);
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		ck_assert_int_ge(e->proc, 0);
		ck_assert_int_lt(e->proc, (int)t->nprocs);
		ck_assert_msg(e->seq >= t->procs[e->proc].seq_start,
			      "event %lu of proc %d before its creation", e->seq, e->proc);
		if (e->kind == EV_REAP) {
			const struct proc *c = &t->procs[e->reap.child];
			ck_assert_msg(c->exited && c->seq_exit < e->seq, "reap of %d before its exit",
				      e->reap.child);
			ck_assert_int_eq(c->reaper, e->proc);
		}
	}
	for (size_t i = 1; i < t->nprocs; i++) {
		ck_assert_int_ge(t->procs[i].parent, 0);
		ck_assert_int_lt(t->procs[i].parent, (int)i);
	}
}

static struct trace *run_opts(const char *prog, struct drive_opts *o)
{
	char *path = path_join(bin_dir, prog);
	char *argv[] = {path, NULL};
	struct trace *t = trace_drive(argv, o, &status, &timed_out);
	ck_assert_msg(t != NULL, "trace_drive: %s", error_get());
	free(path);
	ck_assert_uint_ge(t->nprocs, 1);
	check_invariants(t);
	return t;
}

static bool in_pidns;

static struct trace *run(const char *prog)
{
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns};
	return run_opts(prog, &o);
}

static size_t count(const struct trace *t, enum event_kind k, int proc)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nev; i++)
		n += t->ev[i].kind == k && (proc < 0 || t->ev[i].proc == proc);
	return n;
}

/* The first event of kind k by proc (-1: any) at or after index from. */
static const struct event *find(const struct trace *t, enum event_kind k, int proc, size_t from)
{
	for (size_t i = from; i < t->nev; i++)
		if (t->ev[i].kind == k && (proc < 0 || t->ev[i].proc == proc))
			return &t->ev[i];
	return NULL;
}

/* The text find_str() searches: the path, IPC call or marker line. */
static const char *text_of(const struct event *e)
{
	switch (e->kind) {
	case EV_EXEC: return e->exec.path;
	case EV_OPEN: return e->open.path;
	case EV_IPC: return e->ipc.call;
	case EV_MARKER: return e->marker.text;
	default: return NULL;
	}
}

static const struct event *find_str(const struct trace *t, enum event_kind k, const char *s)
{
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].kind == k && text_of(&t->ev[i]) && strstr(text_of(&t->ev[i]), s))
			return &t->ev[i];
	return NULL;
}

#define assert_exit0() ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, \
				     "program status %#x", status)

/* ---- process lifecycle ---- */

START_TEST(fork_wait)
{
	struct trace *t = run("fork_wait");
	assert_exit0();
	ck_assert_uint_eq(t->nprocs, 4);
	ck_assert_uint_eq(count(t, EV_FORK, 0), 3);
	ck_assert_uint_eq(count(t, EV_REAP, 0), 3);
	ck_assert_uint_eq(count(t, EV_EXIT, -1), 4);
	int codes = 0;
	for (int i = 1; i <= 3; i++) {
		ck_assert_int_eq(t->procs[i].parent, 0);
		ck_assert_int_eq(t->procs[i].reaper, 0);
		ck_assert(!t->procs[i].reaped_by_pid);     /* wait(): any child */
		ck_assert(!t->procs[i].execed);
		codes |= 1 << t->procs[i].exit_code;
	}
	ck_assert_int_eq(codes, 0xe);
	ck_assert_int_eq(t->ev[0].kind, EV_EXEC);
	ck_assert_int_eq(t->ev[0].proc, 0);
	ck_assert(t->procs[0].exited && t->procs[0].exit_code == 0);
	trace_free(t);
}
END_TEST

/* The name a child takes, the pid it has inside the namespace, and a reap
   by a wait for that pid. */
START_TEST(named)
{
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns, .quiet_stdout = true};
	struct trace *t = run_opts("named", &o);
	ck_assert_uint_eq(t->nprocs, 2);
	ck_assert_str_eq(t->procs[1].name, "kid-name");
	ck_assert_str_eq(t->procs[0].name, "named");
	ck_assert(t->procs[1].reaped_by_pid);
	ck_assert_int_gt(t->procs[0].vpid, 0);
	ck_assert_int_gt(t->procs[1].vpid, 0);
	if (in_pidns)
		ck_assert_int_ne(t->procs[1].vpid, t->procs[1].pid);
	else
		ck_assert_int_eq(t->procs[1].vpid, t->procs[1].pid);
	trace_free(t);
}
END_TEST

START_TEST(no_wait)
{
	struct trace *t = run("no_wait");
	ck_assert_uint_eq(t->nprocs, 2);
	ck_assert(t->procs[1].exited);
	ck_assert_int_eq(t->procs[1].reaper, -1);
	ck_assert_uint_eq(count(t, EV_REAP, -1), 0);
	trace_free(t);
}
END_TEST

START_TEST(orphan)
{
	struct trace *t = run("orphan");
	assert_exit0();
	ck_assert_uint_eq(t->nprocs, 3);
	ck_assert_int_eq(t->procs[2].parent, 1);
	const struct event *o = find(t, EV_ORPHAN, 2, 0);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->orphan.new_parent, -1); /* adopted outside the program */
	ck_assert_uint_gt(o->seq, t->procs[1].seq_exit);
	ck_assert_int_eq(t->procs[2].exit_code, 7);
	ck_assert_int_eq(t->procs[1].reaper, 0);
	ck_assert_int_eq(t->procs[2].reaper, -1);
	ck_assert_uint_eq(count(t, EV_ORPHAN, -1), 1);
	trace_free(t);
}
END_TEST

START_TEST(vfork_exec)
{
	struct trace *t = run("vfork_exec");
	assert_exit0();
	const struct event *f = find(t, EV_FORK, 0, 0);
	ck_assert_ptr_nonnull(f);
	ck_assert(f->fork.vfork);
	const struct event *bad = find(t, EV_EXEC, 1, 0);
	ck_assert_ptr_nonnull(bad);
	ck_assert_str_eq(bad->exec.path, "/nonexistent/prog");
	ck_assert_int_eq(bad->ret, -ENOENT);
	const struct event *good = find(t, EV_EXEC, 1, (size_t)(bad - t->ev) + 1);
	ck_assert_ptr_nonnull(good);
	ck_assert_str_eq(good->exec.path, "/bin/true");
	ck_assert_int_eq(good->ret, 0);
	ck_assert(t->procs[1].execed);
	ck_assert(!t->procs[0].execed);
	ck_assert_int_eq(t->procs[1].reaper, 0);
	trace_free(t);
}
END_TEST

START_TEST(spawn)
{
	struct trace *t = run("spawn");
	assert_exit0();
	ck_assert_uint_eq(t->nprocs, 2);
	ck_assert(find(t, EV_FORK, 0, 0)->fork.vfork);     /* posix_spawn: a vfork */
	ck_assert_ptr_nonnull(find_str(t, EV_EXEC, "/bin/true"));
	ck_assert(t->procs[1].execed);
	ck_assert_int_eq(t->procs[1].reaper, 0);
	trace_free(t);
}
END_TEST

START_TEST(threads)
{
	struct trace *t = run("threads");
	assert_exit0();
	ck_assert_uint_eq(t->nprocs, 1);
	ck_assert_uint_eq(count(t, EV_THREAD, 0), 3);
	ck_assert_uint_eq(count(t, EV_FORK, -1), 0);
	/* pthread_join's futex is not in shared memory */
	ck_assert_uint_eq(count(t, EV_FUTEX, -1), 0);
	ck_assert_uint_eq(count(t, EV_EXIT, -1), 1);
	trace_free(t);
}
END_TEST

START_TEST(thread_exec)
{
	struct trace *t = run("thread_exec");
	assert_exit0();                             /* /bin/true's status */
	ck_assert_uint_eq(t->nprocs, 1);
	ck_assert_uint_eq(count(t, EV_THREAD, 0), 1);
	const struct event *e = find_str(t, EV_EXEC, "/bin/true");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->proc, 0);
	ck_assert(t->procs[0].execed);
	ck_assert(t->procs[0].exited && t->procs[0].exit_code == 0);
	trace_free(t);
}
END_TEST

START_TEST(waits)
{
	struct trace *t = run("waits");
	/* waitid(WNOWAIT) is not a reap; a wait restarted after SIGALRM is
	   one reap; clone(CLONE_UNTRACED) is refused with EPERM */
	assert_exit0();
	ck_assert_uint_eq(t->nprocs, 3);
	ck_assert_uint_eq(count(t, EV_REAP, 0), 2);
	ck_assert_ptr_nonnull(find(t, EV_SIGNAL_DELIVER, 0, 0));
	trace_free(t);
}
END_TEST

/* ---- signals ---- */

START_TEST(signals)
{
	struct trace *t = run("signals");
	assert_exit0();
	const struct event *h = find(t, EV_SIGACTION, 0, 0);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(h->sigaction.sig, SIGUSR1);
	ck_assert_int_eq(h->sigaction.handler, DISP_HANDLER);
	const struct event *s = find(t, EV_SIGNAL_SEND, 1, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->signal_send.target, 0); /* to the program (getppid) */
	ck_assert_int_eq(s->signal_send.sig, SIGUSR1);
	ck_assert_int_eq(s->ret, 0);
	const struct event *d = NULL;
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].kind == EV_SIGNAL_DELIVER && t->ev[i].signal_deliver.sig == SIGUSR1)
			d = &t->ev[i];
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->proc, 0);
	ck_assert_uint_gt(d->seq, s->seq);
	const struct event *a = find(t, EV_TIMER, 0, 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->timer.ms, 5000);
	ck_assert_int_eq(find(t, EV_TIMER, 0, (size_t)(a - t->ev) + 1)->timer.ms, 0);
	trace_free(t);
}
END_TEST

START_TEST(stopcont)
{
	struct trace *t = run("stopcont");
	/* the program's own waitpid(WUNTRACED/WCONTINUED) saw the stop and the
	   continue: the tracer kept the child stopped (PTRACE_LISTEN) */
	assert_exit0();
	ck_assert_uint_eq(count(t, EV_REAP, 0), 1);
	ck_assert_int_eq(t->procs[1].exit_signal, SIGTERM);
	/* SIGSTOP reaches the child; SIGCONT may not be dequeued at all when
	   the SIGTERM sent right after it is pending too (lower number first) */
	bool stop = false;
	for (size_t i = 0; i < t->nev; i++)
		stop |= t->ev[i].kind == EV_SIGNAL_DELIVER && t->ev[i].proc == 1 &&
			t->ev[i].signal_deliver.sig == SIGSTOP;
	ck_assert(stop);
	ck_assert_uint_eq(count(t, EV_SIGNAL_SEND, 0), 3);
	trace_free(t);
}
END_TEST

/* ---- faults ---- */

static void run_fault(const char *call, long nth, const char *err, int want_code,
		      const char *want_syscall)
{
	struct fault f = {(char *)call, nth, (char *)err, 0, 0};
	struct drive_opts o = {.faults = &f, .nfaults = 1, .timeout_ms = 10000, .pidns = in_pidns};
	struct trace *t = run_opts("faults", &o);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == want_code,
		      "%s: status %#x, wanted exit %d", call, status, want_code);
	const struct event *e = find(t, EV_FAULT, 0, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->fault.call, call);
	ck_assert_str_eq(e->fault.syscall, want_syscall);
	ck_assert_int_eq(e->fault.nth, nth);
	ck_assert_uint_eq(count(t, EV_FAULT, -1), 1);
	trace_free(t);
}

START_TEST(faults)
{
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns};
	struct trace *t = run_opts("faults", &o);
	assert_exit0();
	ck_assert_uint_eq(count(t, EV_FAULT, -1), 0);
	ck_assert_uint_eq(t->nprocs, 3);
	trace_free(t);
	run_fault("fork", 2, "EAGAIN", 2, "clone");
	run_fault("pipe", 1, "EMFILE", 4, "pipe2");
	run_fault("open", 1, "EACCES", 8, "openat");
}
END_TEST

/* A call the kernel restarts (interrupted, SA_RESTART) is one call: the
   fault for the second read fails the second, not the restarted first. */
START_TEST(fault_after_restart)
{
	struct fault f = {"read", 2, "EIO", 0, 0};
	struct drive_opts o = {.faults = &f, .nfaults = 1, .timeout_ms = 10000, .pidns = in_pidns};
	struct trace *t = run_opts("restart", &o);
	assert_exit0();
	ck_assert_uint_eq(count(t, EV_FAULT, -1), 1);
	ck_assert_uint_ge(count(t, EV_SIGNAL_DELIVER, 0), 1);   /* it was interrupted */
	trace_free(t);
}
END_TEST

START_TEST(fault_bad_name)
{
	struct fault f = {"teleport", 1, "EAGAIN", 0, 0};
	struct tracer_opts o = {.faults = &f, .nfaults = 1};
	ck_assert_ptr_null(tracer_new(&o));
	ck_assert_msg(strstr(error_get(), "teleport"), "%s", error_get());
	f.call = "fopen";          /* what the spec does not accept either */
	ck_assert_ptr_null(tracer_new(&o));
	f.call = "fork";
	f.errno_name = "EWHATEVER";
	ck_assert_ptr_null(tracer_new(&o));
}
END_TEST

/* ---- markers and IPC ---- */

START_TEST(markers)
{
	struct trace *t = run("markers");
	assert_exit0();                             /* every marker write returned its length */
	static const struct { const char *text; int proc; } want[] = {
		{"enter 1", 0}, {"enter 2", 1}, {"exit 2", 1}, {"exit 1", 0},
	};
	size_t k = 0;
	for (size_t i = 0; i < t->nev; i++) {
		if (t->ev[i].kind != EV_MARKER)
			continue;
		ck_assert_uint_lt(k, ARRAY_SIZE(want));
		ck_assert_str_eq(t->ev[i].marker.text, want[k].text);
		ck_assert_int_eq(t->ev[i].proc, want[k].proc);
		k++;
	}
	ck_assert_uint_eq(k, ARRAY_SIZE(want));
	trace_free(t);
}
END_TEST

/* The marker lines of t, joined by '|'. */
static char *marker_list(const struct trace *t)
{
	struct buf b = {0};
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].kind == EV_MARKER)
			buf_addf(&b, "%s%s", b.len ? "|" : "", t->ev[i].marker.text);
	return b.data ? buf_detach(&b) : xstrdup("");
}

START_TEST(markers_from_harness)
{
	char *path = path_join(bin_dir, "marker_site");
	char *argv[] = {path, NULL};
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns, .markers_from_harness = true};
	struct trace *t = trace_drive(argv, &o, &status, &timed_out);
	ck_assert_ptr_nonnull(t);
	assert_exit0();
	char *got = marker_list(t);
	ck_assert_str_eq(got, "enter 1|enter 3");
	ck_assert_uint_eq(t->markers_ignored, 1);
	free(got);
	trace_free(t);
	/* without the option every line counts */
	o.markers_from_harness = false;
	t = trace_drive(argv, &o, &status, &timed_out);
	ck_assert_ptr_nonnull(t);
	got = marker_list(t);
	ck_assert_str_eq(got, "enter 1|enter 2|enter 3");
	ck_assert_uint_eq(t->markers_ignored, 0);
	free(got);
	trace_free(t);
	free(path);
}
END_TEST

START_TEST(shm_futex)
{
	struct trace *t = run("shm_futex");
	assert_exit0();
	const struct event *m = find(t, EV_MMAP_SHARED, 0, 0);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->mmap.fd, -1);           /* anonymous */
	const struct event *w = find(t, EV_FUTEX, 1, 0);
	const struct event *k = find(t, EV_FUTEX, 0, 0);
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(k);
	ck_assert(!w->futex.wake);                  /* the child waits */
	ck_assert(k->futex.wake);                   /* the program wakes */
	ck_assert_int_eq(w->futex.addr, m->ret);    /* on the semaphore */
	ck_assert_int_eq(k->futex.addr, m->ret);
	ck_assert_uint_lt(w->seq, k->seq);
	ck_assert_uint_eq(count(t, EV_THREAD, 0), 1);
	for (size_t i = 0; i < t->nev; i++)         /* the join's futex is not shared */
		if (t->ev[i].kind == EV_FUTEX)
			ck_assert_int_eq(t->ev[i].futex.addr, m->ret);
	trace_free(t);
}
END_TEST

START_TEST(mq)
{
	struct trace *t = run("mq");
	assert_exit0();
	const struct event *o = find_str(t, EV_IPC, "mq_open");
	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(o->ipc.name);
	ck_assert(str_starts(o->ipc.name, "trace_mq_"));
	ck_assert_int_ge(o->ret, 0);
	const struct event *u = find_str(t, EV_IPC, "mq_unlink");
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(u->ret, 0);
	trace_free(t);
}
END_TEST

START_TEST(sem_open)
{
	struct trace *t = run("sem_open");
	assert_exit0();
	size_t n = 0;
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		if (e->kind != EV_IPC || strcmp(e->ipc.call, "sem_open"))
			continue;
		n++;                                /* one call, whatever glibc does inside */
		ck_assert(str_starts(e->ipc.name, "trace_sem_"));
		ck_assert_int_ge(e->ret, 0);
	}
	ck_assert_uint_eq(n, 1);
	/* the wait (program) and the post (child) on the semaphore's page */
	const struct event *w = find(t, EV_FUTEX, 0, 0), *p = find(t, EV_FUTEX, 1, 0);
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(p);
	ck_assert(!w->futex.wake);
	ck_assert(p->futex.wake);
	ck_assert(str_starts(w->futex.mapping, "/dev/shm/sem."));
	trace_free(t);
}
END_TEST

START_TEST(sysv)
{
	struct trace *t = run("sysv");
	assert_exit0();
	static const char *const calls[] = {"semget", "shmget", "msgget", "shmat", "mkfifo",
					    "fifo", "socketpair"};
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		const struct event *e = NULL;
		for (size_t k = 0; k < t->nev && !e; k++)
			if (t->ev[k].kind == EV_IPC && !strcmp(t->ev[k].ipc.call, calls[i]))
				e = &t->ev[k];
		ck_assert_msg(e != NULL, "no %s event", calls[i]);
		ck_assert_int_ge(e->ret, 0);
		ck_assert_int_eq(e->proc, 0);
	}
	const struct event *o = find_str(t, EV_OPEN, "a_fifo");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->open.type, S_IFIFO);
	trace_free(t);
}
END_TEST

/* ---- files ---- */

static const struct event *write_of(const struct trace *t, const char *name)
{
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].kind == EV_WRITE && str_ends(t->ev[i].write.path, name))
			return &t->ev[i];
	return NULL;
}

START_TEST(writers)
{
	struct trace *t = run("writers");
	assert_exit0();
	const struct event *w1 = write_of(t, "/out1.txt");
	const struct event *w2 = write_of(t, "/out2.txt");
	const struct event *w3 = write_of(t, "/out3.txt");
	ck_assert_ptr_nonnull(w1);
	ck_assert_ptr_nonnull(w2);
	ck_assert_ptr_nonnull(w3);
	ck_assert_int_eq(w1->proc, 1);              /* through the inherited fd */
	ck_assert_int_eq(w1->ret, 6);
	ck_assert_int_eq(w2->proc, 0);
	ck_assert_int_eq(w2->ret, 7);
	ck_assert_int_eq(w3->proc, 0);              /* stdout after dup2 */
	ck_assert_int_eq(w3->write.fd, 1);
	ck_assert_uint_eq(count(t, EV_WRITE, -1), 3);
	/* the program's output reached the files: the tracer changed nothing */
	struct buf b = BUF_INIT;
	ck_assert_int_eq(file_read("out1.txt", &b), 0);
	ck_assert_str_eq(buf_str(&b), "child\n");
	buf_reset(&b);
	ck_assert_int_eq(file_read("out3.txt", &b), 0);
	ck_assert_str_eq(buf_str(&b), "via stdout\n");
	buf_free(&b);
	trace_free(t);
}
END_TEST

/* Every write to a pipe or FIFO is an event with its size and lines, only
   when asked; files' writes stay as they were. */
START_TEST(pipe_writes)
{
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns, .pipe_writes = true};
	struct trace *t = run_opts("pipe_writes", &o);
	assert_exit0();
	static const struct { long bytes; int lines; bool ends; int proc; } want[] = {
		{9, 1, true, 1}, {4, 0, false, 1}, {3, 1, true, 1}, {10, 2, true, 1},
		{10, 1, true, 0},
	};
	size_t n = 0, files = 0;
	for (size_t i = 0; i < t->nev; i++) {
		const struct event *e = &t->ev[i];
		if (e->kind != EV_WRITE)
			continue;
		if (!e->write.pipe) {
			files++;
			ck_assert(str_ends(e->write.path, "/out.txt"));
			continue;
		}
		ck_assert_uint_lt(n, ARRAY_SIZE(want));
		ck_assert_int_eq(e->ret, want[n].bytes);
		ck_assert_int_eq(e->write.lines, want[n].lines);
		ck_assert_int_eq(e->write.ends_line, want[n].ends);
		ck_assert_int_eq(e->proc, want[n].proc);
		n++;
	}
	ck_assert_uint_eq(n, ARRAY_SIZE(want));
	ck_assert_uint_eq(files, 1);
	trace_free(t);
	/* not asked: no pipe write is traced */
	o.pipe_writes = false;
	t = run_opts("pipe_writes", &o);
	for (size_t i = 0; i < t->nev; i++)
		ck_assert(t->ev[i].kind != EV_WRITE || !t->ev[i].write.pipe);
	trace_free(t);
}
END_TEST

/* A pace makes the process sleep at its markers and before its writes,
   which still happen, once; the tracer's events are the same. */
START_TEST(pace)
{
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns, .pipe_writes = true,
			       .pace_marker = "tick", .pace_writes = true, .pace_ms = 50};
	struct trace *t = run_opts("paced", &o);
	assert_exit0();
	ck_assert_uint_eq(count(t, EV_MARKER, 0), 4);
	size_t npipe = 0;
	for (size_t i = 0; i < t->nev; i++)
		npipe += t->ev[i].kind == EV_WRITE && t->ev[i].write.pipe;
	ck_assert_uint_eq(npipe, 2);
	trace_free(t);
	/* no pace: nothing sleeps (the program's "fast" mode checks) */
	struct drive_opts none = {.timeout_ms = 10000, .pidns = in_pidns, .pipe_writes = true};
	char *path = path_join(bin_dir, "paced");
	char *argv[] = {path, "fast", NULL};
	t = trace_drive(argv, &none, &status, &timed_out);
	ck_assert_ptr_nonnull(t);
	assert_exit0();
	trace_free(t);
	free(path);
}
END_TEST

/* ---- the grader's signals ---- */

static struct trace *run_sends(const char *mode, int n, const struct signal_send *s, size_t ns,
			       long timeout_ms)
{
	struct drive_opts o = {.timeout_ms = timeout_ms, .pidns = in_pidns, .sends = s, .nsends = ns};
	char *path = path_join(bin_dir, "sends"), num[16];
	snprintf(num, sizeof(num), "%d", n);
	char *argv[] = {path, (char *)mode, num, NULL};
	struct trace *t = trace_drive(argv, &o, &status, &timed_out);
	ck_assert_msg(t != NULL, "trace_drive: %s", error_get());
	free(path);
	return t;
}

static size_t grader_sends(const struct trace *t, int target)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nev; i++)
		n += t->ev[i].kind == EV_SIGNAL_SEND && t->ev[i].signal_send.by_grader &&
		     t->ev[i].proc == target && t->ev[i].signal_send.target == target;
	return n;
}

/* After a line on stdout: right after the write returns, before the
   program's next instruction (the lossy program checks its count after
   the write: it sees the signal, every time); three, 20 ms apart. */
START_TEST(sends_after_output)
{
	struct signal_send once = {.sig = SIGUSR1, .after_output = "ready", .times = 1};
	struct trace *t = run_sends("lossy", 1, &once, 1, 5000);
	assert_exit0();
	ck_assert_uint_eq(grader_sends(t, 0), 1);
	trace_free(t);
	struct signal_send three = {.sig = SIGUSR1, .after_output = "ready", .times = 3,
				    .gap_ms = 20};
	t = run_sends("safe", 3, &three, 1, 5000);
	assert_exit0();
	ck_assert_uint_eq(grader_sends(t, 0), 3);
	trace_free(t);
}
END_TEST

/* Before the first wait: the worst moment.  A check-then-pause sleeps on;
   sigsuspend with the signal blocked around the check gets it. */
START_TEST(sends_before_wait)
{
	struct signal_send worst = {.sig = SIGUSR1, .before_wait = 1, .times = 1};
	struct trace *t = run_sends("lossy", 1, &worst, 1, 700);
	ck_assert(timed_out);
	ck_assert_uint_eq(grader_sends(t, 0), 1);
	trace_free(t);
	t = run_sends("safe", 1, &worst, 1, 5000);
	assert_exit0();
	ck_assert_uint_eq(grader_sends(t, 0), 1);
	trace_free(t);
}
END_TEST

/* To child #1, after its marker; and one after a delay from the start. */
START_TEST(sends_to_child_and_timed)
{
	struct signal_send kid = {.sig = SIGUSR1, .target = 1, .after_marker = "child ready",
				  .times = 2, .gap_ms = 10};
	struct trace *t = run_sends("child", 2, &kid, 1, 5000);
	assert_exit0();
	ck_assert_uint_eq(grader_sends(t, 1), 2);
	trace_free(t);
	struct signal_send later = {.sig = SIGUSR1, .delay_ms = 200, .times = 1};
	t = run_sends("safe", 1, &later, 1, 5000);
	assert_exit0();
	ck_assert_uint_eq(grader_sends(t, 0), 1);
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].kind == EV_SIGNAL_SEND)
			ck_assert_double_ge(t->ev[i].t_ms, 200);
	trace_free(t);
}
END_TEST

/* ---- deadlock diagnosis, CPU, limits ---- */

START_TEST(pipe_deadlock)
{
	struct drive_opts o = {.timeout_ms = 500, .pidns = in_pidns};
	struct trace *t = run_opts("pipe_deadlock", &o);
	ck_assert(timed_out);
	const struct event *b0 = find(t, EV_BLOCKED, 0, 0), *b1 = find(t, EV_BLOCKED, 1, 0);
	ck_assert_ptr_nonnull(b0);
	ck_assert_ptr_nonnull(b1);
	ck_assert_msg(strstr(b0->blocked.what, "in waitpid for child #1"), "%s", b0->blocked.what);
	ck_assert_msg(strstr(b1->blocked.what, "reading an empty pipe whose write end is still open in: "
			     "the program"), "%s", b1->blocked.what);
	ck_assert_msg(!strstr(b1->blocked.what, "(itself)"), "%s", b1->blocked.what);
	ck_assert_int_eq(t->procs[1].exit_signal, SIGKILL);
	ck_assert(t->procs[0].killed_at_end && t->procs[1].killed_at_end);
	trace_free(t);
}
END_TEST

/* Every test is traced at least this much: the same diagnosis, the
   processes' lives, and nothing else (no pipe, open or write events). */
START_TEST(pipe_deadlock_lifecycle)
{
	struct drive_opts o = {.timeout_ms = 500, .pidns = in_pidns, .lifecycle_only = true};
	struct trace *t = run_opts("pipe_deadlock", &o);
	ck_assert(timed_out);
	ck_assert_uint_eq(count(t, EV_FORK, 0), 1);
	ck_assert_uint_eq(count(t, EV_PIPE, -1), 0);
	ck_assert_uint_eq(count(t, EV_OPEN, -1), 0);
	const struct event *b1 = find(t, EV_BLOCKED, 1, 0);
	ck_assert_ptr_nonnull(b1);
	ck_assert_msg(strstr(b1->blocked.what, "reading an empty pipe whose write end is still open in: "
			     "the program"), "%s", b1->blocked.what);
	trace_free(t);
}
END_TEST

START_TEST(lifecycle_reaps)
{
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns, .lifecycle_only = true};
	struct trace *t = run_opts("fork_wait", &o);
	ck_assert_uint_eq(count(t, EV_FORK, -1), 3);
	ck_assert_uint_eq(count(t, EV_REAP, 0), 3);
	ck_assert_int_eq(status, 0);
	for (size_t i = 0; i < t->nprocs; i++)
		ck_assert(!t->procs[i].killed_at_end);
	ck_assert_ptr_nonnull(t->cwd);   /* the working directory, as /proc shows it */
	ck_assert_uint_eq(count(t, EV_OPEN, -1), 0);
	trace_free(t);
}
END_TEST

START_TEST(spin_timeout)
{
	struct drive_opts o = {.timeout_ms = 400, .pidns = in_pidns};
	struct trace *t = run_opts("spin", &o);
	ck_assert(timed_out);
	const struct event *b0 = find(t, EV_BLOCKED, 0, 0), *b1 = find(t, EV_BLOCKED, 1, 0);
	ck_assert_ptr_nonnull(b0);
	ck_assert_ptr_nonnull(b1);
	ck_assert_msg(strstr(b0->blocked.what, "in wait() for any child (children still running: child #1)"),
		      "%s", b0->blocked.what);
	ck_assert_msg(strstr(b1->blocked.what, "busy loop"), "%s", b1->blocked.what);
	/* killed at the timeout, its CPU time is still known (how much it got
	   depends on the machine's load) */
	ck_assert_msg(t->procs[1].cpu_ms > 20 && t->procs[1].cpu_ms > 3 * t->procs[0].cpu_ms,
		      "cpu %.1f (program %.1f)", t->procs[1].cpu_ms, t->procs[0].cpu_ms);
	/* the tree kill is not the program leaving an orphan */
	ck_assert_uint_eq(count(t, EV_ORPHAN, -1), 0);
	trace_free(t);
}
END_TEST

START_TEST(busy)
{
	struct trace *t = run("busy");
	ck_assert_msg(t->procs[1].cpu_ms >= 100, "child cpu %.1f ms", t->procs[1].cpu_ms);
	ck_assert_msg(t->procs[0].cpu_ms < 100, "program cpu %.1f ms", t->procs[0].cpu_ms);
	trace_free(t);
}
END_TEST

START_TEST(event_limit)
{
	struct drive_opts o = {.timeout_ms = 10000, .max_events = 5, .pidns = in_pidns};
	struct trace *t = run_opts("fork_wait", &o);
	assert_exit0();
	ck_assert_uint_eq(t->nev, 5);
	ck_assert(!t->complete);
	trace_free(t);
}
END_TEST

/* ---- output ---- */

START_TEST(json_lines)
{
	struct trace *t = run("vfork_exec");
	ck_assert_int_eq(trace_write_json(t, "trace.jsonl"), 0);
	FILE *f = fopen("trace.jsonl", "r");
	char line[4096];
	size_t n = 0;
	json_int_t last = 0;
	int forks = 0, execs = 0, exits = 0;
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		json_error_t err;
		json_t *o = json_loads(line, 0, &err);
		ck_assert_msg(o != NULL, "line %zu: %s", n + 1, err.text);
		ck_assert(json_is_integer(json_object_get(o, "seq")));
		ck_assert(json_is_integer(json_object_get(o, "pid")));
		json_int_t seq = json_integer_value(json_object_get(o, "seq"));
		ck_assert(seq > last);
		last = seq;
		const char *ev = json_string_value(json_object_get(o, "event"));
		ck_assert_ptr_nonnull(ev);
		if (!strcmp(ev, "fork")) {
			forks++;
			ck_assert_int_eq(json_integer_value(json_object_get(o, "child")), 1);
			ck_assert(json_is_true(json_object_get(o, "vfork")));
		} else if (!strcmp(ev, "exec")) {
			execs++;
			ck_assert(json_is_string(json_object_get(o, "path")));
		} else if (!strcmp(ev, "exit")) {
			exits++;
			ck_assert(json_is_integer(json_object_get(o, "status")));
		}
		json_decref(o);
		n++;
	}
	fclose(f);
	ck_assert_uint_eq(n, t->nev);
	ck_assert_int_eq(forks, 1);
	ck_assert_int_eq(execs, 3);                 /* the program, the failed one, /bin/true */
	ck_assert_int_eq(exits, 2);
	trace_free(t);
}
END_TEST

START_TEST(print_tree)
{
	struct trace *t = run("orphan");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	trace_print(t, f);
	fclose(f);
	ck_assert_msg(strstr(text, "processes (3):"), "%s", text);
	ck_assert_msg(strstr(text, "child #2 (of child #1)"), "%s", text);
	ck_assert_msg(strstr(text, "orphaned; new parent: a process outside the program"), "%s", text);
	ck_assert_msg(strstr(text, "reaped by its parent"), "%s", text);
	ck_assert_msg(!strstr(text, "libc.so"), "%s", text);    /* system files are hidden */
	free(text);
	trace_free(t);
}
END_TEST

/* ---- crashes ---- */

/* The line of tests/trace/crash.c whose comment is "here: what". */
static int crash_line(const char *what)
{
	char *path = xasprintf("%s/tests/trace/crash.c", top_dir), line[256];
	char *mark = xasprintf("/* here: %s */", what);
	FILE *f = fopen(path, "r");
	int n = 0, found = 0;

	ck_assert_msg(f != NULL, "%s", path);
	while (!found && fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, mark))
			found = n;
	}
	fclose(f);
	free(path);
	free(mark);
	ck_assert_msg(found, "no line marked %s", what);
	return found;
}

/* Run crash MODE; where its process proc was killed (trace_crash_where). */
static char *crash_where(const char *mode, int proc, struct trace **out)
{
	char *path = path_join(bin_dir, "crash");
	char *argv[] = {path, (char *)mode, NULL};
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns};
	struct trace *t = trace_drive(argv, &o, &status, &timed_out);
	const struct crash *c;
	struct buf b = BUF_INIT;

	ck_assert_msg(t != NULL, "trace_drive: %s", error_get());
	check_invariants(t);
	free(path);
	c = trace_crash_of(t, proc);
	ck_assert_msg(c != NULL, "%s: no crash of process %d", mode, proc);
	ck_assert_int_eq(c->signal, t->procs[proc].exit_signal);
	trace_crash_where(c, &b);
	*out = t;
	return buf_detach(&b);
}

#define assert_has(text, want) ck_assert_msg(strstr((text), (want)), "want \"%s\" in \"%s\"", \
					     (want), (text))

START_TEST(crash_backtrace)
{
	struct trace *t;
	char *where, *want;

	/* a fault in the program's own function */
	where = crash_where("segv", 0, &t);
	want = xasprintf("SIGSEGV (address 0x0) in deref() at crash.c:%d, called from main() at "
			 "crash.c:%d", crash_line("segv"), crash_line("segv caller"));
	ck_assert_str_eq(where, want);
	ck_assert_uint_eq(t->procs[0].exit_signal, SIGSEGV);
	free(where), free(want), trace_free(t);

	/* SIGABRT from inside the C library (no frame pointers there) */
	where = crash_where("abort", 0, &t);
	want = xasprintf("called from check() at crash.c:%d, called from main() at crash.c:%d",
			 crash_line("abort"), crash_line("abort caller"));
	assert_has(where, want);
	ck_assert_msg(!strncmp(where, "SIGABRT in ", 11), "%s", where);
	ck_assert(!t->crashes[0].frames[0].program && !t->crashes[0].frames[0].file);
	free(where), free(want), trace_free(t);

	/* a fault inside a library function the program called */
	where = crash_where("libc", 0, &t);
	want = xasprintf("SIGSEGV (address 0x0) in fseek() in libc.so.6, called from main() at "
			 "crash.c:%d", crash_line("libc"));
	ck_assert_str_eq(where, want);
	free(where), free(want), trace_free(t);

	/* a thread's crash: its own backtrace, without the library's start */
	where = crash_where("thread", 0, &t);
	want = xasprintf("SIGSEGV (address 0x0) in deref() at crash.c:%d, called from worker() at "
			 "crash.c:%d", crash_line("segv"), crash_line("thread"));
	ck_assert_str_eq(where, want);
	ck_assert_int_ne(t->crashes[0].tid, t->procs[0].pid);
	free(where), free(want), trace_free(t);

	/* a child's crash: the program itself exits 0 */
	where = crash_where("child", 1, &t);
	want = xasprintf("SIGSEGV (address 0x0) in deref() at crash.c:%d, called from main() at "
			 "crash.c:%d", crash_line("segv"), crash_line("child"));
	ck_assert_str_eq(where, want);
	ck_assert_ptr_null(trace_crash_of(t, 0));
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(where), free(want), trace_free(t);
}
END_TEST

START_TEST(crash_caught_is_not_a_crash)
{
	char *path = path_join(bin_dir, "crash");
	char *argv[] = {path, "caught", NULL};
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns};
	struct trace *t = trace_drive(argv, &o, &status, &timed_out);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->ncrashes, 0);         /* the handler took it */
	ck_assert_int_eq(t->procs[0].exit_code, 3);
	free(path);
	trace_free(t);
}
END_TEST

/* A program that puts a FIFO where its executable was: the tracer must
   not block opening it, nor read names from anything but the file mapped. */
START_TEST(crash_exe_replaced)
{
	char *from = path_join(bin_dir, "crash"), *path = path_join(run_dir, "crash");
	char *argv[] = {path, "fifo", NULL};
	struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns};
	struct trace *t;
	const struct crash *c;

	ck_assert_int_eq(file_copy(from, path), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	t = trace_drive(argv, &o, &status, &timed_out);
	ck_assert_ptr_nonnull(t);
	ck_assert(!timed_out);
	c = trace_crash_of(t, 0);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->signal, SIGSEGV);
	ck_assert_uint_ge(c->nframes, 1);
	ck_assert_ptr_null(c->frames[0].function);   /* its file could not be read */
	free(from);
	free(path);
	trace_free(t);
}
END_TEST

/* ---- race provocation ---- */

/* Run race MODE N under seed; the final count from its marker. */
static unsigned long last_race_steps, last_race_stops;  /* of race_count's run */

static long race_count_opts(const char *mode, const char *n, unsigned long seed, long steps,
			    bool step_each)
{
	char *path = path_join(bin_dir, "race");
	char *argv[] = {path, (char *)mode, (char *)n, NULL};
	struct drive_opts o = {.timeout_ms = 20000, .pidns = in_pidns, .race_seed = seed,
			       .race_steps = steps, .race_step_each = step_each, .quiet_stdout = true};
	struct trace *t = trace_drive(argv, &o, &status, &timed_out);
	ck_assert_ptr_nonnull(t);
	check_invariants(t);
	ck_assert(!timed_out);
	const struct event *m = find_str(t, EV_MARKER, "count ");
	ck_assert_ptr_nonnull(m);
	long count = atol(m->marker.text + 6);
	ck_assert_uint_eq(t->nprocs, strcmp(mode, "vfork") ? 3 : 5);
	last_race_steps = t->race_steps;
	last_race_stops = t->race_stops;
	trace_free(t);
	free(path);
	return count;
}

static long race_count(const char *mode, const char *n, unsigned long seed, long steps)
{
	return race_count_opts(mode, n, seed, steps, false);
}

/* Lost updates provoked in at least 4 of seeds 1-5 (a count below full). */
static void assert_races_caught(const char *mode, const char *n, long full)
{
	int caught = 0;
	for (unsigned long seed = 1; seed <= 5; seed++)
		caught += race_count(mode, n, seed, 0) < full;
	ck_assert_msg(caught >= 4, "%s: lost updates provoked in %d of 5 seeds", mode, caught);
}

START_TEST(race_lost_updates)
{
	assert_races_caught("plain", "50", 100);
}
END_TEST

START_TEST(race_threads_global)
{
	/* threads share globals, which -O0 reaches rip-relative, not through
	   a pointer: with other threads in the process they count as shared */
	assert_races_caught("threads", "30", 120);
}
END_TEST

START_TEST(race_threads_lock)
{
	/* two threads waiting at the same sem_wait share its int3: the first
	   back steps over it and it stays for the other, so both stay in the
	   schedule (every instruction of their loops stepped, the same each
	   replay) and the lock holds */
	race_count("threads", "30", 1, 0);
	unsigned long unlocked_steps = last_race_steps;
	for (unsigned long seed = 1; seed <= 2; seed++) {
		ck_assert_int_eq(race_count("threads_sem", "30", seed, 0), 120);
		unsigned long steps = last_race_steps;
		ck_assert_uint_ge(steps, unlocked_steps);
		ck_assert_int_eq(race_count("threads_sem", "30", seed, 0), 120);
		ck_assert_uint_eq(last_race_steps, steps);
		/* and runs (the main thread's, alone) do what steps do */
		ck_assert_int_eq(race_count_opts("threads_sem", "30", seed, 0, true), 120);
		ck_assert_uint_eq(last_race_steps, steps);
	}
}
END_TEST

START_TEST(race_vfork_parent)
{
	/* a parent vforks: glibc's vfork keeps the return address off the
	   stack (in rdi); the child, first back in the memory they share,
	   takes out the parent's int3 there if the parent was already in the
	   schedule, or leaves its own (after its _exit: the parent's next
	   instruction); the parent must compute right and come back under
	   the schedule (all its steps counted) */
	race_count("plain", "50", 1, 0);
	unsigned long both_stepped = last_race_steps;
	int caught = 0;
	for (unsigned long seed = 1; seed <= 3; seed++) {
		caught += race_count("vfork", "50", seed, 0) < 100;
		ck_assert_uint_ge(last_race_steps, both_stepped);
	}
	ck_assert_int_ge(caught, 2);
}
END_TEST

START_TEST(race_no_false_alarm)
{
	for (unsigned long seed = 1; seed <= 3; seed++)
		ck_assert_int_eq(race_count("sem", "50", seed, 0), 100);
}
END_TEST

START_TEST(race_pipe_no_stall)
{
	/* the parent, stepped after its read() returned, gets a SIGCHLD */
	for (unsigned long seed = 1; seed <= 6; seed++)
		ck_assert_int_eq(race_count("pipe", "20", seed, 0), 40);
}
END_TEST

START_TEST(race_decoder)
{
	/* where shared data is read and written: the pointer rule's instructions */
	static const struct {
		unsigned char code[16]; bool pointer, global; const char *what;
	} mem[] = {
		{{0x48, 0x8b, 0x50, 0x08}, true, false, "mov rdx, [rax+8]"},
		{{0x48, 0x89, 0x50, 0x08}, true, false, "mov [rax+8], rdx"},
		{{0xc7, 0x00, 0x01, 0, 0, 0}, true, false, "mov dword [rax], 1"},
		{{0x41, 0x8b, 0x45, 0x00}, true, false, "mov eax, [r13]"},
		{{0x0f, 0xb6, 0x00}, true, false, "movzx eax, byte [rax]"},
		{{0xf0, 0x48, 0x0f, 0xc1, 0x02}, true, false, "lock xadd [rdx], rax"},
		{{0xf2, 0x0f, 0x10, 0x00}, true, false, "movsd xmm0, [rax]"},
		{{0x8b, 0x04, 0x85, 0, 0, 0, 0}, true, false, "mov eax, [rax*4]"},
		{{0x48, 0x8b, 0x45, 0xf8}, false, false, "mov rax, [rbp-8]"},
		{{0x48, 0x8b, 0x44, 0x24, 0x08}, false, false, "mov rax, [rsp+8]"},
		{{0x8b, 0x05, 0x34, 0x12, 0, 0}, false, true, "mov eax, [rip+0x1234]"},
		{{0x89, 0x05, 0x34, 0x12, 0, 0}, false, true, "mov [rip+0x1234], eax"},
		{{0x8b, 0x04, 0x25, 0x00, 0x10, 0, 0}, false, true, "mov eax, [0x1000]"},
		{{0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0}, false, false, "mov rax, fs:[0x28]"},
		{{0x48, 0x01, 0xc2}, false, false, "add rdx, rax"},
		{{0x48, 0x8d, 0x42, 0x08}, false, false, "lea rax, [rdx+8]"},
		{{0x48, 0x8d, 0x05, 0x10, 0, 0, 0}, false, false, "lea rax, [rip+0x10]"},
		{{0x50}, false, false, "push rax"},
		{{0xe8, 0, 0, 0, 0}, false, false, "call rel32"},
	};
	/* how control goes on: what a run of steps may span */
	static const struct {
		unsigned char code[16]; unsigned len; enum insn_flow flow; bool cond, call;
		unsigned long target; const char *what;
	} flow[] = {
		{{0x48, 0x01, 0xc2}, 3, INSN_NEXT, false, false, 0, "add rdx, rax"},
		{{0xf3, 0x0f, 0x1e, 0xfa}, 4, INSN_NEXT, false, false, 0, "endbr64"},
		{{0xf3, 0x0f, 0x10, 0x45, 0xf8}, 5, INSN_NEXT, false, false, 0, "movss xmm0, [rbp-8]"},
		{{0x75, 0x10}, 2, INSN_JUMP, true, false, 0x1000 + 2 + 0x10, "jne +0x10"},
		{{0x0f, 0x8e, 0xf0, 0xff, 0xff, 0xff}, 6, INSN_JUMP, true, false, 0x1000 + 6 - 0x10,
		 "jle -0x10"},
		{{0xeb, 0xfe}, 2, INSN_JUMP, false, false, 0x1000, "jmp $"},
		{{0xe9, 0, 1, 0, 0}, 5, INSN_JUMP, false, false, 0x1000 + 5 + 0x100, "jmp rel32"},
		{{0xe8, 0, 1, 0, 0}, 5, INSN_JUMP, false, true, 0x1000 + 5 + 0x100, "call rel32"},
		{{0xff, 0xd0}, 2, INSN_OTHER, false, false, 0, "call rax"},
		{{0xff, 0xe0}, 2, INSN_OTHER, false, false, 0, "jmp rax"},
		{{0xc3}, 1, INSN_RETURN, false, false, 0, "ret"},
		{{0x48, 0xcf}, 2, INSN_OTHER, false, false, 0, "iretq"},
		{{0x0f, 0x05}, 2, INSN_OTHER, false, false, 0, "syscall"},
		{{0xf3, 0xa4}, 2, INSN_OTHER, false, false, 0, "rep movsb (a trap per byte when stepped)"},
		{{0x0f, 0x0b}, 2, INSN_OTHER, false, false, 0, "ud2"},
		{{0xcc}, 1, INSN_OTHER, false, false, 0, "int3"},
	};
	struct insn in;

	for (size_t i = 0; i < ARRAY_SIZE(mem); i++) {
		ck_assert_msg(insn_decode(mem[i].code, sizeof(mem[i].code), 0x1000, &in), "%s", mem[i].what);
		ck_assert_msg(in.touches_pointer == mem[i].pointer, "%s: pointer", mem[i].what);
		ck_assert_msg(in.touches_global == mem[i].global, "%s: global", mem[i].what);
	}
	for (size_t i = 0; i < ARRAY_SIZE(flow); i++) {
		ck_assert_msg(insn_decode(flow[i].code, sizeof(flow[i].code), 0x1000, &in), "%s", flow[i].what);
		ck_assert_msg(in.len == flow[i].len && in.flow == flow[i].flow, "%s: len %u flow %d",
			      flow[i].what, in.len, (int)in.flow);
		if (in.flow == INSN_JUMP)
			ck_assert_msg(in.conditional == flow[i].cond && in.call == flow[i].call &&
				      in.target == flow[i].target,
				      "%s: target %#lx", flow[i].what, in.target);
	}
	/* a PLT entry's jump: the pointer it goes through */
	ck_assert(insn_decode((const unsigned char[]){0xf2, 0xff, 0x25, 0x10, 0, 0, 0}, 7, 0x1000, &in));
	ck_assert_int_eq(in.flow, INSN_OTHER);
	ck_assert_uint_eq(in.jump_slot, 0x1000 + 7 + 0x10);
	ck_assert(insn_decode((const unsigned char[]){0xff, 0xe0}, 2, 0x1000, &in));
	ck_assert_uint_eq(in.jump_slot, 0);
	/* cut short, or not an instruction */
	ck_assert(!insn_decode((const unsigned char[]){0x48, 0x8b}, 2, 0x1000, &in));
	ck_assert(!insn_decode((const unsigned char[]){0x06}, 1, 0x1000, &in));
	ck_assert_int_eq(in.flow, INSN_UNKNOWN);
}
END_TEST

START_TEST(race_replay)
{
	/* the same seed, the same interleaving: the same lost updates; also
	   with threads, whose ends wake the thread that joins them */
	long a = race_count("plain", "50", 7, 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(race_count("plain", "50", 7, 0), a);
	ck_assert_int_lt(a, 100);
	long b = race_count("threads", "30", 7, 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(race_count("threads", "30", 7, 0), b);
	ck_assert_int_lt(b, 120);
}
END_TEST

START_TEST(race_runs_match_steps)
{
	/* a run of instructions for one stop executes what single steps would,
	   and draws the same random numbers: the same schedule, fewer stops */
	static const char *const modes[] = {"plain", "calls", "sem", "vfork"};
	for (size_t m = 0; m < ARRAY_SIZE(modes); m++)
		for (unsigned long seed = 1; seed <= 3; seed++) {
			long stepped = race_count_opts(modes[m], "40", seed, 0, true);
			unsigned long steps = last_race_steps, stops_each = last_race_stops;
			long ran = race_count_opts(modes[m], "40", seed, 0, false);
			ck_assert_msg(ran == stepped, "%s, seed %lu: count %ld with runs, %ld stepping",
				      modes[m], seed, ran, stepped);
			ck_assert_uint_eq(last_race_steps, steps);
			ck_assert_msg(last_race_stops * 2 < stops_each,
				      "%s, seed %lu: %lu stops with runs, %lu without",
				      modes[m], seed, last_race_stops, stops_each);
		}
}
END_TEST

START_TEST(race_vfork)
{
	/* a parent waits in vfork() (state D) until the child execs: only the
	   schedule can let the child go on, so the parent counts as asleep */
	static const char *const progs[] = {"vfork_exec", "spawn"};
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++)
		for (unsigned long seed = 1; seed <= 2; seed++) {
			struct drive_opts o = {.timeout_ms = 10000, .pidns = in_pidns, .race_seed = seed};
			struct trace *t = run_opts(progs[i], &o);
			ck_assert_msg(!timed_out, "%s, seed %lu: timed out", progs[i], seed);
			assert_exit0();
			ck_assert_uint_eq(t->nprocs, 2);
			ck_assert(t->procs[1].execed);
			trace_free(t);
		}
}
END_TEST

START_TEST(race_budget)
{
	/* 100000 iterations would take minutes stepped: the budget sets them free */
	long c = race_count("plain", "100000", 3, 20000);
	ck_assert_int_le(c, 200000);
	ck_assert(WIFEXITED(status));
}
END_TEST

/* Every test, run directly and in a pid namespace under an init wrapper. */
static void add_tests(TCase *tc)
{
	tcase_add_test(tc, fork_wait);
	tcase_add_test(tc, named);
	tcase_add_test(tc, fault_after_restart);
	tcase_add_test(tc, no_wait);
	tcase_add_test(tc, orphan);
	tcase_add_test(tc, vfork_exec);
	tcase_add_test(tc, spawn);
	tcase_add_test(tc, threads);
	tcase_add_test(tc, thread_exec);
	tcase_add_test(tc, waits);
	tcase_add_test(tc, signals);
	tcase_add_test(tc, stopcont);
	tcase_add_test(tc, faults);
	tcase_add_test(tc, markers);
	tcase_add_test(tc, markers_from_harness);
	tcase_add_test(tc, shm_futex);
	tcase_add_test(tc, mq);
	tcase_add_test(tc, sem_open);
	tcase_add_test(tc, sysv);
	tcase_add_test(tc, writers);
	tcase_add_test(tc, pipe_writes);
	tcase_add_test(tc, pace);
	tcase_add_test(tc, sends_after_output);
	tcase_add_test(tc, sends_before_wait);
	tcase_add_test(tc, sends_to_child_and_timed);
	tcase_add_test(tc, pipe_deadlock);
	tcase_add_test(tc, pipe_deadlock_lifecycle);
	tcase_add_test(tc, lifecycle_reaps);
	tcase_add_test(tc, busy);
	tcase_add_test(tc, spin_timeout);
	tcase_add_test(tc, event_limit);
	tcase_add_test(tc, race_lost_updates);
	tcase_add_test(tc, race_no_false_alarm);
	tcase_add_test(tc, race_pipe_no_stall);
	tcase_add_test(tc, race_decoder);
	tcase_add_test(tc, race_replay);
	tcase_add_test(tc, race_runs_match_steps);
	tcase_add_test(tc, race_threads_global);
	tcase_add_test(tc, race_vfork_parent);
	tcase_add_test(tc, race_threads_lock);
	tcase_add_test(tc, race_vfork);
	tcase_add_test(tc, race_budget);
	tcase_add_test(tc, crash_backtrace);
	tcase_add_test(tc, crash_caught_is_not_a_crash);
	tcase_add_test(tc, crash_exe_replaced);
}

static void pidns_on(void)
{
	in_pidns = true;
}

Suite *suite_trace(void);
Suite *suite_trace(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("direct");
	tcase_add_unchecked_fixture(tc, build_all, remove_all);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	add_tests(tc);
	tcase_add_test(tc, fault_bad_name);
	tcase_add_test(tc, json_lines);
	tcase_add_test(tc, print_tree);
	suite_add_tcase(s, tc);

	/* unprivileged users cannot make a pid namespace without a user one */
	if (geteuid() == 0) {
		TCase *ns = tcase_create("pidns");
		tcase_add_unchecked_fixture(ns, build_all, remove_all);
		tcase_add_unchecked_fixture(ns, pidns_on, NULL);
		tcase_add_checked_fixture(ns, setup, teardown);
		tcase_set_timeout(ns, 30);
		add_tests(ns);
		suite_add_tcase(s, ns);
	}
	return s;
}
