/* inputs.c - see inputs.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "inputs.h"
#include "util.h"

static unsigned long long splitmix(unsigned long long *x)
{
	unsigned long long z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, unsigned long seed, const char *salt)
{
	unsigned long long x = seed;
	for (const char *s = salt ? salt : ""; *s; s++)  /* FNV-1a of the salt */
		x = (x ^ (unsigned char)*s) * 0x100000001b3ULL;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static unsigned long long rotl(unsigned long long x, int k)
{
	return (x << k) | (x >> (64 - k));
}

unsigned long long rng_next(struct rng *r)
{
	unsigned long long *s = r->s;
	unsigned long long result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

long rng_range(struct rng *r, long lo, long hi)
{
	unsigned long long span = (unsigned long long)hi - (unsigned long long)lo + 1;
	if (span == 0)  /* the whole range of long */
		return (long)rng_next(r);
	return (long)((unsigned long long)lo + rng_next(r) % span);
}

static char *var_name(const struct input *in, const char *field)
{
	return xasprintf("%s.%s", in->name ? in->name : in->file, field);
}

static void set_var(struct vars *v, const struct input *in, const char *field, long value)
{
	char *name = var_name(in, field);
	vars_set(v, name, value);
	free(name);
}

static int gen_bytes(const struct input *in, const char *path, struct rng *r, struct vars *v)
{
	size_t n = (size_t)in->random_bytes;
	unsigned char *data = xmalloc(n + 8);
	for (size_t i = 0; i < n; i += 8) {
		unsigned long long x = rng_next(r);
		memcpy(data + i, &x, 8);
	}
	int rc = file_write(path, data, n, 0644);
	free(data);
	set_var(v, in, "size", (long)n);
	return rc;
}

static int gen_ints(const struct input *in, const char *path, struct rng *r, struct vars *v)
{
	const struct random_ints *ri = &in->random_ints;
	size_t n = (size_t)ri->count;
	long *xs = xcalloc(n ? n : 1, sizeof(long));
	long sum = 0, lo = 0, hi = 0;
	struct buf text = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		xs[i] = rng_range(r, ri->min, ri->max);
		if (__builtin_add_overflow(sum, xs[i], &sum)) {
			free(xs);
			buf_free(&text);
			return error_set("input '%s': the sum of the random integers overflows", in->file);
		}
		lo = i == 0 || xs[i] < lo ? xs[i] : lo;
		hi = i == 0 || xs[i] > hi ? xs[i] : hi;
		buf_addf(&text, "%ld\n", xs[i]);
	}
	int rc = file_write(path, buf_str(&text), text.len, 0644);
	char *name = xstrdup(in->name ? in->name : in->file);
	vars_set_list(v, name, xs, n);
	set_var(v, in, "count", (long)n);
	set_var(v, in, "sum", sum);
	set_var(v, in, "min", lo);
	set_var(v, in, "max", hi);
	set_var(v, in, "size", (long)text.len);
	free(name);
	free(xs);
	buf_free(&text);
	return rc;
}

static int gen_one(const struct input *in, const char *dir, struct rng *r, struct vars *v)
{
	char *path = path_join(dir, in->file);
	int rc = mkdir_parent(path);
	if (rc == 0) {
		if (in->missing == 1) {
			unlink(path);
			set_var(v, in, "size", -1);
		} else if (in->random_bytes != UNSET) {
			rc = gen_bytes(in, path, r, v);
		} else if (in->text) {
			rc = file_write(path, in->text, strlen(in->text), 0644);
			set_var(v, in, "size", (long)strlen(in->text));
		} else {
			rc = gen_ints(in, path, r, v);
		}
	}
	free(path);
	return rc;
}

int inputs_generate(const struct test *t, const char *dir, unsigned long seed, struct vars *v)
{
	struct rng r;
	rng_seed(&r, seed, t->name);
	vars_set(v, "seed", (long)(seed & 0x7fffffffffffffffUL));
	for (size_t i = 0; i < t->ninputs; i++)
		if (gen_one(&t->inputs[i], dir, &r, v) < 0)
			return error_prefix("test '%s': input '%s'", t->name, t->inputs[i].file);
	for (size_t i = 0; t->vars && t->vars[i]; i += 2) {
		long value;
		if (vars_eval(v, t->vars[i + 1], &value) < 0)
			return error_prefix("test '%s': vars: %s", t->name, t->vars[i]);
		vars_set(v, t->vars[i], value);
	}
	return 0;
}
