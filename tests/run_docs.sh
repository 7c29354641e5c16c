#!/bin/sh
# exercises/README.md, the one place for the spec language, says true:
# every ```yaml block in it is linted (a whole spec as it is, a list of
# tests - items starting "- name:" - inside a minimal spec), its first
# block is tests/specs/docs/spec.yaml (which check_spec.c asserts on), it
# documents every check and key `grader lint --explain` lists, and
# README.md links it.
set -u
cd "$(dirname "$0")/.."
g=build/grader doc=exercises/README.md
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' "$2" | head -20; }

# the blocks, one file each: $tmp/block.N (N from 1), with their first line
awk -v dir="$tmp" '
	/^```yaml$/ { n++; f = dir "/block." n; inblock = 1; printf "" > f; next }
	/^```$/ && inblock { inblock = 0; close(f); next }
	inblock { print > f }' "$doc"
n=$(ls "$tmp" | grep -c '^block\.')
if [ "$n" -ge 5 ]; then ok "$doc has $n yaml examples"; else bad "$doc has only $n yaml examples"; fi
i=1
while [ "$i" -le "$n" ]; do
	b=$tmp/block.$i ex=$tmp/ex$i
	mkdir -p "$ex/harness" && : >"$ex/harness/main.c"
	first=$(grep -v '^ *#' "$b" | head -1)
	case $first in
	exercise:*) cp "$b" "$ex/spec.yaml" ;;
	"- name:"*) { printf 'exercise: ex\nstudent_files: [ex.c]\nbuild: {sources: [ex.c, harness/main.c]}\ntests:\n'
		      sed 's/^/  /' "$b"; } >"$ex/spec.yaml" ;;
	*) printf '%s\n' "$first" >"$ex/spec.yaml" ;;
	esac
	if $g lint "$ex/spec.yaml" >"$tmp/lint" 2>&1; then ok "example $i ($first) lints"
	else bad "example $i ($first) does not lint (a whole spec, or tests starting '- name:')" "$tmp/lint"; fi
	i=$((i + 1))
done

tail -n +2 tests/specs/docs/spec.yaml >"$tmp/docs.yaml"
if cmp -s "$tmp/block.1" "$tmp/docs.yaml"; then ok "the first example is tests/specs/docs/spec.yaml"
else diff "$tmp/block.1" "$tmp/docs.yaml" >"$tmp/diff"; bad "the first example differs from tests/specs/docs/spec.yaml" "$tmp/diff"; fi

# every check and every key the schemas know is documented
$g lint --explain >"$tmp/explain"
undocumented=$(awk '/^check /{sub(/:.*/, "", $2); print "check", $2; next}
		   /^  [a-z_]/{print "key", $1}' "$tmp/explain" | sort -u |
	while read -r kind w; do
		if [ "$kind" = check ]; then grep -q "\`$w\`" "$doc" || echo "check $w"
		else grep -qE "\`$w\`|(^|[ {,])$w:" "$doc" || echo "key $w"; fi
	done)
if [ -z "$undocumented" ]; then ok "$doc documents what lint --explain lists"
else bad "$doc lacks: $(echo $undocumented)"; fi

if grep -q '](exercises/README.md)' README.md; then ok "README.md links $doc"
else bad "README.md does not link $doc"; fi

echo "docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
