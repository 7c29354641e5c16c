/*
 * build.c - compile the staged sources inside the sandbox (see build.h).
 *
 * The compiler is untrusted work too (#include "/dev/zero", macro bombs,
 * huge static arrays), so it runs in the sandbox with its own limits, in the
 * staged source directory.  Its messages are trimmed for students: the
 * scratch path is removed, and long outputs are cut to the first errors.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "build.h"
#include "i18n.h"
#include "sandbox.h"
#include "util.h"

#define MAX_MESSAGE_LINES 40
#define BUILD_OUTPUT ".program"  /* not "harness": that is the harness folder */

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

static char **compile_argv(const struct spec *s, const char *cc)
{
	char **argv = NULL;
	strv_push(&argv, cc);
	for (size_t i = 0; s->build.cflags && s->build.cflags[i]; i++)
		strv_push(&argv, s->build.cflags[i]);
	strv_push(&argv, "-fdiagnostics-color=never");
	strv_push(&argv, "-I.");
	for (size_t i = 0; s->build.sources && s->build.sources[i]; i++)
		strv_push(&argv, s->build.sources[i]);
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

int build_run(const struct spec *s, struct stage *st, struct build_result *br)
{
	memset(br, 0, sizeof(*br));
	char *cc = find_compiler();
	if (!cc)
		return -1;
	char **argv = compile_argv(s, cc);
	struct sandbox_cmd cmd = {
		.argv = argv,
		.workdir = st->src,
		.limits = spec_build_limits(s),
		.marker_fd = -1,
	};
	struct run r;
	int rc = sandbox_run(&cmd, &r);
	strv_free(argv);
	free(cc);
	if (rc < 0)
		return error_prefix("cannot run the compiler");
	char *all = capture_text(&r.err);
	struct buf msg = BUF_INIT;
	char *trimmed = trim_messages(all, st->src);
	buf_adds(&msg, trimmed);
	describe_failure(&msg, &r);
	free(trimmed);
	free(all);
	br->ok = r.outcome == OUT_EXITED && r.exit_code == 0;
	br->messages = buf_detach(&msg);
	if (br->ok)
		st->binary = path_join(st->src, BUILD_OUTPUT);
	run_free(&r);
	return 0;
}

void build_result_free(struct build_result *br)
{
	free(br->messages);
	br->messages = NULL;
}
