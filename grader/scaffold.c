/*
 * scaffold.c - write a new exercise from the built-in templates (scaffold.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "scaffold.h"
#include "util.h"

/* Where each template goes: a path with @NAME@ put in. */
static const struct {
	const char *template, *path;
} layout[] = {
	{"README.md", "exercises/@NAME@/README.md"},
	{"README.zh.md", "exercises/@NAME@/README.zh.md"},
	{"header.h", "exercises/@NAME@/@NAME@.h"},
	{"stub.c", "exercises/@NAME@/@NAME@.c"},
	{"harness.c", "exercises/@NAME@/harness/main.c"},
	{"spec.yaml", "exercises/@NAME@/spec.yaml"},
	{"reference.c", "solutions/@NAME@/@NAME@.c"},
	{"faulty.c", "tests/submissions/@NAME@/wrong_count.c"},
};

/* The folders that must not exist yet. */
static const char *const owned[] = {
	"exercises/@NAME@", "solutions/@NAME@", "tests/submissions/@NAME@",
};

/* text with every @NAME@ and @GUARD@ (NAME_H in capitals) put in. */
static char *fill(const char *text, const char *name)
{
	struct buf b = BUF_INIT;
	char *guard = xasprintf("%s_H", name);
	for (char *p = guard; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	for (const char *p = text; *p; ) {
		if (str_starts(p, "@NAME@")) {
			buf_adds(&b, name);
			p += 6;
		} else if (str_starts(p, "@GUARD@")) {
			buf_adds(&b, guard);
			p += 7;
		} else {
			buf_addc(&b, *p++);
		}
	}
	free(guard);
	return buf_detach(&b);
}

static const char *template_text(const char *name)
{
	for (const struct scaffold_template *t = scaffold_templates; t->name; t++)
		if (!strcmp(t->name, name))
			return t->text;
	return NULL;
}

static bool is_identifier(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_') || strlen(s) > 40)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

int scaffold_write(const char *exercises_dir, const char *name)
{
	if (!is_identifier(name))
		return error_set("'%s' is not a C identifier (letters, digits, '_'; it names the "
				 "function, the files and the folder)", name);
	char *root = path_join(exercises_dir, "..");
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(owned); i++) {
		char *rel = fill(owned[i], name), *p = path_join(root, rel);
		if (path_exists(p))
			rc = error_set("%s exists already", p);
		free(rel);
		free(p);
	}
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(layout); i++) {
		const char *text = template_text(layout[i].template);
		char *rel = fill(layout[i].path, name), *p = path_join(root, rel);
		char *body = text ? fill(text, name) : NULL;
		if (!body)
			rc = error_set("no template %s built into the grader", layout[i].template);
		else if (mkdir_parent(p) < 0 || file_write(p, body, strlen(body), 0644) < 0)
			rc = error_prefix("grader new");
		free(body);
		free(rel);
		free(p);
	}
	free(root);
	return rc;
}
