/*
 * inputs.h - generate a test's inputs from the run's seed.
 *
 * Every random byte and number comes from a generator seeded with the run's
 * seed and the test's name, so `--seed N` replays a run exactly and two tests
 * never share data.  The generated values are published as variables
 * (vars.h) from which the checks compute what they expect.
 */
#ifndef INPUTS_H
#define INPUTS_H

#include "spec.h"
#include "vars.h"

/* A small, fast, well-mixed generator (xoshiro256**). */
struct rng { unsigned long long s[4]; };
void rng_seed(struct rng *r, unsigned long seed, const char *salt);
unsigned long long rng_next(struct rng *r);
/* Uniform in [lo, hi] (lo <= hi). */
long rng_range(struct rng *r, long lo, long hi);

/* Write t's inputs into dir and set their variables in v (plus "seed"),
   then the test's own `vars:`, in order.
   0 or -1 (cannot write: a grader fault). */
int inputs_generate(const struct test *t, const char *dir, unsigned long seed,
		    struct vars *v);

#endif
