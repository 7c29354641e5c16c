#!/bin/sh
# The grader in Chinese (grader/i18n.h, exercises/README.md "Reports in
# Chinese"):
# - every catalogue po/LANG.po is complete: msgfmt --check passes (formats
#   included), and after merging the messages xgettext extracts from
#   grader/*.c now, none is untranslated or fuzzy and none is stale, so a
#   new message cannot slip in untranslated (checked on copies too: an
#   added message, a broken format and a stale entry must each fail);
# - the language follows LANGUAGE/LANG as gettext does and --lang zh|en
#   overrides them, with no zh_CN locale generated;
# - a faulty submission graded with --lang zh gets the Chinese message,
#   the built-in hint and the spec's hint_zh in the terminal, JSON, JUnit
#   and HTML reports, while what machines read stays English, and batch
#   --lang zh writes Chinese reports;
# - the student's program still runs with LC_ALL=C and no LANGUAGE.
set -u
cd "$(dirname "$0")/.."
g=$PWD/build/grader
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' "$2" | head -20; }
expect() { # description want-status command...
	what=$1 want=$2; shift 2
	"$@" >"$tmp/out" 2>&1; st=$?
	if [ "$st" -eq "$want" ]; then ok "$what"; else bad "$what: exit $st, want $want" "$tmp/out"; fi
}
contains() { # description pattern file
	if grep -q -- "$2" "$3"; then ok "$1"; else bad "$1: no '$2' in" "$3"; fi
}
lacks() { # description pattern file
	if grep -q -- "$2" "$3"; then bad "$1: '$2' in" "$3"; else ok "$1"; fi
}

# ---- the catalogues ----

# catalogues ROOT: 0 when every ROOT/po/*.po translates exactly the messages
# of ROOT/grader/*.c; prints what is wrong otherwise
catalogues() {
	root=$1 out=$tmp/cat.$$ rc=0
	mkdir -p "$out"
	make -s --no-print-directory -C "$root" build/grader.pot >"$out/make" 2>&1 ||
		{ cat "$out/make"; return 1; }
	for po in "$root"/po/*.po; do
		if ! msgfmt --check -o /dev/null "$po" 2>"$out/check"; then
			echo "$po: msgfmt --check:"; cat "$out/check"; rc=1
		fi
		msgmerge --quiet --no-wrap -o "$out/merged.po" "$po" "$root/build/grader.pot" 2>&1 || rc=1
		stats=$(msgfmt --statistics -o /dev/null "$out/merged.po" 2>&1)
		case $stats in
		*fuzzy*|*untranslated*)
			echo "$po: $stats (new or changed messages: make po, then translate):"
			msgattrib --no-wrap --untranslated "$out/merged.po" | grep '^msgid "..*"$'
			msgattrib --no-wrap --only-fuzzy "$out/merged.po" | grep '^msgid "..*"$'
			rc=1 ;;
		esac
		if ! msgcmp --use-untranslated "$root/build/grader.pot" "$po" >"$out/stale" 2>&1; then
			echo "$po: messages the code no longer has (make po makes them obsolete):"
			sed -n 's/^[^:]*:\([0-9]*\): this message is used but not defined.*/\1/p' "$out/stale" |
				while read -r n; do awk -v n="$n" 'NR <= n && /^msgid / { m = $0 } NR == n { print m }' "$po"; done
			rc=1
		fi
	done
	rm -rf "$out"
	return $rc
}

if catalogues . >"$tmp/cat" 2>&1; then
	ok "every catalogue translates every message, formats checked ($(msgfmt --statistics -o /dev/null po/zh_CN.po 2>&1))"
else bad "the catalogues are not complete" "$tmp/cat"; fi

# the check's own test: copies with one fault each must fail, naming it
copy() {
	rm -rf "$tmp/copy" && mkdir -p "$tmp/copy/tests" &&
		cp -R grader po Makefile "$tmp/copy/" && cp tests/ld_quiet.awk "$tmp/copy/tests/"
}
copy && printf 'const char *i18n_new_message(void);\nconst char *i18n_new_message(void) { return _("a message nobody translated"); }\n' \
	>>"$tmp/copy/grader/check.c"
if catalogues "$tmp/copy" >"$tmp/cat" 2>&1; then bad "a new message untranslated is caught" "$tmp/cat"
else contains "a new message untranslated is caught, and named" 'a message nobody translated' "$tmp/cat"; fi
copy && sed -i '0,/^msgstr "期望退出码为 %ld"$/s//msgstr "期望退出码为 %s"/' "$tmp/copy/po/zh_CN.po"
if catalogues "$tmp/copy" >"$tmp/cat" 2>&1; then bad "a translation with a wrong format is caught" "$tmp/cat"
else contains "a translation with a wrong format is caught" 'format' "$tmp/cat"; fi
copy && printf '\nmsgid "a message the code lost"\nmsgstr "代码里已经没有的消息"\n' >>"$tmp/copy/po/zh_CN.po"
if catalogues "$tmp/copy" >"$tmp/cat" 2>&1; then bad "a stale translation is caught" "$tmp/cat"
else contains "a stale translation is caught, and named" 'a message the code lost' "$tmp/cat"; fi

# the Chinese follows exercises/GLOSSARY.zh.md: none of the words it rules
# out, and no half-width punctuation touching Chinese text
banned=$(awk '/^## 不用的词/ { t = 1; next } /^## / { t = 0 }
	t && /^\| / { split($0, c, "|"); gsub(/ /, "", c[2]); if (c[2] != "不用" && c[2] !~ /^-/) print c[2] }' \
	exercises/GLOSSARY.zh.md)
if [ -z "$banned" ]; then bad "no banned words read from exercises/GLOSSARY.zh.md"
else
	: >"$tmp/banned"
	for w in $banned; do grep -n "^msgstr.*$w" po/zh_CN.po >>"$tmp/banned"; done
	if [ -s "$tmp/banned" ]; then bad "po/zh_CN.po uses words the glossary rules out ($(echo $banned))" "$tmp/banned"
	else ok "po/zh_CN.po uses none of the words the glossary rules out ($(echo $banned))"; fi
fi
perl -CSD -ne 'print "$.: $_" if /^msgstr/ && /\p{Han}[,:;?!()]|[,:;?!(]\p{Han}/' po/zh_CN.po >"$tmp/punct"
if [ -s "$tmp/punct" ]; then bad "po/zh_CN.po has half-width punctuation touching Chinese" "$tmp/punct"
else ok "po/zh_CN.po: full-width punctuation beside Chinese"; fi

# ---- choosing the language, without a zh_CN locale ----

if locale -a 2>/dev/null | grep -qi '^zh_CN'; then
	echo "note: this machine has a zh_CN locale; the tests below do not need it"
else ok "no zh_CN locale is generated here: the tests below run without one"; fi
sub=tests/submissions/half_copy/no_wait.c
zh_msg='提示：每个 fork() 都需要在父进程中有对应的 wait() 或 waitpid()'
en_msg='hint: every fork() needs a matching wait() or waitpid() in the parent'
lang_case() { # description want(zh|en) env-and-args...
	what=$1 want=$2; shift 2
	env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE "$@" >"$tmp/out" 2>&1
	if [ "$want" = zh ]; then contains "$what: Chinese" "$zh_msg" "$tmp/out"
	else contains "$what: English" "$en_msg" "$tmp/out"; fi
}
lang_case "LANG=zh_CN.UTF-8 (not generated)" zh LANG=zh_CN.UTF-8 $g check half_copy $sub
lang_case "LANG=C.UTF-8 LANGUAGE=zh_CN" zh LANG=C.UTF-8 LANGUAGE=zh_CN $g check half_copy $sub
lang_case "LANGUAGE=zh_CN with the C locale (ignored, as gettext does)" en LANG=C LANGUAGE=zh_CN $g check half_copy $sub
lang_case "LANG=C --lang zh" zh LANG=C $g check half_copy $sub --lang zh
lang_case "LANG=zh_CN.UTF-8 --lang en" en LANG=zh_CN.UTF-8 LANGUAGE=zh_CN $g check half_copy $sub --lang en
lang_case "LANG=fr_FR.UTF-8 (no catalogue: English)" en LANG=fr_FR.UTF-8 $g check half_copy $sub
expect "--lang fr: usage error, exit 2" 2 $g check half_copy $sub --lang fr
contains "--lang fr: says what it takes" "zh or en" "$tmp/out"
expect "--lang zh without the catalogue: exit 2" 2 env GRADER_LOCALEDIR="$tmp/none" $g check half_copy $sub --lang zh
contains "--lang zh without the catalogue: says where it looked" "no Chinese catalogue at $tmp/none" "$tmp/out"
lang_case "LANG=zh_CN.UTF-8 without the catalogue: English" en GRADER_LOCALEDIR="$tmp/none" LANG=zh_CN.UTF-8 $g check half_copy $sub

# ---- a faulty submission's reports in Chinese ----

cp -r exercises/half_copy "$tmp/hinted"
awk '/^title:/ {print; print "title_zh: 文件的两半复制"; next} {print}
     /- stdout: "half_copy returned 0\\n"/ && !done {
	print "        hint: \"return 0 once both halves are copied\""
	print "        hint_zh: \"两半都复制完之后返回 0\""; done = 1 }' \
	exercises/half_copy/spec.yaml >"$tmp/hinted/spec.yaml"
expect "the stub graded with --lang zh" 1 env LANG=C $g check "$tmp/hinted" exercises/half_copy/half_copy.c \
	--lang zh --json "$tmp/zh.json" --junit "$tmp/zh.xml" --html "$tmp/zh.html"
cp "$tmp/out" "$tmp/zh.txt"
msg='输出在第 1 行不同：'
hint='提示：两半都复制完之后返回 0'
for f in txt json xml html; do
	contains "$f: the check's message in Chinese" "$msg" "$tmp/zh.$f"
	contains "$f: the spec's hint_zh" "$hint" "$tmp/zh.$f"
	lacks "$f: not the English hint" "return 0 once both halves" "$tmp/zh.$f"
	contains "$f: a built-in hint in Chinese" '提示：用 O_WRONLY | O_CREAT | O_TRUNC' "$tmp/zh.$f"
done
contains "terminal: the title_zh" "^half_copy: 文件的两半复制$" "$tmp/zh.txt"
contains "terminal: headings in Chinese" "^  分数  " "$tmp/zh.txt"
contains "terminal: a status in Chinese" "失败  .*答案错误" "$tmp/zh.txt"
contains "terminal: test names as the spec writes them" "one byte" "$tmp/zh.txt"
if jq -e '[.tests[].status] - ["passed", "failed"] == [] and
	  ([.tests[].extra_data.status] | index("wrong answer")) != null and
	  (.tests[0].name == "empty file")' "$tmp/zh.json" >/dev/null; then
	ok "json: statuses, keywords and test names stay English"
else bad "json: statuses, keywords and test names stay English" "$tmp/zh.json"; fi
contains "json: the output's headings in Chinese" '分数：' "$tmp/zh.json"
contains "junit: the failure's type stays the status keyword" 'type="wrong answer"' "$tmp/zh.xml"
if xmllint --noout "$tmp/zh.xml" 2>"$tmp/lint"; then ok "junit: well-formed"; else bad "junit: not well-formed" "$tmp/lint"; fi
contains "html: lang is zh-CN" '<html lang="zh-CN">' "$tmp/zh.html"
contains "html: a heading in Chinese" '<dt>种子</dt>' "$tmp/zh.html"
expect "the same with --lang en" 1 env LANGUAGE=zh_CN LANG=zh_CN.UTF-8 $g check "$tmp/hinted" \
	exercises/half_copy/half_copy.c --lang en --html "$tmp/en.html"
contains "--lang en: the English hint" "hint: return 0 once both halves are copied" "$tmp/out"
lacks "--lang en: no Chinese" "提示" "$tmp/out"
contains "--lang en: html lang is en" '<html lang="en">' "$tmp/en.html"

# batch --lang zh: the reports it writes are Chinese, the gradebook's columns not
mkdir -p "$tmp/subs/alice" && cp exercises/half_copy/half_copy.c "$tmp/subs/alice/"
expect "batch --lang zh" 0 $g batch "$tmp/hinted" "$tmp/subs/alice" -o "$tmp/batch" -j 1 --lang zh
for f in "$tmp"/batch/reports/*.txt "$tmp"/batch/reports/*.html; do
	[ -f "$f" ] || { bad "batch wrote no report ${f##*/}"; continue; }
	contains "batch: ${f##*/} has the hint_zh" "$hint" "$f"
done
contains "batch: grades.csv's header stays English" "^student,.*score,max_score" "$tmp/batch/grades.csv"
contains "batch: grades.csv's feedback in Chinese" "通过 [0-9]*/[0-9]* 个测试" "$tmp/batch/grades.csv"

# ---- the student's program is not touched ----

( cd "$tmp" && env LANG=zh_CN.UTF-8 LANGUAGE=zh_CN $g trace -- /bin/sh -c 'echo "LC_ALL=$LC_ALL LANGUAGE=${LANGUAGE:-unset}"' ) \
	>"$tmp/trace" 2>&1
contains "the traced program runs with LC_ALL=C and no LANGUAGE" "^LC_ALL=C LANGUAGE=unset$" "$tmp/trace"

echo "i18n: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
