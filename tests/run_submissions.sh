#!/bin/sh
# Grade every reference solution (must get full marks) and every faulty
# submission in tests/submissions/<exercise>/*.c (must get exactly the
# verdict written at its top), e.g.
#   // expect: odd size => wrong answer [file]
#   // expect: crash => signal (SIGSEGV) [exit, stdout]
# Tests not listed must pass.  Usage: tests/run_submissions.sh [EXERCISE...]
set -u
cd "$(dirname "$0")/.."
grader=build/grader
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# "name<TAB>status<TAB>check,check" for every test that did not pass.
verdicts() {
	jq -r '.tests[] | select(.extra_data.status != "passed") |
		[.name, .extra_data.status, (.extra_data.failed_checks | sort | join(","))] | @tsv' "$1"
}

expected() {
	sed -n 's|^// expect: \(.*\) => \(.*\) \[\(.*\)\]$|\1\t\2\t\3|p' "$1" |
	while IFS="$(printf '\t')" read -r name status checks; do
		sorted=$(printf '%s' "$checks" | tr -d ' ' | tr ',' '\n' | grep -v '^$' | sort | paste -sd, -)
		printf '%s\t%s\t%s\n' "$name" "$status" "$sorted"
	done
}

report() { # ok|FAIL what [details-file]
	if [ "$1" = ok ]; then
		pass=$((pass + 1)); echo "ok   $2"
	else
		fail=$((fail + 1)); echo "FAIL $2"; [ -n "${3:-}" ] && sed 's/^/     /' "$3"
	fi
}

grade() { # exercise file json -> exit status of the grader
	"$grader" check "$1" "$2" --json "$3" --quiet >"$tmp/out.txt" 2>&1
}

exercises=${*:-$(ls tests/submissions)}
for ex in $exercises; do
	sol=solutions/$ex/$ex.c
	if [ -f "$sol" ]; then
		grade "$ex" "$sol" "$tmp/r.json"; st=$?
		if [ $st -eq 0 ]; then report ok "$ex: reference solution gets full marks"
		else report FAIL "$ex: reference solution (exit $st)" "$tmp/out.txt"; fi
	fi
	for f in tests/submissions/$ex/*.c; do
		[ -f "$f" ] || continue
		expected "$f" | sort >"$tmp/want"
		if [ ! -s "$tmp/want" ]; then report FAIL "$f: no '// expect:' line"; continue; fi
		grade "$ex" "$f" "$tmp/r.json"; st=$?
		if [ $st -ne 1 ]; then report FAIL "$f: grader exit $st, want 1" "$tmp/out.txt"; continue; fi
		verdicts "$tmp/r.json" | sort >"$tmp/got"
		if cmp -s "$tmp/want" "$tmp/got"; then report ok "$f"
		else
			{ echo "want:"; cat "$tmp/want"; echo "got:"; cat "$tmp/got"; } >"$tmp/diff"
			report FAIL "$f" "$tmp/diff"
		fi
	done
done
echo "submissions: $pass passed, $fail failed"
[ $fail -eq 0 ]
