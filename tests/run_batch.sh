#!/bin/sh
# Batch grading end to end, with the real grader: a Canvas-style bulk zip of
# the half_copy reference solution (twice: same name, two students) and
# every faulty sample submission (one of them inside the student's own zip)
# is graded with -j 2, killed (SIGKILL) once a few rows are written, and
# resumed.  Checked: one row per student and no more, no grader error, the
# reference at full marks and every faulty one below, the same grades as an
# uninterrupted run with the same seed, a report per student, a summary, and
# a third run that grades nobody.
# Usage: tests/run_batch.sh [EXERCISE_DIR]   (default: exercises/half_copy)
set -u
cd "$(dirname "$0")/.."
grader=$PWD/build/grader
exercise=${1:-exercises/half_copy}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' "$2"; }
check() { # description command...
	d=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$d"; else bad "$d" "$tmp/check.out"; fi
}

# ---- the bulk download ----
mkdir -p "$tmp/dl" "$tmp/own/hw"
id=1000
add() { # name file
	id=$((id + 1))
	cp "$2" "$tmp/dl/$1_${id}_$((id + 50000))_half_copy.c"
}
add reference solutions/half_copy/half_copy.c
add reference solutions/half_copy/half_copy.c
for f in tests/submissions/half_copy/*.c; do
	name=$(basename "$f" .c | tr -d '_')
	add "$name" "$f"
done
cp solutions/half_copy/half_copy.c "$tmp/own/hw/half_copy.c"
(cd "$tmp/own" && zip -qr "$tmp/dl/zipper_late_2999_52999_hw.zip" hw)
(cd "$tmp/dl" && zip -q "$tmp/bulk.zip" ./*)
students=$(ls "$tmp/dl" | wc -l)             # reference twice: two students

rows() { # OUTDIR -> data rows of grades.csv
	if [ -f "$1/grades.csv" ]; then tail -n +2 "$1/grades.csv" | grep -c .; else echo 0; fi
}
batch() { # OUTDIR [extra args] -> exit status
	out=$1; shift
	"$grader" batch "$exercise" "$tmp/bulk.zip" -o "$out" -j 2 --seed 7 "$@" 2>>"$out.log"
}

# ---- an uninterrupted run, for reference ----
batch "$tmp/whole"
status=$?
check "uninterrupted batch exits 0" test "$status" -eq 0
check "uninterrupted batch: $students rows" test "$(rows "$tmp/whole")" -eq "$students"

# ---- killed halfway, then resumed ----
mkdir -p "$tmp/resumed"
"$grader" batch "$exercise" "$tmp/bulk.zip" -o "$tmp/resumed" -j 2 --seed 7 \
	2>"$tmp/killed.log" &
pid=$!
i=0
while [ "$(rows "$tmp/resumed")" -lt 3 ] && [ $i -lt 600 ] && kill -0 $pid 2>/dev/null; do
	sleep 0.1; i=$((i + 1))
done
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
before=$(rows "$tmp/resumed")
check "killed with some rows written ($before of $students)" \
	test "$before" -ge 3 -a "$before" -lt "$students"
sleep 0.5
survivors() { # grader processes of the killed batch (no procps needed)
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		case "$cmd" in *"batch "*"-o $tmp/resumed "*) echo "$p $cmd" ;; esac
	done
	return 0
}
survivors >"$tmp/survivors" 2>/dev/null
check "no grader process outlives the kill" test ! -s "$tmp/survivors"
batch "$tmp/resumed"
status=$?
check "resumed batch exits 0" test "$status" -eq 0
check "resume says what it skipped" grep -q "^resuming: $before of $students" "$tmp/resumed.log"
check "resumed: $students rows" test "$(rows "$tmp/resumed")" -eq "$students"
tail -n +2 "$tmp/resumed/grades.csv" | cut -d, -f1,3 | sort | uniq -d >"$tmp/dups"
check "no student twice (name and LMS id)" test ! -s "$tmp/dups"

# ---- the grades ----
col() { # OUTDIR column-name -> "student value" lines, sorted
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
		{ print $1, $n }' "$1/grades.csv" | sort
}
col "$tmp/whole" status >"$tmp/whole.status"
check "no grader error" sh -c "! grep -v ' graded\$' '$tmp/whole.status'"
for out in whole resumed; do
	for c in score status tests_passed; do col "$tmp/$out" $c; done >"$tmp/$out.grades"
done
check "resumed grades = uninterrupted grades" diff "$tmp/whole.grades" "$tmp/resumed.grades"
col "$tmp/resumed" score >"$tmp/scores"
col "$tmp/resumed" max_score >"$tmp/max"
max=$(awk 'NR == 1 { print $2 }' "$tmp/max")
check "the reference (both students, one name) at full marks" \
	test "$(grep -c "^reference $max\$" "$tmp/scores")" -eq 2
check "a student's own zip is opened" grep -q "^zipper $max\$" "$tmp/scores"
check "every faulty submission below full marks" \
	sh -c "! grep -v '^reference\|^zipper' '$tmp/scores' | grep ' $max\$'"
missing=""
for s in $(tail -n +2 "$tmp/resumed/grades.csv" | cut -d, -f1,3 | tr , _); do
	for ext in txt json html; do
		[ -s "$tmp/resumed/reports/$s.$ext" ] || missing="$missing $s.$ext"
	done
done
check "a report per student (txt, json, html)" test -z "$missing"
check "summary" grep -q "^submissions: $students in the gradebook, $students graded" \
	"$tmp/resumed/summary.txt"

# ---- nothing left to do ----
batch "$tmp/resumed"
check "a third run grades nobody" grep -q "^resuming: $students of $students" "$tmp/resumed.log"
check "still $students rows" test "$(rows "$tmp/resumed")" -eq "$students"

# ---- every student graded as one student ----
# two bulk downloads and a folder of students at once; one student's folder
# holds two equally placed copies (a verdict naming them, not a pick)
ref=solutions/half_copy/half_copy.c
mkdir -p "$tmp/m" "$tmp/class/alice" "$tmp/class/bob/a" "$tmp/class/bob/b"
cp "$ref" "$tmp/m/Ada Lovelace_1001_assignsubmission_file_half_copy.c"
cp "$ref" "$tmp/m/Alan Turing_1002_assignsubmission_file_half_copy.c"
(cd "$tmp/m" && zip -q "$tmp/moodle.zip" ./*)
cp "$ref" "$tmp/class/alice/half_copy.c"
cp "$ref" "$tmp/class/bob/a/half_copy.c"
cp "$ref" "$tmp/class/bob/b/half_copy.c"
"$grader" batch "$exercise" "$tmp/bulk.zip" "$tmp/moodle.zip" "$tmp/class" -o "$tmp/multi" \
	-j 2 --seed 7 2>"$tmp/multi.log"
status=$?
check "several bulk downloads and a folder: exit 0" test "$status" -eq 0
check "every student of every argument: $((students + 4)) rows" \
	test "$(rows "$tmp/multi")" -eq $((students + 4))
col "$tmp/multi" score >"$tmp/multi.scores"
check "a Moodle student of the second download at full marks" \
	grep -q "^Alan Turing $max\$" "$tmp/multi.scores"
check "a student of the folder of students at full marks" grep -q "^alice $max\$" "$tmp/multi.scores"
col "$tmp/multi" status >"$tmp/multi.status"
check "two equally placed copies: an 'ambiguous files' verdict" \
	grep -q "^bob ambiguous files\$" "$tmp/multi.status"
check "the verdict names both copies" \
	grep -q "found 2 times: a/half_copy.c, b/half_copy.c" "$tmp/multi/reports/bob.txt"
(cd "$tmp" && zip -qr "$tmp/class.zip" class)
"$grader" batch "$exercise" "$tmp/class.zip" -o "$tmp/refused" 2>"$tmp/refused.log"
status=$?
check "an archive of several students' folders is refused (exit 2)" test "$status" -eq 2
check "the refusal says why" grep -q "several students' work" "$tmp/refused.log"
check "and grades nobody" test "$(rows "$tmp/refused")" -eq 0

echo "batch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
