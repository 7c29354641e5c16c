/*
 * check_spec.c - spec_load(): valid specs load into the expected structure,
 * every broken spec is rejected with the exact "spec.yaml:LINE:COL: message".
 *
 * Specs live in tests/specs/ (the docs example, a spec using every feature,
 * broken.yaml) and, for the error cases, inline below: each case is a YAML
 * text and the exact message, so the line and column can be read off the
 * text next to them.  Paths are relative to the repository root, where
 * `make unit-test` runs.
 *
 * The checks' parameters are read through their schemas (field key -> offset),
 * so these tests run against the real check tables (check.c, check_trace.c)
 * and assert that they follow exercises/README.md.  Compiled with -DSPEC_FAKE_CHECKS
 * the file brings a small table of its own (exit, stdout, file, processes) so
 * the loader can be tested before the real checks exist.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "spec.h"
#include "util.h"

Suite *suite_spec(void);

#ifdef SPEC_FAKE_CHECKS
/* ---- a stand-in for the check tables, shaped like exercises/README.md ---- */
struct fake_exit { long code; char *signal; };
static const char *fake_exit_validate(const void *p)
{
	const struct fake_exit *e = p;
	return e->code != UNSET && e->signal ? "give either 'code' or 'signal'" : NULL;
}
static const struct field fake_exit_fields[] = {
	{"code", F_LONG, offsetof(struct fake_exit, code), F_SHORTHAND, NULL, 0, NULL, "exit code"},
	{"signal", F_STR, offsetof(struct fake_exit, signal), 0, NULL, 0, NULL, "signal"},
};
static const struct schema fake_exit_schema =
	SCHEMA(struct fake_exit, "exit", fake_exit_fields, fake_exit_validate);

struct fake_stream { char *exact, *contains, *regex, *not_contains, **lines_any_order, *each_line, *over; };
static const struct field fake_stream_fields[] = {
	{"exact", F_STR, offsetof(struct fake_stream, exact), F_SHORTHAND, NULL, 0, NULL, ""},
	{"contains", F_STR, offsetof(struct fake_stream, contains), 0, NULL, 0, NULL, ""},
	{"regex", F_STR, offsetof(struct fake_stream, regex), 0, NULL, 0, NULL, ""},
	{"not_contains", F_STR, offsetof(struct fake_stream, not_contains), 0, NULL, 0, NULL, ""},
	{"lines_any_order", F_STRLIST, offsetof(struct fake_stream, lines_any_order), 0, NULL, 0, NULL, ""},
	{"each_line", F_STR, offsetof(struct fake_stream, each_line), 0, NULL, 0, NULL, ""},
	{"over", F_STR, offsetof(struct fake_stream, over), 0, NULL, 0, NULL, ""},
};
static const struct schema fake_stream_schema =
	SCHEMA(struct fake_stream, "stream", fake_stream_fields, NULL);

struct fake_file { char *path; int exists; char *size, *equals, *range, *contains; };
static const struct field fake_file_fields[] = {
	{"path", F_STR, offsetof(struct fake_file, path), F_REQUIRED | F_SHORTHAND, NULL, 0, NULL, ""},
	{"exists", F_BOOL, offsetof(struct fake_file, exists), 0, NULL, 0, NULL, ""},
	{"size", F_STR, offsetof(struct fake_file, size), 0, NULL, 0, NULL, ""},
	{"equals", F_STR, offsetof(struct fake_file, equals), 0, NULL, 0, NULL, ""},
	{"range", F_STR, offsetof(struct fake_file, range), 0, NULL, 0, NULL, ""},
	{"contains", F_STR, offsetof(struct fake_file, contains), 0, NULL, 0, NULL, ""},
};
static const struct schema fake_file_schema = SCHEMA(struct fake_file, "file", fake_file_fields, NULL);

struct fake_procs { long created, max_alive; int all_reaped; };
static const struct field fake_procs_fields[] = {
	{"created", F_LONG, offsetof(struct fake_procs, created), F_SHORTHAND, NULL, 0, NULL, ""},
	{"max_alive", F_LONG, offsetof(struct fake_procs, max_alive), 0, NULL, 0, NULL, ""},
	{"all_reaped", F_BOOL, offsetof(struct fake_procs, all_reaped), 0, NULL, 0, NULL, ""},
};
static const struct schema fake_procs_schema = SCHEMA(struct fake_procs, "processes", fake_procs_fields, NULL);

struct fake_opened { char *source; char **writers_of; };
static const struct field fake_opened_fields[] = {
	{"source", F_STR, offsetof(struct fake_opened, source), F_REQUIRED, NULL, 0, NULL, ""},
	{"writers_of", F_STRLIST, offsetof(struct fake_opened, writers_of), F_REQUIRED, NULL, 0, NULL, ""},
};
static const struct schema fake_opened_schema = SCHEMA(struct fake_opened, "opened_itself", fake_opened_fields, NULL);

/* Not in exercises/README.md: exercises F_ENUM, which no real check uses yet. */
struct fake_choice { int stream; };
static const char *const fake_streams[] = {"stdout", "stderr", NULL};
static const struct field fake_choice_fields[] = {
	{"stream", F_ENUM, offsetof(struct fake_choice, stream), F_SHORTHAND, NULL, 0, fake_streams, ""},
};
static const struct schema fake_choice_schema = SCHEMA(struct fake_choice, "choice", fake_choice_fields, NULL);

static const struct check fake_checks[] = {
	{"exit", &fake_exit_schema, NULL, false, ""},
	{"stdout", &fake_stream_schema, NULL, false, ""},
	{"stderr", &fake_stream_schema, NULL, false, ""},
	{"file", &fake_file_schema, NULL, false, ""},
	{"processes", &fake_procs_schema, NULL, true, ""},
	{"opened_itself", &fake_opened_schema, NULL, true, ""},
	{"choice", &fake_choice_schema, NULL, false, ""},
};

const struct check *check_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(fake_checks); i++)
		if (!strcmp(fake_checks[i].name, name))
			return &fake_checks[i];
	return NULL;
}

void check_each(void (*fn)(const struct check *, void *), void *arg)
{
	for (size_t i = 0; i < ARRAY_SIZE(fake_checks); i++)
		fn(&fake_checks[i], arg);
}
#endif

/* ---- helpers ---- */

/* The member of e's parameters called key, asserting its type. */
static const void *param(const struct expect *e, const char *key, enum field_type type)
{
	const struct schema *s = e->check->params;
	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < s->nfields; i++) {
		if (strcmp(s->fields[i].key, key))
			continue;
		ck_assert_msg(s->fields[i].type == type, "check '%s': parameter '%s' has type %d, not %d",
			      e->check->name, key, s->fields[i].type, type);
		return (const char *)e->params + s->fields[i].offset;
	}
	ck_abort_msg("check '%s' has no parameter '%s'", e->check->name, key);
	return NULL;
}
#define PARAM_LONG(e, k) (*(const long *)param(e, k, F_LONG))
#define PARAM_STR(e, k) (*(char *const *)param(e, k, F_STR))

static char *tmp_dir;

static void setup(void)
{
	tmp_dir = make_temp_dir("spec-test");
	ck_assert_ptr_nonnull(tmp_dir);
}

static void teardown(void)
{
	rm_rf(tmp_dir);
	free(tmp_dir);
}

/* Write yaml to TMP/spec.yaml and load it; return the path (caller frees). */
static char *write_spec(const char *yaml)
{
	char *path = path_join(tmp_dir, "spec.yaml");
	ck_assert_int_eq(file_write(path, yaml, strlen(yaml), 0644), 0);
	return path;
}

/* Loading yaml must fail with exactly "TMP/spec.yaml:" + want. */
static void assert_error(const char *yaml, const char *want)
{
	struct spec s;
	char *path = write_spec(yaml);
	char *full = xasprintf("%s:%s", path, want);
	int rc = spec_load(path, &s);
	ck_assert_msg(rc == -1, "loaded, but expected the error\n  %s\nfor\n%s", want, yaml);
	ck_assert_str_eq(error_get(), full);
	ck_assert_ptr_null(s.tests);       /* freed and zeroed */
	ck_assert_ptr_null(s.exercise);
	free(full);
	free(path);
}

/* Loading yaml must fail with a message that starts with "spec.yaml:" + want. */
static void assert_error_prefix(const char *yaml, const char *want)
{
	struct spec s;
	char *path = write_spec(yaml);
	char *full = xasprintf("%s:%s", path, want);
	ck_assert_int_eq(spec_load(path, &s), -1);
	ck_assert_msg(str_starts(error_get(), full), "got:  %s\nwant: %s...", error_get(), full);
	free(full);
	free(path);
}

static void load_ok(const char *path, struct spec *s)
{
	int rc = spec_load(path, s);
	ck_assert_msg(rc == 0, "%s", error_get());
}

#define HEAD "exercise: ex\nstudent_files: [ex.c]\n"
/* A spec whose one test has the given extra lines (6-space indent), after
   `- name: t` on line 4 and `run: [harness]` on line 5; expect on line 6-7. */
#define TEST(lines) HEAD "tests:\n  - name: t\n    run: [harness]\n    expect:\n      - exit: 0\n" lines

/* ---- valid specs ---- */

START_TEST(test_docs_example)
{
	struct spec s;
	load_ok("tests/specs/docs/spec.yaml", &s);
	ck_assert_str_eq(s.path, "tests/specs/docs/spec.yaml");
	ck_assert_str_eq(s.dir, "tests/specs/docs");
	ck_assert_str_eq(s.exercise, "half_copy");
	ck_assert_str_eq(s.title, "File half-copy");
	ck_assert_int_eq(strv_len(s.student_files), 1);
	ck_assert_str_eq(s.student_files[0], "half_copy.c");
	ck_assert_int_eq(strv_len(s.build.sources), 2);
	ck_assert_str_eq(s.build.sources[1], "harness/main.c");
	ck_assert_int_eq(strv_len(s.build.cflags), 4);
	ck_assert_str_eq(s.build.cflags[1], "-O0");
	ck_assert_str_eq(s.build.ldflags[1], "-lrt");
	ck_assert_int_eq(s.limits.cpu_ms, 2000);
	ck_assert_int_eq(s.limits.wall_ms, 7000);
	ck_assert_int_eq(s.limits.memory, 256L << 20);
	ck_assert_int_eq(s.limits.processes, 64);
	ck_assert_int_eq(s.limits.output, 64L << 10);
	ck_assert_int_eq(s.limits.file_size, 64L << 20);
	ck_assert_int_eq(s.limits.open_files, 64);
	ck_assert_int_eq(s.build.limits.cpu_ms, UNSET);

	ck_assert_int_eq(s.ntests, 1);
	const struct test *t = &s.tests[0];
	ck_assert_str_eq(t->name, "odd size");
	ck_assert_int_eq(t->line, 18);
	ck_assert_int_eq(t->col, 5);
	ck_assert(t->points == 2.0);
	ck_assert_str_eq(t->visibility, "visible");
	ck_assert_int_eq(strv_len(t->tags), 1);
	ck_assert_str_eq(t->tags[0], "sizes");
	ck_assert_int_eq(t->ninputs, 4);
	ck_assert_str_eq(t->inputs[0].name, "src");
	ck_assert_str_eq(t->inputs[0].file, "src.bin");
	ck_assert_int_eq(t->inputs[0].random_bytes, 12345);
	ck_assert_ptr_null(t->inputs[0].text);
	ck_assert_int_eq(t->inputs[0].random_ints.count, UNSET);
	ck_assert_int_eq(t->inputs[0].missing, -1);
	ck_assert_int_eq(t->inputs[0].line, 23);
	ck_assert_int_eq(t->inputs[0].col, 9);
	ck_assert_str_eq(t->inputs[1].name, "note.txt");     /* defaults to the file */
	ck_assert_str_eq(t->inputs[1].text, "hello\n");
	ck_assert_int_eq(t->inputs[1].random_bytes, UNSET);
	ck_assert_str_eq(t->inputs[2].name, "xs");
	ck_assert_int_eq(t->inputs[2].random_ints.count, 100);
	ck_assert_int_eq(t->inputs[2].random_ints.min, -50);
	ck_assert_int_eq(t->inputs[2].random_ints.max, 50);
	ck_assert_str_eq(t->inputs[3].file, "absent.bin");
	ck_assert_int_eq(t->inputs[3].missing, 1);
	ck_assert_int_eq(strv_len(t->run), 4);
	ck_assert_str_eq(t->run[0], "harness");
	ck_assert_str_eq(t->run[3], "out2.bin");
	ck_assert_str_eq(t->stdin_text, "${xs.count}\n");
	ck_assert_int_eq(t->nfaults, 1);
	ck_assert_str_eq(t->faults[0].call, "fork");
	ck_assert_int_eq(t->faults[0].nth, 2);
	ck_assert_str_eq(t->faults[0].errno_name, "EAGAIN");
	ck_assert_int_eq(t->faults[0].line, 32);
	ck_assert_int_eq(t->repeat, 1);
	ck_assert_int_eq(t->trace, 1);                     /* faults need the tracer */
	ck_assert_int_eq(t->race, 200000);
	ck_assert_str_eq(t->vars[0], "half");
	ck_assert_str_eq(t->vars[1], "src.size / 2");

	ck_assert_int_eq(t->nexpects, 3);
	ck_assert_ptr_eq(t->expects[0].check, check_find("exit"));
	ck_assert_int_eq(PARAM_LONG(&t->expects[0], "code"), 0);
	ck_assert_int_eq(t->expects[0].line, 40);
	ck_assert_int_eq(t->expects[0].col, 9);
	ck_assert_ptr_null(t->expects[0].label);
	ck_assert_ptr_eq(t->expects[1].check, check_find("stdout"));
	ck_assert_str_eq(PARAM_STR(&t->expects[1], "exact"), "half_copy returned 0\n");
	ck_assert_ptr_eq(t->expects[2].check, check_find("file"));
	ck_assert_str_eq(PARAM_STR(&t->expects[2], "path"), "out1.bin");
	ck_assert_str_eq(PARAM_STR(&t->expects[2], "equals"), "src.bin");
	ck_assert_str_eq(PARAM_STR(&t->expects[2], "range"), "0:n/2");
	spec_free(&s);
	ck_assert_ptr_null(s.tests);
	spec_free(&s);                                     /* twice is harmless */
}
END_TEST

START_TEST(test_full_spec)
{
	struct spec s;
	load_ok("tests/specs/full.yaml", &s);
	ck_assert_str_eq(s.title, "A process pool");
	ck_assert_int_eq(strv_len(s.student_files), 1);     /* scalar -> list */
	ck_assert_str_eq(s.build.cflags[0], "-O0");
	ck_assert_ptr_null(s.build.ldflags);
	ck_assert_int_eq(s.build.limits.cpu_ms, 1500);
	ck_assert_int_eq(s.build.limits.memory, 1000000000L);
	ck_assert_int_eq(s.limits.cpu_ms, 500);
	ck_assert_int_eq(s.limits.memory, 512L << 10);
	ck_assert_int_eq(s.limits.wall_ms, UNSET);
	ck_assert_int_eq(s.ntests, 2);

	const struct test *d = &s.tests[0];
	ck_assert_str_eq(d->name, "defaults");
	ck_assert(d->points == 1.0);
	ck_assert_str_eq(d->visibility, "visible");
	ck_assert_ptr_null(d->tags);
	ck_assert_int_eq(d->repeat, 1);
	ck_assert_int_eq(d->trace, TRACE_LIFECYCLE);
	ck_assert_ptr_null(d->stdin_text);
	ck_assert_int_eq(d->ninputs, 0);
	ck_assert_int_eq(d->nfaults, 0);
	ck_assert_int_eq(d->race, 0);
	ck_assert_ptr_null(d->inputs);
	ck_assert_int_eq(d->limits.cpu_ms, UNSET);

	const struct test *o = &s.tests[1];
	ck_assert(o->points == 0.5);
	ck_assert_str_eq(o->visibility, "after_due_date");
	ck_assert_int_eq(strv_len(o->tags), 2);
	ck_assert_str_eq(o->tags[0], "pipes");
	ck_assert_str_eq(o->tags[1], "3.2");
	ck_assert_int_eq(o->trace, 1);
	ck_assert_int_eq(o->repeat, 3);
	ck_assert_int_eq(o->limits.cpu_ms, 60000);          /* own key beats the merged one */
	ck_assert_int_eq(o->limits.memory, 512L << 10);     /* from <<: *defaults */
	ck_assert_int_eq(o->limits.wall_ms, 90000);
	ck_assert_int_eq(o->limits.processes, 8);
	ck_assert_int_eq(o->limits.output, 1L << 20);
	ck_assert_int_eq(o->limits.file_size, 4096);
	ck_assert_int_eq(o->limits.open_files, 32);
	ck_assert_int_eq(o->ninputs, 2);
	ck_assert_str_eq(o->inputs[0].file, "in/data.bin");
	ck_assert_int_eq(o->inputs[0].random_bytes, 64L << 10);
	ck_assert_str_eq(o->inputs[1].text, "");
	ck_assert_str_eq(o->run[1], "${data.size}");        /* kept as templates */
	ck_assert_str_eq(o->run[2], "$${HOME}");
	ck_assert_str_eq(o->stdin_text, "${data.size * 2}\ndone\n");
	ck_assert_int_eq(o->nexpects, 3);
	ck_assert_int_eq(PARAM_LONG(&o->expects[0], "code"), 3);
	ck_assert_str_eq(o->expects[0].label, "exits with 3");
	ck_assert_str_eq(o->expects[1].label, "inner label");  /* label inside the parameters */
	ck_assert_str_eq(o->expects[0].hint, "return 3 from main");
	ck_assert_str_eq(o->expects[1].hint, "inner hint");    /* hint inside the parameters */
	ck_assert_ptr_null(o->expects[2].hint);
	ck_assert_str_eq(PARAM_STR(&o->expects[1], "contains"), "${data.size}");
	ck_assert_ptr_eq(o->expects[2].check, check_find("processes"));
	ck_assert(o->expects[2].check->needs == NEEDS_TRACE);
	ck_assert_int_eq(PARAM_LONG(&o->expects[2], "created"), 2);
	spec_free(&s);
}
END_TEST

/* The spec a student is handed: the hidden tests' lines cut, the rest as
   written (comments, anchors), and still a valid spec. */
START_TEST(test_visible_text)
{
	struct spec s;
	struct buf out = BUF_INIT;
	char *path = write_spec(HEAD "limits: {cpu: 1s}\n"
				"tests:\n"
				"  # the first\n"
				"  - &base\n"
				"    name: one\n"
				"    run: [h]\n"
				"    expect: [exit: 0]\n"
				"  # the secret one\n"
				"  - name: two\n"
				"    visibility: hidden\n"
				"    run: [h, \"${seed}\"]\n"
				"    expect:\n"
				"      - stdout: secret\n"
				"  - <<: *base\n"
				"    name: three\n"
				"  - name: four\n"
				"    visibility: after_due_date\n"
				"    run: [h]\n"
				"    expect: [exit: 1]\n");
	load_ok(path, &s);
	ck_assert_msg(spec_visible_text(&s, &out) == 0, "%s", error_get());
	ck_assert_str_eq(buf_str(&out), HEAD "limits: {cpu: 1s}\n"
			 "tests:\n"
			 "  # the first\n"
			 "  - &base\n"
			 "    name: one\n"
			 "    run: [h]\n"
			 "    expect: [exit: 0]\n"
			 "  - <<: *base\n"
			 "    name: three\n");
	spec_free(&s);
	buf_reset(&out);
	/* an anchor only a hidden test defines cannot be cut away */
	free(path);
	path = write_spec(HEAD "tests:\n"
			  "  - &secret {name: one, visibility: hidden, run: [h], expect: [exit: 0]}\n"
			  "  - {<<: *secret, name: two, visibility: visible}\n");
	load_ok(path, &s);
	ck_assert_int_eq(spec_visible_text(&s, &out), -1);
	ck_assert_msg(strstr(error_get(), "without its hidden tests is not valid"), "%s", error_get());
	spec_free(&s);
	buf_reset(&out);
	free(path);
	path = write_spec(HEAD "tests:\n  - {name: one, visibility: hidden, run: [h], expect: [exit: 0]}\n");
	load_ok(path, &s);
	ck_assert_int_eq(spec_visible_text(&s, &out), -1);
	ck_assert_ptr_nonnull(strstr(error_get(), "no visible test"));
	spec_free(&s);
	buf_free(&out);
	free(path);
}
END_TEST

START_TEST(test_limits_resolution)
{
	struct spec s;
	load_ok("tests/specs/full.yaml", &s);
	struct limits l = spec_limits(&s, &s.tests[0]);   /* spec's values, then defaults */
	ck_assert_int_eq(l.cpu_ms, 500);
	ck_assert_int_eq(l.wall_ms, 3 * 500 + 1000);
	ck_assert_int_eq(l.memory, 512L << 10);
	ck_assert_int_eq(l.processes, 64);
	ck_assert_int_eq(l.output, 64L << 10);
	ck_assert_int_eq(l.file_size, 64L << 20);
	ck_assert_int_eq(l.open_files, 64);
	l = spec_limits(&s, &s.tests[1]);                 /* the test's own */
	ck_assert_int_eq(l.cpu_ms, 60000);
	ck_assert_int_eq(l.wall_ms, 90000);
	ck_assert_int_eq(l.processes, 8);
	ck_assert_int_eq(l.open_files, 32);
	l = spec_build_limits(&s);
	ck_assert_int_eq(l.cpu_ms, 1500);
	ck_assert_int_eq(l.wall_ms, 40000);
	ck_assert_int_eq(l.memory, 1000000000L);
	ck_assert_int_eq(l.processes, 32);
	ck_assert_int_eq(l.output, 256L << 10);
	ck_assert_int_eq(l.file_size, 64L << 20);
	ck_assert_int_eq(l.open_files, 256);
	spec_free(&s);

	char *path = write_spec(TEST(""));
	load_ok(path, &s);
	l = spec_limits(&s, &s.tests[0]);                 /* nothing given anywhere */
	ck_assert_int_eq(l.cpu_ms, 2000);
	ck_assert_int_eq(l.wall_ms, 7000);
	ck_assert_int_eq(l.memory, 256L << 20);
	l = spec_build_limits(&s);
	ck_assert_int_eq(l.cpu_ms, 20000);
	ck_assert_int_eq(l.memory, 1L << 30);
	spec_free(&s);
	free(path);
}
END_TEST

START_TEST(test_units)
{
	static const struct { const char *text; long cpu, memory; } cases[] = {
		{"cpu: 250ms\n    memory: 4096", 250, 4096},
		{"cpu: 2s\n    memory: 64KiB", 2000, 64L << 10},
		{"cpu: 1.5s\n    memory: 1.5GiB", 1500, 3L << 29},
		{"cpu: 100\n    memory: 16 MiB", 100, 16L << 20},
		{"cpu: 2 min\n    memory: 2M", 120000, 2L << 20},
		{"cpu: 1h\n    memory: 10MB", 3600000, 10000000},
		{"cpu: 0.5s\n    memory: 1K", 500, 1024},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct spec s;
		char *yaml = xasprintf(HEAD "limits:\n    %s\ntests:\n  - {name: t, run: [h], expect: [exit: 0]}\n",
				       cases[i].text);
		char *path = write_spec(yaml);
		load_ok(path, &s);
		ck_assert_int_eq(s.limits.cpu_ms, cases[i].cpu);
		ck_assert_int_eq(s.limits.memory, cases[i].memory);
		spec_free(&s);
		free(path);
		free(yaml);
	}
}
END_TEST

START_TEST(test_trace_default)
{
	struct spec s;
	char *path = write_spec(HEAD "tests:\n"
		"  - {name: a, run: [h], expect: [exit: 0]}\n"
		"  - {name: b, run: [h], expect: [exit: 0, processes: {created: 1}]}\n"
		"  - {name: c, run: [h], expect: [exit: 0], faults: [{call: pipe, errno: EMFILE}]}\n"
		"  - {name: d, run: [h], expect: [exit: 0], trace: yes}\n"
		"  - {name: e, run: [h], expect: [exit: 0], trace: no}\n");
	load_ok(path, &s);
	ck_assert_int_eq(s.tests[0].trace, TRACE_LIFECYCLE);
	ck_assert_int_eq(s.tests[1].trace, TRACE_FULL);
	ck_assert_int_eq(s.tests[2].trace, TRACE_FULL);
	ck_assert_int_eq(s.tests[2].faults[0].nth, 1);     /* default */
	ck_assert_int_eq(s.tests[3].trace, TRACE_FULL);
	ck_assert_int_eq(s.tests[4].trace, TRACE_NONE);
	spec_free(&s);
	free(path);
}
END_TEST

/* pace: at a marker or at every traced write, traced; one of the two */
START_TEST(test_pace)
{
	struct spec s;
	char *path = write_spec(HEAD "tests:\n"
		"  - {name: a, run: [h], expect: [exit: 0], pace: {marker: apply, ms: 20}}\n"
		"  - {name: b, run: [h], expect: [exit: 0], pace: {writes: true, ms: 2ms}}\n"
		"  - {name: c, run: [h], expect: [exit: 0]}\n");
	load_ok(path, &s);
	ck_assert_str_eq(s.tests[0].pace.marker, "apply");
	ck_assert_int_eq(s.tests[0].pace.ms, 20);
	ck_assert_int_eq(s.tests[0].trace, TRACE_FULL);
	ck_assert(!s.tests[0].pipe_writes);
	ck_assert(s.tests[1].pipe_writes);         /* writes to pipes are traced to pace them */
	ck_assert_int_eq(s.tests[1].pace.ms, 2);
	ck_assert(s.tests[2].pace.ms == UNSET);
	ck_assert_int_eq(s.tests[2].trace, TRACE_LIFECYCLE);
	spec_free(&s);
	free(path);
	assert_error_prefix(HEAD "tests:\n  - {name: a, run: [h], expect: [exit: 0], "
			    "pace: {ms: 20}}\n", "4:");
	ck_assert_msg(strstr(error_get(), "give one of 'marker'"), "%s", error_get());
	assert_error_prefix(HEAD "tests:\n  - {name: a, run: [h], expect: [exit: 0], "
			    "pace: {marker: x, writes: true, ms: 20}}\n", "4:");
	assert_error_prefix(HEAD "tests:\n  - {name: a, run: [h], expect: [exit: 0], "
			    "pace: {marker: x, ms: 5s}}\n", "4:");
	ck_assert_msg(strstr(error_get(), "between 1ms and 1s"), "%s", error_get());
	assert_error_prefix(HEAD "tests:\n  - {name: a, run: [h], expect: [exit: 0], trace: no, "
			    "pace: {marker: x, ms: 5}}\n", "4:");
	ck_assert_msg(strstr(error_get(), "'pace' needs the tracer"), "%s", error_get());
}
END_TEST

/* send: signals the grader sends, one trigger each, traced */
START_TEST(test_send)
{
	struct spec s;
	char *path = write_spec(HEAD "tests:\n"
		"  - name: a\n    run: [h]\n    expect: [exit: 0]\n    send:\n"
		"      - {signal: SIGUSR1, after_output: ready, times: 3, gap: 50ms}\n"
		"      - {signal: SIGTERM, before_wait: 2, child: 1, delay: 1s}\n");
	load_ok(path, &s);
	const struct test *t = &s.tests[0];
	ck_assert_uint_eq(t->nsends, 2);
	ck_assert_str_eq(t->sends[0].after_output, "ready");
	ck_assert_int_eq(t->sends[0].times, 3);
	ck_assert_int_eq(t->sends[0].gap_ms, 50);
	ck_assert_int_eq(t->sends[1].before_wait, 2);
	ck_assert_int_eq(t->sends[1].child, 1);
	ck_assert_int_eq(t->sends[1].delay_ms, 1000);
	ck_assert_int_eq(t->trace, TRACE_FULL);
	spec_free(&s);
	free(path);
	assert_error_prefix(HEAD "tests:\n  - {name: a, run: [h], expect: [exit: 0], "
			    "send: [{signal: SIGFOO}]}\n", "4:");
	ck_assert_msg(strstr(error_get(), "unknown signal name"), "%s", error_get());
	assert_error_prefix(HEAD "tests:\n  - {name: a, run: [h], expect: [exit: 0], "
			    "send: [{signal: SIGUSR1, after_output: x, before_wait: 1}]}\n", "4:");
	ck_assert_msg(strstr(error_get(), "at most one of"), "%s", error_get());
	assert_error_prefix(HEAD "tests:\n  - {name: a, run: [h], expect: [exit: 0], trace: no, "
			    "send: [{signal: SIGUSR1}]}\n", "4:");
	ck_assert_msg(strstr(error_get(), "'send' needs the tracer"), "%s", error_get());
}
END_TEST

/* The spec speaks the tracer's fault vocabulary (trace_fault.h), all of
   it and nothing more: every call name loads, with its errno. */
START_TEST(test_fault_vocabulary)
{
	struct buf yaml = BUF_INIT;
	struct spec s;
	size_t n = 0;

	buf_adds(&yaml, TEST("    faults:\n"));
	for (const char *call; (call = fault_call_name(n)); n++)
		buf_addf(&yaml, "      - {call: %s, errno: %s}\n", call,
			 fault_errno_name(n % 7));
	char *path = write_spec(buf_str(&yaml));
	load_ok(path, &s);
	ck_assert_uint_eq(s.tests[0].nfaults, n);
	ck_assert_uint_ge(n, 40);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(s.tests[0].faults[i].call, fault_call_name(i));
	spec_free(&s);
	free(path);
	buf_free(&yaml);
	/* library names the tracer does not count on their own */
	assert_error_prefix(TEST("    faults:\n      - {call: fopen, errno: EAGAIN}\n"),
			    "9:16: unknown call 'fopen'");
	assert_error_prefix(TEST("    faults:\n      - {call: signal, errno: EAGAIN}\n"),
			    "9:16: unknown call 'signal'");
}
END_TEST

/* The broken spec `make test` feeds to the grader says where it is broken. */
START_TEST(test_broken_file)
{
	struct spec s;
	struct buf text = BUF_INIT;
	ck_assert_int_eq(file_read("tests/specs/broken.yaml", &text), 0);
	const char *want = strstr(buf_str(&text), "# expect: ");
	ck_assert_ptr_nonnull(want);
	want += strlen("# expect: ");
	char *msg = xstrndup(want, strcspn(want, "\n"));
	ck_assert_int_eq(spec_load("tests/specs/broken.yaml", &s), -1);
	char *full = xasprintf("tests/specs/%s", msg);
	ck_assert_str_eq(error_get(), full);
	free(full);
	free(msg);
	buf_free(&text);
}
END_TEST

START_TEST(test_missing_file)
{
	struct spec s;
	ck_assert_int_eq(spec_load("tests/specs/no-such.yaml", &s), -1);
	ck_assert_str_eq(error_get(), "cannot load the spec: cannot open tests/specs/no-such.yaml: "
			 "No such file or directory");
}
END_TEST

/* ---- broken specs: the exact position and message ---- */

static const struct { const char *yaml, *error; } errors[] = {
	/* YAML itself */
	{"exercise: ex\ntests: [a, b\nstudent_files: x\n",
	 "3:14: YAML syntax error: did not find expected ',' or ']' "
	 "(while parsing a flow sequence at line 2, column 8)"},
	{"exercise: ex\ntests:\n\t- name: a\n",
	 "3:1: YAML syntax error: found character that cannot start any token "
	 "(while scanning for the next token at line 3, column 1); "
	 "YAML does not allow tabs for indentation, use spaces"},
	{"exercise: ex\ntitle: \"abc\xff\"\n",
	 "2:12: YAML syntax error: invalid leading UTF-8 octet (byte 0xFF)"},
	{"", "1:1: the spec is empty: it needs exercise:, student_files: and tests:"},
	{"# only a comment\n", "1:1: the spec is empty: it needs exercise:, student_files: and tests:"},
	{"- a\n- b\n", "1:1: the spec must be a mapping of keys (exercise:, student_files:, tests:, ...), "
	 "got a list"},
	{TEST("---\nexercise: again\n"),
	 "9:1: a second YAML document: a spec is one document (remove the '---')"},
	/* keys */
	{"# comment\n# comment\nexercise: ex\ntests:\n  - {name: t, run: [h], expect: [exit: 0]}\n",
	 "3:1: missing required key 'student_files'"},
	{HEAD "tets: []\n", "3:1: unknown key 'tets' (did you mean 'tests'?)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    point: 2\n    expect: [exit: 0]\n",
	 "6:5: unknown key 'point' in test (did you mean 'points'?)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    zzz: 2\n",
	 "6:5: unknown key 'zzz' in test (keys: name, points, visibility, tags, run, stdin, "
	 "inputs, vars, faults, expect, limits, trace, repeat, race, send, pace)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    tag: [x]\n    expect: [exit: 0]\n",
	 "6:5: unknown key 'tag' in test (did you mean 'tags'?)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    tags: {a: 1}\n    expect: [exit: 0]\n",
	 "6:11: 'tags' must be a list such as [a, b], got a mapping"},
	{HEAD "tests:\n  - name: t\n    expect: [exit: 0]\n",
	 "4:5: missing required key 'run' in test"},
	{HEAD "title: a\ntitle: b\n", "4:1: duplicate key 'title' (first at line 3)"},
	{HEAD "? [a, b]\n: c\n", "3:3: a key must be a plain name, got a list"},
	{HEAD "tests: {name: t}\n", "3:8: 'tests' must be a list (start each item with '- '), got a mapping"},
	{HEAD "tests: []\n", "3:8: 'tests' is empty: add at least one test"},
	{HEAD "tests:\n  - just a string\n",
	 "4:5: 'tests' must be a mapping of keys (key: value), got a single value"},
	{HEAD "limits: 2s\ntests: []\n",
	 "3:9: 'limits' must be a mapping of keys (key: value), got a single value"},
	{HEAD "limits:\ntests: []\n", "3:8: 'limits' must be a mapping of keys (key: value), got nothing"},
	/* scalar values */
	{HEAD "limits:\n  cpu: 1s\n  memory: 1MiB\n  wall: fast\n",
	 "6:9: 'wall' must be a duration like 250ms or 2s, got 'fast'"},
	{HEAD "limits:\n  cpu: -1s\n", "4:8: 'cpu' must be a duration like 250ms or 2s, got '-1s'"},
	{HEAD "limits:\n  cpu: 2 days\n", "4:8: 'cpu' must be a duration like 250ms or 2s, got '2 days'"},
	{HEAD "limits:\n  cpu: 2h\n", "4:8: 'cpu' must be at most 1h"},
	{HEAD "limits:\n  cpu: 0\n", "4:8: 'cpu' must be greater than 0, got 0"},
	{HEAD "limits:\n  memory: 1 gig\n",
	 "4:11: 'memory' must be a size like 4096, 64KiB or 16MiB, got '1 gig'"},
	{HEAD "limits:\n  memory: [1]\n",
	 "4:11: 'memory' must be a size like 4096, 64KiB or 16MiB, got a list"},
	{HEAD "limits:\n  processes: 0\n", "4:14: 'processes' must be greater than 0, got 0"},
	{HEAD "limits:\n  processes: 2.5\n", "4:14: 'processes' must be an integer, got '2.5'"},
	{HEAD "limits:\n  open_files: 99999999999999999999\n",
	 "4:15: 'open_files' must be an integer, got '99999999999999999999'"},
	{HEAD "limits:\n  open_files:\n", "4:14: 'open_files' needs a value: an integer"},
	{HEAD "title: [a]\n", "3:8: 'title' must be a string, got a list"},
	{HEAD "title: \"a\\0b\"\n", "3:8: 'title' contains a NUL character, which is not supported"},
	{"exercise: ex\nstudent_files: [ex.c, {a: b}]\n",
	 "2:23: each item of 'student_files' must be a string, got a mapping"},
	{"exercise: ex\nstudent_files: []\ntests: []\n",
	 "2:16: 'student_files' is empty: name the files students submit"},
	{"exercise: ex\nstudent_files: [../ex.c]\ntests: []\n",
	 "2:17: student file '../ex.c' must be a relative path inside the run directory "
	 "(no leading '/', no '..')"},
	{"exercise: ex/../x\nstudent_files: [ex.c]\ntests: []\n",
	 "1:11: 'exercise' must be a plain name (letters, digits, '_', '-'), got 'ex/../x'"},
	/* tests */
	{HEAD "tests:\n  - name: odd size\n    run: [h]\n    expect: [exit: 0]\n"
	 "  - name: even\n    run: [h]\n    expect: [exit: 0]\n"
	 "  - name: odd size\n    run: [h]\n    expect: [exit: 0]\n",
	 "10:11: duplicate test name 'odd size' (first at line 4)"},
	{TEST("    points: -1\n"), "8:13: 'points' must not be negative, got -1"},
	{TEST("    points: many\n"), "8:13: 'points' must be a number, got 'many'"},
	{TEST("    points: .nan\n"), "8:13: 'points' must be a number, got '.nan'"},
	{TEST("    visibility: hiden\n"), "8:17: unknown visibility 'hiden' (did you mean 'hidden'?)"},
	{TEST("    visibility: public\n"),
	 "8:17: unknown visibility 'public' (one of: visible, hidden, after_due_date, after_published)"},
	{TEST("    repeat: 0\n"), "8:13: 'repeat' must be between 1 and 1000, got 0"},
	{TEST("    trace: maybe\n"), "8:12: 'trace' must be true or false, got 'maybe'"},
	{TEST("    race: -5\n"), "8:11: 'race' is a number of steps (e.g. 200000), got -5"},
	{TEST("    trace: false\n    race: 1000\n"), "8:12: 'trace: false' but 'race' needs the tracer"},
	{TEST("    trace: false\n    faults: [{call: fork, errno: EAGAIN}]\n"),
	 "8:12: 'trace: false' but faults are injected by the tracer"},
	{HEAD "tests:\n  - name: t\n    run: []\n    expect: [exit: 0]\n",
	 "5:10: 'run' is empty: give the program and its arguments, e.g. [harness, in.txt]"},
	{HEAD "tests:\n  - name: ''\n    run: [h]\n    expect: [exit: 0]\n",
	 "4:11: a test name must not be empty"},
	{HEAD "tests:\n  - name: t\n    run: [h, [x]]\n    expect: [exit: 0]\n",
	 "5:14: each item of 'run' must be a string, got a list"},
	{TEST("    stdin:\n"), "8:11: 'stdin' needs a value: a string"},
	/* inputs */
	{TEST("    inputs:\n      - {file: /etc/passwd, text: x}\n"),
	 "9:16: input file '/etc/passwd' must be a relative path inside the run directory "
	 "(no leading '/', no '..')"},
	{TEST("    inputs:\n      - {file: a/../../b, text: x}\n"),
	 "9:16: input file 'a/../../b' must be a relative path inside the run directory "
	 "(no leading '/', no '..')"},
	{TEST("    inputs:\n      - {file: a, text: x, random_bytes: 10}\n"),
	 "9:25: input 'a' gives both 'random_bytes' and 'text': give exactly one"},
	{TEST("    inputs:\n      - {file: a, missing: false}\n"),
	 "9:9: input 'a' needs one of random_bytes, text, random_ints or missing: true"},
	{TEST("    inputs:\n      - {file: a, missing: maybe}\n"),
	 "9:28: 'missing' must be true or false, got 'maybe'"},
	{TEST("    inputs:\n      - file: a\n        random_ints: {count: 3, min: 1}\n"),
	 "10:22: missing required key 'max' in random_ints"},
	{TEST("    inputs:\n      - file: a\n        random_ints: {count: 3, min: 5, max: 1}\n"),
	 "10:38: 'min' (5) is greater than 'max' (1)"},
	{TEST("    inputs:\n      - file: a\n        random_ints: {count: -3, min: 1, max: 5}\n"),
	 "10:30: 'count' must be between 0 and 10000000, got -3"},
	{TEST("    inputs:\n      - {file: a, text: x, colour: red}\n"),
	 "9:28: unknown key 'colour' in input (keys: name, file, random_bytes, text, random_ints, missing)"},
	{TEST("    inputs:\n      - {text: x}\n"), "9:9: missing required key 'file' in input"},
	{TEST("    inputs:\n      - {file: a, text: x}\n      - {file: a, random_bytes: 3}\n"),
	 "10:16: input file 'a' is generated twice (first at line 9)"},
	{TEST("    inputs:\n      - {name: s, file: a, text: x}\n      - {name: s, file: b, text: y}\n"),
	 "10:16: two inputs are named 's' (first at line 9)"},
	{TEST("    inputs:\n      - {name: x, file: a, text: x}\n"),
	 "9:16: input name 'x' is reserved (seed, x, i and n have a meaning in templates)"},
	{TEST("    inputs:\n      - {name: 2go, file: a, text: x}\n"),
	 "9:16: input name '2go' must be a variable name (letters, digits, '_'; not starting with a digit)"},
	{TEST("    inputs: {file: a}\n"),
	 "8:13: 'inputs' must be a list (start each item with '- '), got a mapping"},
	/* faults */
	{TEST("    faults:\n      - {call: frok, errno: EAGAIN}\n"),
	 "9:16: unknown call 'frok' (did you mean 'fork'?)"},
	{TEST("    faults:\n      - {call: fork, errno: EAGIAN}\n"),
	 "9:29: unknown errno 'EAGIAN' (did you mean 'EAGAIN'?)"},
	{TEST("    faults:\n      - {call: fork, errno: EAGAIN, nth: 0}\n"),
	 "9:42: 'nth' counts calls from 1, got 0"},
	{TEST("    faults:\n      - {call: fork}\n"), "9:9: missing required key 'errno' in fault"},
	/* expectations */
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect: []\n",
	 "6:13: test 't' expects nothing: add at least one check, e.g. '- exit: 0'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdot: x\n",
	 "7:9: unknown check 'stdot' (did you mean 'stdout'?)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - exit: 0\n        stdout: x\n",
	 "8:9: one check per item: 'stdout' follows 'exit' in the same item (start a new item with '- ')"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - exit\n",
	 "7:9: '- exit' needs a value: write '- exit: VALUE' or '- exit: {...}'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - 42\n",
	 "7:9: each expectation is a mapping such as '- exit: 0', got a single value"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - label: x\n",
	 "7:9: this expectation names no check, e.g. '- exit: 0'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - exit: zero\n",
	 "7:15: 'exit' must be an integer, got 'zero'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - exit: {code: zero}\n",
	 "7:22: 'code' must be an integer, got 'zero'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout:\n",
	 "7:16: 'stdout' needs a value (write stdout: \"\" for an empty string)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - exit: ~\n",
	 "7:15: 'exit' needs a value or a mapping of parameters"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - file: {pth: out.txt}\n",
	 "7:16: unknown key 'pth' in check 'file' (did you mean 'path'?)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - file: {path: a, exists: true, labl: x}\n",
	 "7:39: unknown key 'labl' in check 'file' (did you mean 'label'?)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - file: {exists: true}\n",
	 "7:15: missing required key 'path' in check 'file'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - opened_itself: in.bin\n",
	 "7:24: check 'opened_itself' takes a mapping of parameters such as {source: ...}, got a single value"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - opened_itself:\n",
	 "7:23: missing required key 'source' in check 'opened_itself'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - {exit: {code: 0, label: a}, label: b}\n",
	 "7:26: 'label' is given twice for this expectation"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - {exit: 0, label: [a]}\n",
	 "7:26: 'label' must be a string, got a list"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - {exit: {code: 0, hint: a}, hint: b}\n",
	 "7:26: 'hint' is given twice for this expectation"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - hint: x\n",
	 "7:9: this expectation names no check, e.g. '- exit: 0'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - file: {path: a, exists: true, hnt: x}\n",
	 "7:39: unknown key 'hnt' in check 'file' (did you mean 'hint'?)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - processes: {created: 1}\n    trace: no\n",
	 "8:12: 'trace: false' but check 'processes' needs the tracer"},
	/* templates */
	{TEST("    inputs: [{name: src, file: s, random_bytes: 10}]\n    stdin: \"${src.sise}\"\n"),
	 "9:12: in '${src.sise}' at column 3: unknown variable 'src.sise' (did you mean 'src.size'?)"},
	{TEST("    inputs: [{name: xs, file: s, random_ints: {count: 3, min: 0, max: 9}}]\n"
	      "    stdin: \"${xs.sun}\"\n"),
	 "9:12: in '${xs.sun}' at column 3: unknown variable 'xs.sun' (did you mean 'xs.sum'?)"},
	{HEAD "tests:\n  - name: t\n    run: [h, \"${seed + }\"]\n    expect: [exit: 0]\n",
	 "5:14: in '${seed + }' at column 10: expected a number, a variable or '(', got the end"},
	{HEAD "tests:\n  - name: t\n    run: [h, \"${seed\"]\n    expect: [exit: 0]\n",
	 "5:14: in '${seed' at column 1: '${' is never closed by '}' (write $$ for a literal '$')"},
	{HEAD "tests:\n  - name: t\n    inputs: [{name: xs, file: s, random_ints: {count: 3, min: 0, max: 9}}]\n"
	 "    run: [h]\n    expect:\n      - stdout: {contains: \"${xs}\"}\n",
	 "8:28: in '${xs}' at column 3: 'xs' is a list, not a number (use xs.count, xs.sum, xs.min or xs.max)"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout: \"${y}\"\n",
	 "7:17: in '${y}' at column 3: unknown variable 'y'"},
	/* every name a check uses is known at lint time, not at grading time */
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout: \"${n}\"\n",
	 "7:17: in '${n}' at column 3: unknown variable 'n'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout: {contains: \"${x}\"}\n",
	 "7:28: in '${x}' at column 3: unknown variable 'x'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - number: {regex: \"(.*)\", min: nmsgs}\n",
	 "7:38: in 'nmsgs' at column 1: unknown variable 'nmsgs'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - file: {path: a, size: \"${n}\"}\n",
	 "7:31: in '${n}' at column 3: unknown variable 'n'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - file: {path: a, equals: b, range: \"0:m/2\"}\n",
	 "7:43: in 'm/2' at column 1: unknown variable 'm'"},
	{HEAD "tests:\n  - name: t\n    inputs: [{name: xs, file: s, random_ints: {count: 3, min: 0, max: 9}}]\n"
	 "    run: [h]\n    expect:\n      - stdout: {each_line: \"${k}\", over: xs}\n",
	 "8:29: in '${k}' at column 3: unknown variable 'k'"},
	/* a string a check does not describe is still checked as a template */
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - processes: {exits: [\"${nope}\"]}\n",
	 "7:29: in '${nope}' at column 3: unknown variable 'nope'"},
	/* for: ranges and vars: */
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout: {lines_any_order: [\"${k}\"]}\n",
	 "7:36: in '${k}' at column 3: unknown variable 'k'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout: {lines_any_order: [a], for: {k: 0..n-1}}\n",
	 "7:49: in 'n-1' at column 1: unknown variable 'n'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout: {exact: a, for: {k: 0..1}}\n",
	 "7:17: check 'stdout': 'for' goes with 'each_line' or 'lines_any_order'"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout: {lines_any_order: [a], for: {k: 3}}\n",
	 "7:17: check 'stdout': each range of 'for' is FROM..TO, e.g. k: 0..n-1"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout: {each_line: a}\n",
	 "7:17: check 'stdout': 'each_line' takes 'over' (an input's numbers) or 'for' (ranges), one of them"},
	{HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - stdout: {lines_any_order: [a], for: [k]}\n",
	 "7:45: 'for' must be a mapping such as {k: 0..9}, got a list"},
	{HEAD "tests:\n  - name: t\n    vars: {n: 5, m: n * k}\n    run: [h]\n    expect: [exit: 0]\n",
	 "5:21: in 'n * k' at column 5: unknown variable 'k'"},
	{HEAD "tests:\n  - name: t\n    vars: {seed: 5}\n    run: [h]\n    expect: [exit: 0]\n",
	 "5:18: 'seed' is already a variable of this test"},
	{HEAD "tests:\n  - name: t\n    vars: {2n: 5}\n    run: [h]\n    expect: [exit: 0]\n",
	 "5:12: a key of 'vars' must be a name (letters, digits, '_'; not starting with a digit)"},
	/* merge keys */
	{HEAD "limits:\n  <<: 5\n", "4:7: a merge key (<<) takes an alias such as *defaults, got a single value"},
};

START_TEST(test_errors)
{
	assert_error(errors[_i].yaml, errors[_i].error);
}
END_TEST

/* The message names the temporary folder: only its start is compared. */
START_TEST(test_missing_source)
{
	assert_error_prefix(HEAD "build:\n  sources: [ex.c, harness/nope.c]\ntests: []\n",
			    "4:19: build source 'harness/nope.c' is neither a student file nor a file "
			    "of the exercise folder /");
}
END_TEST

/* Messages that list the checks depend on the check table: only the start. */
START_TEST(test_unknown_check_lists_checks)
{
	assert_error_prefix(HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - zzzzz: 1\n",
			    "7:9: unknown check 'zzzzz' (checks: exit, stdout, stderr");
}
END_TEST

/* Valid templates: known names, division by zero is not evaluated, $$. */
START_TEST(test_templates_valid)
{
	struct spec s;
	char *path = write_spec(HEAD "tests:\n  - name: t\n"
		"    inputs:\n      - {name: src, file: s, random_bytes: 10}\n"
		"      - {name: xs, file: x, random_ints: {count: 3, min: 0, max: 9}}\n"
		"      - {file: n.txt, missing: true}\n"
		"    run: [h, \"${src.size / (xs.count - 3)}\", \"$${nothing}\", \"${seed}\", \"${n.txt.size}\"]\n"
		"    stdin: \"${xs.sum + xs.min * xs.max}\"\n"
		"    expect:\n      - stdout: {each_line: \"${x * 2 + i}\", over: xs}\n");
	load_ok(path, &s);
	ck_assert_str_eq(s.tests[0].inputs[2].name, "n.txt");
	spec_free(&s);
	free(path);
}
END_TEST

/* YAML merge keys: a test can start from another one. */
START_TEST(test_merge_keys)
{
	struct spec s;
	char *path = write_spec(HEAD "tests:\n"
		"  - &base\n    name: a\n    run: [harness, x]\n    points: 2\n    expect: [exit: 0]\n"
		"  - <<: *base\n    name: b\n"
		"  - <<: [*base]\n    name: c\n    points: 3\n    limits: {<<: {cpu: 3s}, memory: 1M}\n");
	load_ok(path, &s);
	ck_assert_int_eq(s.ntests, 3);
	ck_assert_str_eq(s.tests[1].name, "b");
	ck_assert_str_eq(s.tests[1].run[1], "x");
	ck_assert(s.tests[1].points == 2.0);
	ck_assert_int_eq(s.tests[1].nexpects, 1);
	ck_assert_str_eq(s.tests[2].name, "c");
	ck_assert(s.tests[2].points == 3.0);
	ck_assert_int_eq(s.tests[2].limits.cpu_ms, 3000);
	ck_assert_int_eq(s.tests[2].limits.memory, 1L << 20);
	spec_free(&s);
	free(path);
	/* a mistake in the merged mapping is reported where it is written */
	assert_error(HEAD "tests:\n"
		"  - &base\n    name: a\n    run: [harness]\n    expect: [exit: 0]\n    pionts: 2\n"
		"  - <<: *base\n    name: b\n",
		"8:5: unknown key 'pionts' in test (did you mean 'points'?)");
	assert_error(HEAD "tests:\n  - name: a\n    run: [h]\n    expect:\n      - <<: {exit: 0}\n",
		     "7:9: merge keys (<<) are not supported in an expectation");
}
END_TEST

/* A spec in many files is one file per load: the directory is the spec's. */
START_TEST(test_dir_of_spec)
{
	struct spec s;
	char *path = write_spec(TEST(""));
	load_ok(path, &s);
	ck_assert_str_eq(s.dir, tmp_dir);
	ck_assert_int_eq(s.tests[0].line, 4);
	ck_assert_int_eq(s.tests[0].col, 5);
	spec_free(&s);
	char *cwd = getcwd(NULL, 0);
	ck_assert_int_eq(chdir(tmp_dir), 0);
	int rc = spec_load("spec.yaml", &s);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_msg(rc == 0, "%s", error_get());
	ck_assert_str_eq(s.dir, ".");
	spec_free(&s);
	free(cwd);
	free(path);
}
END_TEST

/* The spec's words in Chinese: title_zh, and hint_zh beside or inside a check. */
START_TEST(test_chinese_twins)
{
	struct spec s;
	char *path = write_spec("exercise: ex\ntitle: Copy\ntitle_zh: 复制\nstudent_files: [ex.c]\n"
				"tests:\n  - name: t\n    run: [h]\n    expect:\n"
				"      - {exit: 0, hint: return 0, hint_zh: 返回 0}\n"
				"      - stdout: {contains: x, hint: print x, hint_zh: 打印 x}\n");
	load_ok(path, &s);
	ck_assert_str_eq(s.title_zh, "复制");
	ck_assert_str_eq(s.tests[0].expects[0].hint, "return 0");
	ck_assert_str_eq(s.tests[0].expects[0].hint_zh, "返回 0");
	ck_assert_str_eq(s.tests[0].expects[1].hint_zh, "打印 x");
	spec_free(&s);
	free(path);
	assert_error(HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - {exit: 0, hint_zh: 返回 0}\n",
		     "7:9: 'hint_zh' goes with 'hint' (the English one, for the grader in English)");
}
END_TEST

#ifdef SPEC_FAKE_CHECKS
START_TEST(test_enum_field)
{
	struct spec s;
	char *path = write_spec(HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n"
				"      - choice: stderr\n      - choice: {stream: stdout}\n");
	load_ok(path, &s);
	ck_assert_int_eq(((struct fake_choice *)s.tests[0].expects[0].params)->stream, 1);
	ck_assert_int_eq(((struct fake_choice *)s.tests[0].expects[1].params)->stream, 0);
	spec_free(&s);
	free(path);
	assert_error(HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - choice: stdin\n",
		     "7:17: 'choice' must be one of stdout, stderr; got 'stdin'");
	assert_error(HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - choice: {stream: stdrr}\n",
		     "7:26: 'stream' must be one of stdout, stderr; got 'stdrr' (did you mean 'stderr'?)");
	assert_error(HEAD "tests:\n  - name: t\n    run: [h]\n    expect:\n      - choice: {stream: }\n",
		     "7:26: 'stream' needs a value: one of stdout, stderr");
}
END_TEST
#else
/* Every check of exercises/README.md with its documented parameters (needs the real tables). */
START_TEST(test_docs_vocabulary)
{
	struct spec s;
	load_ok("tests/specs/vocabulary.yaml", &s);
	ck_assert_int_eq(s.ntests, 2);
	for (size_t i = 0; i < s.ntests; i++)
		for (size_t k = 0; k < s.tests[i].nexpects; k++)
			ck_assert_ptr_nonnull(s.tests[i].expects[k].params);
	ck_assert_int_eq(s.tests[1].trace, 1);
	spec_free(&s);
}
END_TEST
#endif

Suite *suite_spec(void)
{
	Suite *s = suite_create("spec");
	TCase *tc = tcase_create("valid");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_docs_example);
	tcase_add_test(tc, test_full_spec);
	tcase_add_test(tc, test_visible_text);
	tcase_add_test(tc, test_limits_resolution);
	tcase_add_test(tc, test_units);
	tcase_add_test(tc, test_trace_default);
	tcase_add_test(tc, test_pace);
	tcase_add_test(tc, test_send);
	tcase_add_test(tc, test_fault_vocabulary);
	tcase_add_test(tc, test_templates_valid);
	tcase_add_test(tc, test_dir_of_spec);
	tcase_add_test(tc, test_merge_keys);
	tcase_add_test(tc, test_chinese_twins);
#ifdef SPEC_FAKE_CHECKS
	tcase_add_test(tc, test_enum_field);
#else
	tcase_add_test(tc, test_docs_vocabulary);
#endif
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_broken_file);
	tcase_add_test(tc, test_missing_file);
	tcase_add_loop_test(tc, test_errors, 0, ARRAY_SIZE(errors));
	tcase_add_test(tc, test_unknown_check_lists_checks);
	tcase_add_test(tc, test_missing_source);
	suite_add_tcase(s, tc);
	return s;
}
