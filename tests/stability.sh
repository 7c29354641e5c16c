#!/bin/sh
# `make stability`: grade every reference solution and faulty submission
# N times (default 20) while both cores are kept busy, and count how often
# each got its expected verdict.  A flaky verdict is a bug.
# Usage: tests/stability.sh [N] [EXERCISE...]
cd "$(dirname "$0")/.."
n=${1:-20}; [ $# -gt 0 ] && shift
tmp=$(mktemp -d) || exit 2
load_pids=""
for i in $(seq "$(nproc)"); do
	sh -c 'while :; do :; done' & load_pids="$load_pids $!"
done
trap 'kill $load_pids 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
echo "stability: $n rounds with $(nproc) busy loops running"
for round in $(seq "$n"); do
	sh tests/run_submissions.sh "$@" >"$tmp/round.$round" 2>&1
	printf '.'
done
echo
cat "$tmp"/round.* | grep -E '^(ok|FAIL) ' | sed 's/: grader exit.*//; s/ (exit [0-9]*)$//' |
	awk -v n="$n" '{ st=$1; $1=""; key=substr($0,2); total[key]++; if (st=="ok") good[key]++ }
	     END { bad=0; for (k in total) { g=good[k]+0; printf "%3d/%d  %s\n", g, n, k;
	           if (g != n) bad++ } ; printf "stability: %d stable, %d flaky\n", length(total)-bad, bad;
	           }' >"$tmp/table"
grep -v '^stability:' "$tmp/table" | sort -k2
# what the flaky ones got, from the rounds that failed
for f in "$tmp"/round.*; do
	grep -A12 '^FAIL ' "$f" | sed "s|^|$(basename "$f"): |"
done | head -200
grep '^stability:' "$tmp/table"
grep -q ' 0 flaky' "$tmp/table"
