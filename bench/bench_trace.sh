#!/bin/sh
# bench_trace.sh - what the tracer costs: 4 pairs of processes doing 20 000
# one-byte round trips over pipes (bench/pingpong.c), bare, under our tracer
# (tests/trace/driver.c: the tracer without the sandbox), under
# `strace -f` and under `strace -f --seccomp-bpf`, in one hyperfine run.
# Goal: traced at most 1.1x bare.
#
#   sh bench/bench_trace.sh [RUNS]        (from the top directory, after make)
# Writes build/bench/trace.md (hyperfine's markdown table) and prints it.
# Results so far: bench/RESULTS.md (add new ones there, dated).
set -e
runs=${1:-10}
top=$(pwd)
out=$top/build/bench
mkdir -p "$out"
[ -f build/libgrader.a ] && [ -f build/link.flags ] || { echo "run make first" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "bench_trace: hyperfine is not installed" >&2; exit 2; }
cc -O2 -o "$out/pingpong" bench/pingpong.c
sh tests/link_driver.sh "$out/tracedrv" tests/trace/driver.c || exit 2
set -- "$out/pingpong" "$out/tracedrv --quiet -- $out/pingpong"
names="-n bare -n traced"
if command -v strace >/dev/null; then
	set -- "$@" "strace -f -qq -o /dev/null $out/pingpong" \
		"strace -f -qq --seccomp-bpf -o /dev/null $out/pingpong"
	names="$names -n strace-f -n strace-f-seccomp-bpf"
fi
# shellcheck disable=SC2086
hyperfine -N --warmup 2 --runs "$runs" $names --export-markdown "$out/trace.md" "$@"
cat "$out/trace.md"
