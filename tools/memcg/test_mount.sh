#!/usr/bin/env bash
# memcg mount: a real FUSE mount in a temporary directory, driven with
# real shell commands (mkdir, rmdir, ls, stat, cat, echo >, rm, mv, touch)
# and python3 (writes of exact sizes, reads through a kept fd, poll()),
# checking contents, modes and the kernel's errno strings; v1 mode; a
# scenario run step by step with --pause (Enter and SIGUSR1), poll() on
# memory.events woken by the scenario's OOM; unmounts by fusermount3 -u,
# SIGTERM and SIGINT; and bad mount points (missing, a file, busy): one
# line, exit 2, nothing mounted. Every mount is undone at exit, also on
# failure.
#
#   test_mount.sh MEMCG          (ctest runs it)
#
# Exits 77 (ctest's SKIP_RETURN_CODE) only when the environment has no
# /dev/fuse at all; a /dev/fuse that cannot be used, or no fusermount3,
# is a failure.
set -uo pipefail

MEMCG=$1
SKIP=77
WAIT_S=60		# how long a step may take before the test gives up

if [[ ! -e /dev/fuse ]]; then
	echo "SKIP: no /dev/fuse here: this kernel or container has no FUSE"
	exit $SKIP
fi
if [[ ! -c /dev/fuse || ! -r /dev/fuse || ! -w /dev/fuse ]]; then
	echo "FAIL: /dev/fuse exists but is not a character device this user" \
	     "can read and write" >&2
	exit 1
fi
if ! command -v fusermount3 >/dev/null; then
	echo "FAIL: fusermount3 is missing: install fuse3 (scripts/deps.sh)" >&2
	exit 1
fi
if ! command -v python3 >/dev/null; then
	echo "FAIL: python3 is missing (scripts/deps.sh)" >&2
	exit 1
fi

. "$(dirname "$0")/test_lib.sh"
PIDS=()

is_mounted() {
	awk -v d="$1" '$2 == d { f = 1 } END { exit !f }' /proc/mounts
}

cleanup() {
	local pid d
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	for d in "$TMP"/mnt*; do
		if is_mounted "$d"; then
			fusermount3 -u -z "$d" 2>/dev/null
		fi
	done
	rm -rf --one-file-system "$TMP"
}
trap cleanup EXIT

# check_err WHAT ERRNO-STRING CMD...: CMD fails and says ERRNO-STRING.
check_err() {
	local what=$1 want=$2 out
	shift 2
	checks=$((checks + 1))
	if out=$("$@" 2>&1); then
		fail "$what: succeeded, want '$want'"
	elif [[ $out != *"$want"* ]]; then
		fail "$what: got '$out', want '$want'"
	fi
}

# until_true WHAT CMD...: wait (at most WAIT_S) for CMD to succeed.
until_true() {
	local what=$1 i
	shift
	for ((i = 0; i < WAIT_S * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	fail "$what: not within ${WAIT_S}s"
	return 1
}

has_line() {
	grep -qF -- "$2" "$1" 2>/dev/null
}

# start NAME ARGS...: memcg mount ARGS in the background, stdin from
# $TMP/NAME.in (a FIFO kept open on fd 3 by the caller, or /dev/null),
# output in $TMP/NAME.out and .err; waits until it is mounted. Sets PID.
start() {
	local name=$1
	shift
	local in=/dev/null
	[[ -p $TMP/$name.in ]] && in=$TMP/$name.in
	"$MEMCG" mount "$@" <"$in" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	PID=$!
	PIDS+=("$PID")
	until_true "$name: mounted" has_line "$TMP/$name.err" \
		"the cgroup tree is at"
}

# finish NAME PID WANT_STATUS: wait for it to exit with WANT_STATUS.
finish() {
	local name=$1 pid=$2 want=$3 st
	until_true "$name: exits" eval "! kill -0 $pid 2>/dev/null"
	wait "$pid"
	st=$?
	check_eq "$name: exit status" "$st" "$want"
}

lsdir() {
	ls -A "$1" | tr '\n' ' '
}

# --- 1. v2, no scenario ---------------------------------------------------
M=$TMP/mnt1
mkdir "$M"
start v2 "$M"
check_eq "v2: fuse.memcg mounted" "$(awk -v d="$M" '$2 == d { print $3 }' /proc/mounts)" \
	"fuse.memcg"
check_eq "v2: root files" "$(lsdir "$M")" \
	"cgroup.max.depth cgroup.max.descendants cgroup.stat memory.pressure memory.reclaim memory.stat "
mkdir "$M/A" && mkdir "$M/A/B"
check_eq "mkdir A A/B: ls" "$(lsdir "$M")" \
	"A cgroup.max.depth cgroup.max.descendants cgroup.stat memory.pressure memory.reclaim memory.stat "
check_eq "A's files" "$(lsdir "$M/A")" \
	"B cgroup.max.depth cgroup.max.descendants cgroup.stat memory.current memory.events memory.events.local memory.high memory.low memory.max memory.min memory.oom.group memory.peak memory.pressure memory.reclaim memory.stat memory.swap.current memory.swap.events memory.swap.high memory.swap.max "
check_eq "modes" "$(cd "$M/A" && stat -c '%n %A %s' B memory.max memory.current memory.reclaim | tr '\n' ' ')" \
	"B drwxr-xr-x 0 memory.max -rw-r--r-- 0 memory.current -r--r--r-- 0 memory.reclaim --w------- 0 "
check_eq "A's links: 2 + its subdirectory" "$(stat -c %h "$M/A")" 3
check_eq "cat memory.max" "$(cat "$M/A/memory.max")" max
echo 64M >"$M/A/memory.max"
check_eq "echo 64M > memory.max" "$(cat "$M/A/memory.max")" 67108864
check_err "echo 5Q > memory.max" "write error: Invalid argument" \
	bash -c "echo 5Q > '$M/A/memory.max'"
check_eq "memory.max after 5Q" "$(cat "$M/A/memory.max")" 67108864
echo 32M >>"$M/A/memory.max"	# kernfs: the offset does not matter
check_eq "echo 32M >> memory.max" "$(cat "$M/A/memory.max")" 33554432
check_err "write 4097 bytes" "Argument list too long" python3 -c "
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
os.write(fd, b'0' * 4097)" "$M/A/memory.max"
python3 -c "
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
assert os.write(fd, b'0' * 4096) == 4096" "$M/A/memory.max" ||
	fail "write of 4096 bytes"
check_eq "4096 zeros: memory.max 0" "$(cat "$M/A/memory.max")" 0
check_err "echo 1 > memory.current (read-only)" "write error: Invalid argument" \
	bash -c "echo 1 > '$M/A/memory.current'"
check_err "cat memory.reclaim (write-only)" "Invalid argument" \
	cat "$M/A/memory.reclaim"
check_err "rmdir A (a child)" "Device or resource busy" rmdir "$M/A"
check_err "mkdir A/memory.max" "File exists" mkdir "$M/A/memory.max"
check_err "mkdir A/cgroup.procs (the kernel's name)" "File exists" \
	mkdir "$M/A/cgroup.procs"
check_err "mkdir A/x<newline>y" "Invalid argument" mkdir "$M/A/x"$'\n'"y"
check_err "rmdir A/memory.max" "Not a directory" rmdir "$M/A/memory.max"
check_err "cat A/nosuch" "No such file or directory" cat "$M/A/nosuch"
check_err "mkdir X/Y" "No such file or directory" mkdir "$M/X/Y"
check_err "touch A/new" "Permission denied" touch "$M/A/new"
check_err "rm A/memory.max" "Operation not permitted" rm -f "$M/A/memory.max"
check_err "mv A C" "Operation not permitted" mv "$M/A" "$M/C"
check_eq "memory.stat's first line" "$(head -1 "$M/A/memory.stat")" "anon 0"
# an fd kept across rmdir: the kernel's ENODEV
python3 - "$M/A/B" >"$TMP/enodev" 2>&1 <<'PY'
import errno, os, sys
fd = os.open(sys.argv[1] + "/memory.max", os.O_RDONLY)
print(os.read(fd, 100).decode().strip())
os.rmdir(sys.argv[1])
try:
    os.pread(fd, 100, 0)
    print("read after rmdir: succeeded")
except OSError as e:
    print("read after rmdir:", errno.errorcode[e.errno])
PY
check_eq "read through an fd after rmdir" "$(tr '\n' ' ' <"$TMP/enodev")" \
	"max read after rmdir: ENODEV "
rmdir "$M/A" || fail "rmdir A"
check_eq "rmdir A: ls" "$(lsdir "$M")" \
	"cgroup.max.depth cgroup.max.descendants cgroup.stat memory.pressure memory.reclaim memory.stat "
fusermount3 -u "$M" || fail "fusermount3 -u"
finish v2 "$PID" 0
has_line "$TMP/v2.err" "was unmounted" || fail "v2: no 'was unmounted' line"
is_mounted "$M" && fail "v2: still mounted"

# --- 2. v1 mode, unmounted by SIGTERM -------------------------------------
M=$TMP/mnt2
mkdir "$M"
start v1 "$M" --mode v1
mkdir "$M/A"
check_eq "v1: A's files" "$(lsdir "$M/A")" \
	"cgroup.event_control memory.failcnt memory.force_empty memory.kmem.failcnt memory.kmem.limit_in_bytes memory.kmem.max_usage_in_bytes memory.kmem.tcp.failcnt memory.kmem.tcp.limit_in_bytes memory.kmem.tcp.max_usage_in_bytes memory.kmem.tcp.usage_in_bytes memory.kmem.usage_in_bytes memory.limit_in_bytes memory.max_usage_in_bytes memory.memsw.failcnt memory.memsw.limit_in_bytes memory.memsw.max_usage_in_bytes memory.memsw.usage_in_bytes memory.move_charge_at_immigrate memory.oom_control memory.pressure_level memory.soft_limit_in_bytes memory.stat memory.swappiness memory.usage_in_bytes memory.use_hierarchy "
check_eq "v1: modes" "$(cd "$M/A" && stat -c '%n %a' memory.limit_in_bytes memory.usage_in_bytes | tr '\n' ' ')" \
	"memory.limit_in_bytes 644 memory.usage_in_bytes 444 "
echo 64M >"$M/A/memory.limit_in_bytes"
check_eq "v1: limit_in_bytes" "$(cat "$M/A/memory.limit_in_bytes")" 67108864
check_err "v1: echo 5Q > limit_in_bytes" "write error: Invalid argument" \
	bash -c "echo 5Q > '$M/A/memory.limit_in_bytes'"
check_err "v1: cat memory.events" "No such file or directory" \
	cat "$M/A/memory.events"
kill -TERM "$PID"
finish v1 "$PID" 0
has_line "$TMP/v1.err" "Terminated: unmounting" || fail "v1: no SIGTERM line"
is_mounted "$M" && fail "v1: still mounted after SIGTERM"

# --- 3. a scenario, paused, and poll() on memory.events --------------------
M=$TMP/mnt3
mkdir "$M"
SCN=$TMP/oom.scn
cat >"$SCN" <<'EOF'
machine memory=256M swap=0 cpus=1
mkdir A
write A/memory.max 8M
task t A
t anon 16M
expect t killed
EOF
mkfifo "$TMP/scn.in"
exec 3<>"$TMP/scn.in"
start scn "$M" "$SCN" --pause
paused() {
	until_true "paused before line $1" has_line "$TMP/scn.err" \
		"paused before $SCN:$1:"
}
paused 2
check_eq "before mkdir A" "$(lsdir "$M")" \
	"cgroup.max.depth cgroup.max.descendants cgroup.stat memory.pressure memory.reclaim memory.stat "
echo >&3			# Enter
paused 3
check_eq "after mkdir A: memory.max" "$(cat "$M/A/memory.max")" max
echo >&3
paused 4
check_eq "after the write: memory.max" "$(cat "$M/A/memory.max")" 8388608
echo >&3
paused 5
# the poller: a fresh open polls changed, a read re-arms, then it waits
python3 - "$M/A/memory.events" >"$TMP/poll.out" 2>&1 <<'PY' &
import select, sys
f = open(sys.argv[1], "rb", buffering=0)
p = select.poll()
p.register(f, select.POLLPRI)
print("fresh:", "PRI" if p.poll(0) else "none", flush=True)
f.read()
print("after read:", "PRI" if p.poll(0) else "none", flush=True)
p.register(f, select.POLLIN | select.POLLPRI)
ev = p.poll(0)
print("after read, POLLIN:", ev[0][1] == select.POLLIN if ev else None,
      flush=True)
p.register(f, select.POLLPRI)
print("armed", flush=True)
ev = p.poll(60000)
print("woken:", [e for _, e in ev] == [select.POLLPRI | select.POLLERR],
      flush=True)
f.seek(0)
ev = dict(l.split() for l in f.read().decode().splitlines())
print("max > 0:", int(ev["max"]) > 0, flush=True)	# the first change
PY
POLLER=$!
PIDS+=("$POLLER")
until_true "poller armed" has_line "$TMP/poll.out" "armed"
kill -USR1 "$PID"		# SIGUSR1 runs "t anon 16M": the OOM kill
paused 6
until_true "poller woken" eval "! kill -0 $POLLER 2>/dev/null"
check_eq "poll() on memory.events" "$(tr '\n' '|' <"$TMP/poll.out")" \
	"fresh: PRI|after read: none|after read, POLLIN: True|armed|woken: True|max > 0: True|"
echo >&3
until_true "scenario over" has_line "$TMP/scn.err" "over; $M stays mounted"
check_eq "scenario output" "$(cat "$TMP/scn.out")" "t killed
ok t killed (killed)"
check_eq "the same as memcg run's, reads between commands notwithstanding" \
	"$(cat "$TMP/scn.out")" "$("$MEMCG" run "$SCN")"
is_mounted "$M" || fail "scenario: not mounted after its end"
check_eq "after the OOM: memory.events" \
	"$(grep -E '^oom(_kill)? ' "$M/A/memory.events" | tr '\n' ' ')" \
	"oom 1 oom_kill 1 "
kill -INT "$PID"
finish scn "$PID" 0
exec 3>&-
has_line "$TMP/scn.err" "Interrupt: unmounting" || fail "scn: no SIGINT line"
is_mounted "$M" && fail "scenario: still mounted after SIGINT"

# --- 4. bad mount points and usage: one line, exit 2, nothing mounted -------
mounts_before=$(wc -l </proc/mounts)
# bad NAME WANT-LINE ARGS...
bad() {
	local name=$1 want=$2 st
	shift 2
	"$MEMCG" mount "$@" </dev/null >"$TMP/bad.out" 2>"$TMP/bad.err"
	st=$?
	check_eq "$name: exit status" "$st" 2
	check_eq "$name: stderr" "$(cat "$TMP/bad.err")" "$want"
	check_eq "$name: stdout" "$(cat "$TMP/bad.out")" ""
}
bad "missing mount point" \
	"memcg mount: $TMP/nosuch: No such file or directory" "$TMP/nosuch"
touch "$TMP/file"
bad "a file" "memcg mount: $TMP/file: not a directory" "$TMP/file"
bad "no directory" "memcg mount: which directory? (memcg mount --help)"
bad "unknown option" \
	"memcg mount: unknown option '--bogus' (memcg mount --help lists them)" \
	"$TMP" --bogus
bad "three operands" \
	"memcg mount: one directory and one scenario file only, not also 'x'" \
	"$TMP" "$SCN" x
bad "scenario is a directory" \
	"memcg: $TMP: a directory, not a scenario file" "$TMP/mnt1" "$TMP"
M=$TMP/mnt4
mkdir "$M"
start busy "$M"
bad "busy mount point" "memcg mount: $M: already a mount point (busy)" "$M"
check_eq "busy: one mount at $M" "$(awk -v d="$M" '$2 == d' /proc/mounts | wc -l)" 1
fusermount3 -u "$M" || fail "busy: fusermount3 -u"
finish busy "$PID" 0
check_eq "nothing left mounted" "$(wc -l </proc/mounts)" "$mounts_before"

tests_done test_mount
