#!/usr/bin/env bash
# Install the Debian packages into a clean Debian 12 (bookworm) made with
# debootstrap, as a user would, and use them there: apt installs the
# three .deb files and their Depends from the mirror, then memcg
# --version, a scenario run, memcg kernel --paths (the player under
# /usr/libexec/memcg), pkg-config on memcg.pc and man -w memcg. Too slow
# for ctest (debootstrap downloads about 100 MB); run it by hand:
#
#   sudo scripts/package-check.sh [DEB_DIR]
#
# DEB_DIR holds the packages (default: dist/, made by scripts/package.sh
# when it has none). Needs root (debootstrap, chroot); installs
# debootstrap when missing. MIRROR overrides the Debian mirror
# (default http://deb.debian.org/debian). The chroot lives in a temporary
# directory, removed at the end. Exit 0 when everything worked.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEBS=$(realpath -m "${1:-$ROOT/dist}")
MIRROR=${MIRROR:-http://deb.debian.org/debian}

if ((EUID != 0)); then
	echo "package-check: needs root (debootstrap, chroot): sudo $0 $*" >&2
	exit 2
fi
if ! compgen -G "$DEBS/*.deb" >/dev/null; then
	"$ROOT/scripts/package.sh" -o "$DEBS"
fi
if ! command -v debootstrap >/dev/null; then
	echo "package-check: installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

CHROOT=$(mktemp -d /tmp/memcg-chroot.XXXXXX)
chmod 755 "$CHROOT"	# its / : _apt and man-db's user must get through
cleanup() {
	for m in proc dev/pts dev; do
		umount "$CHROOT/$m" 2>/dev/null || true
	done
	rm -rf --one-file-system "$CHROOT"
}
trap cleanup EXIT

step() { echo "package-check: $*"; }

start=$SECONDS
step "debootstrap bookworm into $CHROOT ($MIRROR)"
debootstrap --variant=minbase bookworm "$CHROOT" "$MIRROR" >"$CHROOT.log" 2>&1 ||
	{ tail -20 "$CHROOT.log" >&2; rm -f "$CHROOT.log"; exit 1; }
rm -f "$CHROOT.log"
mount -t proc proc "$CHROOT/proc"
mount --bind /dev "$CHROOT/dev"
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
mkdir -p "$CHROOT/tmp/debs"
debs=()
for p in libmemcg0 libmemcg-dev memcg-tools; do
	f=$(ls "$DEBS"/${p}_*.deb | tail -1)
	cp "$f" "$CHROOT/tmp/debs/"
	debs+=("/tmp/debs/$(basename "$f")")
done
chmod -R a+rX "$CHROOT/tmp/debs"	# apt reads them as _apt
cp "$ROOT/tests/scenarios/selftest_max.scn" "$CHROOT/tmp/"

in_chroot() { chroot "$CHROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

step "apt-get install the packages (and pkg-config, man-db)"
in_chroot apt-get update -qq
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	--no-install-recommends "${debs[@]}" pkg-config man-db >/dev/null
in_chroot dpkg -l libmemcg0 libmemcg-dev memcg-tools | tail -3

step "memcg --version"
in_chroot memcg --version
step "memcg run selftest_max.scn"
in_chroot memcg run /tmp/selftest_max.scn
step "memcg kernel --paths"
paths=$(in_chroot memcg kernel --paths || true)	# 3 when a file is missing
echo "$paths"
grep -q '^player *\/usr\/libexec\/memcg\/memcg-player$' <<<"$paths" ||
	{ echo "package-check: memcg does not find its player" >&2; exit 1; }
step "pkg-config memcg: $(in_chroot pkg-config --modversion memcg)," \
	"$(in_chroot pkg-config --cflags --libs memcg)"
step "man -w memcg: $(in_chroot man -w memcg)"
step "ok: installed and ran on a clean Debian 12 in $((SECONDS - start)) s"
