#!/usr/bin/env bash
# Prepare the kernel oracle's host side: install the Debian packages it
# needs when they are missing, then print what it found, one KEY=VALUE a
# line, for oracle.c (and people) to read:
#
#   KERNEL=/boot/vmlinuz-<ver>     the kernel image qemu boots
#   KVER=<ver>                      its release
#   MODDIR=/lib/modules/<ver>       where its modules live
#   MODULES=<a.ko> <b.ko> ...       the modules /init loads, in load order
#                                   (.ko.xz on 6.12: the initramfs
#                                   builder decompresses them)
#   HZ=<n>                          CONFIG_HZ of /boot/config-<ver>
#   QEMU=/usr/bin/qemu-system-x86_64
#   BUSYBOX=/bin/busybox            statically linked
#
# MEMCG_ORACLE_KERNEL=6.1|6.12 picks the series (default 6.1): the newest
# installed /boot/vmlinuz-<series>.*. 6.1 is Debian 12's linux-image-amd64;
# 6.12 is its backport linux-image-6.12.118+deb12-amd64-unsigned, installed
# only when no 6.12 kernel is. MEMCG_ORACLE_KVER=<ver> picks one release
# of that series.
#
# Debian's kernel builds the memory controller and cgroup v2 in, but zram,
# ext4 and crc32c are modules: MODULES lists their .ko files and everything
# they depend on (from modules.dep), relative to MODDIR, dependencies
# first. Idempotent, silent apart from the lines above when
# everything is installed. Needs root (or sudo) only to install.
set -euo pipefail

SERIES=${MEMCG_ORACLE_KERNEL:-6.1}
case $SERIES in
6.1) KPKG=linux-image-amd64 ;;
6.12) KPKG=linux-image-6.12.118+deb12-amd64-unsigned ;;
*)
	echo "kernel-oracle: MEMCG_ORACLE_KERNEL=$SERIES: expected 6.1 or 6.12" >&2
	exit 1
	;;
esac

# installed_kernels: the /boot/vmlinuz-<SERIES>.* that have modules, oldest first.
installed_kernels() {
	local img ver
	while read -r img; do
		ver=${img#/boot/vmlinuz-}
		[[ $ver == "$SERIES".* ]] || continue
		[[ -f /lib/modules/$ver/modules.dep ]] && echo "$img"
	done < <(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V)
	return 0
}

# xz-utils: the 6.12 package's modules are .ko.xz.
PACKAGES=(qemu-system-x86 busybox-static xz-utils)
if [[ -z $(installed_kernels) ]]; then
	PACKAGES+=("$KPKG")
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	if [[ "$status" != "install ok installed" ]]; then
		missing+=("$pkg")
	fi
done
if ((${#missing[@]})); then
	echo "kernel-oracle: installing ${missing[*]}" >&2
	SUDO=
	((EUID == 0)) || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq >&2
	# No recommends: the kernel would pull in firmware and more.
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
		{ echo "kernel-oracle: apt-get install failed" >&2; exit 1; }
fi

# The newest installed kernel of the series, or MEMCG_ORACLE_KVER.
KERNEL= KVER=
while read -r img; do
	ver=${img#/boot/vmlinuz-}
	if [[ -n ${MEMCG_ORACLE_KVER:-} && $ver != "$MEMCG_ORACLE_KVER" ]]; then
		continue
	fi
	KERNEL=$img KVER=$ver
done < <(installed_kernels)
if [[ -z $KERNEL ]]; then
	echo "kernel-oracle: no /boot/vmlinuz-${MEMCG_ORACLE_KVER:-$SERIES.*} with" \
		"/lib/modules/<ver>/modules.dep" >&2
	exit 1
fi
MODDIR=/lib/modules/$KVER

# Modules the VM needs, by name: zram (swap and the scratch disk), ext4
# (which mounts the ext2 scratch filesystem) and crc32c, which ext4 asks
# the crypto API for at mount time. zram's default compressor (lzo-rle)
# is built in on 6.1; 6.12's zram has its own backends (default lz4, no
# lzo) and its modules.dep lists lz4_compress and lz4hc_compress first.
# A name that is neither a module nor built in is an error.
WANT=(zram ext4 crc32c_generic)

# add_module PATH: append PATH to ORDER after its dependencies.
declare -A SEEN=()
ORDER=()
add_module() {
	local rel=$1 dep
	[[ -n ${SEEN[$rel]:-} ]] && return 0
	SEEN[$rel]=1
	local line
	line=$(grep -E "^${rel}:" "$MODDIR/modules.dep" || true)
	for dep in ${line#*:}; do
		add_module "$dep"
	done
	ORDER+=("$rel")
}
for name in "${WANT[@]}"; do
	# modules.dep keys are paths ending in /<name>.ko[.xz|.zst]; _ and - are the same.
	pat=${name//[-_]/[-_]}
	rel=$(grep -oE "^[^:]*/${pat}\.ko(\.xz|\.zst|\.gz)?:" "$MODDIR/modules.dep" | head -n1 || true)
	rel=${rel%:}
	if [[ -n $rel ]]; then
		add_module "$rel"
	elif ! grep -qE "/${pat}\.ko" "$MODDIR/modules.builtin" 2>/dev/null; then
		echo "kernel-oracle: module $name is neither a module nor built in" >&2
		exit 1
	fi
done

echo "KERNEL=$KERNEL"
echo "KVER=$KVER"
echo "MODDIR=$MODDIR"
echo "MODULES=${ORDER[*]}"
HZ=$(sed -n 's/^CONFIG_HZ=//p' "/boot/config-$KVER" 2>/dev/null || true)
echo "HZ=${HZ:-unknown}"
echo "QEMU=$(command -v qemu-system-x86_64)"
BUSYBOX=$(command -v busybox || echo /bin/busybox)
# The initramfs has no C library: a dynamic busybox cannot run there.
if [[ ! -x $BUSYBOX ]] || head -c 1024 "$BUSYBOX" | grep -qa 'ld-linux'; then
	echo "kernel-oracle: $BUSYBOX is not a static busybox (busybox-static)" >&2
	exit 1
fi
echo "BUSYBOX=$BUSYBOX"
