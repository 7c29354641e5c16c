/*
 * trace_crash.c - where a crash signal caught a process: the backtrace of
 * the thread it was delivered to, with functions, files and lines.
 *
 * At the signal-delivery stop of SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
 * SIGTRAP or SIGSYS, if the process neither catches nor ignores it (so it
 * dies of it when resumed), the thread is unwound and symbolized there and
 * then: the sandbox's files (its executable, its libraries) are reachable
 * only while the process lives, through /proc/PID/root.
 *
 * The walk follows each frame's call frame information (.eh_frame, which
 * gcc emits for every function and glibc has too), from the registers at
 * the stop and the stack's words (trace_dwarf.c).  Frame pointers would
 * not do: SIGABRT comes from inside raise() and abort(), and a NULL given
 * to fseek() faults in the C library, whose code keeps no frame pointer,
 * below the student's function; a scan of the stack for return addresses
 * finds stale ones.  Where no rule covers the code, a frame of the
 * program (built -O0) is left by its frame pointer.  Names come from each
 * file's symbol tables; files and lines from the program's own DWARF
 * (exercises build with -g), so library frames have a name and no line.
 *
 * libdw (elfutils) does all this, but not loaded into the static grader:
 * its thread-local variables have no storage in a static program's
 * dlopen (__tls_get_addr returns NULL).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include "i18n.h"
#include "trace_dwarf.h"
#include "trace_internal.h"

#define CRASH_MAX_FRAMES 32

static bool is_crash_signal(int sig)
{
	switch (sig) {
	case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGABRT: case SIGTRAP:
	case SIGSYS:
		return true;
	default:
		return false;
	}
}

/* Whether process pid catches or ignores sig (/proc/PID/status). */
static bool sig_handled(pid_t pid, int sig)
{
	char path[64], line[256];
	unsigned long long mask;
	bool handled = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if ((sscanf(line, "SigCgt: %llx", &mask) == 1 || sscanf(line, "SigIgn: %llx", &mask) == 1) &&
		    (mask >> (sig - 1) & 1))
			handled = true;
	fclose(f);
	return handled;
}

/* ---- unwinding ---- */

/* An executable mapping of a file, and the file once opened. */
struct code_map {
	unsigned long start, end, off, ino;
	char *path;               /* as the process sees it */
	struct elf_file elf;
	int state;                /* 0 not tried, 1 open, -1 unreadable */
};

struct walk {
	pid_t pid;
	pid_t tid;                /* the thread: stopped, so its memory reads */
	struct code_map *maps; size_t nmaps;
	const char *program;      /* the executable's path, or NULL */
};

static void read_maps(struct walk *w)
{
	char path[64], line[4096 + 128];
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)w->pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b, off, ino;
		char perms[8];
		int name = 0;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%lx-%lx %7s %lx %*s %lu %n", &a, &b, perms, &off, &ino, &name) < 5 ||
		    !name || line[name] != '/' || perms[2] != 'x')
			continue;
		grow(&w->maps, &cap, w->nmaps + 1, sizeof(*w->maps));
		w->maps[w->nmaps++] = (struct code_map){a, b, off, ino, xstrdup(line + name), {0}, 0};
	}
	fclose(f);
}

static void free_maps(struct walk *w)
{
	for (size_t i = 0; i < w->nmaps; i++) {
		elf_file_close(&w->maps[i].elf);
		free(w->maps[i].path);
	}
	free(w->maps);
}

/* Open m's file as the process reaches it (else as we do), if it is the
   file mapped: the student's program may have put another in its place. */
static int open_mapped(struct code_map *m, pid_t pid)
{
	char *root = xasprintf("/proc/%d/root%s", (int)pid, m->path);
	int rc = elf_file_open(&m->elf, root);

	free(root);
	if (rc < 0)
		rc = elf_file_open(&m->elf, m->path);
	if (rc == 0 && m->elf.ino != m->ino) {
		elf_file_close(&m->elf);
		rc = -1;
	}
	return rc;
}

/* The mapping of pc with its file open, and pc's address in the file
   (vaddr); NULL if none. */
static struct code_map *map_of(struct walk *w, unsigned long pc, unsigned long *vaddr)
{
	for (size_t i = 0; i < w->nmaps; i++) {
		struct code_map *m = &w->maps[i];
		if (pc < m->start || pc >= m->end)
			continue;
		if (!m->state)
			m->state = open_mapped(m, w->pid) == 0 ? 1 : -1;
		if (m->state < 0 || !elf_file_vaddr(&m->elf, m->off + (pc - m->start), vaddr))
			return NULL;
		return m;
	}
	return NULL;
}

static bool read_word(void *arg, unsigned long addr, unsigned long *word)
{
	return mem_read(*(pid_t *)arg, addr, word, sizeof(*word));
}

/* The registers at the stop, in DWARF's numbering; false if unreadable. */
static bool stop_regs(pid_t tid, struct unwind_regs *u, unsigned long *pc)
{
	struct user_regs_struct r;

	if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return false;
	const unsigned long v[DW_RA] = {r.rax, r.rdx, r.rcx, r.rbx, r.rsi, r.rdi, r.rbp, r.rsp,
					r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15};
	memset(u, 0, sizeof(*u));
	for (int i = 0; i < DW_RA; i++) {
		u->r[i] = v[i];
		u->known[i] = true;
	}
	*pc = r.rip;
	return true;
}

/* Leave a frame of the program by its frame pointer (built -O0). */
static bool frame_pointer_step(struct walk *w, struct unwind_regs *u)
{
	unsigned long fp = u->r[DW_RBP], saved, ra;

	if (!u->known[DW_RBP] || !read_word(&w->tid, fp, &saved) || !read_word(&w->tid, fp + 8, &ra))
		return false;
	u->r[DW_RBP] = saved;
	u->r[DW_RSP] = fp + 16;
	u->r[DW_RA] = ra;
	u->known[DW_RA] = true;
	return true;
}

static void add_frame_at(struct crash *c, size_t *cap, unsigned long pc,
			 const struct code_map *m, unsigned long addr, const struct walk *w)
{
	struct crash_frame *fr;
	const char *name, *file;
	int line;

	grow(&c->frames, cap, c->nframes + 1, sizeof(*c->frames));
	fr = &c->frames[c->nframes++];
	memset(fr, 0, sizeof(*fr));
	fr->pc = pc;
	if (!m)
		return;
	fr->module = xstrdup(m->path);
	fr->program = w->program && !strcmp(m->path, w->program);
	name = elf_function_at(&m->elf, addr);
	fr->function = name ? xstrdup(name) : NULL;
	if (fr->program && elf_line_at(&m->elf, addr, &file, &line)) {
		fr->file = xstrdup(file);
		fr->line = line;
	}
}

/* Unwind thread tid of process pid (stopped by us) into c. */
static void unwind(struct crash *c, pid_t pid, pid_t tid)
{
	struct walk w = {.pid = pid, .tid = tid};
	struct unwind_regs u;
	unsigned long pc, lo, hi, vaddr = 0;
	size_t cap = 0;

	if (!stop_regs(tid, &u, &pc)) {
		c->why = xstrdup(_("no backtrace: the registers could not be read"));
		return;
	}
	read_maps(&w);
	if (exe_mapping(pid, true, &lo, &hi))
		for (size_t i = 0; i < w.nmaps; i++)
			if (w.maps[i].start == lo)
				w.program = w.maps[i].path;
	for (bool first = true; c->nframes < CRASH_MAX_FRAMES; first = false) {
		struct code_map *m = map_of(&w, pc, &vaddr);
		/* a return address is after the call: look up the call itself */
		unsigned long addr = first ? vaddr : vaddr - 1, sp = u.r[DW_RSP];
		add_frame_at(c, &cap, pc, m, addr, &w);
		const struct crash_frame *fr = &c->frames[c->nframes - 1];
		if (!m || (fr->program && fr->function && !strcmp(fr->function, "main")))
			break;          /* below main is the C library's start */
		if (!elf_unwind_step(&m->elf, addr, &u, read_word, &w.tid) &&
		    !(fr->program && frame_pointer_step(&w, &u)))
			break;
		if (!u.known[DW_RA] || !u.r[DW_RA] || u.r[DW_RSP] <= sp)
			break;          /* the outermost frame, or a loop */
		pc = u.r[DW_RA];
	}
	free_maps(&w);
}

/* ---- the crash records ---- */

void crash_on_signal(struct tracer *t, struct task *k, int sig, unsigned long seq)
{
	struct trace *tr = t->tr;
	siginfo_t si;
	struct crash *c;

	if (!is_crash_signal(sig) || !k->ps || k->ps->index < 0 ||
	    trace_crash_of(tr, k->ps->index) || sig_handled(k->ps->pid, sig))
		return;
	tr->crashes = xrealloc(tr->crashes, (tr->ncrashes + 1) * sizeof(*tr->crashes));
	c = &tr->crashes[tr->ncrashes++];
	memset(c, 0, sizeof(*c));
	c->proc = k->ps->index;
	c->tid = k->tid;
	c->seq = seq;
	c->signal = sig;
	if (ptrace(PTRACE_GETSIGINFO, k->tid, 0, &si) == 0) {
		c->code = si.si_code;
		if (si.si_code > 0)    /* sent by the kernel: a fault */
			c->addr = (unsigned long)si.si_addr;
	}
	unwind(c, k->ps->pid, k->tid);
}

void crash_free(struct crash *c)
{
	for (size_t i = 0; i < c->nframes; i++) {
		free(c->frames[i].function);
		free(c->frames[i].file);
		free(c->frames[i].module);
	}
	free(c->frames);
	free(c->why);
}

const struct crash *trace_crash_of(const struct trace *t, int proc)
{
	for (size_t i = 0; t && i < t->ncrashes; i++)
		if (t->crashes[i].proc == proc)
			return &t->crashes[i];
	return NULL;
}

/* ---- description ---- */

static bool is_fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL;
}

/* "half_copy() at half_copy.c:42", "fseek() in libc.so.6", "libc.so.6"
   (a function without a symbol), "0x401136" (nothing known). */
static void add_frame(const struct crash_frame *fr, struct buf *b)
{
	if (fr->function)
		buf_addf(b, "%s()", fr->function);
	if (fr->file && fr->line > 0)
		buf_addf(b, _(" at %s:%d"), path_base(fr->file), fr->line);
	else if (!fr->program && fr->module)
		buf_addf(b, fr->function ? _(" in %s") : "%s", path_base(fr->module));
	else if (!fr->function)
		buf_addf(b, "0x%lx", fr->pc);
}

void trace_crash_where(const struct crash *c, struct buf *b)
{
	char name[32];
	size_t first = 0, last, shown = 0;

	buf_adds(b, signal_name(c->signal, name, sizeof(name)));
	if (is_fault_signal(c->signal) && c->code > 0)
		buf_addf(b, _(" (address 0x%lx)"), c->addr);
	if (!c->nframes)
		return;
	/* the innermost frame of the program's own code, after the library
	   function it called (the library's inner frames are its own), and
	   its callers in the program (not the library's thread start) */
	while (first < c->nframes && !c->frames[first].program)
		first++;
	last = first;
	while (last + 1 < c->nframes && c->frames[last + 1].program)
		last++;
	if (first == c->nframes)
		first = last = 0;
	else if (first > 0)
		first--;
	for (size_t i = first; i <= last && shown < 4; i++, shown++) {
		buf_adds(b, shown ? _(", called from ") : _(" in "));
		add_frame(&c->frames[i], b);
	}
}
