/*
 * util.h - memory, strings, files and the one error convention.
 *
 * Error convention (every module follows it):
 *   A function that can fail returns -1 (or NULL), after recording ONE line
 *   that says what went wrong with error_set().  The caller either handles
 *   the failure or returns -1 itself, optionally prefixing context with
 *   error_prefix().  main() prints error_get() and exits 2 (grader fault).
 *   A student's mistake is never an error: it is a verdict (see check.h).
 *   Out of memory is not recoverable: the x*() allocators abort.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Record the current error (replaces the previous one). Always returns -1. */
int error_set(const char *fmt, ...) PRINTF(1, 2);
/* Like error_set, with ": strerror(errno)" appended. Always returns -1. */
int error_errno(const char *fmt, ...) PRINTF(1, 2);
/* Prepend "context: " to the current error. Always returns -1. */
int error_prefix(const char *fmt, ...) PRINTF(1, 2);
/* The current error message ("" when none). Valid until the next error_*. */
const char *error_get(void);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF(1, 2);
/* Grow *array (of *cap elements of size) so that it holds at least want. */
void grow(void *array_ptr, size_t *cap, size_t want, size_t size);

/*
 * struct buf: a growable byte string, always NUL-terminated (data may hold
 * NULs too; len counts bytes).  A zeroed struct buf is a valid empty buffer.
 * The buffer owns data; buf_free() releases it, buf_detach() hands it over.
 */
struct buf {
	char *data;
	size_t len, cap;
};
#define BUF_INIT {NULL, 0, 0}
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) PRINTF(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) PRINTF(2, 0);
void buf_reset(struct buf *b);
char *buf_detach(struct buf *b);     /* caller frees; b becomes empty */
/* The first line of b (without its '\n'), taken out of b; NULL if b holds
   no whole line.  Caller frees. */
char *buf_take_line(struct buf *b);
const char *buf_str(const struct buf *b); /* never NULL */
void buf_free(struct buf *b);

/* Files.  All return 0/-1 per the error convention. */
int file_read(const char *path, struct buf *out);     /* whole file, appended */
int file_write(const char *path, const void *data, size_t n, mode_t mode);
int file_copy(const char *from, const char *to);
bool path_exists(const char *path);
bool path_is_dir(const char *path);
int mkdir_p(const char *path, mode_t mode);
/* mkdir_p of the directory that will hold path (0755). */
int mkdir_parent(const char *path);
/* Remove a tree without following symlinks; a missing path is not an error. */
int rm_rf(const char *path);
/* A fresh private directory under the temporary root: "<root>/grader-<tag>-XXXXXX".
   The root is $TMPDIR (or /tmp) unless set_temp_root() said otherwise. */
char *make_temp_dir(const char *tag);
/* make_temp_dir() makes its directories under dir from now on (a copy is
   kept).  The grader never changes its own environment instead: linked
   static, it has a second C library (loaded with libarchive) whose view of
   the environment a setenv() can leave pointing at freed memory.  (The one
   exception, i18n_init's LANGUAGE, is set before libarchive is loaded.) */
void set_temp_root(const char *dir);
/* The regular files under dir, as paths relative to it, sorted (names
   that begin with '.' left out, and the relative paths in skip, a
   NULL-terminated list or NULL).  NULL (error set) when a folder cannot
   be read.  strv_free() it. */
char **tree_files(const char *dir, char *const *skip);
/* $XDG_CACHE_HOME/grader/name, else ~/.cache/grader/name; NULL when
   neither variable is set.  A cache: what is there may be gone later. */
char *cache_path(const char *name);
/* Join two path parts with exactly one '/'.  Caller frees. */
char *path_join(const char *a, const char *b);
/* Last component of path (pointer into path). */
const char *path_base(const char *path);

/* Strings. */
bool str_starts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);
/* Columns that valid UTF-8 text takes on a terminal: East Asian wide and
   full-width characters count 2, combining marks 0, the rest 1. */
size_t text_cols(const char *s);
/* text[0, len) split into lines without their '\n' (a last line without
   one counts); never NULL.  strv_free() it. */
char **strv_split_lines(const char *text, size_t len);
/* The length in bytes of the longest prefix of s that fits in cols
   columns, never cutting a character; *used (if not NULL): its columns. */
size_t text_fit(const char *s, size_t cols, size_t *used);
/* s is one of the n strings of list. */
bool str_in_list(const char *s, const char *const *list, size_t n);
/* Free a NULL-terminated array of strings and the array itself. */
void strv_free(char **v);
size_t strv_len(char *const *v);
/* Append a copy of s to the NULL-terminated *v (which may be NULL). */
void strv_push(char ***v, const char *s);

/* The name of a signal, written into buf: "SIGSEGV", "SIGRTMIN+2", else
   "signal 77".  Returns buf. */
const char *signal_name(int sig, char *buf, size_t n);

/* FNV-1a, 64 bits: *h starts at HASH_INIT, each call goes on from it. */
#define HASH_INIT 0xcbf29ce484222325ULL
void hash_add(unsigned long long *h, const void *data, size_t n);
/* hash_add of each of tree_files(dir, skip): its path, then its content. */
int hash_tree(unsigned long long *h, const char *dir, char *const *skip);

/* Monotonic time in milliseconds (fractional). */
double now_ms(void);

/* Write all of buf to fd, retrying on EINTR/short writes.  0 or -1. */
int write_all(int fd, const void *buf, size_t n);

#endif
