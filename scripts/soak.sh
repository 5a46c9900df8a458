#!/usr/bin/env bash
# Run the randomized tests again and again with fresh seeds, for a while:
# the nightly-style check that CI's fixed seeds cannot be.
#
#   scripts/soak.sh [MINUTES] [BUILD_DIR]      # default: 10 minutes, build/
#
# Each run gets MEMCG_SEED from /dev/urandom. The first failure stops the
# soak and prints the command that replays it; exit status 1.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

MINUTES=${1:-10}
BUILD=${2:-build}
TESTS=(test_random_ops test_stress_threads test_hooks_threads test_swap_full
       test_psi_threads)

if [[ ! $MINUTES =~ ^[0-9]+$ ]]; then
	echo "soak: MINUTES must be a whole number, not '$MINUTES'" >&2
	exit 2
fi
for t in "${TESTS[@]}"; do
	if [[ ! -x $BUILD/tests/$t ]]; then
		echo "soak: $BUILD/tests/$t not built (cmake --build $BUILD)" >&2
		exit 2
	fi
done

end=$((SECONDS + MINUTES * 60))
runs=0
while ((SECONDS < end)); do
	for t in "${TESTS[@]}"; do
		seed=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
		if ! MEMCG_SEED=0x$seed "$BUILD/tests/$t" >/tmp/soak.$$.log 2>&1; then
			tail -n 30 /tmp/soak.$$.log
			echo "soak: $t failed after $runs runs; replay:"
			echo "  MEMCG_SEED=0x$seed $BUILD/tests/$t"
			rm -f /tmp/soak.$$.log
			exit 1
		fi
		runs=$((runs + 1))
	done
done
rm -f /tmp/soak.$$.log
echo "soak: $runs runs of ${#TESTS[@]} randomized tests passed in $MINUTES min"
