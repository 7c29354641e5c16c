# Sourced by the scripts that compare verdicts with the `// expect:` lines
# of tests/submissions/<exercise>/*.c (tests/run_submissions.sh explains
# them).

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
