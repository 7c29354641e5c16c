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
part walls sh tests/walls.sh
part unit build/check_suites
part cli sh tests/run_cli.sh
part docs sh tests/run_docs.sh
part trace-vs-strace sh tests/trace_vs_strace.sh
part submissions sh tests/run_submissions.sh
if [ "$(id -u)" -eq 0 ]; then
	# each tier once with every attack: root here, userns and basic as an
	# ordinary user in unpriv.sh (make soak runs the whole matrix)
	part hostile env HOSTILE_TIERS=root sh tests/run_hostile.sh
else
	part hostile sh tests/run_hostile.sh
fi
part batch sh tests/run_batch.sh
part slurm sh tests/run_slurm.sh
part package sh tests/run_package.sh
part workflow sh tests/run_workflow.sh
part zh-style sh tests/zh_style.sh
part i18n sh tests/run_i18n.sh
[ "$(id -u)" -eq 0 ] && part unprivileged sh tests/unpriv.sh
if [ -n "$failed" ]; then
	echo "make test: FAILED:$failed"
	exit 1
fi
echo "make test: all parts passed"
