#!/bin/sh
# The command line's contract (README.md): exit statuses 0/1/2, the
# reports' options, lint with file:line:column, list, package, trace --json.
set -u
cd "$(dirname "$0")/.."
g=build/grader
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
expect() { # description want-status command...
	what=$1 want=$2; shift 2
	"$@" >"$tmp/out" 2>&1; st=$?
	if [ "$st" -eq "$want" ]; then pass=$((pass + 1)); echo "ok   $what"
	else fail=$((fail + 1)); echo "FAIL $what: exit $st, want $want"; sed 's/^/     /' "$tmp/out" | head -20; fi
}
contains() { # description pattern file
	if grep -q -- "$2" "$3"; then pass=$((pass + 1)); echo "ok   $1"
	else fail=$((fail + 1)); echo "FAIL $1: no '$2' in"; sed 's/^/     /' "$3" | head -20; fi
}

expect "reference half_copy gets full marks" 0 $g check half_copy solutions/half_copy --quiet --json "$tmp/full.json"
contains "results.json has a score" '"score"' "$tmp/full.json"
expect "the starter stub is graded, not full marks" 1 $g check half_copy exercises/half_copy/half_copy.c --quiet
expect "a submission that does not compile is graded" 1 $g check half_copy tests/cli/syntax_error.c --quiet --markdown "$tmp/ce.md"
contains "compile error is reported" "compile error" "$tmp/out"
contains "markdown: a compile error has its section" "^### ❌ Compile error$" "$tmp/ce.md"
expect "a submission without the student file is graded" 1 $g check half_copy tests/cli --quiet
contains "missing file lists what the submission held" "syntax_error.c" "$tmp/out"
mkdir -p "$tmp/broken" && cp tests/specs/broken.yaml "$tmp/broken/spec.yaml"
expect "check with a broken spec exits 2" 2 $g check "$tmp/broken" solutions/half_copy
contains "broken spec error names file:line:column" 'spec.yaml:[0-9][0-9]*:[0-9][0-9]*:' "$tmp/out"
expect "lint of a broken spec fails" 1 $g lint tests/specs/broken.yaml
contains "lint names file:line:column" 'broken.yaml:[0-9][0-9]*:[0-9][0-9]*:' "$tmp/out"
for ex in exercises/*/; do
	expect "lint $ex" 0 $g lint "$ex/spec.yaml"
done
expect "lint --explain" 0 $g lint --explain
contains "lint --explain lists the checks with their keys" '^  max_in_flight  *integer' "$tmp/out"
# (exercises/README.md documents every check and key: tests/run_docs.sh)
# a spec's hint: shown under its check's failure in every report
cp -r exercises/half_copy "$tmp/hinted"
awk '{print} /- stdout: "half_copy returned 0\\n"/ && !done {print "        hint: \"return 0 once both halves are copied\""; done=1}' \
	exercises/half_copy/spec.yaml >"$tmp/hinted/spec.yaml"
expect "check with a hint in the spec" 1 $g check "$tmp/hinted" exercises/half_copy/half_copy.c \
	--json "$tmp/hint.json" --html "$tmp/hint.html" --junit "$tmp/hint.xml"
contains "terminal: the hint under the failed check" "^ *hint: return 0 once both halves are copied$" "$tmp/out"
contains "json: the hint in the test's output" "hint: return 0 once both halves are copied" "$tmp/hint.json"
contains "html: the hint in the check's message" "hint: return 0 once both halves are copied" "$tmp/hint.html"
contains "junit: the hint in the failure" "hint: return 0 once both halves are copied" "$tmp/hint.xml"
# selftest: the reference, the stub and each faulty submission's header,
# in a copy of the project with two honest submissions and one that lies
p=$tmp/proj
mkdir -p "$p/exercises" "$p/solutions" "$p/tests/submissions/half_copy"
cp -r exercises/half_copy "$p/exercises/" && cp -r solutions/half_copy "$p/solutions/"
cp tests/submissions/half_copy/odd_split.c tests/submissions/half_copy/wrong_return.c "$p/tests/submissions/half_copy/"
sed 's|^// expect: one byte => .*|// expect: one byte => signal (SIGSEGV) [exit]|' \
	tests/submissions/half_copy/wrong_return.c >"$p/tests/submissions/half_copy/lie.c"
expect "selftest with a lying header" 1 $g selftest "$p/exercises/half_copy" -j 2
contains "selftest: the reference gets full marks" "^ok   solutions/half_copy: the reference gets full marks" "$tmp/out"
contains "selftest: the stub does not" "^ok   exercises/half_copy: the starter stub does not get full marks" "$tmp/out"
contains "selftest: an honest header" "^ok   tests/submissions/half_copy/odd_split.c$" "$tmp/out"
contains "selftest: the lying header fails" "^FAIL tests/submissions/half_copy/lie.c$" "$tmp/out"
contains "selftest: what the header wanted" "one byte => signal (SIGSEGV) => exit" "$tmp/out"
rm "$p/tests/submissions/half_copy/lie.c"
expect "selftest when every verdict is as its header says" 0 $g selftest "$p/exercises/half_copy" -j 2
# an instructor's build mistake is exit 2, never every student's compile error
sed 's|cflags: \[|cflags: [-fno-such-flag, |' exercises/half_copy/spec.yaml >"$p/exercises/half_copy/spec.yaml"
expect "selftest: a reference that does not compile" 2 $g selftest "$p/exercises/half_copy"
contains "selftest says the reference does not compile" "does not compile" "$tmp/out"
expect "check refuses an exercise whose reference does not compile" 2 env XDG_CACHE_HOME="$tmp/cache" \
	$g check "$p/exercises/half_copy" solutions/half_copy --quiet
contains "check names the build mistake" "reference.*does not compile.*no-such-flag" "$tmp/out"
expect "batch refuses it too" 2 env XDG_CACHE_HOME="$tmp/cache" \
	$g batch "$p/exercises/half_copy" solutions/half_copy -o "$tmp/refused"
cp exercises/half_copy/spec.yaml "$p/exercises/half_copy/spec.yaml"
expect "check grades again once the spec is right" 0 env XDG_CACHE_HOME="$tmp/cache" \
	$g check "$p/exercises/half_copy" solutions/half_copy --quiet
if ls "$tmp/cache/grader/" 2>/dev/null | grep -q '^reference-half_copy-'; then pass=$((pass + 1)); echo "ok   the reference's build is cached"
else fail=$((fail + 1)); echo "FAIL no cache entry in $tmp/cache/grader"; fi
# the harness compiled once (grader/build.h): cached by a hash of its
# files, the cflags and the compiler, reused, compiled again on a change
oc=$tmp/objcache
entries() { ls -d "$oc"/grader/objects-half_copy-* 2>/dev/null | wc -l; }
expect "check with an empty object cache" 0 env XDG_CACHE_HOME="$oc" $g check half_copy solutions/half_copy --quiet
check_count() { # description want
	if [ "$(entries)" -eq "$2" ]; then pass=$((pass + 1)); echo "ok   $1"
	else fail=$((fail + 1)); echo "FAIL $1: $(entries) cached harness builds, want $2"; ls "$oc/grader"; fi
}
check_count "the harness's objects are cached" 1
obj=$(ls "$oc"/grader/objects-half_copy-*/.objects/harness/main.c.o)
sed 's/half_copy returned %d/cached harness %d/' exercises/half_copy/harness/main.c >"$tmp/other_main.c"
cc -std=gnu11 -O0 -g -Wall -Iexercises/half_copy -Iexercises -c "$tmp/other_main.c" -o "$obj"
expect "check links the cached object (here another harness's)" 1 env XDG_CACHE_HOME="$oc" \
	$g check half_copy solutions/half_copy --quiet
rm -rf "$oc"
expect "check with the cache rebuilt" 0 env XDG_CACHE_HOME="$oc" $g check half_copy solutions/half_copy --quiet
cp -r exercises/half_copy "$tmp/hc_copy"
expect "an unchanged copy of the exercise" 0 env XDG_CACHE_HOME="$oc" $g check "$tmp/hc_copy" solutions/half_copy --quiet
check_count "an unchanged copy uses the same objects" 1
echo "/* changed */" >>"$tmp/hc_copy/harness/main.c"
expect "a changed harness" 0 env XDG_CACHE_HOME="$oc" $g check "$tmp/hc_copy" solutions/half_copy --quiet
check_count "a changed harness is compiled again" 2
sed -i 's|cflags: \[|cflags: [-DCHANGED, |' "$tmp/hc_copy/spec.yaml"
expect "changed cflags" 0 env XDG_CACHE_HOME="$oc" $g check "$tmp/hc_copy" solutions/half_copy --quiet
check_count "changed cflags compile it again" 3
printf '#include "half_copy.h"\nint main(void) { return 0; }\nint half_copy(const char *a, const char *b, const char *c) { (void)a; (void)b; (void)c; return 0; }\n' \
	>"$tmp/half_copy.c"
expect "a student's main beside the harness's is graded" 1 env XDG_CACHE_HOME="$oc" $g check half_copy "$tmp/half_copy.c"
contains "a symbol the harness defines too is a compile error" "^compile error:" "$tmp/out"
contains "the linker says which" "multiple definition of .main" "$tmp/out"
# a harness that includes the student's file cannot be compiled apart: the
# whole build, as one command, every time
cp -r exercises/half_copy "$tmp/hc_incl"
sed -i 's|sources: \[half_copy.c, harness/main.c\]|sources: [harness/main.c]|' "$tmp/hc_incl/spec.yaml"
sed -i 's|#include "half_copy.h"|#include "half_copy.c"|' "$tmp/hc_incl/harness/main.c"
expect "a harness that includes the student's file" 0 env XDG_CACHE_HOME="$oc" $g check "$tmp/hc_incl" solutions/half_copy --quiet
expect "... and without a cache folder" 0 env -u HOME -u XDG_CACHE_HOME $g check half_copy solutions/half_copy --quiet
expect "batch --help" 0 $g batch --help
contains "batch --help says what the default of -j is" "Default: one per CPU" "$tmp/out"
expect "batch -j 0 is a usage error" 2 $g batch half_copy solutions/half_copy -o "$tmp/j0" -j 0
# grader new: a skeleton that passes selftest and the statements' style
np=$tmp/newproj
mkdir -p "$np/exercises" "$np/tests" && cp exercises/GLOSSARY.zh.md "$np/exercises/" && cp tests/zh_style.sh "$np/tests/"
expect "new demo_ex" 0 env GRADER_EXERCISES="$np/exercises" $g new demo_ex
for f in exercises/demo_ex/README.md exercises/demo_ex/README.zh.md exercises/demo_ex/demo_ex.h \
	 exercises/demo_ex/demo_ex.c exercises/demo_ex/harness/main.c exercises/demo_ex/spec.yaml \
	 solutions/demo_ex/demo_ex.c tests/submissions/demo_ex/wrong_count.c; do
	if [ -f "$np/$f" ]; then pass=$((pass + 1)); echo "ok   new wrote $f"
	else fail=$((fail + 1)); echo "FAIL new did not write $f"; fi
done
contains "new: the harness includes harness.h" '^#include "harness.h"$' "$np/exercises/demo_ex/harness/main.c"
expect "the new exercise passes selftest" 0 env GRADER_EXERCISES="$np/exercises" $g selftest demo_ex -j 2
contains "selftest of the new exercise: its faulty submission" "^ok   tests/submissions/demo_ex/wrong_count.c$" "$tmp/out"
expect "the new exercise's statements keep the glossary's style" 0 sh "$np/tests/zh_style.sh"
expect "new refuses an exercise that exists" 2 env GRADER_EXERCISES="$np/exercises" $g new demo_ex
expect "new refuses a name that is not a C identifier" 2 env GRADER_EXERCISES="$np/exercises" $g new 2-bad
# package student: the task, the stub, the visible tests and what builds
# the grader; no hidden test, no reference, no faulty submission
cp -r Makefile grader "$np/" && cp exercises/harness.h "$np/exercises/" && cp tests/deps.sh tests/ld_quiet.awk "$np/tests/"
expect "package student" 0 env GRADER_EXERCISES="$np/exercises" $g package student demo_ex -o "$tmp/handout.zip"
unzip -l "$tmp/handout.zip" | awk 'NR > 3 {print $4}' >"$tmp/handout.list"
for f in README.md Makefile grader/main.c exercises/harness.h exercises/demo_ex/README.md \
	 exercises/demo_ex/README.zh.md exercises/demo_ex/demo_ex.h exercises/demo_ex/demo_ex.c \
	 exercises/demo_ex/harness/main.c exercises/demo_ex/spec.yaml; do
	contains "handout has $f" "^$f\$" "$tmp/handout.list"
done
if grep -q "^solutions/\|^tests/submissions\|wrong_count\|^setup.sh\|^run_autograder" "$tmp/handout.list"; then
	fail=$((fail + 1)); echo "FAIL the handout holds what students must not see:"; cat "$tmp/handout.list"
else pass=$((pass + 1)); echo "ok   the handout has no solution, faulty submission or Gradescope script"; fi
unzip -p "$tmp/handout.zip" exercises/demo_ex/spec.yaml >"$tmp/handout.yaml"
contains "handout spec keeps the visible test" "name: three children" "$tmp/handout.yaml"
if grep -q "one child\|hidden" "$tmp/handout.yaml"; then fail=$((fail + 1)); echo "FAIL the handout spec has the hidden test"
else pass=$((pass + 1)); echo "ok   the handout spec has no hidden test"; fi
mkdir -p "$tmp/ho/exercises/demo_ex" && unzip -p "$tmp/handout.zip" exercises/demo_ex/spec.yaml >"$tmp/ho/exercises/demo_ex/spec.yaml"
cp -r "$np/exercises/demo_ex/harness" "$np/exercises/demo_ex/demo_ex.c" "$np/exercises/demo_ex/demo_ex.h" "$tmp/ho/exercises/demo_ex/"
expect "the handout's spec grades the reference on the visible tests" 0 \
	$g check "$tmp/ho/exercises/demo_ex" "$np/solutions/demo_ex" --json "$tmp/ho.json" --quiet
contains "one test graded from the handout" '"max_score": *1' "$tmp/ho.json"
expect "list" 0 $g list
contains "list names half_copy" "half_copy" "$tmp/out"
contains "list names the sandbox tier" "sandbox:" "$tmp/out"
expect "unknown exercise exits 2" 2 $g check no_such_exercise .
expect "unknown command exits 2" 2 $g frobnicate
expect "check without arguments exits 2" 2 $g check
expect "same seed replays: first run" 0 $g check half_copy solutions/half_copy --quiet --seed 42 --json "$tmp/a.json"
expect "same seed replays: second run" 0 $g check half_copy solutions/half_copy --quiet --seed 42 --json "$tmp/b.json"
contains "seed recorded in results.json" '42' "$tmp/a.json"
expect "junit, html and markdown reports" 1 $g check half_copy exercises/half_copy/half_copy.c --quiet \
	--junit "$tmp/j.xml" --html "$tmp/r.html" --markdown "$tmp/s.md"
contains "junit has failures" "<failure" "$tmp/j.xml"
contains "html has an svg timeline" "<svg" "$tmp/r.html"
contains "markdown has the score" "^## half_copy: [0-9][0-9]*/[0-9][0-9]*$" "$tmp/s.md"
contains "markdown has a row per test" "^| ❌ .* | [0-9][0-9]*/[0-9][0-9]* |$" "$tmp/s.md"
contains "markdown has a section per failing test" "^### ❌ " "$tmp/s.md"
expect "markdown to a folder that is not there exits 2" 2 $g check half_copy solutions/half_copy --quiet \
	--markdown "$tmp/no/such/dir/s.md"
# a test's visibility and tags reach results.json; the top-level output
# counts only the tests shown at once
mkdir -p "$tmp/ex" && cp -r exercises/half_copy "$tmp/ex/" &&
	sed -i 's/^  - name: odd size$/&\n    visibility: hidden\n    tags: [sizes, odd]/' "$tmp/ex/half_copy/spec.yaml"
expect "a spec with tags and a hidden test" 0 $g check "$tmp/ex/half_copy" solutions/half_copy --quiet --json "$tmp/tags.json"
expect "results.json: the hidden test keeps its visibility and tags" 0 jq -e \
	'.tests[] | select(.name == "odd size") | .visibility == "hidden" and .tags == ["sizes", "odd"]' "$tmp/tags.json"
expect "results.json: the output counts only the tests shown at once" 0 jq -e \
	'(.tests | length) as $n | .output | contains("(\($n - 1) of \($n - 1) tests passed)\n1 more test is shown later")' "$tmp/tags.json"
expect "package gradescope" 0 $g package gradescope half_copy -o "$tmp/ag.zip"
unzip -l "$tmp/ag.zip" >"$tmp/zip.txt" 2>&1
contains "zip has setup.sh at its root" " setup.sh$" "$tmp/zip.txt"
contains "zip has run_autograder at its root" " run_autograder$" "$tmp/zip.txt"
contains "zip has the spec" " exercises/half_copy/spec.yaml$" "$tmp/zip.txt"
# libarchive is loaded on first use: when it cannot be (here a broken copy,
# found first through LD_LIBRARY_PATH), an archive is not graded but the
# grader fails (exit 2) saying what to install; a C file needs no libarchive.
mkdir -p "$tmp/nolib" "$tmp/zipped" && : >"$tmp/nolib/libarchive.so.13"
cp solutions/half_copy/half_copy.c "$tmp/zipped/"
(cd "$tmp/zipped" && zip -q ../sub.zip half_copy.c)
expect "a zip submission is graded" 0 $g check half_copy "$tmp/sub.zip" --quiet
expect "a zip without libarchive exits 2" 2 \
	env LD_LIBRARY_PATH="$tmp/nolib" $g check half_copy "$tmp/sub.zip" --quiet
contains "without libarchive, says what to install" "install the Debian package libarchive13" "$tmp/out"
expect "a C file without libarchive is graded" 0 \
	env LD_LIBRARY_PATH="$tmp/nolib" $g check half_copy solutions/half_copy/half_copy.c --quiet
expect "batch of one zip without libarchive exits 2" 2 \
	env LD_LIBRARY_PATH="$tmp/nolib" $g batch half_copy "$tmp/sub.zip" -o "$tmp/nolib-batch"
expect "package without libarchive exits 2" 2 \
	env LD_LIBRARY_PATH="$tmp/nolib" $g package gradescope half_copy -o "$tmp/nolib.zip"
: >"$tmp/nolib/libZydis.so.4.0"
expect "list without a loadable Zydis" 0 env LD_LIBRARY_PATH="$tmp/nolib" $g list
contains "without Zydis, list says race provocation single-steps" "^race provocation: single steps" "$tmp/out"
expect "trace --json of a shell pipeline" 0 sh -c "cd '$tmp' && '$PWD/$g' trace --json t.json -- /bin/sh -c 'echo hi | cat'"
contains "trace json has fork events" '"event": *"fork"' "$tmp/t.json"
contains "trace json has exec events" '"event": *"exec"' "$tmp/t.json"
# --pipe-writes: each write into a pipe is an event with its bytes and lines
expect "trace --pipe-writes of a shell pipeline" 0 sh -c "cd '$tmp' && '$PWD/$g' trace --pipe-writes --json pw.json -- /bin/sh -c 'printf \"a\\nb\\n\" | cat'"
contains "trace --pipe-writes prints the write into the pipe" "write pipe:\[[0-9]*\] (4 bytes, 2 line ends, the last at the end)" "$tmp/out"
contains "trace --pipe-writes: in the json too" '"pipe": *true, *"lines": *2' "$tmp/pw.json"
# trace passes its standard input on, as strace does: a file, a pipe
mkdir "$tmp/in" && printf 'one\ntwo\nthree\n' >"$tmp/in/list"
expect "trace with stdin from a file" 0 sh -c "cd '$tmp/in' && '$PWD/$g' trace -- xargs -n1 echo <list >out"
contains "trace: xargs read the file (echo ran once per line)" "^three$" "$tmp/in/out"
contains "trace: three echo children" "child #3" "$tmp/in/out"
expect "trace with stdin from a pipe" 0 sh -c "cd '$tmp/in' && cat list | '$PWD/$g' trace -- cat >pout"
contains "trace: the pipe reached the program" "^two$" "$tmp/in/pout"
# a crash in a graded test: the report says where (lines from the sources)
sub=tests/submissions/half_copy
at() { grep -n -- "$2" "$sub/$1" | head -1 | cut -d: -f1; }
expect "a submission that crashes is graded" 1 $g check half_copy "$sub/null_deref.c"
contains "the report names the crash's function and line, and the caller's" \
	"the program was killed by SIGSEGV (address 0x0) in measure() at half_copy.c:$(at null_deref.c 'crash:'), called from half_copy() at half_copy.c:$(at null_deref.c 'measure(src) < 0'), called from main() at main.c:" "$tmp/out"
expect "a submission whose child crashes is graded" 1 $g check half_copy "$sub/child_crash.c"
contains "the report names the child's crash" \
	"child #1 (of the program) was killed by SIGSEGV (address 0x0) in fill() at half_copy.c:$(at child_crash.c 'crash:'), called from half_copy() at half_copy.c:$(at child_crash.c 'fill(16)')," "$tmp/out"
# a child's crash: where, from the program's debug information, in the
# printed trace and on the child's exit event of --json
cc -O0 -g -o "$tmp/crash" tests/trace/crash.c
line=$(grep -n 'here: segv \*/' tests/trace/crash.c | cut -d: -f1)
expect "trace of a program whose child crashes" 0 sh -c "cd '$tmp' && '$PWD/$g' trace --json c.json -- ./crash child"
contains "trace names the child's crash: function and line" \
	"^crash: child #1 (of the program) (thread [0-9]*) was killed by SIGSEGV (address 0x0) in deref() at crash.c:$line," "$tmp/out"
jq -r 'select(.event == "exit" and .crash) | "\(.proc) \(.crash.signal) \(.crash.frames[0].function) \(.crash.frames[0].file):\(.crash.frames[0].line)"' \
	"$tmp/c.json" >"$tmp/crash.txt"
contains "trace json: the crash on the child's exit event" "^1 SIGSEGV deref crash.c:$line\$" "$tmp/crash.txt"
# killed at a limit: the deaths are the kill's, no "orphaned" events (the
# order of the deaths varies: without tracer_killing() most runs had some)
for i in 1 2 3 4 5; do
	(cd "$tmp" && "$OLDPWD/$g" trace --json "k$i.json" -- /bin/sh -c 'sleep 30 & sleep 30 & sleep 30 & exec yes') >/dev/null 2>&1
done
if cat "$tmp"/k[1-5].json | grep -q '"event": *"orphan'; then
	fail=$((fail + 1)); echo "FAIL a tree killed at its output limit shows orphan events"
else
	pass=$((pass + 1)); echo "ok   a tree killed at its output limit shows no orphan events"
fi
# On a terminal 30 columns wide, the progress line is cut to 29: a line
# that wraps is not erased by the next (script(1) gives the grader a tty).
script -qec "stty cols 30 rows 10; $g check half_copy solutions/half_copy" /dev/null \
	>"$tmp/tty.out" 2>&1
if python3 -c '
import sys
s = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
segs = [x.split("\r")[0].split("\n")[0] for x in s.split("\r\x1b[K")[1:-1]]  # the last: the report
sys.exit(0 if len(segs) > 5 and max(map(len, segs)) <= 29 else 1)' "$tmp/tty.out"; then
	pass=$((pass + 1)); echo "ok   the progress line fits a 30-column terminal"
else
	fail=$((fail + 1)); echo "FAIL the progress line wraps on a 30-column terminal"
fi
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
