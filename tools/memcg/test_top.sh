#!/usr/bin/env bash
# memcg run --top and the progress line, under a pseudo-terminal (python3's
# pty): on a terminal the table is drawn in place (ANSI home and clear)
# and its last drawing is the table of the run's end, followed by the
# run's lines; piped, a table every 10 commands and at the end; the
# progress line shows on a terminal's stderr only, and is erased.
#
#   test_top.sh MEMCG SOURCE_DIR      (ctest runs it)
set -uo pipefail

MEMCG=$1
SRC=$2
SCN=$SRC/examples/limit-and-swap.scn
. "$(dirname "$0")/test_lib.sh"

# onpty OUT ERR ENV... -- CMD...: CMD with stdout (OUT=tty) or stderr
# (ERR=tty) on a pseudo-terminal, the other a pipe; what each got goes to
# $TMP/stdout and $TMP/stderr, the exit status to $TMP/rc.
onpty() {
	python3 - "$TMP" "$@" <<'PY'
import os, pty, subprocess, sys
tmp, out_tty, err_tty = sys.argv[1], sys.argv[2] == "tty", sys.argv[3] == "tty"
rest = sys.argv[4:]
sep = rest.index("--")
env = dict(os.environ, **dict(kv.split("=", 1) for kv in rest[:sep]))
cmd = rest[sep + 1:]
master, slave = pty.openpty()
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                     stdout=slave if out_tty else subprocess.PIPE,
                     stderr=slave if err_tty else subprocess.PIPE, env=env)
os.close(slave)
tty = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:          # EIO: the child closed the terminal
        break
    if not chunk:
        break
    tty += chunk
piped_out = p.stdout.read() if p.stdout else b""
piped_err = p.stderr.read() if p.stderr else b""
rc = p.wait()
tty = tty.replace(b"\r\n", b"\n")     # the terminal's ONLCR
open(f"{tmp}/stdout", "wb").write(tty if out_tty else piped_out)
open(f"{tmp}/stderr", "wb").write(tty if err_tty else piped_err)
open(f"{tmp}/rc", "w").write(str(rc))
PY
}

CLEAR=$'\e[H\e[2J'

# 1. Piped: a table every 10 commands and at the end (21 commands).
"$MEMCG" run --top "$SCN" >"$TMP/piped" 2>"$TMP/err"
check "piped --top exits 0" [ $? -eq 0 ]
check "piped: tables after commands 10, 20 and 21" \
	[ "$(grep '^# top:' "$TMP/piped" | tr '\n' '|')" == \
	  "# top: command 10 of 21 (line 22)|# top: command 20 of 21 (line 36)|# top: command 21 of 21 (line 37)|" ]
check "piped: no ANSI" bash -c '! grep -q $'"'"'\e'"'"' "$1"' _ "$TMP/piped"
# the run's own lines are all there, in order, between the tables
"$MEMCG" run "$SCN" >"$TMP/plain"
check "piped: the run's lines unchanged" \
	cmp -s <(grep -v '^# top:\|^cgroup \|^web \|^batch ' "$TMP/piped") "$TMP/plain"
# the last table, as the run ends
sed -n '/^# top: command 21 of 21/,$p' "$TMP/piped" | tail -n +2 >"$TMP/last_piped"
check "piped: the header" [ "$(head -1 "$TMP/last_piped" | tr -s ' ')" == \
	"cgroup current swap high max events" ]
check "piped: web's row" [ "$(grep '^web ' "$TMP/last_piped" | tr -s ' ')" == \
	"web 63.9M 36.5M max 64.0M max:289" ]
check "piped: batch's row" [ "$(grep '^batch ' "$TMP/last_piped" | tr -s ' ')" == \
	"batch 64.0K 0 max 32.0M max:35 oom:1 oom_kill:1" ]

# 2. On a terminal: drawn in place; the last drawing is the same table,
# then the run's lines.
onpty tty pipe -- "$MEMCG" run --top "$SCN"
check "tty --top exits 0" [ "$(cat "$TMP/rc")" == 0 ]
n=$(grep -o $'\e\[H\e\[2J' "$TMP/stdout" | wc -l)
check "tty: drawn at least twice (start, end), got $n" [ "$n" -ge 2 ]
python3 - "$TMP/stdout" "$CLEAR" >"$TMP/last_screen" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
sys.stdout.write(text.rsplit(sys.argv[2], 1)[1])
PY
check "tty: the last screen's title" [ "$(head -1 "$TMP/last_screen" | sed 's/, [0-9.]* s$//')" == \
	"memcg top: $SCN: command 21 of 21 (line 37)" ]
sed -n '3,/^$/p' "$TMP/last_screen" | sed '/^$/d' | head -3 >"$TMP/last_tty"
check "tty: the last table is the piped run's last table" \
	cmp -s "$TMP/last_tty" "$TMP/last_piped"
check "tty: the run's lines follow the table" \
	cmp -s <(tail -n +6 "$TMP/last_screen") "$TMP/plain"
check "tty: no progress line on stderr with --top" [ ! -s "$TMP/stderr" ]

# 3. The progress line: on a terminal's stderr once the run is older than
# MEMCG_PROGRESS_AFTER_MS (0 here: from the first command), then erased.
onpty pipe tty MEMCG_PROGRESS_AFTER_MS=0 -- "$MEMCG" run "$SCN"
check "progress: exit 0" [ "$(cat "$TMP/rc")" == 0 ]
check "progress: stdout is the run's lines" cmp -s "$TMP/stdout" "$TMP/plain"
check "progress: names the file and the command" \
	grep -qF "memcg: $SCN: command 1 of 21 (line 13), " "$TMP/stderr"
check "progress: erased at the end" \
	[ "$(tail -c 4 "$TMP/stderr" | od -An -c | tr -s ' ')" == " \r 033 [ K" ]
onpty pipe tty MEMCG_PROGRESS_AFTER_MS=3600000 -- "$MEMCG" run "$SCN"
check "progress: none before its time" [ ! -s "$TMP/stderr" ]
MEMCG_PROGRESS_AFTER_MS=0 "$MEMCG" run "$SCN" >/dev/null 2>"$TMP/err"
check "progress: none when stderr is not a terminal" [ ! -s "$TMP/err" ]

# 4. --top is a table: not with --json or --tap.
"$MEMCG" run --top --json "$SCN" >"$TMP/out" 2>"$TMP/err"
check "--top --json exits 2" [ $? -eq 2 ]
check "--top --json: one line" [ "$(cat "$TMP/err")" == \
	"memcg run: --top draws a table: not with --json" ]

tests_done test_top
