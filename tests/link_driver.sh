#!/bin/sh
# Build a driver program against the grader's library, linked as the
# grader is (build/link.flags), for the bench and test scripts:
#
#   sh tests/link_driver.sh OUTPUT SOURCE.c
#
# ld's warning that a static dlopen needs the same glibc at run time is
# dropped (tests/ld_quiet.awk; see the Makefile's STATIC_PIE); any other
# message is shown.
[ $# -eq 2 ] || { echo "usage: link_driver.sh OUTPUT SOURCE.c" >&2; exit 2; }
if [ ! -f build/libgrader.a ] || [ ! -f build/link.flags ]; then
	echo "link_driver: build/libgrader.a or build/link.flags is missing (run make)" >&2
	exit 2
fi
err=$(cc -O2 -std=gnu11 -D_GNU_SOURCE -iquote grader -o "$1" "$2" build/libgrader.a \
	$(cat build/link.flags) 2>&1)
status=$?
[ -n "$err" ] && printf '%s\n' "$err" | awk -f tests/ld_quiet.awk >&2
[ $status -eq 0 ] || { echo "link_driver: cannot build $1 from $2" >&2; exit 2; }
