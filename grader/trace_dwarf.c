/*
 * trace_dwarf.c - functions, lines and unwind rules from an ELF file (see
 * trace_dwarf.h).
 *
 * Only what a backtrace of gcc-built x86-64 code needs: .symtab/.dynsym
 * function symbols; .debug_line versions 2 to 5 (32-bit DWARF) read as a
 * state machine until a row covers the address; .eh_frame CIEs and FDEs
 * (the augmentations gcc and glibc use: z, R, P, L, S) and the CFA
 * instructions except expressions, which end the walk.  All reads go
 * through a cursor that turns any overrun into a failed lookup.
 */
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "trace_dwarf.h"
#include "util.h"

/* ---- the file ---- */

/* The n bytes at off, or NULL if they are not all in the file. */
static const void *at(const struct elf_file *f, unsigned long off, unsigned long n)
{
	if (off > f->n || n > f->n - off)
		return NULL;
	return f->p + off;
}

int elf_file_open(struct elf_file *f, const char *path)
{
	struct stat st;
	const Elf64_Ehdr *eh;
	/* the path is in a student's folder: no FIFO to block on, no link */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);

	f->p = NULL;
	if (fd < 0)
		return error_errno("%s", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		close(fd);
		return error_set("%s: not a regular file", path);
	}
	f->n = (size_t)st.st_size;
	f->ino = (unsigned long)st.st_ino;
	f->p = mmap(NULL, f->n, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (f->p == MAP_FAILED) {
		f->p = NULL;
		return error_errno("%s: mmap", path);
	}
	eh = at(f, 0, sizeof(*eh));
	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_phentsize != sizeof(Elf64_Phdr)) {
		elf_file_close(f);
		return error_set("%s: not a 64-bit ELF file", path);
	}
	return 0;
}

void elf_file_close(struct elf_file *f)
{
	if (f->p)
		munmap((void *)f->p, f->n);
	f->p = NULL;
}

static const Elf64_Ehdr *ehdr(const struct elf_file *f)
{
	return (const Elf64_Ehdr *)f->p;
}

static const Elf64_Shdr *shdr(const struct elf_file *f, unsigned i)
{
	return i < ehdr(f)->e_shnum ? at(f, ehdr(f)->e_shoff + i * sizeof(Elf64_Shdr),
					 sizeof(Elf64_Shdr)) : NULL;
}

/* The section called name (the first), or NULL. */
static const Elf64_Shdr *section(const struct elf_file *f, const char *name)
{
	const Elf64_Shdr *names = shdr(f, ehdr(f)->e_shstrndx);
	size_t want = strlen(name) + 1;

	for (unsigned i = 0; names && i < ehdr(f)->e_shnum; i++) {
		const Elf64_Shdr *sh = shdr(f, i);
		const char *sn = sh && sh->sh_name < names->sh_size ?
			at(f, names->sh_offset + sh->sh_name, want) : NULL;
		if (sn && !memcmp(sn, name, want) && sh->sh_type != SHT_NOBITS &&
		    at(f, sh->sh_offset, sh->sh_size))
			return sh;
	}
	return NULL;
}

bool elf_file_vaddr(const struct elf_file *f, unsigned long off, unsigned long *vaddr)
{
	for (unsigned i = 0; i < ehdr(f)->e_phnum; i++) {
		const Elf64_Phdr *ph = at(f, ehdr(f)->e_phoff + i * sizeof(*ph), sizeof(*ph));
		if (ph && ph->p_type == PT_LOAD && off >= ph->p_offset &&
		    off - ph->p_offset < ph->p_filesz) {
			*vaddr = ph->p_vaddr + (off - ph->p_offset);
			return true;
		}
	}
	return false;
}

/* ---- symbols ---- */

static const char *search_symbols(const struct elf_file *f, unsigned type, unsigned long addr)
{
	for (unsigned i = 0; i < ehdr(f)->e_shnum; i++) {
		const Elf64_Shdr *sh = shdr(f, i), *str;
		if (!sh || sh->sh_type != type || sh->sh_entsize != sizeof(Elf64_Sym) ||
		    !(str = shdr(f, sh->sh_link)))
			continue;
		for (unsigned long j = 0; j < sh->sh_size / sizeof(Elf64_Sym); j++) {
			const Elf64_Sym *s = at(f, sh->sh_offset + j * sizeof(*s), sizeof(*s));
			if (!s)
				break;
			if ((ELF64_ST_TYPE(s->st_info) != STT_FUNC &&
			     ELF64_ST_TYPE(s->st_info) != STT_GNU_IFUNC) ||
			    addr < s->st_value || addr - s->st_value >= s->st_size ||
			    s->st_name >= str->sh_size)
				continue;
			const char *name = at(f, str->sh_offset + s->st_name, 1);
			/* NUL-terminated within the table */
			if (name && memchr(name, '\0', str->sh_size - s->st_name))
				return name;
		}
	}
	return NULL;
}

const char *elf_function_at(const struct elf_file *f, unsigned long addr)
{
	const char *name = search_symbols(f, SHT_SYMTAB, addr);
	return name ? name : search_symbols(f, SHT_DYNSYM, addr);
}

/* ---- a cursor over bytes ---- */

struct cur {
	const unsigned char *p, *end;
	bool bad;                 /* read past the end: every read gives 0 */
};

static bool take(struct cur *c, void *out, size_t n)
{
	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		memset(out, 0, n);
		return false;
	}
	memcpy(out, c->p, n);
	c->p += n;
	return true;
}

static unsigned long u8(struct cur *c) { uint8_t v; take(c, &v, 1); return v; }
static unsigned long u16(struct cur *c) { uint16_t v; take(c, &v, 2); return v; }
static unsigned long u32(struct cur *c) { uint32_t v; take(c, &v, 4); return v; }
static unsigned long u64(struct cur *c) { uint64_t v; take(c, &v, 8); return v; }

static void skip(struct cur *c, unsigned long n)
{
	if (c->bad || (unsigned long)(c->end - c->p) < n)
		c->bad = true;
	else
		c->p += n;
}

static unsigned long uleb(struct cur *c)
{
	unsigned long v = 0;
	unsigned shift = 0, b;

	do {
		b = (unsigned)u8(c);
		if (shift < 64)
			v |= (unsigned long)(b & 0x7f) << shift;
		shift += 7;
	} while ((b & 0x80) && !c->bad);
	return v;
}

static long sleb(struct cur *c)
{
	unsigned long v = 0;
	unsigned shift = 0, b;

	do {
		b = (unsigned)u8(c);
		if (shift < 64)
			v |= (unsigned long)(b & 0x7f) << shift;
		shift += 7;
	} while ((b & 0x80) && !c->bad);
	if (shift < 64 && (b & 0x40))
		v |= ~0UL << shift;
	return (long)v;
}

/* A NUL-terminated string at the cursor, or "" (and bad) if none. */
static const char *cstr(struct cur *c)
{
	const unsigned char *z = c->bad ? NULL : memchr(c->p, '\0', (size_t)(c->end - c->p));
	const char *s = (const char *)c->p;

	if (!z) {
		c->bad = true;
		return "";
	}
	c->p = z + 1;
	return s;
}

/* The section's bytes as a cursor (empty if it is missing). */
static struct cur section_cur(const struct elf_file *f, const char *name)
{
	const Elf64_Shdr *sh = section(f, name);
	struct cur c = {NULL, NULL, !sh};

	if (sh) {
		c.p = f->p + sh->sh_offset;
		c.end = c.p + sh->sh_size;
	}
	return c;
}

/* ---- lines (.debug_line) ---- */

struct line_unit {
	unsigned version, min_inst, line_range, opcode_base;
	int line_base;
	const unsigned char *std_lengths;   /* opcode_base - 1 of them */
	const char *files[256];             /* by index; NULL past nfiles */
	unsigned nfiles;
};

/* The string a DWARF 5 entry's form gives (strings: .debug_str,
   .debug_line_str); other forms are skipped and give NULL. */
static const char *form_value(const struct elf_file *f, struct cur *c, unsigned long form)
{
	const char *sect = NULL;
	unsigned long off = 0;

	switch (form) {
	case 0x08: return cstr(c);                              /* string */
	case 0x1f: sect = ".debug_line_str"; off = u32(c); break;  /* line_strp */
	case 0x0e: sect = ".debug_str"; off = u32(c); break;       /* strp */
	case 0x0b: skip(c, 1); return NULL;                     /* data1 */
	case 0x05: skip(c, 2); return NULL;                     /* data2 */
	case 0x06: skip(c, 4); return NULL;                     /* data4 */
	case 0x07: skip(c, 8); return NULL;                     /* data8 */
	case 0x1e: skip(c, 16); return NULL;                    /* data16 */
	case 0x0f: uleb(c); return NULL;                        /* udata */
	case 0x09: skip(c, uleb(c)); return NULL;               /* block */
	default: c->bad = true; return NULL;
	}
	struct cur s = section_cur(f, sect);
	if (s.bad || off >= (unsigned long)(s.end - s.p))
		return NULL;
	s.p += off;
	const char *v = cstr(&s);
	return s.bad ? NULL : v;
}

/* DWARF 5 file table: the path of each entry (directories are skipped). */
static void read_v5_entries(const struct elf_file *f, struct cur *c, struct line_unit *u,
			    bool files)
{
	unsigned long formats[16][2], nformats = u8(c), count;

	if (nformats > 16) {
		c->bad = true;
		return;
	}
	for (unsigned long i = 0; i < nformats; i++) {
		formats[i][0] = uleb(c);
		formats[i][1] = uleb(c);
	}
	count = uleb(c);
	for (unsigned long i = 0; i < count && !c->bad; i++)
		for (unsigned long j = 0; j < nformats; j++) {
			const char *v = form_value(f, c, formats[j][1]);
			if (files && formats[j][0] == 1 /* DW_LNCT_path */ && i < 256) {
				u->files[i] = v;
				u->nfiles = (unsigned)i + 1;
			}
		}
}

/* The header of the unit at c; c is left at its line program.  false if
   the unit is not one we read. */
static bool read_line_header(const struct elf_file *f, struct cur *c, struct line_unit *u)
{
	unsigned long hlen;
	struct cur prog;

	memset(u, 0, sizeof(*u));
	u->version = (unsigned)u16(c);
	if (u->version < 2 || u->version > 5)
		return false;
	if (u->version >= 5)
		skip(c, 2);                     /* address size, segment selector size */
	hlen = u32(c);
	prog = *c;
	skip(&prog, hlen);
	u->min_inst = (unsigned)u8(c);
	if (u->version >= 4)
		u8(c);                          /* maximum operations per instruction */
	u8(c);                                  /* default_is_stmt */
	u->line_base = (signed char)u8(c);
	u->line_range = (unsigned)u8(c);
	u->opcode_base = (unsigned)u8(c);
	u->std_lengths = c->p;
	skip(c, u->opcode_base ? u->opcode_base - 1 : 0);
	if (u->version >= 5) {
		read_v5_entries(f, c, u, false);
		read_v5_entries(f, c, u, true);
	} else {
		while (!c->bad && *cstr(c))     /* include directories */
			;
		u->files[0] = NULL;             /* DWARF 4: files count from 1 */
		for (unsigned i = 1; !c->bad; i++) {
			const char *name = cstr(c);
			if (!*name)
				break;
			uleb(c), uleb(c), uleb(c);  /* directory, time, size */
			if (i < 256) {
				u->files[i] = name;
				u->nfiles = i + 1;
			}
		}
	}
	*c = prog;
	return !c->bad && u->line_range && u->opcode_base;
}

struct row {
	unsigned long addr;
	unsigned file;
	long line;
};

/* Run the unit's line program (c up to its end) until a row covers addr. */
static bool run_lines(struct cur *c, const struct line_unit *u, unsigned long addr,
		      struct row *found)
{
	struct row r = {0, 1, 1}, prev;
	bool have_prev = false;

	while (!c->bad && c->p < c->end) {
		unsigned op = (unsigned)u8(c);
		bool emit = false, end = false;
		if (op >= u->opcode_base) {
			unsigned adj = op - u->opcode_base;
			r.addr += (adj / u->line_range) * u->min_inst;
			r.line += u->line_base + (int)(adj % u->line_range);
			emit = true;
		} else if (op == 0) {               /* extended */
			unsigned long len = uleb(c);
			struct cur e = *c;
			skip(c, len);
			e.end = c->p;
			switch (u8(&e)) {
			case 1: emit = end = true; break;          /* end_sequence */
			case 2: r.addr = u64(&e); break;           /* set_address */
			default: break;
			}
		} else {
			switch (op) {
			case 1: emit = true; break;                       /* copy */
			case 2: r.addr += uleb(c) * u->min_inst; break;   /* advance_pc */
			case 3: r.line += sleb(c); break;                 /* advance_line */
			case 4: r.file = (unsigned)uleb(c); break;        /* set_file */
			case 8: r.addr += ((255 - u->opcode_base) / u->line_range) * u->min_inst; break;
			case 9: r.addr += u16(c); break;                  /* fixed_advance_pc */
			default:
				for (unsigned i = 0; i < u->std_lengths[op - 1]; i++)
					uleb(c);
				break;
			}
		}
		if (!emit)
			continue;
		if (have_prev && prev.addr <= addr && addr < r.addr) {
			*found = prev;
			return true;
		}
		prev = r;
		have_prev = !end;
		if (end)
			r = (struct row){0, 1, 1};
	}
	return false;
}

bool elf_line_at(const struct elf_file *f, unsigned long addr, const char **file, int *line)
{
	struct cur all = section_cur(f, ".debug_line");

	while (!all.bad && all.p < all.end) {
		unsigned long len = u32(&all);
		struct cur unit = all;
		struct line_unit u;
		struct row r;
		if (len >= 0xfffffff0UL)            /* 64-bit DWARF: not read */
			return false;
		skip(&all, len);
		if (all.bad)
			return false;
		unit.end = all.p;
		if (!read_line_header(f, &unit, &u) || !run_lines(&unit, &u, addr, &r))
			continue;
		*file = r.file < u.nfiles && u.files[r.file] ? path_base(u.files[r.file]) : "?";
		*line = (int)r.line;
		return true;
	}
	return false;
}

/* ---- unwind rules (.eh_frame) ---- */

enum { DW_EH_PE_pcrel = 0x10 };

/* A pointer in encoding enc at c; field_addr is the vaddr of the field
   (for pcrel).  false for what we do not read (indirect, datarel...). */
static bool read_encoded(struct cur *c, unsigned enc, unsigned long field_addr, unsigned long *out)
{
	unsigned long v;

	switch (enc & 0x0f) {
	case 0x00: v = u64(c); break;                         /* absptr */
	case 0x01: v = uleb(c); break;
	case 0x02: v = u16(c); break;
	case 0x03: v = u32(c); break;
	case 0x04: v = u64(c); break;
	case 0x09: v = (unsigned long)sleb(c); break;
	case 0x0a: v = (unsigned long)(long)(int16_t)u16(c); break;
	case 0x0b: v = (unsigned long)(long)(int32_t)u32(c); break;
	case 0x0c: v = u64(c); break;
	default: return false;
	}
	switch (enc & 0x70) {
	case 0: break;
	case DW_EH_PE_pcrel: v += field_addr; break;
	default: return false;
	}
	*out = v;
	return !(enc & 0x80) && !c->bad;
}

struct cie {
	unsigned long code_align;
	long data_align;
	unsigned ra, fde_enc;
	bool aug_z;
	struct cur insns;
};

/* vaddr of the byte at c (c within the section starting at sect/vaddr). */
static unsigned long cur_vaddr(const struct cur *c, const unsigned char *sect, unsigned long vaddr)
{
	return vaddr + (unsigned long)(c->p - sect);
}

static bool read_cie(struct cur c, const unsigned char *sect, unsigned long vaddr, struct cie *cie)
{
	unsigned version = (unsigned)u8(&c);
	const char *aug = cstr(&c);
	unsigned long tmp;

	memset(cie, 0, sizeof(*cie));
	if (version != 1 && version != 3 && version != 4)
		return false;
	if (strstr(aug, "eh"))
		return false;
	if (version == 4)
		skip(&c, 2);                    /* address size, segment size */
	cie->code_align = uleb(&c);
	cie->data_align = sleb(&c);
	cie->ra = version == 1 ? (unsigned)u8(&c) : (unsigned)uleb(&c);
	cie->fde_enc = 0;
	if (aug[0] == 'z') {
		unsigned long alen = uleb(&c);
		struct cur a = c;
		skip(&c, alen);
		a.end = c.p;
		cie->aug_z = true;
		for (const char *p = aug + 1; *p; p++) {
			if (*p == 'R') {
				cie->fde_enc = (unsigned)u8(&a);
			} else if (*p == 'P') {
				unsigned enc = (unsigned)u8(&a);
				if (!read_encoded(&a, enc & 0x7f, cur_vaddr(&a, sect, vaddr), &tmp))
					return false;
			} else if (*p == 'L') {
				u8(&a);
			} else if (*p != 'S' && *p != 'B') {
				return false;
			}
		}
	}
	cie->insns = c;
	return !c.bad && cie->ra < DW_NREGS;
}

/* The FDE covering addr: its CIE, its first address and its
   instructions.  Linear: a crash happens once a run, and glibc's table is
   read in microseconds. */
static bool find_fde(const struct elf_file *f, unsigned long addr, struct cie *cie,
		     unsigned long *begin, struct cur *insns)
{
	const Elf64_Shdr *sh = section(f, ".eh_frame");
	struct cur all;
	const unsigned char *sect;

	if (!sh)
		return false;
	sect = f->p + sh->sh_offset;
	all = (struct cur){sect, sect + sh->sh_size, false};
	while (!all.bad && all.p < all.end) {
		unsigned long len = u32(&all), id, range;
		struct cur e = all, cc;
		if (len == 0 || len >= 0xfffffff0UL)
			return false;
		skip(&all, len);
		if (all.bad)
			return false;
		e.end = all.p;
		const unsigned char *id_at = e.p;
		id = u32(&e);
		if (id == 0 || id > (unsigned long)(id_at - sect))
			continue;               /* a CIE (or a broken pointer) */
		cc = (struct cur){id_at - id, all.end, false};
		unsigned long clen = u32(&cc);
		if (clen >= 0xfffffff0UL || clen > (unsigned long)(cc.end - cc.p))
			continue;
		cc.end = cc.p + clen;
		if (u32(&cc) != 0 || !read_cie(cc, sect, sh->sh_addr, cie))
			continue;
		if (!read_encoded(&e, cie->fde_enc, cur_vaddr(&e, sect, sh->sh_addr), begin) ||
		    !read_encoded(&e, cie->fde_enc & 0x0f, 0, &range))
			continue;
		if (addr < *begin || addr - *begin >= range)
			continue;
		if (cie->aug_z)
			skip(&e, uleb(&e));
		*insns = e;
		return !e.bad;
	}
	return false;
}

enum rule_kind { R_SAME, R_UNDEF, R_OFFSET, R_VAL_OFFSET, R_REGISTER };
struct rule { enum rule_kind kind; long n; };
struct cfa_state {
	unsigned cfa_reg;
	long cfa_off;
	bool cfa_expr;
	struct rule r[DW_NREGS];
};

#define CFA_STACK 8
struct cfa_run {
	struct cfa_state st, init, saved[CFA_STACK];
	int nsaved;
	unsigned long loc;
};

static void set_rule(struct cfa_state *s, unsigned long reg, enum rule_kind k, long n)
{
	if (reg < DW_NREGS)
		s->r[reg] = (struct rule){k, n};
}

/* Run CFA instructions until the location passes addr.  false on what we
   do not read. */
static bool run_cfa(struct cur *c, const struct cie *cie, struct cfa_run *x, unsigned long addr)
{
	struct cfa_state *s = &x->st;

	while (!c->bad && c->p < c->end) {
		unsigned op = (unsigned)u8(c), low = op & 0x3f;
		unsigned long reg, delta = 0;
		switch (op >> 6) {
		case 1: delta = low; break;                           /* advance_loc */
		case 2: set_rule(s, low, R_OFFSET, (long)uleb(c) * cie->data_align); continue;
		case 3: if (low < DW_NREGS) s->r[low] = x->init.r[low]; continue;   /* restore */
		default: break;
		}
		if (op >> 6 == 0) switch (op) {
		case 0x00: continue;                                   /* nop */
		case 0x02: delta = u8(c); break;                       /* advance_loc1 */
		case 0x03: delta = u16(c); break;
		case 0x04: delta = u32(c); break;
		case 0x05: reg = uleb(c); set_rule(s, reg, R_OFFSET, (long)uleb(c) * cie->data_align); continue;
		case 0x06: reg = uleb(c); if (reg < DW_NREGS) s->r[reg] = x->init.r[reg]; continue;
		case 0x07: set_rule(s, uleb(c), R_UNDEF, 0); continue;
		case 0x08: set_rule(s, uleb(c), R_SAME, 0); continue;
		case 0x09: reg = uleb(c); set_rule(s, reg, R_REGISTER, (long)uleb(c)); continue;
		case 0x0a:                                             /* remember_state */
			if (x->nsaved >= CFA_STACK)
				return false;
			x->saved[x->nsaved++] = *s;
			continue;
		case 0x0b:                                             /* restore_state */
			if (x->nsaved <= 0)
				return false;
			*s = x->saved[--x->nsaved];
			continue;
		case 0x0c: s->cfa_reg = (unsigned)uleb(c); s->cfa_off = (long)uleb(c); s->cfa_expr = false; continue;
		case 0x0d: s->cfa_reg = (unsigned)uleb(c); continue;
		case 0x0e: s->cfa_off = (long)uleb(c); continue;
		case 0x0f: s->cfa_expr = true; skip(c, uleb(c)); continue;   /* def_cfa_expression */
		case 0x10: reg = uleb(c); set_rule(s, reg, R_UNDEF, 0); skip(c, uleb(c)); continue;
		case 0x11: reg = uleb(c); set_rule(s, reg, R_OFFSET, sleb(c) * cie->data_align); continue;
		case 0x12: s->cfa_reg = (unsigned)uleb(c); s->cfa_off = sleb(c) * cie->data_align; s->cfa_expr = false; continue;
		case 0x13: s->cfa_off = sleb(c) * cie->data_align; continue;
		case 0x14: reg = uleb(c); set_rule(s, reg, R_VAL_OFFSET, (long)uleb(c) * cie->data_align); continue;
		case 0x15: reg = uleb(c); set_rule(s, reg, R_VAL_OFFSET, sleb(c) * cie->data_align); continue;
		case 0x16: reg = uleb(c); set_rule(s, reg, R_UNDEF, 0); skip(c, uleb(c)); continue;
		case 0x2e: uleb(c); continue;                          /* GNU_args_size */
		default: return false;
		}
		x->loc += delta * cie->code_align;
		if (x->loc > addr)
			return true;
	}
	return !c->bad;
}

bool elf_unwind_step(const struct elf_file *f, unsigned long addr, struct unwind_regs *regs,
		     unwind_read_fn read, void *arg)
{
	struct cie cie;
	struct cur insns, init;
	struct cfa_run x;
	struct unwind_regs next = *regs;
	unsigned long begin, cfa;

	if (!find_fde(f, addr, &cie, &begin, &insns))
		return false;
	memset(&x, 0, sizeof(x));
	for (unsigned i = 0; i < DW_NREGS; i++)
		x.st.r[i].kind = R_SAME;
	init = cie.insns;
	if (!run_cfa(&init, &cie, &x, ~0UL))
		return false;
	x.init = x.st;
	x.loc = begin;
	x.nsaved = 0;
	if (!run_cfa(&insns, &cie, &x, addr))
		return false;
	if (x.st.cfa_expr || x.st.cfa_reg >= DW_NREGS || !regs->known[x.st.cfa_reg])
		return false;
	cfa = regs->r[x.st.cfa_reg] + (unsigned long)x.st.cfa_off;
	for (unsigned i = 0; i < DW_NREGS; i++) {
		const struct rule *r = &x.st.r[i];
		switch (r->kind) {
		case R_SAME:
			break;
		case R_UNDEF:
			next.known[i] = false;
			break;
		case R_OFFSET:
			if (!read(arg, cfa + (unsigned long)r->n, &next.r[i]))
				return false;
			next.known[i] = true;
			break;
		case R_VAL_OFFSET:
			next.r[i] = cfa + (unsigned long)r->n;
			next.known[i] = true;
			break;
		case R_REGISTER:
			if (r->n < 0 || r->n >= DW_NREGS)
				return false;
			next.r[i] = regs->r[r->n];
			next.known[i] = regs->known[r->n];
			break;
		}
	}
	/* the return address column: without a rule, there is no caller */
	next.r[DW_RA] = next.r[cie.ra];
	next.known[DW_RA] = x.st.r[cie.ra].kind != R_SAME && next.known[cie.ra];
	next.r[DW_RSP] = cfa;
	next.known[DW_RSP] = true;
	*regs = next;
	return true;
}
