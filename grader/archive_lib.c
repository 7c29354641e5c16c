/*
 * archive_lib.c - libarchive, loaded on first use (see archive_lib.h).
 */
#include <dlfcn.h>
#include <unistd.h>
#include "archive_lib.h"
#include "util.h"

static struct archive_lib lib;
static char *failure;           /* why loading failed (NULL: not failed) */

/* The environment as libarchive's C library sees it (it reads TZ at every
   zip entry's time).  Linked static, the grader has a C library of its
   own, and the shared one libarchive brings took a copy of the pointer to
   the environment when it was loaded: a setenv() of ours that grows the
   array frees the one it points to.  So it is given ours at each call. */
static char ***lib_environ;

/* the locale functions of the C library libarchive runs on, and the
   state of archive_lib_utf8_begin/end */
static __typeof__(newlocale) *lib_newlocale;
static __typeof__(uselocale) *lib_uselocale;
static int utf8_sections;       /* begun, not ended */
static bool utf8_switched;      /* utf8_old is to be restored */
static locale_t utf8_old;

static void utf8_switch(void)
{
	static locale_t utf8;

	if (!utf8)
		utf8 = lib_newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (utf8) {
		utf8_old = lib_uselocale(utf8);
		utf8_switched = true;
	}
}

static void fail(const char *why)
{
	failure = xasprintf("cannot load libarchive (needed for zip and tar archives): %s "
			    "(install the Debian package " ARCHIVE_LIB_PACKAGE ")",
			    why ? why : ARCHIVE_LIB_SONAME);
}

/* Fill lib from handle; 0, or -1 at the first function missing. */
static int load_functions(void *handle)
{
#define ARCHIVE_LIB_LOAD(fn) \
	if (!(lib.fn = (__typeof__(lib.fn))dlsym(handle, #fn))) \
		return -1;
	ARCHIVE_LIB_FUNCTIONS(ARCHIVE_LIB_LOAD)
#undef ARCHIVE_LIB_LOAD
	/* looked up from libarchive: its C library answers first */
	lib_newlocale = (__typeof__(lib_newlocale))dlsym(handle, "newlocale");
	lib_uselocale = (__typeof__(lib_uselocale))dlsym(handle, "uselocale");
	lib_environ = (char ***)dlsym(handle, "environ");
	return lib_newlocale && lib_uselocale && lib_environ ? 0 : -1;
}

static void load(void)
{
	void *handle = dlopen(ARCHIVE_LIB_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!handle) {
		fail(dlerror());
		return;
	}
	if (load_functions(handle) < 0) {
		fail(dlerror());
		dlclose(handle);
		lib_uselocale = NULL;
		return;
	}
	if (utf8_sections > 0)      /* loaded inside a UTF-8 section */
		utf8_switch();
}

const struct archive_lib *archive_lib(void)
{
	static bool tried;

	if (!tried) {
		tried = true;
		load();
	}
	if (failure) {
		error_set("%s", failure);
		return NULL;
	}
	*lib_environ = environ;
	return &lib;
}

void archive_lib_utf8_begin(void)
{
	if (utf8_sections++ == 0 && lib_uselocale)
		utf8_switch();
}

void archive_lib_utf8_end(void)
{
	if (utf8_sections > 0 && --utf8_sections == 0 && utf8_switched) {
		lib_uselocale(utf8_old);
		utf8_switched = false;
	}
}
