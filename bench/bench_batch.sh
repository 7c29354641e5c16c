#!/bin/sh
# bench_batch.sh - a course-sized batch: N submissions (default 200) of
# each exercise (default half_copy and event_gate), half of them the
# reference solution and half the faulty submissions of
# tests/submissions/<exercise>/ in turn, each in a student folder of a
# temporary class folder, graded by `grader batch` with its default
# settings (jobs, seed) and an empty cache (the harness is compiled as in
# a first batch).  Prints the seconds per submission of each exercise and
# the total, and checks every verdict: each test of each student as the
# `// expect:` lines of the file want it (the reference: all passed), no
# grader error.
# Goal (issue 17, 2 cores): half_copy in at most 60 s, event_gate in at
# most 4 minutes.
#
#   sh bench/bench_batch.sh [N] [EXERCISE...]
#   BATCH_ARGS="-j 8" sh bench/bench_batch.sh 40 event_gate   (other settings)
#
# Results so far: bench/RESULTS.md (add new ones there, dated).
cd "$(dirname "$0")/.." || exit 2
n=${1:-200}; [ $# -gt 0 ] && shift
exercises=${*:-half_copy event_gate}
grader=$PWD/build/grader
. tests/verdicts.sh    # verdicts JSON, expected FILE
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0 total=0
echo "batch of $n per exercise, $(nproc) CPUs, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ex in $exercises; do
	set -- tests/submissions/"$ex"/*.c
	nfaulty=$#
	mkdir -p "$tmp/$ex"
	i=0
	while [ "$i" -lt "$n" ]; do
		if [ $((i % 2)) -eq 0 ]; then src=solutions/$ex/$ex.c kind=ref
		else
			k=$(( (i / 2) % nfaulty + 1 ))
			eval "src=\${$k}"
			kind=$(basename "$src" .c | tr -d _)
		fi
		mkdir -p "$tmp/$ex/s${i}_$kind"
		cp "$src" "$tmp/$ex/s${i}_$kind/$ex.c"
		echo "s${i}_$kind $src" >>"$tmp/$ex.students"
		i=$((i + 1))
	done
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	XDG_CACHE_HOME=$tmp/cache "$grader" batch "$ex" "$tmp/$ex" -o "$tmp/out-$ex" $BATCH_ARGS \
		>"$tmp/$ex.log" 2>&1
	st=$?
	end=$(date +%s.%N)
	secs=$(echo "$end - $start" | bc)
	total=$(echo "$total + $secs" | bc)
	tail -n 1 "$tmp/$ex.log"
	# every test of every student as its file's `// expect:` lines want
	rows=$(($(wc -l <"$tmp/out-$ex/grades.csv") - 1))
	bad=0
	while read -r name src; do
		expected "$src" | sort >"$tmp/want"
		verdicts "$tmp/out-$ex/reports/$name.json" 2>/dev/null | sort >"$tmp/got"
		cmp -s "$tmp/want" "$tmp/got" || { bad=$((bad + 1)); echo "FAIL $name ($src):"
			diff "$tmp/want" "$tmp/got" | sed 's/^/     /' | head -8; }
	done <"$tmp/$ex.students"
	if [ "$st" -ne 0 ] || [ "$bad" -ne 0 ] || [ "$rows" -ne "$n" ]; then
		echo "FAIL $ex: exit $st, $rows rows, $bad students not as expected"
		status=1
	fi
	printf '%-12s %4d submissions %7.1f s  %.2f s per submission\n' "$ex" "$n" "$secs" \
		"$(echo "$secs / $n" | bc -l)"
done
printf 'total        %7.1f s, load after: %s\n' "$total" "$(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
