/*
 * trace_elfsym.c - elf_find_function: a function's address and size from
 * the symbol tables of a 64-bit ELF file (mapped read-only; every offset is
 * checked against the file's size, since the file was built from student
 * code).
 */
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "trace_elfsym.h"
#include "util.h"

struct image {
	const unsigned char *p;
	size_t n;
};

/* The n bytes at off, or NULL if they are not all in the file. */
static const void *at(const struct image *im, unsigned long off, unsigned long n)
{
	if (off > im->n || n > im->n - off)
		return NULL;
	return im->p + off;
}

/* 0 found once, -1 not found, -2 two different functions of that name. */
static int search_table(const struct image *im, const Elf64_Shdr *sh, const Elf64_Shdr *strtab,
			const char *name, struct elf_function *out)
{
	size_t want = strlen(name) + 1;
	bool found = false;

	if (sh->sh_entsize != sizeof(Elf64_Sym))
		return -1;
	for (unsigned long i = 0; i < sh->sh_size / sizeof(Elf64_Sym); i++) {
		const Elf64_Sym *s = at(im, sh->sh_offset + i * sizeof(Elf64_Sym), sizeof(*s));
		if (!s)
			return -1;
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_name >= strtab->sh_size)
			continue;
		const char *sn = at(im, strtab->sh_offset + s->st_name, want);
		if (!sn || memcmp(sn, name, want))
			continue;
		if (found && s->st_value != out->value)
			return -2;
		found = true;
		out->value = s->st_value;
		out->size = s->st_size;
	}
	return found ? 0 : -1;
}

static int search(const struct image *im, const char *name, struct elf_function *out)
{
	const Elf64_Ehdr *eh = at(im, 0, sizeof(*eh));
	static const unsigned types[] = {SHT_SYMTAB, SHT_DYNSYM};

	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr))
		return error_set("not a 64-bit ELF file");
	out->pie = eh->e_type == ET_DYN;
	for (size_t t = 0; t < ARRAY_SIZE(types); t++)
		for (unsigned i = 0; i < eh->e_shnum; i++) {
			const Elf64_Shdr *sh = at(im, eh->e_shoff + i * sizeof(*sh), sizeof(*sh));
			if (!sh || sh->sh_type != types[t] || sh->sh_link >= eh->e_shnum)
				continue;
			const Elf64_Shdr *str = at(im, eh->e_shoff + sh->sh_link * sizeof(*sh), sizeof(*sh));
			int rc = str ? search_table(im, sh, str, name, out) : -1;
			if (rc == -2)
				return error_set("two functions are called %s (only one may be)", name);
			if (rc == 0)
				return 0;
		}
	return error_set("no function %s in the symbol table", name);
}

int elf_find_function(const char *path, const char *name, struct elf_function *out)
{
	struct image im;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return error_errno("%s", path);
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		close(fd);
		return error_set("%s: not a regular file", path);
	}
	im.n = (size_t)st.st_size;
	im.p = mmap(NULL, im.n, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (im.p == MAP_FAILED)
		return error_errno("%s: mmap", path);
	rc = search(&im, name, out);
	munmap((void *)im.p, im.n);
	return rc < 0 ? error_prefix("%s", path) : 0;
}
