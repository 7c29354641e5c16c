/*
 * archive_lib.c - libarchive, loaded on first use (see archive_lib.h).
 */
#include <dlfcn.h>
#include "archive_lib.h"
#include "util.h"

static struct archive_lib lib;
static char *failure;           /* why loading failed (NULL: not failed) */

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
	return 0;
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
	}
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
	return &lib;
}
