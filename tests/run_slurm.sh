#!/bin/sh
# batch --shard on a real Slurm, then merge: a one-node cluster (munged with
# a generated key, slurmctld and slurmd from a slurm.conf in a temporary
# folder, ports of its own) grades a Canvas bulk download of 48 small
# half_copy submissions as a job array of 4 shards; the merged gradebook
# must hold the same rows and scores as one batch run over the same
# download, with every student once.  Every daemon it starts is stopped.
# Needs root and Debian's slurm-wlm and munge (make deps); skips otherwise.
# Usage: tests/run_slurm.sh
set -u
cd "$(dirname "$0")/.."
grader=$PWD/build/grader
if [ "$(id -u)" -ne 0 ]; then
	echo "slurm: skipped: a one-node Slurm cluster needs root"
	exit 0
fi
for cmd in munged slurmctld slurmd sbatch sinfo scancel; do
	if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ]; then
		echo "slurm: skipped: no $cmd (install slurm-wlm and munge: make deps)"
		exit 0
	fi
done
PATH=$PATH:/usr/sbin
tmp=$(mktemp -d) || exit 2
chmod 700 "$tmp"
pass=0 fail=0
pids=""
stop() {
	[ -f "$tmp/slurm.conf" ] && SLURM_CONF=$tmp/slurm.conf scancel --quiet --full \
		--partition=grader 2>/dev/null
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 2' HUP INT PIPE TERM

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && tail -n 20 "$2" | sed 's/^/     /'; }
check() { # description command...
	d=$1; shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$d"; else bad "$d" "$tmp/check.out"; fi
}
die() { bad "$1" "${2:-}"; echo "slurm: $pass passed, $fail failed"; exit 1; }

# ---- munge, with a key of its own ----
dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$tmp/munge.key"
munged --force --foreground --key-file="$tmp/munge.key" --socket="$tmp/munge.socket" \
	--pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munge.seed" \
	>/dev/null 2>&1 &
pids="$pids $!"
i=0
while [ ! -S "$tmp/munge.socket" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$tmp/munge.socket" ] || die "munged starts" "$tmp/munged.log"

# ---- slurm.conf: one node, 2 CPUs, ports of its own ----
base=$((20000 + $$ % 20000))
host=$(hostname -s)
mkdir -p "$tmp/state" "$tmp/spool"
cat >"$tmp/slurm.conf" <<EOF
ClusterName=gradertest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
NodeName=gradernode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=grader Nodes=gradernode Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/slurmctld.out" 2>&1 &
pids="$pids $!"
slurmd -D -N gradernode -f "$SLURM_CONF" >"$tmp/slurmd.out" 2>&1 &
pids="$pids $!"
i=0
until sinfo -h -o %T 2>/dev/null | grep -q idle || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
sinfo -h -o %T 2>/dev/null | grep -q idle ||
	die "the one-node cluster comes up" "$tmp/slurmctld.log"
ok "a one-node Slurm cluster is up ($(sinfo -h -o '%N %c CPUs %T'))"

# ---- a Canvas bulk download of 48 small submissions ----
mkdir -p "$tmp/dl"
id=1000
for f in solutions/half_copy/half_copy.c tests/submissions/half_copy/*.c; do
	for copy in 1 2 3 4; do
		id=$((id + 1))
		name=$(basename "$f" .c | tr -d '_')$copy
		cp "$f" "$tmp/dl/${name}_${id}_$((id + 50000))_half_copy.c"
		[ $id -ge 1048 ] && break 2
	done
done
(cd "$tmp/dl" && zip -q "$tmp/bulk.zip" ./*)
students=$(ls "$tmp/dl" | wc -l)

# ---- an array of 4 shards, then merge ----
cat >"$tmp/shard.sh" <<EOF
#!/bin/sh
"$grader" batch half_copy "$tmp/bulk.zip" -o "$tmp/shard\$SLURM_ARRAY_TASK_ID" \\
	--shard "\$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT" --seed 7 -j 1
echo \$? >"$tmp/exit-\$SLURM_ARRAY_TASK_ID"
EOF
start=$(date +%s)
job=$(sbatch --parsable --array=0-3 --cpus-per-task=1 --output="$tmp/shard-%a.log" \
	--chdir="$tmp" "$tmp/shard.sh" 2>"$tmp/sbatch.err") || die "sbatch --array=0-3" "$tmp/sbatch.err"
# (sbatch --wait polls every few seconds, doubling: slower than the shards)
i=0
while [ -n "$(squeue -h -j "$job" -o %i 2>/dev/null)" ] && [ $i -lt 6000 ]; do
	sleep 0.2; i=$((i + 1))
done
# no accounting here: each task leaves its exit status
check "sbatch --array=0-3: every shard exits 0 ($(($(date +%s) - start)) s)" \
	test "$(cat "$tmp"/exit-0 "$tmp"/exit-1 "$tmp"/exit-2 "$tmp"/exit-3 2>&1 | tr -d '\n')" = 0000
for k in 0 1 2 3; do
	check "shard $k/4 graded its share" grep -q "^shard $k/4: " "$tmp/shard-$k.log"
done
"$grader" merge "$tmp/shard0" "$tmp/shard1" "$tmp/shard2" "$tmp/shard3" -o "$tmp/merged" \
	>"$tmp/merge.log" 2>&1
check "merge exits 0" test $? -eq 0

# ---- the same as one batch run ----
"$grader" batch half_copy "$tmp/bulk.zip" -o "$tmp/one" --seed 7 -j 2 >"$tmp/one.log" 2>&1
check "one batch run exits 0" test $? -eq 0
rows() { # OUTDIR -> student,lms,lms_id,late,score,max_score,percent,status,tests_passed,tests_total
	tail -n +2 "$1/grades.csv" | cut -d, -f1-10 | sort
}
rows "$tmp/merged" >"$tmp/merged.rows"
rows "$tmp/one" >"$tmp/one.rows"
check "the merged gradebook has every student once ($students)" \
	test "$(wc -l <"$tmp/merged.rows")" -eq "$students" -a \
	"$(cut -d, -f3 "$tmp/merged.rows" | sort -u | wc -l)" -eq "$students"
check "the same rows and scores as one batch run" diff "$tmp/one.rows" "$tmp/merged.rows"
check "a share for every shard" sh -c "for k in 0 1 2 3; do
	[ \$(tail -n +2 '$tmp/shard'\$k/grades.csv | wc -l) -ge 1 ] || exit 1; done"
check "the merged summary counts everyone" \
	grep -q "^submissions: $students in the gradebook, $students graded" "$tmp/merged/summary.txt"
"$grader" merge "$tmp/shard0" "$tmp/shard1" "$tmp/shard1" -o "$tmp/overlap" >"$tmp/overlap.log" 2>&1
check "merge refuses a shard given twice (exit 2)" test $? -eq 2
check "and says who is in two shards" grep -q "is in two shards" "$tmp/overlap.log"
"$grader" merge "$tmp/shard0" "$tmp/shard2" -o "$tmp/partial" >"$tmp/partial.log" 2>&1
check "merge of two shards of four exits 2" test $? -eq 2
check "and names the missing students" grep -q "students are in no shard's gradebook" \
	"$tmp/partial.log"

echo "slurm: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
