#!/bin/sh
# Every test, as `make test` runs it.  Each part prints its own summary;
# the last line adds them up.
cd "$(dirname "$0")/.."
failed=""
part() { # name command...
	name=$1; shift
	echo "=== $name"
	"$@" || failed="$failed $name"
}
part unit build/check_suites
part cli sh tests/run_cli.sh
part trace-vs-strace sh tests/trace_vs_strace.sh
part submissions sh tests/run_submissions.sh
[ -f tests/run_hostile.sh ] && part hostile sh tests/run_hostile.sh
[ -f tests/run_batch.sh ] && part batch sh tests/run_batch.sh
[ -f tests/unpriv.sh ] && [ "$(id -u)" -eq 0 ] && part unprivileged sh tests/unpriv.sh
if [ -n "$failed" ]; then
	echo "make test: FAILED:$failed"
	exit 1
fi
echo "make test: all parts passed"
