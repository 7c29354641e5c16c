#!/bin/sh
# `make demo`: grade the reference solution and a few faulty submissions,
# showing the real reports a student would see.
cd "$(dirname "$0")/.."
g=build/grader
bold='' plain=''
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$(printf '\033[1m') plain=$(printf '\033[0m'); fi
show() { # title exercise submission
	printf '\n%s=== %s%s\n$ %s check %s %s\n' "$bold" "$1" "$plain" "$g" "$2" "$3"
	$g check "$2" "$3"
	echo "(exit status $?)"
}
$g list
show "The reference solution: full marks" half_copy solutions/half_copy/half_copy.c
show "The starter stub a student begins with" half_copy exercises/half_copy/half_copy.c
for f in tests/submissions/half_copy/shared_offset.c tests/submissions/half_copy/no_wait.c \
	 tests/submissions/half_copy/infinite_loop.c; do
	[ -f "$f" ] && show "A faulty submission: $(basename "$f" .c)" half_copy "$f"
done
for ex in spawn_reap process_object bank pool_map event_gate apply_async pipe_fan_in msg_queue shared_array \
	  signals sem_crowd lock_print; do
	[ -f "solutions/$ex/$ex.c" ] && show "Reference solution of $ex" "$ex" "solutions/$ex/$ex.c"
done
exit 0
