#!/bin/sh
# run_hostile.sh - every hostile submission of tests/hostile/ against every
# sandbox tier this user can have, plain and under the tracer.
#
# Each attack says in its opening comment what it must get (see
# tests/check_sandbox.c, which runs them); on top of that every run is
# checked for leftovers: no process, no file outside its workdir, no
# planted secret in its output, no connection to a local listener.
# The unprivileged tiers as an ordinary user are tests/unpriv.sh.
cd "$(dirname "$0")/.." || exit 2
if [ ! -x build/check_suites ]; then
	echo "run_hostile: build/check_suites is missing (make build/check_suites)" >&2
	exit 2
fi
# a secret in the environment the sandbox inherits: it must not leak
GRADER_HOSTILE_TOKEN="ENV-SECRET-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
export GRADER_HOSTILE_TOKEN
export GRADER_HOSTILE=all HOSTILE_VERBOSE=1 CK_RUN_CASE=hostile

# HOSTILE_TIERS narrows the tiers (make test: root only when root, since
# tests/unpriv.sh covers userns and basic as an ordinary user).
if [ -n "${HOSTILE_TIERS:-}" ]; then
	tiers=$HOSTILE_TIERS
elif [ "$(id -u)" -eq 0 ]; then
	tiers="root userns basic"
else
	tiers="userns basic"
fi
failed=""
for tier in $tiers; do
	echo "--- sandbox tier forced: $tier"
	GRADER_SANDBOX=$tier build/check_suites sandbox || failed="$failed $tier"
done
# nothing may be left over by any of them, anywhere
left=$(ps -eo pid=,args= | grep -F "hostile-" | grep -v -e grep -e run_hostile -e check_suites)
if [ -n "$left" ]; then
	echo "run_hostile: processes left behind:"
	echo "$left"
	failed="$failed leftovers"
fi
if [ -n "$failed" ]; then
	echo "run_hostile: FAILED:$failed"
	exit 1
fi
echo "run_hostile: every attack contained at tiers: $tiers"
