#!/bin/sh
# `make bench`: every benchmark in bench/ (each prints its own figures).
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: install hyperfine (apt-get install hyperfine)"; exit 2; }
status=0
for b in bench/bench_*.sh; do
	[ -f "$b" ] || continue
	echo "=== $b"
	sh "$b" || status=1
done
exit $status
