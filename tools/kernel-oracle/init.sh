#!/bin/sh
# /init of the kernel oracle's initramfs (PID 1 in the VM).
#
# Mounts proc, sys, dev and the cgroup hierarchy, loads the modules
# listed in /oracle/modules (in order), puts swap on zram0 and an ext2
# scratch filesystem on zram1 (page cache must be file cache, not shmem as
# on tmpfs), enables the memory controller at the root, then runs the
# player on /oracle/scenario.scn with its output on the second serial port
# (/dev/ttyS1) between markers, and powers off.
#
# /oracle/env (shell syntax, written by the host for each run):
#   MODE          v2: cgroup2 at /sys/fs/cgroup with +memory at the root;
#                 v1: the v1 memory hierarchy there instead
#   SWAP_BYTES    swap size (0: no swap)
#   SCRATCH_BYTES size of the scratch filesystem
#   THP           transparent_hugepage/enabled (the machine line's thp=
#                 or --thp; "" = kernel default)
#   LRU_GEN       lru_gen/enabled: y (MGLRU on), 0 (off), "" (the kernel's)
#   RAM_MB, HZ    the VM's memory (qemu -m) and the kernel's CONFIG_HZ, as
#                 the host knows them, for the @@ORACLE-VM line
#   PLAYER_ARGS   extra arguments for the player
#   PROBE         non-empty: print "@@ORACLE-PROBE" and power off at once
#                 (the host checks whether KVM works)
export PATH=/bin
OUT=/dev/ttyS1
MODE=v2 SWAP_BYTES=0 SCRATCH_BYTES=536870912 THP= LRU_GEN= PLAYER_ARGS=
PROBE= RAM_MB=0 HZ=unknown
. /oracle/env
fail() {
	echo "kernel-oracle: init: $*" >&2
	echo "@@ORACLE-ERROR $*" >$OUT
	echo "@@ORACLE-END 3" >$OUT
	poweroff -f
}

# selected FILE: the [chosen] word of a sysfs choice file, or "none".
selected() {
	for w in $(cat "$1" 2>/dev/null); do
		case $w in
		\[*\]) w=${w#?}; echo "${w%?}"; return ;;
		esac
	done
	echo none
}

# vm_line: "@@ORACLE-VM key=value ..." with what changes reclaim, read here.
vm_line() {
	memtotal=0 cpus=0 swap=none comp=none
	while read -r k v _; do
		[ "$k" = MemTotal: ] && memtotal=$v
	done </proc/meminfo
	while read -r k _; do
		[ "$k" = processor ] && cpus=$((cpus + 1))
	done </proc/cpuinfo
	if [ "$SWAP_BYTES" != 0 ]; then
		swap=zram comp=$(selected /sys/block/zram0/comp_algorithm)
	fi
	echo "@@ORACLE-VM kernel=$(cat /proc/sys/kernel/osrelease)" \
		"ram_mb=$RAM_MB memtotal_kb=$memtotal swap=$swap" \
		"swap_bytes=$SWAP_BYTES comp=$comp cpus=$cpus hz=$HZ" \
		"lru_gen=$(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null || echo none)" \
		"thp=$(selected /sys/kernel/mm/transparent_hugepage/enabled)"
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
if [ -n "$PROBE" ]; then
	echo "@@ORACLE-PROBE" >$OUT
	poweroff -f
fi
if [ "$MODE" = v1 ]; then
	mount -t tmpfs cgroup /sys/fs/cgroup &&
		mkdir -p /sys/fs/cgroup/memory &&
		mount -t cgroup -o memory memory /sys/fs/cgroup/memory ||
		fail "mount the v1 memory hierarchy"
	CGROOT=/sys/fs/cgroup/memory
else
	mount -t cgroup2 none /sys/fs/cgroup || fail "mount cgroup2"
	CGROOT=/sys/fs/cgroup
fi

while read -r ko args; do
	[ -n "$ko" ] || continue
	insmod "/oracle/$ko" $args || fail "insmod $ko"
done </oracle/modules

[ -e /sys/block/zram1 ] || fail "no zram devices"
if [ "$SWAP_BYTES" != 0 ]; then
	echo "$SWAP_BYTES" >/sys/block/zram0/disksize || fail "zram0 disksize"
	mkswap /dev/zram0 >/dev/null || fail "mkswap"
	swapon /dev/zram0 || fail "swapon"
fi
echo "$SCRATCH_BYTES" >/sys/block/zram1/disksize || fail "zram1 disksize"
mke2fs -q -b 4096 -N 1024 -m 0 /dev/zram1 >/dev/null || fail "mke2fs"
mkdir -p /scratch
mount -t ext4 /dev/zram1 /scratch || fail "mount scratch"

if [ -n "$THP" ]; then
	echo "$THP" >/sys/kernel/mm/transparent_hugepage/enabled || fail "thp $THP"
fi
if [ -n "$LRU_GEN" ]; then
	echo "$LRU_GEN" >/sys/kernel/mm/lru_gen/enabled || fail "lru_gen $LRU_GEN"
fi
if [ "$MODE" != v1 ]; then
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control ||
		fail "+memory at the root"
fi

vm_line >$OUT
echo "@@ORACLE-BEGIN $(cat /proc/sys/kernel/osrelease)" >$OUT
cd /scratch
/oracle/player --root $CGROOT $PLAYER_ARGS /oracle/scenario.scn >$OUT
rc=$?
echo "@@ORACLE-END $rc" >$OUT
sync
poweroff -f
