#!/bin/sh
# bench_sandbox.sh - what a sandboxed run costs: /bin/true bare, in our
# sandbox at each tier (bench/sandbox_true.c: a whole process, tier probe
# included, as the grader pays it once per run), and in bubblewrap with
# every namespace.  Goal: at most 3x bare, and faster than bubblewrap.
#
#   sh bench/bench_sandbox.sh [RUNS]        (hyperfine; default 100 runs)
#
# Also prints the cost of one more run inside an already started grader
# (sandbox_true -n N), which is what `batch` and multi-test exercises pay.
# The tier is given with sandbox_true -t: an `env` in front would cost
# one more exec, as much as the run itself.
#
# Also times the floor (bench/ns_floor.c): a small static launcher with
# nothing but fork, exec and wait (floor-fork), plus the six namespaces
# and id maps (floor-ns), plus a minimal root (floor-ns-root).  What a
# tier costs above its floor is what the sandbox adds: limits, seccomp,
# the keeper, captured output, cgroups, the probe.
#
# Results so far: bench/RESULTS.md (add new ones there, dated).
cd "$(dirname "$0")/.." || exit 2
runs=${1:-100}
out=build/bench
mkdir -p "$out"
sh tests/link_driver.sh "$out/sandbox_true" bench/sandbox_true.c || exit 2
# the floor: a static launcher with nothing but the namespaces (ns_floor.c)
cc -O2 -static -o "$out/ns_floor" bench/ns_floor.c 2>/dev/null ||
	cc -O2 -o "$out/ns_floor" bench/ns_floor.c || exit 2
if ! command -v hyperfine >/dev/null; then
	echo "bench_sandbox: hyperfine is not installed" >&2
	exit 2
fi
set -- -N --warmup 10 --runs "$runs" --export-json "$out/sandbox.json" \
	-n bare '/bin/true'
tiers="basic userns"
[ "$(id -u)" -eq 0 ] && tiers="basic userns root"
for t in $tiers; do
	set -- "$@" -n "sandbox-$t" "$out/sandbox_true -t $t"
done
if command -v bwrap >/dev/null; then
	set -- "$@" -n bubblewrap 'bwrap --ro-bind / / --unshare-all --die-with-parent /bin/true'
fi
set -- "$@" -n floor-fork "$out/ns_floor fork"
for f in ns ns-root; do
	"$out/ns_floor" $f 2>/dev/null && set -- "$@" -n "floor-$f" "$out/ns_floor $f"
done
hyperfine "$@" || exit 1

# ratios to bare, from the medians of wall time, and from the CPU time
# (user + system of every process: less sensitive to a busy machine)
if command -v jq >/dev/null; then
	echo
	echo "                 wall (median)     cpu (user+system, mean)"
	jq -r 'def one: . * 10 | round | tostring | (if length < 2 then "0" + . else . end) |
	                .[:-1] + "." + .[-1:];
	       def pad(n): tostring | . + " " * (n - length);
	       (.results[] | select(.command == "bare")) as $b |
	       .results[] |
	       "  \(.command | pad(14)) \("\(.median * 1000 | one) ms" | pad(8)) \("\(.median / $b.median | one)x" | pad(9))" +
	       "\("\((.user + .system) * 1000 | one) ms" | pad(8)) \((.user + .system) / ($b.user + $b.system) | one)x"' \
		"$out/sandbox.json"
fi
echo
echo "one more run inside a started grader (no process start, no probe):"
for t in $tiers; do
	"$out/sandbox_true" -t $t -n 200
done
