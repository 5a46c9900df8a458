#!/usr/bin/env bash
# Build the Debian packages libmemcg0, libmemcg-dev and memcg-tools with
# CPack (cmake/package.cmake says what goes where).
#
#   scripts/package.sh [-B BUILD_DIR] [-o OUT_DIR]
#
# Without -B: configure and build a Release tree in build-deb/ (no tests,
# no benchmarks), then package it. With -B: package that build tree as it
# is (built already; ctest's test_package does so). The packages go to
# OUT_DIR (default: dist/); their paths are printed, one a line.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BUILD=
OUT=$ROOT/dist
while getopts "B:o:h" opt; do
	case $opt in
	B) BUILD=$(realpath "$OPTARG") ;;
	o) OUT=$(realpath -m "$OPTARG") ;;
	h) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "usage: scripts/package.sh [-B BUILD_DIR] [-o OUT_DIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if (($#)); then
	echo "package: unexpected argument '$1'" >&2
	exit 2
fi
for tool in cpack dpkg-deb dpkg-shlibdeps fakeroot; do
	if ! command -v "$tool" >/dev/null; then
		echo "package: $tool is missing (apt-get install cmake dpkg-dev fakeroot)" >&2
		exit 2
	fi
done

if [[ -z $BUILD ]]; then
	BUILD=$ROOT/build-deb
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
		-DMEMCG_BUILD_TESTS=OFF -DMEMCG_BUILD_BENCH=OFF >/dev/null
	cmake --build "$BUILD" -j "$(nproc)" >/dev/null
elif [[ ! -f $BUILD/CPackConfig.cmake ]]; then
	echo "package: $BUILD is not a configured build tree (no CPackConfig.cmake)" >&2
	exit 2
fi

mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# cpack writes its staging tree under -B: a scratch directory, not OUT
if ! (cd "$WORK" && fakeroot cpack -G DEB -B "$WORK" \
	--config "$BUILD/CPackConfig.cmake") >"$WORK/cpack.log" 2>&1; then
	cat "$WORK/cpack.log" >&2
	echo "package: cpack failed" >&2
	exit 1
fi
for deb in "$WORK"/*.deb; do
	mv "$deb" "$OUT/"
	echo "$OUT/$(basename "$deb")"
done
