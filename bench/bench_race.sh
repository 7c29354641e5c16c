#!/bin/sh
# bench_race.sh - what a race-provoked trial costs, and whether it finds
# the race: the bank exercise's `race:` test (2 children x 100 operations
# on a balance in shared memory) with the reference solution (a semaphore:
# the output must always be right) and two racy submissions of tests/
# (no lock; a home-made test-then-set lock: the output must be wrong),
# one trial per seed, first on a quiet machine, then with both cores kept
# busy.  Goal (issue 4): about 100 ms a trial; races caught in at least 99%
# of the trials, no false alarm.
#
#   sh bench/bench_race.sh [SEEDS]        (default 20 seeds per line)
#
# Results so far: bench/RESULTS.md (add new ones there, dated).
cd "$(dirname "$0")/.." || exit 2
seeds=${1:-20}
out=build/bench/race
mkdir -p "$out"
sh tests/link_driver.sh build/bench/race_trial bench/race_trial.c || exit 2

# the inputs: 100 deposits and 100 withdrawals, fixed
awk 'BEGIN { srand(7); for (i = 0; i < 100; i++) print int(rand() * 1000) + 1 }' >"$out/dep.txt"
awk 'BEGIN { srand(8); for (i = 0; i < 100; i++) print int(rand() * 1000) + 1 }' >"$out/wd.txt"
expected="bank_run returned $(awk -v d="$out/dep.txt" -v w="$out/wd.txt" 'BEGIN {
	s = 5; while ((getline x < d) > 0) s += x; while ((getline x < w) > 0) s -= x; print s }')"

# the exercise's build (exercises/bank/spec.yaml), one scratch per submission
for sub in reference:solutions/bank/bank.c lockless:tests/submissions/bank/lockless.c \
	   broken_lock:tests/submissions/bank/broken_lock.c; do
	name=${sub%%:*}
	mkdir -p "$out/$name"
	cp "$out/dep.txt" "$out/wd.txt" "$out/$name/"
	cc -std=gnu11 -O0 -g -pthread -iquote exercises/bank -o "$out/$name/harness" \
		"${sub#*:}" exercises/bank/harness/main.c -pthread -lrt || exit 2
done

trials() {
	for name in reference lockless broken_lock; do
		build/bench/race_trial "$name" "$out/$name" "$expected" 1 "$seeds" -- \
			./harness run 5 dep.txt wd.txt || return 2
	done
}

echo "race provocation, bank (expected output of every trial: $expected)"
echo "quiet machine:"
trials || exit 2
echo "both cores busy (two busy loops):"
sh -c 'while :; do :; done' & l1=$!
sh -c 'while :; do :; done' & l2=$!
trap 'kill $l1 $l2 2>/dev/null' EXIT INT TERM
trials
