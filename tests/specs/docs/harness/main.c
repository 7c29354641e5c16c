/* Placeholder: spec_load() checks that every build source exists; the spec
   tests (tests/check_spec.c) never compile this. */
int main(void) { return 0; }
