#!/bin/sh
# Render the HTML report of every faulty submission (and each reference)
# in headless Chromium, into build/screenshots/EXERCISE-NAME.png, to look
# at (`make screenshots`; `make deps-screenshots` installs chromium as root).
# Usage: tests/screenshots.sh [EXERCISE...]
set -u
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "screenshots: chromium is not installed (apt-get install chromium)"; exit 2; }
out=build/screenshots
mkdir -p "$out"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
for ex in ${*:-$(ls tests/submissions)}; do
	for f in solutions/$ex/$ex.c tests/submissions/$ex/*.c; do
		[ -f "$f" ] || continue
		name=$ex-$(basename "$f" .c)
		build/grader check "$ex" "$f" --quiet --html "$tmp/$name.html" >/dev/null 2>&1
		[ $? -le 1 ] || { echo "FAIL $f: the grader could not grade it"; bad=$((bad + 1)); continue; }
		chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
			--window-size=1280,2400 --screenshot="$out/$name.png" \
			"file://$tmp/$name.html" >/dev/null 2>&1
		if [ -s "$out/$name.png" ]; then n=$((n + 1)); echo "ok   $out/$name.png"
		else bad=$((bad + 1)); echo "FAIL $f: no screenshot"; fi
	done
done
echo "screenshots: $n passed, $bad failed"
[ $bad -eq 0 ]
