#!/usr/bin/env bash
# Build and test libmemcg three ways; this is what CI runs (.ci/run).
#
#   1. normal      build/        RelWithDebInfo, every test and the example
#   2. asan+ubsan  build-asan/   Debug, every test and the example
#   3. tsan        build-tsan/   RelWithDebInfo, the stress tests (the whole
#                                suite and the example while no test has
#                                the "stress" label)
#      matrix      build-gcc-release/, build-gcc-debug/,
#                  build-gcc-minsizerel/, build-clang-release/: built only
#                  (every target, -Werror), side by side; each optimiser
#                  and compiler sees warnings the others do not
#   4. fuzz        build-fuzz/   clang, libFuzzer: each target for a while
#   5. kernel      build/        scripts/kernel-check.sh: memcg compare
#                                on tests/kernel/ under qemu
#
# Every stage runs even if an earlier one failed; the summary at the end
# lists each stage's result and time, and the exit status is non-zero if
# any stage failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD

JOBS=$(nproc)
CTEST_JOBS=${CTEST_JOBS:-2}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
TSAN_SUPP=$ROOT/tests/tsan.supp
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
if [[ -f $TSAN_SUPP ]]; then
	TSAN_OPTIONS+=:suppressions=$TSAN_SUPP
fi

./scripts/deps.sh || { echo "test: installing dependencies failed" >&2; exit 1; }

declare -a RESULTS=()
FAILED=0

# stage NAME CMD...: run CMD, time it, record PASS/FAIL.
stage() {
	local name=$1 start rc
	shift
	echo
	echo "==== $name"
	start=$SECONDS
	"$@"
	rc=$?
	local secs=$((SECONDS - start))
	if ((rc == 0)); then
		RESULTS+=("$(printf 'PASS  %-24s %4ds' "$name" "$secs")")
	else
		RESULTS+=("$(printf 'FAIL  %-24s %4ds  (exit %d)' "$name" "$secs" "$rc")")
		FAILED=1
	fi
	return $rc
}

# build DIR CMAKE_ARGS...: configure and build in DIR.
build() {
	local dir=$1
	shift
	cmake -S . -B "$dir" "$@" >/dev/null &&
		cmake --build "$dir" -j"$JOBS" -- --no-print-directory >/dev/null
}

# tests DIR CTEST_ARGS...: run ctest in DIR.
tests() {
	local dir=$1
	shift
	ctest --test-dir "$dir" --output-on-failure --no-tests=error \
		-j"$CTEST_JOBS" "$@"
}

# suite DIR: every test, then the example program (a whole lifecycle).
suite() {
	local dir=$1
	tests "$dir" && "$dir/example_basic" >/dev/null
}

# tsan_tests DIR: the stress tests, or every test while there are none.
tsan_tests() {
	local dir=$1 n
	# TSan is 5-15x slower: single-threaded randomized tests get fewer
	# operations here (tests/unit/test_random_ops.c: 1000000 by default).
	local -a tsan_run=(env "MEMCG_RANDOM_OPS=${MEMCG_RANDOM_OPS:-100000}")
	# GCC 12's TSan aborts ("unexpected memory mapping") on kernels with
	# vm.mmap_rnd_bits > 28; without ASLR it works everywhere. Containers
	# may forbid personality(2): then go without.
	if setarch "$(uname -m)" -R true 2>/dev/null; then
		tsan_run+=(setarch "$(uname -m)" -R)
	fi
	n=$(ctest --test-dir "$dir" -N -L stress | sed -n 's/^Total Tests: //p')
	if [[ ${n:-0} -gt 0 ]]; then
		"${tsan_run[@]}" ctest --test-dir "$dir" --output-on-failure \
			-j"$CTEST_JOBS" -L stress
	else
		echo "(no test labelled 'stress' yet: running the whole suite under TSan)"
		"${tsan_run[@]}" ctest --test-dir "$dir" --output-on-failure \
			--no-tests=error -j"$CTEST_JOBS" &&
			"${tsan_run[@]}" "$dir/example_basic" >/dev/null
	fi
}

# 1. normal build
# Options are spelled out so a stale CMakeCache.txt cannot change them.
COMMON=(-DMEMCG_BUILD_TESTS=ON)
if stage "build" build build "${COMMON[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DMEMCG_SANITIZE= -DMEMCG_BUILD_BENCH=ON; then
	stage "test" suite build
fi

# 2. AddressSanitizer + UndefinedBehaviorSanitizer
if stage "build asan+ubsan" build build-asan "${COMMON[@]}" -DCMAKE_BUILD_TYPE=Debug \
	-DMEMCG_SANITIZE=address,undefined -DMEMCG_BUILD_BENCH=OFF; then
	stage "test asan+ubsan" suite build-asan
fi

# 3. ThreadSanitizer
if stage "build tsan" build build-tsan "${COMMON[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DMEMCG_SANITIZE=thread -DMEMCG_BUILD_BENCH=OFF; then
	stage "test tsan" tsan_tests build-tsan
fi

# 3b. The build matrix, built only: every compiler and build type a
# packager may use must build with -Werror (Release's -O3 sees
# format-truncation and maybe-uninitialized, clang -Wsometimes-uninitialized
# that gcc misses). On 4 CPUs or more the four build side by side.
MATRIX=(
	"gcc-release gcc Release"
	"gcc-debug gcc Debug"
	"gcc-minsizerel gcc MinSizeRel"
	"clang-release clang Release"
)

# matrix_one NAME CC TYPE JOBS: configure and build build-NAME/, log in it.
matrix_one() {
	local dir=build-$1 cc=$2 type=$3 jobs=$4
	mkdir -p "$dir"
	{ cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" "${COMMON[@]}" \
		-DCMAKE_BUILD_TYPE="$type" -DMEMCG_SANITIZE= \
		-DMEMCG_BUILD_BENCH=ON &&
	  cmake --build "$dir" -j"$jobs" -- --no-print-directory; } \
		>"$dir/matrix.log" 2>&1
}

# matrix: every configuration; one line each, the log's errors on failure.
matrix() {
	local n=${#MATRIX[@]} jobs=$JOBS parallel=0 rc=0 name cc type i pid
	local -a pids=() names=() status=()
	if ((JOBS >= n)); then
		parallel=1
		jobs=$((JOBS / n))
	fi
	for i in "${!MATRIX[@]}"; do
		read -r name cc type <<<"${MATRIX[$i]}"
		names+=("$name")
		if ((parallel)); then
			matrix_one "$name" "$cc" "$type" "$jobs" &
			pids+=($!)
		else
			matrix_one "$name" "$cc" "$type" "$jobs"
			status+=($?)
		fi
	done
	for pid in "${pids[@]}"; do
		wait "$pid"
		status+=($?)
	done
	for i in "${!names[@]}"; do
		if ((status[i] == 0)); then
			echo "matrix: ${names[$i]} built"
			continue
		fi
		echo "matrix: ${names[$i]} FAILED (build-${names[$i]}/matrix.log):"
		grep -E 'error|warning' "build-${names[$i]}/matrix.log" | head -20
		rc=1
	done
	return $rc
}
stage "build matrix" matrix

# 4. The fuzzers (libFuzzer, clang), for a bounded time each
stage "fuzz" ./scripts/fuzz.sh "${FUZZ_SECONDS:-25}"

# 5. The same scenarios on a real Linux kernel under qemu (a few boots)
stage "kernel oracle" env BUILD_DIR=build ./scripts/kernel-check.sh

echo
echo "==== summary"
printf '%s\n' "${RESULTS[@]}"
if ((FAILED)); then
	echo "test: FAILED"
	exit 1
fi
echo "test: all stages passed"
