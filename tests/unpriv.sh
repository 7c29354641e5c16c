#!/bin/sh
# unpriv.sh - the sandbox as an ordinary user (run as root: `make test`
# does it when root).  Creates a throwaway user if needed and runs the
# sandbox suite, every hostile attack included, at the tiers an ordinary
# user gets: user namespaces (when the kernel allows them) and basic
# (setsid + subreaper + rlimits + seccomp + Landlock).
cd "$(dirname "$0")/.." || exit 2
user=${GRADER_TEST_USER:-grader-unpriv}
if [ "$(id -u)" -ne 0 ]; then
	echo "unpriv: run as root (it switches to an ordinary user itself)" >&2
	exit 2
fi
if [ ! -x build/check_suites ]; then
	echo "unpriv: build/check_suites is missing (make build/check_suites)" >&2
	exit 2
fi
if ! id "$user" >/dev/null 2>&1; then
	useradd --system --no-create-home --shell /usr/sbin/nologin "$user" || exit 2
fi
# the user needs to read the tree (tests/hostile) and run the test binary
if ! runuser -u "$user" -- test -r tests/hostile/spin.c -a -x build/check_suites; then
	echo "unpriv: $user cannot read $(pwd); make the checkout world-readable" >&2
	exit 2
fi
scratch=$(mktemp -d /tmp/grader-unpriv-XXXXXX) || exit 2
chown "$user" "$scratch"
failed=""
for tier in userns basic; do
	echo "--- as $user, sandbox tier forced: $tier"
	runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$scratch" TMPDIR="$scratch" \
		GRADER_SANDBOX=$tier GRADER_HOSTILE=all HOSTILE_VERBOSE=1 \
		build/check_suites sandbox || failed="$failed $tier"
done
# The whole grader as an ordinary user: what a student runs on a laptop.
for tier in userns basic; do
	for case in "half_copy solutions/half_copy/half_copy.c 0" \
		    "half_copy tests/submissions/half_copy/no_wait.c 1"; do
		set -- $case
		runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$scratch" TMPDIR="$scratch" \
			GRADER_SANDBOX=$tier build/grader check "$1" "$2" --quiet >"$scratch/out" 2>&1
		st=$?
		if [ $st -eq "$3" ]; then
			echo "ok   as $user, tier $tier: grader check $1 $2 exits $st"
		else
			echo "FAIL as $user, tier $tier: grader check $1 $2 exits $st, want $3"
			sed 's/^/     /' "$scratch/out"
			failed="$failed grade-$tier"
		fi
	done
done
# Race provocation unprivileged (breakpoints, CPU pinning): the bank test
# under a provoked interleaving passes the reference and catches no lock.
for tier in userns basic; do
	for case in "solutions/bank/bank.c PASS" "tests/submissions/bank/lockless.c FAIL"; do
		set -- $case
		runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$scratch" TMPDIR="$scratch" \
			GRADER_SANDBOX=$tier build/grader check bank "$1" >"$scratch/out" 2>&1
		if grep -q "^  $2  bank_run under provoked interleaving" "$scratch/out"; then
			echo "ok   as $user, tier $tier: bank $1: $2 under provoked interleaving"
		else
			echo "FAIL as $user, tier $tier: bank $1: want $2 under provoked interleaving"
			sed 's/^/     /' "$scratch/out"
			failed="$failed race-$tier"
		fi
	done
done
# The tracer's injections unprivileged: signals the grader sends at the
# worst moment (signals), pipe writes traced (pipe_fan_in), a paced marker
# (shared_array): each faulty submission gets exactly its expect lines.
. tests/verdicts.sh
for tier in userns basic; do
	for f in signals/check_then_pause pipe_fan_in/stdio_buffered shared_array/wait_one; do
		sub=tests/submissions/$f.c
		runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$scratch" TMPDIR="$scratch" \
			GRADER_SANDBOX=$tier build/grader check "${f%%/*}" "$sub" --quiet \
			--json "$scratch/v.json" >"$scratch/out" 2>&1
		expected "$sub" | sort >"$scratch/want"
		verdicts "$scratch/v.json" | sort >"$scratch/got"
		if cmp -s "$scratch/want" "$scratch/got"; then
			echo "ok   as $user, tier $tier: $sub gets its expected verdicts"
		else
			echo "FAIL as $user, tier $tier: $sub"
			{ echo want:; cat "$scratch/want"; echo got:; cat "$scratch/got"; } | sed 's/^/     /'
			failed="$failed inject-$tier"
		fi
	done
done
left=$(ps -u "$user" -o pid=,args= 2>/dev/null)
if [ -n "$left" ]; then
	echo "unpriv: processes of $user left behind:"
	echo "$left"
	pkill_list=$(ps -u "$user" -o pid=)
	[ -n "$pkill_list" ] && kill -9 $pkill_list 2>/dev/null
	failed="$failed leftovers"
fi
rm -rf "$scratch"
if [ -n "$failed" ]; then
	echo "unpriv: FAILED:$failed"
	exit 1
fi
echo "unpriv: the unprivileged tiers contain every attack"
