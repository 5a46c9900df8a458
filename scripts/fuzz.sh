#!/usr/bin/env bash
# Fuzz the parsers, whole scenarios (fuzz_run) and the public API (fuzz_api)
# with libFuzzer.
#
#   scripts/fuzz.sh [SECONDS]     default 60 per fuzzer (FUZZ_TIME also works)
#
# Configures a Clang build in build-fuzz/ (ASan + UBSan everywhere, libFuzzer
# coverage on the library too), builds every fuzz_* target and runs each for
# a bounded time, starting from the repository's scenarios as seeds. The
# corpus grows in build-fuzz/corpus/<target>/ between runs; crashes are
# written to build-fuzz/crashes/ and fail the script.
set -euo pipefail
cd "$(dirname "$0")/.."

TIME=${1:-${FUZZ_TIME:-60}}
BUILD_DIR=build-fuzz

./scripts/deps.sh --fuzz

cmake -S . -B "$BUILD_DIR" -DCMAKE_C_COMPILER=clang \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DMEMCG_SANITIZE=address,undefined \
	-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link \
	-DMEMCG_BUILD_TESTS=OFF -DMEMCG_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target fuzz_scenario fuzz_run fuzz_api >/dev/null

mkdir -p "$BUILD_DIR/crashes"
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

status=0
for fuzzer in "$BUILD_DIR"/tools/memcg/fuzz_*; do
	[[ -x $fuzzer ]] || continue
	name=$(basename "$fuzzer")
	corpus=$BUILD_DIR/corpus/$name
	mkdir -p "$corpus"
	# Seeds: every scenario in the repository.
	cp -n examples/*.scn tests/scenarios/*.scn "$corpus"/ 2>/dev/null || true
	echo "fuzz: $name for ${TIME}s"
	if ! "$fuzzer" "$corpus" -max_total_time="$TIME" -max_len=4096 \
		-timeout=30 -print_final_stats=1 \
		-artifact_prefix="$BUILD_DIR/crashes/$name-" \
		>"$BUILD_DIR/$name.log" 2>&1; then
		tail -n 60 "$BUILD_DIR/$name.log" >&2
		echo "fuzz: $name FAILED (log: $BUILD_DIR/$name.log)" >&2
		status=1
	else
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' \
			"$BUILD_DIR/$name.log" | sed "s/^/fuzz: $name: /"
	fi
done
exit $status
