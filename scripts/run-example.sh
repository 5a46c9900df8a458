#!/usr/bin/env bash
# Quick start: build libmemcg and the memcg tool, then run an example
# scenario and print the cgroup tree it leaves.
#
#   ./scripts/run-example.sh                          examples/limit-and-swap.scn
#   ./scripts/run-example.sh examples/protection.scn  another one
#
# Options after the file go to `memcg run` (--json, --seed N, --utf8 ...).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=build
BUILD_TYPE=RelWithDebInfo
LOG="$BUILD_DIR/quickstart-build.log"

# Run a command with its output in $LOG; show the log if it fails.
quiet() {
	if ! "$@" >>"$LOG" 2>&1; then
		cat "$LOG" >&2
		echo "run-example: failed: $*" >&2
		exit 1
	fi
}

# 1. dependencies
./scripts/deps.sh

# 2. configure and build
mkdir -p "$BUILD_DIR"
: >"$LOG"
echo "run-example: building in $BUILD_DIR/ ($BUILD_TYPE)"
quiet cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DMEMCG_SANITIZE=
quiet cmake --build "$BUILD_DIR" -j"$(nproc)" --target memcg

# 3. run the scenario
SCENARIO=examples/limit-and-swap.scn
if [[ $# -gt 0 && $1 != -* ]]; then
	SCENARIO=$1
	shift
fi
echo "run-example: $BUILD_DIR/tools/memcg/memcg run --show-tree $SCENARIO${*:+ $*}"
echo
exec "./$BUILD_DIR/tools/memcg/memcg" run --show-tree "$SCENARIO" "$@"
