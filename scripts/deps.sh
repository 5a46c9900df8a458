#!/usr/bin/env bash
# Install the Debian packages libmemcg needs to build and test.
# Idempotent and silent when everything is already installed.
#
#   scripts/deps.sh          build and test
#   scripts/deps.sh --fuzz   the same (fuzz.sh's Clang and libFuzzer runtime
#                            are in the list since CI builds with Clang too)
#
# clang and libclang-rt-dev: the clang Release build of scripts/test.sh
# (which builds the libFuzzer target too) and scripts/fuzz.sh; scdoc: the
# man pages (docs/man/*.scd; without it the build skips them);
# dpkg-dev and fakeroot: the Debian packages (scripts/package.sh,
# dpkg-shlibdeps for their Depends) and ctest's test_package;
# libfuse3-dev and fuse3: `memcg mount` (src/fuse/, libmemcg-fuse) and
# fusermount3, which unmounts it and its test; chromium and
# fonts-dejavu-core: test_plot_browser.sh renders the plots headless (and
# docs/*.png were rendered so), in the font the SVG names.
set -euo pipefail

PACKAGES=(cmake gcc g++ make pkg-config linux-libc-dev libcmocka-dev liburcu-dev
	  python3 clang libclang-rt-dev scdoc dpkg-dev fakeroot
	  libfuse3-dev fuse3 chromium fonts-dejavu-core)

missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	if [[ "$status" != "install ok installed" ]]; then
		missing+=("$pkg")
	fi
done

if (( ${#missing[@]} == 0 )); then
	exit 0
fi

echo "deps: installing ${missing[*]}"
if (( EUID != 0 )); then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
