#!/bin/sh
# The walls of README.md (Layout), held by the #include lines of grader/
# (followed through the project's headers) and, for the code that must
# start no process, by its calls:
#   the sandbox knows no spec or check; the tracer records and never judges;
#   checks start no process; reports include only result and trace data;
#   intake knows nothing of building or running; the data headers (run.h,
#   result.h) include no actor.
# Usage: tests/walls.sh [ROOT]   (ROOT: a copy of the project to check;
# without it, the project, then the script's own test: a crossed wall in a
# copy must fail.)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-$here}
g=$root/grader
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# "FILE<TAB>HEADER<TAB>LINE<TAB>CHAIN": every project header FILE reaches,
# the line of FILE where the chain starts, and the chain.
awk '
FNR == 1 { f = FILENAME; sub(/.*\//, "", f); files[f] = 1 }
/^[ \t]*#[ \t]*include[ \t]*"/ {
	h = $0; sub(/^[^"]*"/, "", h); sub(/".*/, "", h)
	n[f]++; inc[f, n[f]] = h; at[f, n[f]] = FNR
}
END {
	for (f in files) {
		split("", seen); qn = 0
		for (i = 1; i <= n[f]; i++) {
			h = inc[f, i]
			if (h in seen) continue
			seen[h] = 1; q[++qn] = h; via[h] = h; line[h] = at[f, i]
		}
		for (k = 1; k <= qn; k++) {
			h = q[k]
			for (i = 1; i <= n[h]; i++) {
				x = inc[h, i]
				if (x in seen) continue
				seen[x] = 1; q[++qn] = x; via[x] = via[h] " -> " x; line[x] = line[h]
			}
		}
		for (k = 1; k <= qn; k++)
			if (q[k] in files)
				print f "\t" q[k] "\t" line[q[k]] "\t" via[q[k]]
	}
}' "$g"/*.c "$g"/*.h >"$tmp/reach"

# Calls that start a process, outside comments, strings and characters:
# "FILE:LINE: text".
starts_process() { # file
	awk '
	{
		s = $0; out = ""; i = 1; n = length(s)
		while (i <= n) {
			c = substr(s, i, 1); d = substr(s, i, 2)
			if (incomment) { if (d == "*/") { incomment = 0; i += 2 } else i++; continue }
			if (d == "/*") { incomment = 1; i += 2; continue }
			if (d == "//") break
			if (c == "\"" || c == "\047") {
				for (i++; i <= n && substr(s, i, 1) != c; i++)
					if (substr(s, i, 1) == "\\") i++
				i++; out = out c c; continue
			}
			out = out c; i++
		}
		if (out ~ /(^|[^A-Za-z0-9_>.])(fork|vfork|clone|clone3|execl|execlp|execle|execv|execve|execvp|execvpe|fexecve|system|popen|posix_spawnp?|sandbox_run|build_run)[ \t]*\(/)
			print FILENAME ":" FNR ": " $0
	}' "$1"
}

# wall NAME WHY MODE HEADERS FILES...: every FILE that exists must reach
# none of HEADERS (MODE deny) or no project header but HEADERS (allow);
# MODE deny+calls and allow+calls also refuse calls that start a process.
wall() {
	name=$1 why=$2 mode=$3 headers=" $4 "; shift 4
	ok=0 bad=0
	for path in "$@"; do
		[ -f "$path" ] || continue
		f=${path##*/}
		crossed=$(awk -F '\t' -v f="$f" -v mode="${mode%+calls}" -v list="$headers" '
			$1 == f && $2 != f {
				listed = index(list, " " $2 " ") > 0
				if ((mode == "deny") == listed)
					print "grader/" f ":" $3 ": includes " $4
			}' "$tmp/reach")
		case $mode in *+calls) crossed="$crossed$(starts_process "$path" | sed "s|^$g/|grader/|; s/\$/ (starts a process)/")" ;; esac
		if [ -z "$crossed" ]; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
			echo "FAIL $name: $why"
			echo "$crossed" | sed '/^$/d; s/^/     /'
		fi
	done
	pass=$((pass + ok)) fail=$((fail + bad))
	[ "$bad" -eq 0 ] && echo "ok   $name: $ok files: $why"
}

wall sandbox "the sandbox knows no spec or check" deny \
	"spec.h schema.h check.h vars.h inputs.h grade.h build.h stage.h result.h report.h report_priv.h" \
	"$g"/sandbox*.c "$g"/sandbox*.h
wall tracer "the tracer records and never judges" deny \
	"spec.h schema.h check.h result.h report.h report_priv.h grade.h" \
	"$g"/trace*.c "$g"/trace*.h
wall checks "checks start no process: they read a finished run and its trace" deny+calls \
	"sandbox.h sandbox_internal.h trace_internal.h build.h stage.h grade.h batch.h" \
	"$g"/check*.c "$g"/check.h
wall reports "reports include only result and trace data (and i18n.h, the language)" allow \
	"report.h report_priv.h result.h run.h trace.h util.h i18n.h" \
	"$g"/report*.c "$g"/report*.h
wall intake "intake knows nothing of building or running" deny+calls \
	"build.h stage.h sandbox.h sandbox_internal.h trace.h trace_internal.h run.h grade.h batch.h" \
	"$g"/intake*.c "$g"/intake*.h
wall data "the data headers (run.h, result.h) include no actor" allow \
	"run.h result.h util.h" \
	"$g"/run.h "$g"/result.h

# The script's own test, on the project only: a copy with one crossed wall
# each must fail, naming the file.
crossed() { # description file edit(sed)
	rm -rf "$tmp/copy" && mkdir -p "$tmp/copy" && cp -R "$here/grader" "$tmp/copy/"
	sed -i "$3" "$tmp/copy/grader/$2"
	if sh "$0" "$tmp/copy" >"$tmp/out" 2>&1; then
		fail=$((fail + 1)); echo "FAIL a crossed wall is caught: $1"; sed 's/^/     /' "$tmp/out"
	elif grep -q "^     grader/$2:" "$tmp/out"; then
		pass=$((pass + 1)); echo "ok   a crossed wall is caught: $1"
	else
		fail=$((fail + 1)); echo "FAIL a crossed wall is caught: $1 (not named)"; sed 's/^/     /' "$tmp/out"
	fi
}
if [ $# -eq 0 ]; then
	crossed "sandbox_fs.c includes spec.h" sandbox_fs.c '0,/^#include "/s//#include "spec.h"\n&/'
	crossed "sandbox_plan.c reaches spec.h through batch.h" sandbox_plan.c '0,/^#include "/s//#include "batch.h"\n&/'
	crossed "check.c calls fork()" check.c '$a int check_forks(void); int check_forks(void) { return fork(); }'
	crossed "report_terminal.c includes spec.h" report_terminal.c '0,/^#include "/s//#include "spec.h"\n&/'
	crossed "trace_print.c includes check.h" trace_print.c '0,/^#include "/s//#include "check.h"\n&/'
	crossed "trace.c includes spec.h" trace.c '0,/^#include "/s//#include "spec.h"\n&/'
	crossed "intake_lms.c includes sandbox.h" intake_lms.c '0,/^#include "/s//#include "sandbox.h"\n&/'
	crossed "run.h includes trace.h" run.h '0,/^#include "/s//#include "trace.h"\n&/'
fi
echo "walls: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
