#!/usr/bin/env bash
# Quick start: build libmemcg and run the basic example.
#
# Later `memcg run examples/<scenario>` replaces step 3; steps 1 and 2 stay.
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
quiet cmake --build "$BUILD_DIR" -j"$(nproc)" --target example_basic

# 3. run the example
echo "run-example: $BUILD_DIR/example_basic"
echo
exec "./$BUILD_DIR/example_basic" "$@"
