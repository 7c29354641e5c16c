#!/bin/sh
# Grade every reference solution (must get full marks) and every faulty
# submission in tests/submissions/<exercise>/*.c (must get exactly the
# verdict written at its top), e.g.
#   // expect: odd size => wrong answer [file]
#   // expect: crash => signal (SIGSEGV) [exit, stdout]
# Tests not listed must pass.  A line
#   // expect-message: 100 000 numbers => is writing to a full pipe
# also wants that text (fixed, one line) in the test's message in every
# report: the terminal, results.json's output and the JUnit failure.  Gradings run JOBS (default: twice the cores: a grading mostly waits) at a time;
# verdicts come from the trace, so load must not change them.
# Usage: tests/run_submissions.sh [EXERCISE...]
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
jobs=${JOBS:-$(( $(nproc) * 2 ))}

# Grade one file: writes $tmp/<n>.json, .out, .status.  Called via xargs.
if [ "${1:-}" = --grade-one ]; then
	ex=$2 file=$3 out=$4
	build/grader check "$ex" "$file" --json "$out.json" --junit "$out.xml" --quiet \
		>"$out.out" 2>&1
	echo $? >"$out.status"
	exit 0
fi

. tests/verdicts.sh    # verdicts JSON, expected FILE

# "name<TAB>text" for every expect-message line.
expected_messages() {
	sed -n 's|^// expect-message: \(.*\) => \(.*\)$|\1\t\2|p' "$1"
}

# Is every expect-message text of file $1 in the reports $2.{out,json,xml}?
# Prints what is missing.
messages_shown() {
	expected_messages "$1" | while IFS="$(printf '\t')" read -r name text; do
		grep -qF -- "$text" "$2.out" || echo "terminal report lacks: $text"
		jq -r --arg n "$name" '.tests[] | select(.name == $n) | .output' "$2.json" |
			grep -qF -- "$text" || echo "results.json ($name) lacks: $text"
		xmllint --xpath "//testcase[@name=\"$name\"]/failure/text()" "$2.xml" 2>/dev/null |
			sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g' |
			grep -qF -- "$text" || echo "JUnit ($name) lacks: $text"
	done
}

# The work list: "exercise file id" per line.
exercises=${*:-$(ls tests/submissions)}
i=0
for ex in $exercises; do
	for f in solutions/$ex/$ex.c tests/submissions/$ex/*.c; do
		[ -f "$f" ] || continue
		i=$((i + 1))
		echo "$ex $f $tmp/$i"
	done
done >"$tmp/work"
xargs -P "$jobs" -L 1 sh "$0" --grade-one <"$tmp/work"

pass=0 fail=0
while read -r ex f out; do
	st=$(cat "$out.status")
	if [ "$f" = "solutions/$ex/$ex.c" ]; then
		if [ "$st" -eq 0 ]; then pass=$((pass + 1)); echo "ok   $ex: reference solution gets full marks"
		else fail=$((fail + 1)); echo "FAIL $ex: reference solution (exit $st)"; sed 's/^/     /' "$out.out"; fi
		continue
	fi
	expected "$f" | sort >"$out.want"
	if [ ! -s "$out.want" ]; then
		fail=$((fail + 1)); echo "FAIL $f: no '// expect:' line"; continue
	fi
	if [ "$st" -ne 1 ]; then
		fail=$((fail + 1)); echo "FAIL $f: grader exit $st, want 1"; sed 's/^/     /' "$out.out"; continue
	fi
	verdicts "$out.json" | sort >"$out.got"
	messages_shown "$f" "$out" >"$out.missing"
	if [ -s "$out.missing" ]; then
		fail=$((fail + 1)); echo "FAIL $f: a message is not shown"
		sed 's/^/     /' "$out.missing"
	elif cmp -s "$out.want" "$out.got"; then
		pass=$((pass + 1)); echo "ok   $f"
	else
		fail=$((fail + 1)); echo "FAIL $f"
		{ echo "want:"; cat "$out.want"; echo "got:"; cat "$out.got"
		  echo "why (the tests it got wrong):"
		  comm -13 "$out.want" "$out.got" | cut -f1 | while IFS= read -r name; do
			jq -r --arg n "$name" '.tests[] | select(.name == $n) |
				"\(.name): \(.output | split("\n") | .[0:6] | join(" | "))"' "$out.json"
		  done; } | sed 's/^/     /'
	fi
done <"$tmp/work"
echo "submissions: $pass passed, $fail failed"
[ $fail -eq 0 ]
