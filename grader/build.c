/*
 * build.c - compile the staged sources inside the sandbox (see build.h).
 *
 * The compiler is untrusted work too (#include "/dev/zero", macro bombs,
 * huge static arrays), so it runs in the sandbox with its own limits, in the
 * staged source directory.  Its messages are trimmed for students: the
 * scratch path is removed, and long outputs are cut to the first errors.
 *
 * The exercise's own sources (the harness) are compiled once, apart, and
 * cached (build.h); a build then compiles the student's files and links
 * them with those objects: the command of a whole build, where each of
 * the exercise's sources is replaced by its object.  The student's files
 * get exactly the spec's cflags, and a student who defines a symbol the
 * harness defines still gets the linker's error, a compile verdict.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "build.h"
#include "i18n.h"
#include "sandbox.h"
#include "util.h"

#define MAX_MESSAGE_LINES 40
#define BUILD_OUTPUT ".program"  /* not "harness": that is the harness folder */
#define OBJECTS ".objects"       /* in the source folder: the exercise's objects */

/* Find the C compiler: $CC if it is an absolute path, else gcc or cc on PATH. */
static char *find_compiler(void)
{
	const char *cc = getenv("CC");
	if (cc && cc[0] == '/' && access(cc, X_OK) == 0)
		return xstrdup(cc);
	const char *names[] = {"gcc", "cc"};
	const char *path = getenv("PATH");
	char *dirs = xstrdup(path && *path ? path : "/usr/bin:/bin");
	char *found = NULL;
	for (size_t n = 0; n < ARRAY_SIZE(names) && !found; n++) {
		char *save = NULL, *copy = xstrdup(dirs);
		for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
			char *p = path_join(d, names[n]);
			if (access(p, X_OK) == 0)
				found = p;
			else
				free(p);
		}
		free(copy);
	}
	free(dirs);
	if (!found)
		error_set("no C compiler found (install gcc: make deps)");
	return found;
}

/* The compiler and the spec's cflags: the start of every command. */
static char **compiler_argv(const struct spec *s, const char *cc)
{
	char **argv = NULL;
	strv_push(&argv, cc);
	for (size_t i = 0; s->build.cflags && s->build.cflags[i]; i++)
		strv_push(&argv, s->build.cflags[i]);
	strv_push(&argv, "-fdiagnostics-color=never");
	strv_push(&argv, "-I.");
	return argv;
}

/* The whole build; objects (NULL: none) holds, for each build source, the
   object that stands for it, or "" to compile the source itself. */
static char **compile_argv(const struct spec *s, const char *cc, char *const *objects)
{
	char **argv = compiler_argv(s, cc);
	for (size_t i = 0; s->build.sources && s->build.sources[i]; i++)
		strv_push(&argv, objects && *objects[i] ? objects[i] : s->build.sources[i]);
	strv_push(&argv, "-o");
	strv_push(&argv, BUILD_OUTPUT);
	for (size_t i = 0; s->build.ldflags && s->build.ldflags[i]; i++)
		strv_push(&argv, s->build.ldflags[i]);
	return argv;
}

/* Remove every occurrence of prefix (the scratch path) from text. */
static void strip_prefix(struct buf *out, const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = text, *hit;
	while ((hit = strstr(p, prefix))) {
		buf_add(out, p, (size_t)(hit - p));
		p = hit + n;
	}
	buf_adds(out, p);
}

/* The compiler's messages for a student: paths relative, at most
   MAX_MESSAGE_LINES lines, then how many were cut. */
static char *trim_messages(const char *text, const char *srcdir)
{
	struct buf clean = BUF_INIT, out = BUF_INIT;
	char *prefix = xasprintf("%s/", srcdir);
	strip_prefix(&clean, text, prefix);
	free(prefix);
	size_t lines = 0;
	const char *p = buf_str(&clean);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (lines < MAX_MESSAGE_LINES)
			buf_add(&out, p, len);
		lines++;
		p += len;
	}
	if (lines > MAX_MESSAGE_LINES)
		buf_addf(&out, _("[... %zu more lines of compiler messages cut ...]\n"),
			 lines - MAX_MESSAGE_LINES);
	buf_free(&clean);
	return buf_detach(&out);
}

static void describe_failure(struct buf *msg, const struct run *r)
{
	if (r->outcome == OUT_EXITED)
		return;
	buf_addf(msg, _("the compiler was stopped: %s (cpu %.0f ms, wall %.0f ms)\n"),
		 _(outcome_name(r->outcome)), r->cpu_ms, r->wall_ms);
	buf_adds(msg, _("hint: a compile that needs this much is usually an #include of a "
		 "device or huge file, a huge static array, or a macro that expands without end\n"));
}

/* Run the compiler command argv in workdir, in the sandbox.  0: *br says
   whether it succeeded and what it printed; -1: it could not be run. */
static int compile(const struct spec *s, char **argv, const char *workdir,
		   struct build_result *br)
{
	struct sandbox_cmd cmd = {
		.argv = argv,
		.workdir = workdir,
		.limits = spec_build_limits(s),
		.marker_fd = -1,
	};
	struct run r;
	memset(br, 0, sizeof(*br));
	if (sandbox_run(&cmd, &r) < 0)
		return error_prefix("cannot run the compiler");
	char *all = capture_text(&r.err);
	struct buf msg = BUF_INIT;
	char *trimmed = trim_messages(all, workdir);
	buf_adds(&msg, trimmed);
	describe_failure(&msg, &r);
	free(trimmed);
	free(all);
	br->ok = r.outcome == OUT_EXITED && r.exit_code == 0;
	br->messages = buf_detach(&msg);
	run_free(&r);
	return 0;
}

/* ---- the exercise's own sources, compiled once ---- */

static bool own_source(const struct spec *s, size_t i)
{
	return !str_in_list(s->build.sources[i], (const char *const *)s->student_files,
			    strv_len(s->student_files));
}

static bool has_own_sources(const struct spec *s)
{
	for (size_t i = 0; s->build.sources && s->build.sources[i]; i++)
		if (own_source(s, i))
			return true;
	return false;
}

static char *object_of(const char *source)
{
	return xasprintf(OBJECTS "/%s.o", source);
}

/* The cache folder of the objects of the exercise's files staged in src:
   named by a hash of those files (the student's left out), the cflags
   and the compiler (its resolved path, size and time).  NULL: no cache. */
static char *objects_entry(const struct spec *s, const char *cc, const char *src)
{
	char real[PATH_MAX];
	struct stat st;
	unsigned long long h = HASH_INIT;
	if (!realpath(cc, real) || stat(real, &st) < 0 ||
	    hash_tree(&h, src, s->student_files) < 0)
		return NULL;
	hash_add(&h, real, strlen(real) + 1);
	hash_add(&h, &st.st_size, sizeof(st.st_size));
	hash_add(&h, &st.st_mtim, sizeof(st.st_mtim));
	for (size_t i = 0; s->build.cflags && s->build.cflags[i]; i++)
		hash_add(&h, s->build.cflags[i], strlen(s->build.cflags[i]) + 1);
	char *name = xasprintf("objects-%s-%016llx", s->exercise, h);
	char *p = cache_path(name);
	free(name);
	return p;
}

/* Copy the exercise's objects from folder `from` to folder `to`. */
static int copy_objects(const struct spec *s, const char *from, const char *to)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && s->build.sources[i]; i++) {
		if (!own_source(s, i))
			continue;
		char *obj = object_of(s->build.sources[i]);
		char *a = path_join(from, obj), *b = path_join(to, obj);
		rc = mkdir_parent(b);
		if (rc == 0)
			rc = file_copy(a, b);
		free(a);
		free(b);
		free(obj);
	}
	return rc;
}

/* Compile each of the exercise's own sources with `-c`, in dir.
   1 compiled, 0 not (they need a student's file), -1 grader fault. */
static int compile_own_sources(const struct spec *s, const char *cc, const char *dir)
{
	int rc = 1;
	for (size_t i = 0; rc == 1 && s->build.sources[i]; i++) {
		if (!own_source(s, i))
			continue;
		char *obj = object_of(s->build.sources[i]), *path = path_join(dir, obj);
		char **argv = compiler_argv(s, cc);
		struct build_result br;
		strv_push(&argv, "-c");
		strv_push(&argv, s->build.sources[i]);
		strv_push(&argv, "-o");
		strv_push(&argv, obj);
		if (mkdir_parent(path) < 0 || compile(s, argv, dir, &br) < 0)
			rc = -1;
		else
			rc = br.ok;
		if (rc >= 0)
			build_result_free(&br);
		strv_free(argv);
		free(path);
		free(obj);
	}
	return rc;
}

/* Compile the exercise's sources of src (with its files, without the
   student's) into the cache folder entry, which appears whole or not at
   all.  1 there, 0 not (no student builds with them), -1 grader fault. */
static int make_objects(const struct spec *s, const char *cc, const char *src,
			const char *entry)
{
	char *tmp = make_temp_dir("objects");
	if (!tmp)
		return -1;
	char *dir = path_join(tmp, "src");
	char **files = tree_files(src, s->student_files);
	int rc = files && mkdir_p(dir, 0755) == 0 ? 1 : -1;
	for (size_t i = 0; rc == 1 && files[i]; i++) {
		char *a = path_join(src, files[i]), *b = path_join(dir, files[i]);
		if (mkdir_parent(b) < 0 || file_copy(a, b) < 0)
			rc = -1;
		free(a);
		free(b);
	}
	if (rc == 1)
		rc = compile_own_sources(s, cc, dir);
	char *part = xasprintf("%s.%ld", entry, (long)getpid());
	if (rc == 1 && (copy_objects(s, dir, part) < 0 ||
			(rename(part, entry) < 0 && !path_is_dir(entry))))
		rc = 0;         /* a cache that cannot be written: builds go on without */
	rm_rf(part);
	free(part);
	strv_free(files);
	free(dir);
	rm_rf(tmp);
	free(tmp);
	return rc;
}

/* The cache folders that gave 0 in this process (and those it forks). */
static char **apart_failed;

/* For the build staged in src: the objects of the exercise's sources put
   in src/.objects/, *objects as compile_argv takes it.  1 done, 0 not
   (build everything together), -1 grader fault. */
static int place_objects(const struct spec *s, const char *cc, const char *src,
			 char ***objects)
{
	*objects = NULL;
	if (!has_own_sources(s))
		return 0;
	char *entry = objects_entry(s, cc, src);
	int rc = entry ? 1 : 0;
	if (rc && str_in_list(entry, (const char *const *)apart_failed, strv_len(apart_failed)))
		rc = 0;
	if (rc && !path_is_dir(entry) && (rc = make_objects(s, cc, src, entry)) == 0)
		strv_push(&apart_failed, entry);
	if (rc == 1 && copy_objects(s, entry, src) < 0)
		rc = error_prefix("cannot use the compiled harness");
	for (size_t i = 0; rc == 1 && s->build.sources[i]; i++)
		strv_push(objects, own_source(s, i) ? object_of(s->build.sources[i]) : "");
	free(entry);
	return rc;
}

int build_prepare(const struct spec *s)
{
	char *cc = find_compiler();
	char *tmp = cc ? make_temp_dir("harness") : NULL;
	char **objects = NULL;
	int rc = tmp ? stage_harness(s, tmp) : -1;
	if (rc == 0)
		rc = place_objects(s, cc, tmp, &objects) < 0 ? -1 : 0;
	strv_free(objects);
	if (tmp)
		rm_rf(tmp);
	free(tmp);
	free(cc);
	return rc;
}

int build_run(const struct spec *s, struct stage *st, struct build_result *br)
{
	memset(br, 0, sizeof(*br));
	char *cc = find_compiler();
	if (!cc)
		return -1;
	char **objects = NULL;
	int rc = place_objects(s, cc, st->src, &objects) < 0 ? -1 : 0;
	char **argv = compile_argv(s, cc, objects);
	if (rc == 0)
		rc = compile(s, argv, st->src, br);
	if (rc == 0 && br->ok)
		st->binary = path_join(st->src, BUILD_OUTPUT);
	strv_free(objects);
	strv_free(argv);
	free(cc);
	return rc;
}

void build_result_free(struct build_result *br)
{
	free(br->messages);
	br->messages = NULL;
}
