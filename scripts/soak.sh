#!/usr/bin/env bash
# Run the randomized tests and the fuzzers again and again with fresh
# seeds, for a while: the nightly-style check that CI's fixed seeds and
# short fuzz stage cannot be.
#
#   scripts/soak.sh [MINUTES] [BUILD_DIR]      # default: 10 minutes, build/
#
# Each round runs every randomized test once with MEMCG_SEED from
# /dev/urandom, then, when scripts/fuzz.sh has built build-fuzz/ (or
# SOAK_FUZZ_DIR), each fuzzer for SOAK_FUZZ_SECONDS (default 60) with a
# fresh -seed, growing the corpus fuzz.sh keeps in build-fuzz/corpus/.
# SOAK_FUZZ_DIR= (empty) runs the tests only. The first failure stops the
# soak and prints the command that replays it; exit status 1. Bad usage
# or a test not built: exit status 2.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

MINUTES=${1:-10}
BUILD=${2:-build}
FUZZ_DIR=${SOAK_FUZZ_DIR-build-fuzz}
FUZZ_SECONDS=${SOAK_FUZZ_SECONDS:-60}
# Every test that draws random numbers takes MEMCG_SEED (tests/helpers/seed.h).
TESTS=(test_random_ops test_thp test_swap_cgroup test_folio test_pages
       test_folio_threads
       test_stress_threads test_hooks_threads test_swap_full test_psi_threads
       test_thp_threads test_swap_clusters)
LOG=$(mktemp /tmp/soak.XXXXXX) || exit 2
trap 'rm -f "$LOG"' EXIT

for v in "$MINUTES" "$FUZZ_SECONDS"; do
	if [[ ! $v =~ ^[0-9]+$ ]]; then
		echo "soak: '$v' is not a whole number" >&2
		exit 2
	fi
done
for t in "${TESTS[@]}"; do
	if [[ ! -x $BUILD/tests/$t ]]; then
		echo "soak: $BUILD/tests/$t not built (cmake --build $BUILD)" >&2
		exit 2
	fi
done
FUZZERS=()
if [[ -n $FUZZ_DIR ]]; then
	for f in "$FUZZ_DIR"/tools/memcg/fuzz_*; do
		[[ -x $f ]] && FUZZERS+=("$f")
	done
	((${#FUZZERS[@]})) ||
		echo "soak: no fuzzers in $FUZZ_DIR (scripts/fuzz.sh builds them); tests only" >&2
fi
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

seed() {
	od -An -N8 -tx8 /dev/urandom | tr -d ' '
}

# failed WHAT REPLAY: print the log's tail and how to replay, exit 1.
failed() {
	tail -n 30 "$LOG"
	echo "soak: $1 failed after $runs runs; replay:"
	echo "  $2"
	exit 1
}

end=$((SECONDS + MINUTES * 60))
runs=0 fuzz_runs=0
while ((SECONDS < end)); do
	for t in "${TESTS[@]}"; do
		s=0x$(seed)
		MEMCG_SEED=$s "$BUILD/tests/$t" >"$LOG" 2>&1 ||
			failed "$t" "MEMCG_SEED=$s $BUILD/tests/$t"
		runs=$((runs + 1))
	done
	for f in "${FUZZERS[@]}"; do
		((SECONDS < end)) || break
		name=$(basename "$f")
		corpus=$FUZZ_DIR/corpus/$name
		mkdir -p "$corpus" "$FUZZ_DIR/crashes"
		s=$((16#$(seed) & 0x7fffffff))
		left=$((end - SECONDS))
		"$f" "$corpus" -seed=$s -max_total_time=$((left < FUZZ_SECONDS ?
			(left > 0 ? left : 1) : FUZZ_SECONDS)) -max_len=4096 \
			-timeout=60 -artifact_prefix="$FUZZ_DIR/crashes/$name-" \
			>"$LOG" 2>&1 ||
			failed "$name" "$f $FUZZ_DIR/crashes/$name-* (seed $s)"
		runs=$((runs + 1)) fuzz_runs=$((fuzz_runs + 1))
	done
done
echo "soak: $runs runs passed in $MINUTES min (${#TESTS[@]} randomized tests," \
	"$fuzz_runs fuzzer runs of ${#FUZZERS[@]} fuzzers)"
