/*
 * trace_elfsym.h - look a function up in an ELF executable's symbol table.
 *
 * The tracer uses it to take markers only from the harness's own marker
 * function (trace.h: TRACE_MARKER_FN), whose address the student's code
 * cannot name: it is static in the harness.
 */
#ifndef TRACE_ELFSYM_H
#define TRACE_ELFSYM_H

#include <stdbool.h>

struct elf_function {
	unsigned long value;      /* st_value: an address, or an offset if pie */
	unsigned long size;
	bool pie;                 /* ET_DYN: add the load address             */
};

/* Find the function called name (local or global, .symtab then .dynsym) in
   the 64-bit ELF file at path.  0 or -1 (not found, not ELF64, unreadable,
   or two different functions of that name: a static one in the student's
   code beside the harness's must not be taken for it). */
int elf_find_function(const char *path, const char *name, struct elf_function *out);

#endif
