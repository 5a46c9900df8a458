#!/usr/bin/env bash
# Render the plots shown in README.md to PNG with headless Chromium
# (Debian's chromium, scripts/deps.sh):
#   docs/plot-time.png      memcg plot examples/limit-and-swap.scn
#   docs/plot-compare.png   memcg compare examples/limit-and-swap.scn --plot
#                           (boots the kernel oracle's VM: under
#                           flock /tmp/vm.lock)
#
#   scripts/plot-screenshots.sh [BUILD_DIR]      (default: build)
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${1:-build}
MEMCG=$BUILD/tools/memcg/memcg
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# shot SVG PNG: the SVG at its own size.
shot() {
	local size
	size=$(sed -n 's/.*<svg [^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$1" | head -1)
	mkdir -p "$TMP/profile"
	chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$TMP/profile" --hide-scrollbars \
		--window-size="$size" --screenshot="$(realpath -m "$2")" \
		"file://$(realpath "$1")" \
		>/dev/null 2>&1
	rm -rf "$TMP/profile"
	[[ -s $2 ]] || { echo "chromium wrote no $2" >&2; exit 1; }
	echo "wrote $2 ($size)"
}

"$MEMCG" plot examples/limit-and-swap.scn -o "$TMP/time.svg"
shot "$TMP/time.svg" docs/plot-time.png
flock /tmp/vm.lock "$MEMCG" compare examples/limit-and-swap.scn \
	--plot "$TMP/compare.svg" >/dev/null
shot "$TMP/compare.svg" docs/plot-compare.png
