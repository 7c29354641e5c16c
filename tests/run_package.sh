#!/bin/sh
# The Gradescope package, laid out as Gradescope lays it (its autograder
# specification): the zip extracted into ROOT/source, run_autograder copied
# to ROOT/run_autograder, the student's files in ROOT/submission; setup.sh
# builds there once, run_autograder writes ROOT/results/results.json for
# each submission.  ROOT is a temporary folder, named to both scripts by
# AUTOGRADER (they default to /autograder).  The grader is built as on
# Ubuntu 22.04, without Zydis 4 (ZYDIS=): race provocation single-steps,
# and bank's provoked test must still catch tests/submissions/bank/lockless.c.
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
root=$tmp/autograder
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { # description file-to-show
	fail=$((fail + 1)); echo "FAIL $1"; [ -f "$2" ] && sed 's/^/     /' "$2" | tail -20
}
# status: description want-status got-status file-to-show
status() { if [ "$3" -eq "$2" ]; then ok "$1"; else bad "$1: exit $3, want $2" "$4"; fi; }
# json: description jq-expression (true or not) file
json() { if jq -e "$2" "$3" >/dev/null 2>&1; then ok "$1"; else bad "$1: not $2" "$3"; fi; }
# grade FILE: run_autograder on a submission of that one file
grade() {
	rm -rf "$root/submission" "$root/results" && mkdir -p "$root/submission"
	cp "$1" "$root/submission/bank.c"
	(cd "$root" && AUTOGRADER=$root ./run_autograder) >"$tmp/run.log" 2>&1
}
results=$root/results/results.json

build/grader package gradescope bank -o "$tmp/ag.zip" >/dev/null || { echo "FAIL package"; exit 1; }
mkdir -p "$root/source" && unzip -q "$tmp/ag.zip" -d "$root/source" &&
	cp "$root/source/run_autograder" "$root/run_autograder"
for f in setup.sh run_autograder Makefile tests/ld_quiet.awk exercises/harness.h exercises/bank/spec.yaml \
	po/zh_CN.po; do
	if [ -f "$root/source/$f" ]; then ok "the zip has $f at its place"; else bad "the zip has no $f" /dev/null; fi
done

(cd "$root" && AUTOGRADER=$root ZYDIS= bash source/setup.sh) >"$tmp/setup.log" 2>&1
status "setup.sh builds the grader" 0 $? "$tmp/setup.log"
if grep -q "no Zydis 4 headers" "$tmp/setup.log"; then ok "setup.sh notes the build without Zydis"
else bad "setup.sh does not note the build without Zydis" "$tmp/setup.log"; fi
if nm "$root/source/build/grader" 2>/dev/null | grep -q Zydis; then
	bad "the grader built with ZYDIS= still has the decoder" /dev/null
else ok "the grader built with ZYDIS= has no decoder"; fi
if "$root/source/build/grader" list 2>&1 | grep -q "^race provocation: single steps"; then
	ok "grader list says race provocation single-steps"
else bad "grader list does not say race provocation single-steps" /dev/null; fi
if grep -q -- "-Werror" "$tmp/setup.log"; then bad "setup.sh builds with -Werror" "$tmp/setup.log"
else ok "setup.sh builds without -Werror"; fi
if [ -f "$root/source/build/locale/zh_CN/LC_MESSAGES/grader.mo" ]; then ok "setup.sh compiles the Chinese catalogue"
else bad "setup.sh did not compile the Chinese catalogue" "$tmp/setup.log"; fi

grade solutions/bank/bank.c
status "run_autograder grades the reference" 0 $? "$tmp/run.log"
json "the reference gets full marks" '.score > 0 and .score == ([.tests[].max_score] | add)' "$results"
json "every test of the reference passed" 'all(.tests[]; .status == "passed")' "$results"
grade tests/submissions/bank/lockless.c
status "run_autograder grades lockless.c" 0 $? "$tmp/run.log"
json "lockless.c does not get full marks" '.score < ([.tests[].max_score] | add)' "$results"
json "lockless.c fails the provoked test, single-stepped" \
	'.tests[] | select(.name | test("provoked")) | .status == "failed"' "$results"

# grader.lang (package gradescope --lang zh): every report in Chinese,
# what Gradescope reads still English
build/grader package gradescope bank -o "$tmp/zh.zip" --lang zh >/dev/null &&
	unzip -p "$tmp/zh.zip" grader.lang >"$tmp/lang"
if [ "$(cat "$tmp/lang")" = zh ]; then ok "package gradescope --lang zh writes grader.lang"
else bad "package gradescope --lang zh wrote no grader.lang saying zh" "$tmp/lang"; fi
cp "$tmp/lang" "$root/source/grader.lang"
grade tests/submissions/bank/lockless.c
status "run_autograder grades lockless.c in Chinese" 0 $? "$tmp/run.log"
json "grader.lang zh: the output is Chinese" '.output | test("分数")' "$results"
json "grader.lang zh: statuses stay passed/failed" '[.tests[].status] - ["passed", "failed"] == []' "$results"
rm -f "$root/source/grader.lang"

# A grader that cannot grade is never a silent zero: no score, one failed
# test that says why, and run_autograder exits non-zero.
cp "$root/source/exercises/bank/spec.yaml" "$tmp/spec.yaml"
cp tests/specs/broken.yaml "$root/source/exercises/bank/spec.yaml"
grade solutions/bank/bank.c
status "a broken spec: run_autograder exits 2" 2 $? "$tmp/run.log"
json "a broken spec: results.json has no score" 'has("score") | not' "$results"
json "a broken spec: results.json says why (file:line:column)" \
	'.tests[0].status == "failed" and (.tests[0].output | test("spec.yaml:[0-9]+:[0-9]+:"))' "$results"
json "a broken spec: the output says it was not graded" '.output | test("could not be graded")' "$results"
cp "$tmp/spec.yaml" "$root/source/exercises/bank/spec.yaml"
mv "$root/source/build/grader" "$tmp/grader"
grade solutions/bank/bank.c
st=$?
if [ "$st" -ne 0 ]; then ok "no grader: run_autograder exits non-zero ($st)"; else bad "no grader: run_autograder exits 0" "$tmp/run.log"; fi
json "no grader: results.json has no score and says why" \
	'(has("score") | not) and .extra_data.graded == false and (.tests[0].output | test("grader"))' "$results"

# the student's handout builds its grader and checks locally
build/grader package student bank -o "$tmp/handout.zip" >/dev/null || bad "package student" /dev/null
mkdir -p "$tmp/handout" && unzip -q "$tmp/handout.zip" -d "$tmp/handout"
(cd "$tmp/handout" && make -j2 WERROR= ZYDIS=) >"$tmp/handout.log" 2>&1
status "the handout builds the grader" 0 $? "$tmp/handout.log"
(cd "$tmp/handout" && build/grader check bank exercises/bank/bank.c --quiet) >"$tmp/handout.log" 2>&1
status "the handout checks the stub: graded, not full marks" 1 $? "$tmp/handout.log"
(cd "$tmp/handout" && build/grader check bank exercises/bank/bank.c --quiet --lang zh) >"$tmp/handout.log" 2>&1
status "the handout checks in Chinese too" 1 $? "$tmp/handout.log"
if grep -q "分数" "$tmp/handout.log"; then ok "the handout's report is Chinese with --lang zh"
else bad "the handout's report is not Chinese with --lang zh" "$tmp/handout.log"; fi

echo "package: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
