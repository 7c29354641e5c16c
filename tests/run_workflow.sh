#!/bin/sh
# The GitHub Actions workflow for student repositories (ci/github-classroom.yml):
# its YAML parses and has the shape the README promises, and its steps,
# run here as the runner would run them (bash -eo pipefail, each step after
# a failed one skipped unless `if: always()`, sudo a pass-through), build
# the grader in a student repository laid out as its header says and grade:
# the reference passes the job, a faulty submission fails it with the
# summary and reports still written, a grader that cannot grade fails it
# with "not graded" in the summary and its message in the log.
set -u
cd "$(dirname "$0")/.."
wf=ci/github-classroom.yml
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { # description file-to-show
	fail=$((fail + 1)); echo "FAIL $1"; [ -f "$2" ] && sed 's/^/     /' "$2" | tail -20
}
has() { # description extended-regex file
	if grep -Eq -- "$2" "$3"; then ok "$1"; else bad "$1: no /$2/" "$3"; fi
}
hasnt() { # description extended-regex file
	if grep -Eq -- "$2" "$3"; then bad "$1: /$2/ is there" "$3"; else ok "$1"; fi
}

# ---- the YAML: parsed, checked, its steps written to $tmp/steps ----
mkdir -p "$tmp/steps"
if python3 - "$wf" "$tmp/steps" >"$tmp/yaml.log" 2>&1 <<'EOF'
import os, re, sys, yaml
path, out = sys.argv[1], sys.argv[2]
wf = yaml.safe_load(open(path))
on = wf.get("on", wf.get(True))        # YAML 1.1 reads a bare `on` as true
assert "push" in on and "pull_request" in on, "runs on push and pull_request"
(job,) = wf["jobs"].values()
assert job["runs-on"] == "ubuntu-24.04", "an ubuntu-24.04 runner"
steps = job["steps"]
assert steps[0]["uses"].startswith("actions/checkout@"), "checks the repository out first"
grade = [s for s in steps if "grader\" check" in s.get("run", "")]
assert len(grade) == 1, "one step runs grader check"
for opt in ("--markdown", "--html", "--junit"):
    assert opt in grade[0]["run"], "the check step writes " + opt
summary = [s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", "")]
assert len(summary) == 1 and summary[0].get("if") == "always()", "the summary step runs always()"
upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
assert len(upload) == 1 and upload[0].get("if") == "always()", "the upload runs always()"
paths = upload[0]["with"]["path"].split("\n")
assert any(p.endswith("/report.html") for p in paths), "report.html is kept"
for i, s in enumerate(steps):
    base = os.path.join(out, "%02d" % i)
    if "run" in s:
        assert "${{" not in s["run"], "no ${{ }} in a script (step %d): environment variables" % i
        open(base + ".run", "w").write(s["run"])
    else:
        paths = s.get("with", {}).get("path", "").strip().split("\n")
        open(base + ".uses", "w").write(s["uses"] + "\n" + "".join(
            p.strip().replace("${{ runner.temp }}", "@RUNNER_TEMP@") + "\n" for p in paths))
    if s.get("if") == "always()":
        open(base + ".always", "w").close()
with open(os.path.join(out, "env.sh"), "w") as f:
    for k, v in wf["env"].items():
        assert re.fullmatch(r"[A-Za-z0-9_./-]+", str(v)), "plain env values"
        f.write("export %s='%s'\n" % (k, v))
EOF
then ok "$wf parses and has the promised shape"
else bad "$wf: not as promised (python3 with yaml: make deps installs python3-yaml)" "$tmp/yaml.log"
	echo "workflow: $pass passed, $fail failed"; exit 1
fi
. "$tmp/steps/env.sh"
for opt in $(grep -o -- '--[a-z]*' "$tmp"/steps/*.run | sed 's/.*://' | sort -u); do
	if build/grader check 2>&1 | grep -q -- "\[$opt "; then ok "grader check has $opt"
	else bad "grader check has no $opt" /dev/null; fi
done

# ---- a student repository, as the header lays it out ----
repo=$tmp/repo
mkdir -p "$repo/$GRADER" "$tmp/bin"
build/grader package gradescope "$EXERCISE" -o "$tmp/grader.zip" >/dev/null &&
	unzip -q "$tmp/grader.zip" -d "$repo/$GRADER" || { bad "package $EXERCISE" /dev/null; exit 1; }
printf '#!/bin/sh\nexec "$@"\n' >"$tmp/bin/sudo" && chmod +x "$tmp/bin/sudo"

# job: run the steps as the runner does; $? 0 when the job passed.  Leaves
# the summary in $tmp/summary, the log in $tmp/log, the kept files in
# $tmp/kept.
job() {
	rm -rf "$tmp/runner" && mkdir -p "$tmp/runner"
	: >"$tmp/summary"; : >"$tmp/log"; : >"$tmp/kept"
	failed=0
	for step in "$tmp"/steps/[0-9]*.run "$tmp"/steps/[0-9]*.uses; do echo "$step"; done |
		sort >"$tmp/order"
	while read -r step; do
		n=${step%.*}
		[ "$failed" -eq 1 ] && [ ! -f "$n.always" ] && continue
		case $step in
		*.run)
			(cd "$repo" && PATH="$tmp/bin:$PATH" RUNNER_TEMP="$tmp/runner" \
				GITHUB_STEP_SUMMARY="$tmp/summary" \
				bash --noprofile --norc -eo pipefail "$step") >>"$tmp/log" 2>&1 || failed=1 ;;
		*.uses)     # the checkout is $repo; an upload keeps what exists
			tail -n +2 "$step" | while read -r p; do
				p=$(printf '%s\n' "$p" | sed "s|@RUNNER_TEMP@|$tmp/runner|")
				[ -f "$p" ] && basename "$p" >>"$tmp/kept"
			done ;;
		esac
	done <"$tmp/order"
	return "$failed"
}

cp "solutions/$EXERCISE/$EXERCISE.c" "$repo/"
if job; then ok "the reference: the job passes"; else bad "the reference: the job fails" "$tmp/log"; fi
has "the reference: the grader was built" "^link build/grader" "$tmp/log"
has "the reference: full marks in the summary" "^## $EXERCISE: ([0-9]+)/\\1\$" "$tmp/summary"
has "the reference: the summary counts the tests" "^\\*\\*([0-9]+) of \\1 tests passed\\*\\*" "$tmp/summary"
has "the reference: the HTML report is kept" "^report.html\$" "$tmp/kept"

cp "tests/submissions/$EXERCISE/crash.c" "$repo/$EXERCISE.c"
if job; then bad "a faulty submission: the job passes" "$tmp/log"; else ok "a faulty submission: the job fails"; fi
has "a faulty submission: the summary is written" "^## $EXERCISE: [0-9]+/[0-9]+\$" "$tmp/summary"
has "a faulty submission: the summary says which test failed" "^### ❌ " "$tmp/summary"
has "a faulty submission: the HTML report is kept" "^report.html\$" "$tmp/kept"
has "a faulty submission: the JUnit report is kept" "^report.xml\$" "$tmp/kept"

cp tests/specs/broken.yaml "$repo/$GRADER/exercises/$EXERCISE/spec.yaml"
if job; then bad "a grader that cannot grade: the job passes" "$tmp/log"; else ok "a grader that cannot grade: the job fails"; fi
has "a grader that cannot grade: the summary says not graded" "^## $EXERCISE: not graded\$" "$tmp/summary"
has "a grader that cannot grade: its message is in the log" "^grader: .*spec.yaml:[0-9]+:[0-9]+:" "$tmp/log"
hasnt "a grader that cannot grade: no report is kept" "report" "$tmp/kept"

echo "workflow: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
