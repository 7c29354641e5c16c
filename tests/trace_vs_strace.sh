#!/bin/sh
# trace_vs_strace.sh - hold the tracer against `strace -f` on real programs
# nobody here wrote: a shell pipeline, `make -j2` compiling C files with gcc,
# `xargs -P3`, and python3 running a multiprocessing Pool.  For each, the
# number of processes created and the number of successful execs must agree.
#
#   sh tests/trace_vs_strace.sh            (from the top directory, after make)
#
# Our side: `build/grader trace --json` when it works here, else the bare
# driver tests/trace/driver.c (the tracer without the sandbox); TRACER=driver
# or TRACER=grader forces one.  strace's side: `strace -f -ff` (one file per
# task, so no call is split across lines), counting clone/clone3 without
# CLONE_THREAD, fork and vfork that returned a pid, and execve/execveat that
# returned 0.  Needs strace and jq.
set -u
top=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/trace-vs-strace-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

for tool in strace jq cc; do
	command -v $tool >/dev/null || { echo "trace_vs_strace: $tool is missing" >&2; exit 2; }
done

# ---- our tracer ----
tracer=${TRACER:-}
if [ -z "$tracer" ]; then
	if [ -x build/grader ] && (cd "$tmp" && "$top/build/grader" trace --json "$tmp/probe.jsonl" \
			-- /bin/true >/dev/null 2>&1) && [ -s "$tmp/probe.jsonl" ]; then
		tracer=grader
	else
		tracer=driver
	fi
fi
if [ "$tracer" = driver ]; then
	sh tests/link_driver.sh "$tmp/tracedrv" tests/trace/driver.c || exit 2
fi
echo "our side: $tracer"

# ours DIR JSONL CMD...: run CMD in DIR under our tracer
ours() {
	dir=$1 json=$2
	shift 2
	if [ "$tracer" = grader ]; then
		(cd "$dir" && "$top/build/grader" trace --json "$json" -- "$@" >/dev/null 2>&1)
	else
		(cd "$dir" && "$tmp/tracedrv" --quiet --json "$json" -- "$@" >/dev/null 2>&1)
	fi
}

# theirs DIR PREFIX CMD...: run CMD in DIR under strace -f -ff
theirs() {
	dir=$1 prefix=$2
	shift 2
	(cd "$dir" && strace -f -ff -qq -e trace=clone,clone3,fork,vfork,execve,execveat \
		-o "$prefix" "$@" >/dev/null 2>&1)
}

# counts of processes created and successful execs from strace's files
strace_counts() {
	cat "$1".* | awk '
		/^(clone|clone3)\(/ && !/CLONE_THREAD/ && / = [0-9]+/ { forks++ }
		/^v?fork\(/ && / = [0-9]+/ { forks++ }
		/^execve(at)?\(/ && / = 0$/ { execs++ }
		END { printf "%d %d\n", forks, execs }'
}

ours_counts() {
	jq -rs '[([.[] | select(.event == "fork")] | length),
		 ([.[] | select(.event == "exec" and .ret == 0)] | length)] | "\(.[0]) \(.[1])"' "$1"
}

# compare NAME DIR CMD...
compare() {
	name=$1 dir=$2
	shift 2
	ours "$dir" "$tmp/$name.jsonl" "$@"
	theirs "$dir" "$tmp/$name.strace" "$@"
	o=$(ours_counts "$tmp/$name.jsonl")
	s=$(strace_counts "$tmp/$name.strace")
	if [ "$o" = "$s" ]; then
		echo "ok   $name: processes created, execs: $o"
	else
		echo "FAIL $name: ours (created, execs) = $o, strace = $s"
		fail=1
	fi
}

# 1. a shell pipeline
mkdir -p "$tmp/pipe"
compare pipeline "$tmp/pipe" /bin/sh -c 'seq 1 2000 | grep 7 | sort -r | head -n 3 >/dev/null'

# 2. make -j2 compiling a few C files with gcc (cleaned between the two runs)
mk="$tmp/make"
mkdir -p "$mk"
for i in 1 2 3 4; do
	printf 'int f%d(int x) { return x * %d; }\n' $i $i > "$mk/f$i.c"
done
printf 'int f1(int);\nint main(void) { return f1(0); }\n' > "$mk/main.c"
printf 'OBJ = main.o f1.o f2.o f3.o f4.o\nprog: $(OBJ)\n\tcc -o prog $(OBJ)\n%%.o: %%.c\n\tcc -O0 -c $<\nclean:\n\trm -f prog *.o\n' \
	> "$mk/Makefile"
ours "$mk" "$tmp/make.jsonl" make -s -j2
make -s -C "$mk" clean >/dev/null
theirs "$mk" "$tmp/make.strace" make -s -j2
o=$(ours_counts "$tmp/make.jsonl")
s=$(strace_counts "$tmp/make.strace")
if [ "$o" = "$s" ]; then
	echo "ok   make -j2: processes created, execs: $o"
else
	echo "FAIL make -j2: ours (created, execs) = $o, strace = $s"
	fail=1
fi

# 3. xargs -P3
mkdir -p "$tmp/xargs"
compare xargs "$tmp/xargs" /bin/sh -c 'seq 1 9 | xargs -P3 -n1 sh -c "echo \$0 >/dev/null"'

# 4. python3 multiprocessing Pool (the system's interpreter, which the
#    sandbox's root shows; else the real one behind a shim such as pyenv's)
py=/usr/bin/python3
[ -x "$py" ] || py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
if [ -n "$py" ]; then
	mkdir -p "$tmp/py"
	cat > "$tmp/py/pool.py" <<'EOF'
import multiprocessing as mp
def sq(x):
    return x * x
if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(3) as p:
        assert sum(p.map(sq, range(100))) == 328350
EOF
	compare python-pool "$tmp/py" "$py" pool.py
else
	echo "skip python-pool: no python3"
fi

exit $fail
