#!/usr/bin/env bash
# The errno table (tests/helpers/errno_rows.h, docs/ERRNO.md) on the real
# kernels: the errno probe (tests/kernel/probe/errno_probe.c) booted by
# the kernel oracle in place of the player, once per kernel and mode:
# Linux 6.1 v2, 6.12 v2 and 6.1 v1 (6.12 has no cgroup v1). Each row is
# checked against its kernel's column; ctest's test_errno checks the
# engine's columns, which must equal them.
#
#   scripts/errno-kernel.sh [--repeat N]
#
# --repeat N boots each N times (one boot per run: the oracle's own
# --repeat aggregates scenario values, not the probe's lines). Prints
# each boot's "# errno-probe: R
# rows, F failed" line, every FAIL line, and "errno-kernel: A of T rows
# agree" over all boots; exit status 1 if a row failed or a boot printed
# no summary. Three boots of 10-20 s under TCG; not part of CI, whose
# kernel stage runs tests/kernel/*.scn (errno_*.scn there hold what a
# scenario can spell). Needs what kernel-check.sh needs.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

BUILD_DIR=${BUILD_DIR:-build}
REPEAT=1
if (($# == 2)) && [[ $1 == --repeat && $2 =~ ^[1-9][0-9]?$ ]]; then
	REPEAT=$2
elif (($#)); then
	echo "usage: scripts/errno-kernel.sh [--repeat N]" >&2
	exit 2
fi

./scripts/deps.sh || { echo "errno-kernel: installing dependencies failed" >&2; exit 1; }
./tools/kernel-oracle/prepare.sh >/dev/null ||
	{ echo "errno-kernel: preparing the kernel oracle failed" >&2; exit 1; }
if ! { cmake -S . -B "$BUILD_DIR" >/dev/null &&
       cmake --build "$BUILD_DIR" -j"$(nproc)" --target memcg errno-probe \
	     -- --no-print-directory >/dev/null; }; then
	echo "errno-kernel: build failed" >&2
	exit 1
fi
MEMCG=$BUILD_DIR/tools/memcg/memcg
PROBE=$(cd "$BUILD_DIR/tests" && pwd)/errno-probe
SCN=tests/kernel/probe/errno_probe.scn

total=0 agree=0 bad=0
# boot KERNEL MODE: one boot; adds its rows to the totals.
boot() {
	local out sums rows failed

	out=$(MEMCG_ORACLE_PLAYER=$PROBE "$MEMCG" kernel "$SCN" \
		--kernel "$1" --mode "$2" 2>&1)
	grep -E '^(FAIL|# errno-probe:)' <<<"$out"
	sums=$(sed -n 's/^# errno-probe: \([0-9]*\) rows, \([0-9]*\) failed.*/\1 \2/p' <<<"$out")
	if [[ -z $sums ]]; then
		echo "errno-kernel: no summary from Linux $1 $2:" >&2
		tail -20 <<<"$out" >&2
		bad=1
		return
	fi
	read -r rows failed <<<"$sums"
	total=$((total + rows))
	agree=$((agree + rows - failed))
}

for run in "6.1 v2" "6.12 v2" "6.1 v1"; do
	read -r kernel mode <<<"$run"
	for ((i = 1; i <= REPEAT; i++)); do
		echo "==== Linux $kernel, cgroup $mode, boot $i of $REPEAT"
		boot "$kernel" "$mode"
	done
done
echo "errno-kernel: $agree of $total rows agree"
((bad == 0 && agree == total))
