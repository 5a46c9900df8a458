#!/usr/bin/env bash
# Real programs under libmemcg-preload.so (ctest, label unit).
#
#   programs.sh CASE SHIM [CTOR_MAIN]
#
# Exit 0 (pass), 1 (fail) or 77 (skipped: a sanitizer build, whose runtime
# must be the first library of the process and owns malloc, or a program
# this machine lacks). Python is Debian's /usr/bin/python3: a pyenv shim
# on PATH would run the shim under bash as well.
set -uo pipefail

CASE=$1
SHIM=$2
CTOR_MAIN=${3:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=/usr/bin/python3

fail() {
	echo "FAIL ($CASE): $*" >&2
	for f in "$TMP"/*.err; do
		[[ -f $f ]] && { echo "--- $f" >&2; head -50 "$f" >&2; }
	done
	exit 1
}

skip() {
	echo "SKIP ($CASE): $*"
	exit 77
}

if [[ -n ${PRELOAD_SANITIZE:-} ]]; then
	skip "sanitizer build ($PRELOAD_SANITIZE): its runtime owns malloc and must load first"
fi
[[ -f $SHIM ]] || fail "no $SHIM"
# the shim's variables are the test's to set
unset MEMCG_CGROUP MEMCG_MAX MEMCG_HIGH MEMCG_OOM MEMCG_REPORT MEMCG_STRICT

# under NAME=VALUE... -- CMD...: run CMD with the shim preloaded
under() {
	local -a vars=()
	while [[ $1 != -- ]]; do
		vars+=("$1")
		shift
	done
	shift
	env LD_PRELOAD="$SHIM" "${vars[@]}" "$@"
}

# report_value FILE KEY: the last "KEY value" line of the reports in FILE
report_value() {
	awk -v k="$2" '$1 == k && NF == 2 { v = $2 } END { print v + 0 }' "$1"
}

# report_key FILE CGROUPFILE KEY: the last "CGROUPFILE KEY value" line
report_key() {
	awk -v f="$2" -v k="$3" '$1 == f && $2 == k { v = $3 } END { print v + 0 }' "$1"
}

# check_report FILE: a report with memory.current and memory.peak > 0
check_report() {
	grep -q '^memcg-preload: pid [0-9]*, cgroup ' "$1" || fail "no report in $1"
	(($(report_value "$1" memory.current) > 0)) || fail "memory.current is 0"
	(($(report_value "$1" memory.peak) > 0)) || fail "memory.peak is 0"
	grep -q '^memory.stat anon [1-9]' "$1" || fail "no anon in memory.stat"
	grep -q '^memory.events max ' "$1" || fail "no memory.events"
}

need_python() {
	[[ -x $PY ]] || skip "no $PY (Debian's python3)"
}

case_sort() {
	awk 'BEGIN { srand(7); for (i = 0; i < 300000; i++)
		printf "%d %s\n", int(rand() * 1e9), substr("abcdefghij", 1 + i % 10) }' \
		>"$TMP/in.txt"
	sort "$TMP/in.txt" >"$TMP/want.txt" || fail "sort without the shim"
	under MEMCG_CGROUP=app MEMCG_REPORT=1 -- sort "$TMP/in.txt" \
		>"$TMP/out.txt" 2>"$TMP/sort.err" || fail "sort exited $?"
	cmp -s "$TMP/want.txt" "$TMP/out.txt" || fail "sort output differs"
	check_report "$TMP/sort.err"
}

case_python() {
	need_python
	local prog='import json, threading
def work(n):
    d = {i: [str(i)] * 8 for i in range(n)}
    return len(json.dumps(d))
out = []
ts = [threading.Thread(target=lambda: out.append(work(20000))) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(sum(out), work(50000))'
	local want
	want=$("$PY" -c "$prog") || fail "python3 without the shim"
	under MEMCG_CGROUP=tenants/py MEMCG_MAX=1G MEMCG_REPORT=1 -- "$PY" -c "$prog" \
		>"$TMP/out.txt" 2>"$TMP/py.err" || fail "python3 exited $?"
	[[ $(cat "$TMP/out.txt") == "$want" ]] || fail "output: $(cat "$TMP/out.txt"), want $want"
	grep -q '^memcg-preload: pid [0-9]*, cgroup tenants/py$' "$TMP/py.err" ||
		fail "report not for tenants/py"
	check_report "$TMP/py.err"
}

case_python_limit() {
	need_python
	local rc=0
	under MEMCG_CGROUP=app MEMCG_MAX=64M -- "$PY" -c 'bytearray(512 << 20)' \
		>"$TMP/out.txt" 2>"$TMP/py.err" || rc=$?
	((rc == 1)) || fail "exit status $rc, want 1 (MemoryError)"
	grep -q '^MemoryError' "$TMP/py.err" || fail "no MemoryError"
	# the interpreter goes on after the failure
	under MEMCG_CGROUP=app MEMCG_MAX=64M MEMCG_REPORT=1 -- "$PY" -c '
try:
    bytearray(512 << 20)
except MemoryError:
    print("caught")
print(len(bytearray(16 << 20)))' >"$TMP/out.txt" 2>"$TMP/py2.err" ||
		fail "python3 exited $?"
	[[ $(cat "$TMP/out.txt") == $'caught\n16777216' ]] || fail "output: $(cat "$TMP/out.txt")"
	(($(report_key "$TMP/py2.err" memory.events max) > 0)) || fail "no max event"
	(($(report_value "$TMP/py2.err" memory.peak) <= 64 << 20)) ||
		fail "peak over memory.max"
}

case_gcc() {
	command -v gcc >/dev/null || skip "no gcc"
	cat >"$TMP/hello.c" <<-'EOF'
	#include <stdio.h>
	#include <stdlib.h>
	#include <string.h>
	int main(void)
	{
		char *s = strdup("hello, memcg");
		puts(s);
		free(s);
		return 0;
	}
	EOF
	under MEMCG_CGROUP=build MEMCG_REPORT=1 -- gcc -O2 -Wall -o "$TMP/hello" \
		"$TMP/hello.c" 2>"$TMP/gcc.err" || fail "gcc exited $?"
	[[ $("$TMP/hello") == "hello, memcg" ]] || fail "the program gcc built"
	# the driver, cc1, as, collect2 and ld: each its own engine and report
	(($(grep -c '^memcg-preload: pid' "$TMP/gcc.err") >= 3)) ||
		fail "fewer than 3 reports"
	check_report "$TMP/gcc.err"
}

case_oom_abort() {
	need_python
	local rc=0
	under MEMCG_CGROUP=app MEMCG_MAX=64M MEMCG_OOM=abort -- \
		"$PY" -c 'bytearray(512 << 20)' >/dev/null 2>"$TMP/py.err" || rc=$?
	((rc == 134)) || fail "exit status $rc, want 134 (SIGABRT)"
	grep -qx 'memcg: app: allocation of 536870913 bytes over memory.max (67108864 bytes), aborting' \
		"$TMP/py.err" || fail "no abort line"
	(($(grep -c '^memcg:' "$TMP/py.err") == 1)) || fail "more than one line"
}

case_fork() {
	need_python
	under MEMCG_CGROUP=app MEMCG_REPORT=1 -- "$PY" -c '
import os, sys
keep = bytearray(8 << 20)
pid = os.fork()
if pid == 0:
    more = bytearray(4 << 20)
    sys.exit(0)
_, st = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(st))' >"$TMP/out.txt" 2>"$TMP/fork.err" ||
		fail "python3 exited $?"
	[[ $(cat "$TMP/out.txt") == 0 ]] || fail "child: $(cat "$TMP/out.txt")"
	# two reports, two pids: each process has its own engine
	(($(grep '^memcg-preload: pid' "$TMP/fork.err" | sort -u | wc -l) == 2)) ||
		fail "want 2 reports"
	check_report "$TMP/fork.err"
}

case_ctor() {
	[[ -x $CTOR_MAIN ]] || fail "no $CTOR_MAIN"
	under MEMCG_CGROUP=app MEMCG_REPORT=1 -- "$CTOR_MAIN" >"$TMP/out.txt" \
		2>"$TMP/ctor.err" || fail "exited $?"
	[[ $(cat "$TMP/out.txt") == ok ]] || fail "output: $(cat "$TMP/out.txt")"
	# the constructor's 8 MiB, charged before the shim's own constructor ran
	(($(report_value "$TMP/ctor.err" memory.current) >= 8 << 20)) ||
		fail "the constructor's block is not charged"
}

# bad VAR VALUE WHAT [MORE...]: one line naming VAR and VALUE, exit 1;
# with MEMCG_STRICT=0 the program runs, unaccounted
bad() {
	local var=$1 val=$2 rc=0
	shift 2
	under MEMCG_CGROUP=app "$@" "$var=$val" -- /bin/echo ran \
		>"$TMP/out.txt" 2>"$TMP/bad.err" || rc=$?
	((rc == 1)) || fail "$var=$val: exit status $rc, want 1"
	[[ ! -s $TMP/out.txt ]] || fail "$var=$val: the program ran"
	(($(wc -l <"$TMP/bad.err") == 1)) || fail "$var=$val: not one line"
	grep -qF "$var=\"${val:0:100}" "$TMP/bad.err" || fail "$var=$val: not named"
	if [[ $var != MEMCG_STRICT ]]; then
		under MEMCG_CGROUP=app MEMCG_REPORT=1 "$@" "$var=$val" MEMCG_STRICT=0 \
			-- /bin/echo ran >"$TMP/out.txt" 2>"$TMP/bad.err" ||
			fail "$var=$val MEMCG_STRICT=0: exit status $?"
		[[ $(cat "$TMP/out.txt") == ran ]] || fail "MEMCG_STRICT=0: did not run"
		grep -q 'running unaccounted' "$TMP/bad.err" || fail "no message"
		! grep -q '^memory.current' "$TMP/bad.err" || fail "accounted"
	fi
}

case_bad_cgroup() {
	bad MEMCG_CGROUP 'a//b'
	bad MEMCG_CGROUP '../up'
	bad MEMCG_CGROUP '/abs'
	bad MEMCG_CGROUP '.'
	bad MEMCG_CGROUP "$(printf 'x%.0s' {1..300})"
}

case_bad_max() {
	bad MEMCG_MAX 64Q
	bad MEMCG_MAX 12abc
	bad MEMCG_MAX -5
}

case_bad_high() {
	bad MEMCG_HIGH lots
	bad MEMCG_HIGH '1M 2M'
}

case_bad_oom() {
	bad MEMCG_OOM explode
}

case_bad_report() {
	bad MEMCG_REPORT yes
}

case_bad_strict() {
	bad MEMCG_STRICT maybe
}

# MEMCG_STRICT=0 with good input changes nothing; MAX without a cgroup
case_strict_off() {
	under MEMCG_CGROUP=app MEMCG_MAX=64M MEMCG_STRICT=0 MEMCG_REPORT=1 -- \
		/bin/echo ran >"$TMP/out.txt" 2>"$TMP/ok.err" || fail "exited $?"
	[[ $(cat "$TMP/out.txt") == ran ]] || fail "did not run"
	check_report "$TMP/ok.err"
	local rc=0
	env -u MEMCG_CGROUP LD_PRELOAD="$SHIM" MEMCG_MAX=64M /bin/echo ran \
		>"$TMP/out.txt" 2>"$TMP/bad.err" || rc=$?
	((rc == 1)) || fail "MEMCG_MAX without MEMCG_CGROUP: exit status $rc"
	grep -q 'MEMCG_MAX="64M": set without MEMCG_CGROUP' "$TMP/bad.err" ||
		fail "no message"
	# no MEMCG_CGROUP at all: nothing charged, nothing said
	env LD_PRELOAD="$SHIM" /bin/echo ran >"$TMP/out.txt" 2>"$TMP/none.err" ||
		fail "unset: exited $?"
	[[ ! -s $TMP/none.err ]] || fail "unset: said something"
}

declare -F "case_$CASE" >/dev/null || fail "no such case"
"case_$CASE"
echo "ok ($CASE)"
