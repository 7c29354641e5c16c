/* util.c - see util.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "util.h"

static char error_message[2048];

static int error_vset(const char *fmt, va_list ap, const char *suffix)
{
	vsnprintf(error_message, sizeof(error_message), fmt, ap);
	if (suffix) {
		size_t n = strlen(error_message);
		snprintf(error_message + n, sizeof(error_message) - n, ": %s", suffix);
	}
	return -1;
}

int error_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(fmt, ap, NULL);
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	const char *why = strerror(errno);
	va_list ap;
	va_start(ap, fmt);
	error_vset(fmt, ap, why);
	va_end(ap);
	return -1;
}

int error_prefix(const char *fmt, ...)
{
	char old[sizeof(error_message)];
	va_list ap;
	memcpy(old, error_message, sizeof(old));
	va_start(ap, fmt);
	error_vset(fmt, ap, old);
	va_end(ap);
	return -1;
}

const char *error_get(void)
{
	return error_message;
}

static void *check_alloc(void *p)
{
	if (!p) {
		fputs("grader: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xmalloc(size_t n) { return check_alloc(malloc(n ? n : 1)); }
void *xcalloc(size_t n, size_t size) { return check_alloc(calloc(n ? n : 1, size ? size : 1)); }
void *xrealloc(void *p, size_t n) { return check_alloc(realloc(p, n ? n : 1)); }
char *xstrdup(const char *s) { return check_alloc(strdup(s)); }
char *xstrndup(const char *s, size_t n) { return check_alloc(strndup(s, n)); }

char *xasprintf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

void grow(void *array_ptr, size_t *cap, size_t want, size_t size)
{
	void **array = array_ptr;
	if (want <= *cap)
		return;
	size_t n = *cap ? *cap : 8;
	while (n < want)
		n *= 2;
	*array = xrealloc(*array, n * size);
	*cap = n;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	grow(&b->data, &b->cap, b->len + n + 1, 1);
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }
void buf_addc(struct buf *b, char c) { buf_add(b, &c, 1); }

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	grow(&b->data, &b->cap, b->len + (size_t)n + 1, 1);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *buf_detach(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

char *buf_take_line(struct buf *b)
{
	char *nl = b->len ? memchr(b->data, '\n', b->len) : NULL;
	if (!nl)
		return NULL;
	size_t n = (size_t)(nl - b->data);
	char *line = xstrndup(b->data, n);
	memmove(b->data, nl + 1, b->len - n - 1);
	b->len -= n + 1;
	b->data[b->len] = '\0';
	return line;
}

const char *buf_str(const struct buf *b) { return b->data ? b->data : ""; }

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int file_read(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_errno("cannot open %s", path);
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return error_errno("cannot read %s", path);
		}
		if (n == 0)
			break;
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

int write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return error_errno("write");
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int file_write(const char *path, const void *data, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return error_errno("cannot create %s", path);
	if (write_all(fd, data, n) < 0) {
		close(fd);
		return error_prefix("%s", path);
	}
	if (close(fd) < 0)
		return error_errno("cannot write %s", path);
	return 0;
}

int file_copy(const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	struct stat st;
	if (stat(from, &st) < 0)
		return error_errno("cannot stat %s", from);
	if (file_read(from, &b) < 0)
		return -1;
	int rc = file_write(to, b.data, b.len, st.st_mode & 0777);
	buf_free(&b);
	return rc;
}

bool path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

bool path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			error_errno("cannot create directory %s", p);
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = 0;
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		rc = error_errno("cannot create directory %s", p);
	free(p);
	return rc;
}

int mkdir_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	char *dir = xstrndup(path, (size_t)(slash - path));
	int rc = mkdir_p(dir, 0755);
	free(dir);
	return rc;
}

static int rm_rf_at(int at, const char *name)
{
	struct stat st;
	if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : error_errno("cannot stat %s", name);
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(at, name, 0) < 0 && errno != ENOENT)
			return error_errno("cannot remove %s", name);
		return 0;
	}
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		/* an unreadable directory left by a sandboxed program */
		fchmodat(at, name, 0700, 0);
		fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return error_errno("cannot open directory %s", name);
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return error_errno("cannot read directory %s", name);
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (rm_rf_at(dirfd(d), e->d_name) < 0)
			rc = -1;
	}
	closedir(d);
	if (unlinkat(at, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = error_errno("cannot remove directory %s", name);
	return rc;
}

int rm_rf(const char *path)
{
	return rm_rf_at(AT_FDCWD, path);
}

static char *temp_root;        /* set_temp_root(), or NULL: $TMPDIR */

void set_temp_root(const char *dir)
{
	free(temp_root);
	temp_root = xstrdup(dir);
}

char *make_temp_dir(const char *tag)
{
	const char *tmp = temp_root ? temp_root : getenv("TMPDIR");
	char *tmpl = xasprintf("%s/grader-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	if (!mkdtemp(tmpl)) {
		error_errno("cannot create a temporary directory %s", tmpl);
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Push the files under dir/rel (rel "" at the top) onto *files. */
static int list_tree(const char *dir, const char *rel, char *const *skip, char ***files)
{
	char *path = *rel ? path_join(dir, rel) : xstrdup(dir);
	DIR *d = opendir(path);
	int rc = 0;
	if (!d) {
		rc = error_errno("cannot read %s", path);
		free(path);
		return rc;
	}
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *name = *rel ? path_join(rel, e->d_name) : xstrdup(e->d_name);
		char *full = path_join(path, e->d_name);
		struct stat st;
		if (lstat(full, &st) < 0)
			rc = error_errno("cannot stat %s", full);
		else if (S_ISDIR(st.st_mode))
			rc = list_tree(dir, name, skip, files);
		else if (S_ISREG(st.st_mode) &&
			 !(skip && str_in_list(name, (const char *const *)skip, strv_len(skip))))
			strv_push(files, name);
		free(full);
		free(name);
	}
	closedir(d);
	free(path);
	return rc;
}

char **tree_files(const char *dir, char *const *skip)
{
	char **files = xcalloc(1, sizeof(char *));
	if (list_tree(dir, "", skip, &files) < 0) {
		strv_free(files);
		return NULL;
	}
	qsort(files, strv_len(files), sizeof(char *), cmp_str);
	return files;
}

char *cache_path(const char *name)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		return xasprintf("%s/grader/%s", xdg, name);
	if (home && *home)
		return xasprintf("%s/.cache/grader/%s", home, name);
	return NULL;
}

void hash_add(unsigned long long *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ p[i]) * 0x100000001b3ULL;
}

int hash_tree(unsigned long long *h, const char *dir, char *const *skip)
{
	char **files = tree_files(dir, skip);
	int rc = files ? 0 : -1;
	for (size_t i = 0; rc == 0 && files[i]; i++) {
		char *p = path_join(dir, files[i]);
		struct buf b = BUF_INIT;
		hash_add(h, files[i], strlen(files[i]) + 1);
		if ((rc = file_read(p, &b)) == 0) {
			hash_add(h, &b.len, sizeof(b.len));
			hash_add(h, b.data ? b.data : "", b.len);
		}
		buf_free(&b);
		free(p);
	}
	strv_free(files);
	return rc;
}

char *path_join(const char *a, const char *b)
{
	size_t n = strlen(a);
	while (n > 1 && a[n - 1] == '/')
		n--;
	while (*b == '/')
		b++;
	return xasprintf("%.*s/%s", (int)n, a, b);
}

const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool str_in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

const char *signal_name(int sig, char *buf, size_t n)
{
	const char *abbrev = sig > 0 ? sigabbrev_np(sig) : NULL;
	if (abbrev)
		snprintf(buf, n, "SIG%s", abbrev);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, n, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, n, "signal %d", sig);
	return buf;
}

size_t strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void strv_push(char ***v, const char *s)
{
	size_t n = strv_len(*v);
	*v = xrealloc(*v, (n + 2) * sizeof(char *));
	(*v)[n] = xstrdup(s);
	(*v)[n + 1] = NULL;
}

double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- terminal columns ---- */

/* Decode one UTF-8 character at s (valid text assumed; a stray byte is
   taken as one column).  Returns its length, sets *cp. */
static size_t utf8_next(const char *s, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = u[0] < 0x80 ? 1 : (u[0] & 0xe0) == 0xc0 ? 2 : (u[0] & 0xf0) == 0xe0 ? 3 :
		   (u[0] & 0xf8) == 0xf0 ? 4 : 1;
	unsigned c = n == 1 ? u[0] : u[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return *cp = u[0], 1;
		c = c << 6 | (u[i] & 0x3f);
	}
	*cp = c;
	return n;
}

static size_t char_cols(unsigned c)
{
	static const unsigned wide[][2] = {
		{0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf},
		{0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
		{0xfe30, 0xfe4f}, {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x1f300, 0x1f64f},
		{0x1f900, 0x1f9ff}, {0x20000, 0x3fffd},
	};
	if ((c >= 0x300 && c <= 0x36f) || c == 0x200b)
		return 0;
	for (size_t i = 0; i < sizeof(wide) / sizeof(*wide); i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

size_t text_cols(const char *s)
{
	size_t cols = 0;
	unsigned c;
	while (*s) {
		s += utf8_next(s, &c);
		cols += char_cols(c);
	}
	return cols;
}

size_t text_fit(const char *s, size_t cols, size_t *used)
{
	size_t taken = 0, len = 0;
	unsigned c;
	while (s[len]) {
		size_t n = utf8_next(s + len, &c), w = char_cols(c);
		if (taken + w > cols)
			break;
		taken += w;
		len += n;
	}
	if (used)
		*used = taken;
	return len;
}

/* Split text into lines (without '\n'); a final line without '\n' counts. */
char **strv_split_lines(const char *text, size_t len)
{
	char **v = NULL;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len && i == start)
			break;
		if (i == len || text[i] == '\n') {
			char *line = xstrndup(text + start, i - start);
			strv_push(&v, line);
			free(line);
			start = i + 1;
		}
	}
	if (!v)
		v = xcalloc(1, sizeof(char *));
	return v;
}
