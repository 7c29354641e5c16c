/*
 * trace_dwarf.h - what an ELF file says about an address in its code: the
 * function (symbol tables), the source line (.debug_line) and how to find
 * the caller's registers (.eh_frame call frame information, x86-64).
 *
 * For trace_crash.c, which reads the files of a stopped process.  Every
 * offset and length read from a file is checked against its size: the
 * program was built from a student's code.  Addresses here are the file's
 * own (ELF virtual addresses); elf_file_vaddr() converts from memory.
 */
#ifndef TRACE_DWARF_H
#define TRACE_DWARF_H

#include <stdbool.h>
#include <stddef.h>

struct elf_file {
	const unsigned char *p;   /* the whole file, mapped read-only        */
	size_t n;
	unsigned long ino;        /* its inode number                        */
};

/* 0, or -1 with an error set (not a 64-bit ELF file, not a regular file,
   a symbolic link, unreadable). */
int elf_file_open(struct elf_file *f, const char *path);
void elf_file_close(struct elf_file *f);
/* The virtual address of the byte at file offset off (a loaded segment's),
   or false if no segment holds it. */
bool elf_file_vaddr(const struct elf_file *f, unsigned long off, unsigned long *vaddr);
/* The function whose symbol covers addr (.symtab first, then .dynsym), or
   NULL.  The name points into the file's mapping. */
const char *elf_function_at(const struct elf_file *f, unsigned long addr);
/* The source file (as the line table names it, without its directory)
   and line of the code at addr; false if .debug_line does not cover it. */
bool elf_line_at(const struct elf_file *f, unsigned long addr, const char **file, int *line);

/* x86-64 DWARF register numbers: the ones an unwind step needs. */
enum { DW_RBP = 6, DW_RSP = 7, DW_RA = 16, DW_NREGS = 17 };
struct unwind_regs {
	unsigned long r[DW_NREGS];
	bool known[DW_NREGS];
};
/* Reads the 8 bytes at addr of the unwound process's memory. */
typedef bool (*unwind_read_fn)(void *arg, unsigned long addr, unsigned long *word);
/* One step: from the registers of a frame whose code is at addr (a vaddr
   of f; for a caller, its return address - 1) to its caller's, by the
   frame's .eh_frame rule.  false if no rule covers addr or a value cannot
   be read (regs untouched then).  The caller's return address is then
   regs->r[DW_RA]; not known: this was the outermost frame. */
bool elf_unwind_step(const struct elf_file *f, unsigned long addr, struct unwind_regs *regs,
		     unwind_read_fn read, void *arg);

#endif
