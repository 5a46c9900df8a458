#!/usr/bin/env bash
# The memcg command line: exit codes, FILE:LINE messages for malformed
# scenarios, run-time error lines, determinism (same file and seed, same
# bytes), JSON output, machine overrides, tree and plot, strict runs (a
# failed write is an error; expect write ... fails ERRNO; --keep-going).
#
#   test_cli.sh MEMCG TESTDATA_DIR SOURCE_DIR      (ctest runs it)
set -uo pipefail

MEMCG=$1
DATA=$2
SRC=$3
. "$(dirname "$0")/test_lib.sh"

# contains FILE TEXT: FILE has a line containing TEXT.
contains() {
	checks=$((checks + 1))
	grep -qF -- "$2" "$1" || {
		fail "$1 lacks '$2'"
		sed 's/^/  | /' "$1" | head -20 >&2
	}
}

# 1. Malformed files: exit 2 and "FILE:LINE: <what>" (from "# want:").
for f in "$DATA"/bad_*.scn; do
	want=$(sed -n 's/^# want: //p' "$f")
	expect_rc 2 "$MEMCG" run "$f" &&
		contains "$TMP/err" "$f:$want"
	[[ -s $TMP/out ]] && fail "$f: printed on stdout for a malformed file"
	# every command parses first
	expect_rc 2 "$MEMCG" tree "$f"
	expect_rc 2 "$MEMCG" plot "$f" -o "$TMP/x.svg"
done
expect_rc 2 "$MEMCG" run "$TMP/missing.scn" &&
	contains "$TMP/err" "missing.scn: No such file"

# 2. Usage.
expect_rc 0 "$MEMCG" help && contains "$TMP/out" "usage: memcg run FILE"
expect_rc 2 "$MEMCG"
expect_rc 2 "$MEMCG" frobnicate
expect_rc 2 "$MEMCG" run
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" --bogus
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" --memory 12Q
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" --mode v3
expect_rc 2 "$MEMCG" plot "$DATA/failing.scn"
if ! grep -q MEMCG_HAVE_ORACLE "$(dirname "$MEMCG")/CMakeFiles/memcg.dir/flags.make" 2>/dev/null; then
	expect_rc 2 "$MEMCG" kernel "$DATA/failing.scn" &&
		contains "$TMP/err" "memcg kernel: not built"
fi

# 3. Exit 1 when an expect fails, with both values on the FAIL line.
expect_rc 1 "$MEMCG" run "$DATA/failing.scn"
contains "$TMP/out" "ok A/memory.current ~ 10M 5% (10747904 = 10.25M)"
contains "$TMP/out" "FAIL A/memory.current < 1M: got 10747904 = 10.25M, want < 1M [line 7]"
contains "$TMP/err" "1 of 2 expects failed"

# 4. Run-time errors: one line each, the run goes on (writes that fail
# are expected failures here: a plain one would stop the run, 4b).
expect_rc 1 "$MEMCG" run "$DATA/errors.scn"
cat >"$TMP/want" <<'EOF'
mkdir X/Y: ENOENT
ok write A/memory.max lots fails EINVAL (EINVAL)
ok write A/memory.bogus 1 fails ENOENT (ENOENT)
show A/memory.bogus: ENOENT
rmdir A: EBUSY
rmdir A/B: EBUSY
t unmap: EINVAL
t anon: ESRCH
move t A: ESRCH
A/B/memory.current 0
FAIL t alive: got exited, want alive [line 21]
EOF
checks=$((checks + 1))
diff -u "$TMP/want" "$TMP/out" >&2 || fail "errors.scn output"

# 4b. Strict runs: a failed plain write is an error naming FILE:LINE, the
# errno and its message, on stderr; exit 1; nothing after it runs.
W=$DATA/write_failures.scn
diag6="$W:6: write A/memroy.max 10M: ENOENT (No such file or directory)"
diag8="$W:8: write A/memory.max ten: EINVAL (Invalid argument)"
expect_rc 1 "$MEMCG" run "$W" &&
	contains "$TMP/err" "memcg: $diag6"
contains "$TMP/err" "memcg: $W: stopped at line 6, the first failed write"
checks=$((checks + 1))
grep -qF "$diag8" "$TMP/err" && fail "run went on after the failed write"
printf 'write A/memroy.max: ENOENT [line 6]\n' >"$TMP/want"
checks=$((checks + 1))
diff -u "$TMP/want" "$TMP/out" >&2 || fail "write_failures.scn output"
# --keep-going: runs to the end, reports both, still exits 1
expect_rc 1 "$MEMCG" run "$W" --keep-going &&
	contains "$TMP/err" "memcg: $diag6"
contains "$TMP/err" "memcg: $diag8"
contains "$TMP/err" "memcg: $W: 2 writes failed"
cat >"$TMP/want" <<'EOF'
write A/memroy.max: ENOENT [line 6]
A/memory.max max
write A/memory.max: EINVAL [line 8]
A/memory.max max
EOF
checks=$((checks + 1))
diff -u "$TMP/want" "$TMP/out" >&2 || fail "write_failures.scn --keep-going output"
checks=$((checks + 1))
grep -q "stopped at" "$TMP/err" && fail "--keep-going: said it stopped"
# JSON: the error event; the message on stderr all the same
expect_rc 1 "$MEMCG" run "$W" --json &&
	contains "$TMP/out" '{"line":6,"kind":"error","cmd":"write A/memroy.max","error":"ENOENT"}'
contains "$TMP/err" "$diag6"
# tree and plot run the scenario too: the same error, exit 1
expect_rc 1 "$MEMCG" tree "$W" && contains "$TMP/err" "$diag6"
expect_rc 1 "$MEMCG" plot "$W" -o "$TMP/w.svg" && contains "$TMP/err" "$diag6"
expect_rc 1 "$MEMCG" run - <"$W" &&
	contains "$TMP/err" "<stdin>:6: write A/memroy.max 10M: ENOENT"
# expect write ... fails ERRNO: holds when the write fails so (exit 0)...
expect_rc 0 "$MEMCG" run "$DATA/expect_write.scn"
contains "$TMP/out" "ok write A/memory.max foo fails EINVAL (EINVAL)"
contains "$TMP/out" "ok write A/memory.nonexistent 1 fails ENOENT (ENOENT)"
contains "$TMP/out" "ok A/memory.max == max (max)"
checks=$((checks + 1))
[[ -s $TMP/err ]] && fail "expect_write.scn: printed on stderr"
# ...and fails, naming its line, when the write succeeds (exit 1)
expect_rc 1 "$MEMCG" run "$DATA/expect_write_ok.scn"
contains "$TMP/out" "FAIL write A/memory.max 10M fails EINVAL: got success, want EINVAL [line 5]"
contains "$TMP/out" "ok A/memory.max == 10M"
contains "$TMP/err" "1 of 2 expects failed"

# 5. Machine line and its overrides.
expect_rc 0 "$MEMCG" run "$DATA/machine.scn"
contains "$TMP/out" "t killed"
contains "$TMP/out" "A/memory.max max"
expect_rc 1 "$MEMCG" run "$DATA/machine.scn" --memory 512M
contains "$TMP/out" "FAIL t killed: got alive"
expect_rc 1 "$MEMCG" run "$DATA/machine.scn" --memory=512M --mode v1 --cpus 2 \
	--swap 0 --policy kernel
contains "$TMP/out" "show A/memory.max: ENOENT"

# 5b. kernel= and reclaim=: what the engine does not model is one clear
# line naming the machine line, exit 2, nothing on stdout.
engine_refuses() {	# FILE WANT [ARGS...]
	local f=$1 want=$2
	shift 2
	expect_rc 2 "$MEMCG" run "$f" "$@" && contains "$TMP/err" "$f:$want"
	checks=$((checks + 1))
	[[ -s $TMP/out ]] && fail "$f: printed on stdout"
	[[ $(wc -l <"$TMP/err") == 1 ]] || fail "$f: not one line on stderr"
}
engine_refuses "$DATA/mglru.scn" \
	"2: reclaim=mglru with kernel=6.1: the engine models 6.12's MGLRU only; add kernel=6.12"
expect_rc 0 "$MEMCG" run "$DATA/kernel612.scn"
contains "$TMP/out" "ok A/memory.current == 0"
expect_rc 0 "$MEMCG" run "$DATA/thp.scn"
contains "$TMP/out" "ok A/memory.stat thp_fault_alloc == 2"
engine_refuses "$DATA/classic612.scn" \
	"2: mode=v1 with kernel=6.12: Debian's 6.12 is built without CONFIG_MEMCG_V1" \
	--mode v1
expect_rc 0 "$MEMCG" run "$DATA/classic612.scn"
contains "$TMP/out" "ok A/memory.current ~ 4M 10%"
if grep -q MEMCG_HAVE_ORACLE "$(dirname "$MEMCG")/CMakeFiles/memcg.dir/flags.make" 2>/dev/null; then
	# compare runs the engine first: no VM is booted for this
	expect_rc 2 "$MEMCG" compare "$DATA/mglru.scn" &&
		contains "$TMP/err" "$DATA/mglru.scn:2: reclaim=mglru with kernel=6.1: the engine models 6.12's MGLRU only; add kernel=6.12"
	# bad values of the oracle's own flags: usage errors, no boot
	expect_rc 2 "$MEMCG" kernel "$DATA/failing.scn" --kernel 5.10
	expect_rc 2 "$MEMCG" kernel "$DATA/failing.scn" --lru-gen maybe
	expect_rc 2 "$MEMCG" kernel "$DATA/failing.scn" --repeat 0
	# --keep-going is an option of kernel and compare too (no boot here)
	expect_rc 2 "$MEMCG" kernel "$W" --keep-going --kernel 5.10 &&
		contains "$TMP/err" "bad --kernel '5.10'"
	expect_rc 2 "$MEMCG" compare "$W" --keep-going --repeat 0 &&
		contains "$TMP/err" "bad --repeat '0'"
	expect_rc 2 "$MEMCG" kernel "$DATA/bad_v1_kernel.scn" &&
		contains "$TMP/err" "without CONFIG_MEMCG_V1"
	expect_rc 2 "$MEMCG" kernel "$DATA/machine.scn" --kernel 6.12 --mode v1 &&
		contains "$TMP/err" "without CONFIG_MEMCG_V1"
	# a read at an offset and truncate run on the engine only (no boot)
	expect_rc 2 "$MEMCG" kernel "$DATA/sparse_4t.scn" &&
		contains "$TMP/err" "sparse_4t.scn:11: 'read ... at OFFSET' runs on the engine only"
fi

# 6. Determinism: same file and seed, same bytes (text, JSON, seeds).
for args in "" "--json" "--seed 7" "--seed 7 --json" "--show-tree"; do
	for f in "$DATA/seeds.scn" "$SRC/examples/limit-and-swap.scn"; do
		# shellcheck disable=SC2086
		"$MEMCG" run "$f" $args >"$TMP/a" 2>&1
		# shellcheck disable=SC2086
		"$MEMCG" run "$f" $args >"$TMP/b" 2>&1
		checks=$((checks + 1))
		cmp -s "$TMP/a" "$TMP/b" || fail "run $f $args: output differs between runs"
	done
done
"$MEMCG" run "$DATA/seeds.scn" --seed 1 >"$TMP/a" 2>&1
"$MEMCG" run "$DATA/seeds.scn" --seed 1 >"$TMP/b" 2>&1
checks=$((checks + 1))
cmp -s "$TMP/a" "$TMP/b" || fail "--seed 1 twice differs"

# 7. JSON Lines: one object per line.
expect_rc 1 "$MEMCG" run "$DATA/errors.scn" --json
checks=$((checks + 1))
if grep -qv '^{.*}$' "$TMP/out"; then
	fail "--json: a line is not an object"
fi
contains "$TMP/out" '{"line":7,"kind":"error","cmd":"mkdir X/Y","error":"ENOENT"}'
contains "$TMP/out" '{"line":8,"kind":"expect","expr":"write A/memory.max lots fails EINVAL","ok":true,"actual":"EINVAL"}'
contains "$TMP/out" '{"line":21,"kind":"expect","expr":"t alive","ok":false,"actual":"exited"}'
if command -v python3 >/dev/null; then
	checks=$((checks + 1))
	python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)' "$TMP/out" || fail "--json: invalid JSON"
	"$MEMCG" run "$SRC/examples/limit-and-swap.scn" --json --show-tree >"$TMP/j"
	checks=$((checks + 1))
	python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)' "$TMP/j" || fail "--json --show-tree: invalid JSON"
	# docs/json-schema.md: every object has its kind's keys, of their
	# types; integers are numbers, never strings of digits
	cat "$TMP/j" "$TMP/out" >"$TMP/all.json"
	"$MEMCG" run "$DATA/seeds.scn" --json >>"$TMP/all.json"
	"$MEMCG" run "$DATA/write_failures.scn" --json --keep-going >>"$TMP/all.json"
	"$MEMCG" tree "$SRC/examples/zombie.scn" --json --mode v1 --keep-going \
		>>"$TMP/all.json" 2>/dev/null
	checks=$((checks + 1))
	python3 - "$TMP/all.json" <<'PY' || fail "--json: not as docs/json-schema.md says"
import json, re, sys
S, N, B = str, (int,), bool
NS = (int, str)
schema = {
    "show": {"line": N, "file": S, "key": (str, type(None)), "value": NS},
    "expect": {"line": N, "expr": S, "ok": (bool,), "actual": NS},
    "error": {"line": N, "cmd": S, "error": S},
    "killed": {"line": N, "task": S},
    "cgroup": {"path": S, "current": (int, type(None)), "tasks": S,
               "max": (int, str, type(None)), "swap": (int, type(None)),
               "failcnt": (int, type(None))},
}
seen = set()
for n, l in enumerate(open(sys.argv[1]), 1):
    o = json.loads(l)
    k = o["kind"]
    seen.add(k)
    for key, types in schema[k].items():
        if key not in o or not isinstance(o[key], types) or \
           (isinstance(o[key], bool) and bool not in types):
            sys.exit(f"line {n}: {k}: bad {key}: {l}")
    for v in o.values():
        if isinstance(v, str) and re.fullmatch(r"-?(0|[1-9][0-9]{0,18})", v):
            sys.exit(f"line {n}: a number as a string: {l}")
missing = set(schema) - seen
if missing:
    sys.exit(f"never saw {missing}")
PY
fi

# 8. The tree.
expect_rc 0 "$MEMCG" tree "$SRC/examples/limit-and-swap.scn"
contains "$TMP/out" "cgroup tree (v2, memory 512.0M, swap 256.0M, 2 cpus, policy reparent):"
contains "$TMP/out" "|-- web"
contains "$TMP/out" "\`-- batch"
contains "$TMP/out" "server"
contains "$TMP/out" "nr_dying_descendants"
checks=$((checks + 1))
grep -q '^ok ' "$TMP/out" && fail "tree printed the run's lines"
expect_rc 0 "$MEMCG" run --show-tree --utf8 "$SRC/examples/limit-and-swap.scn"
contains "$TMP/out" "ok server alive"
contains "$TMP/out" "├── web"
contains "$TMP/out" "└── batch"

# 9. The plot: a complete SVG with the cgroups, the legend and the lines.
expect_rc 0 "$MEMCG" plot "$SRC/examples/limit-and-swap.scn" -o "$TMP/p.svg"
contains "$TMP/p.svg" "<svg xmlns="
contains "$TMP/p.svg" "</svg>"
contains "$TMP/p.svg" ">web</text>"
contains "$TMP/p.svg" ">batch</text>"
contains "$TMP/p.svg" "memory.swap.current"
contains "$TMP/p.svg" "memory.events oom_kill +1"
contains "$TMP/p.svg" "stroke-dasharray"
if command -v python3 >/dev/null; then
	checks=$((checks + 1))
	python3 -c 'import sys,xml.etree.ElementTree as E; E.parse(sys.argv[1])' \
		"$TMP/p.svg" || fail "plot: not well-formed XML"
fi
expect_rc 0 "$MEMCG" plot "$SRC/examples/protection.scn" -o - &&
	contains "$TMP/out" "</svg>"

# 10. Help, version and exit codes (memcg(1), EXIT STATUS).
# one_line FILE: FILE is exactly one line.
one_line() {
	checks=$((checks + 1))
	[[ $(wc -l <"$1") == 1 ]] || {
		fail "$1: not one line"
		sed 's/^/  | /' "$1" >&2
	}
}
have_oracle() {
	grep -q MEMCG_HAVE_ORACLE "$(dirname "$MEMCG")/CMakeFiles/memcg.dir/flags.make" 2>/dev/null
}
for cmd in run tree plot kernel compare help; do
	expect_rc 0 "$MEMCG" help "$cmd" && contains "$TMP/out" "usage: memcg $cmd"
	cp "$TMP/out" "$TMP/help"
	[[ $cmd == help ]] || contains "$TMP/help" "exit status:"
	for flag in --help -h; do
		expect_rc 0 "$MEMCG" "$cmd" "$flag"
		checks=$((checks + 1))
		cmp -s "$TMP/help" "$TMP/out" || fail "memcg $cmd $flag differs from memcg help $cmd"
	done
	[[ $cmd == help ]] && continue
	# after a file and other options too
	expect_rc 0 "$MEMCG" "$cmd" "$DATA/failing.scn" --seed 1 --help
	# every option the page lists is one the command takes
	for opt in $(sed -n 's/^  \(-[a-z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' "$TMP/help"); do
		[[ $opt == --help ]] && continue
		# a malformed file: nothing runs, no VM boots
		"$MEMCG" "$cmd" "$DATA/bad_size.scn" "$opt" 1 >"$TMP/out" 2>"$TMP/err"
		checks=$((checks + 1))
		if grep -q "unknown option\|is not one of" "$TMP/err"; then
			fail "memcg $cmd refuses $opt, which its help lists"
		fi
	done
done
expect_rc 0 "$MEMCG" --help && contains "$TMP/out" "usage: memcg run FILE"
expect_rc 2 "$MEMCG" help bogus && one_line "$TMP/err"
contains "$TMP/err" "memcg help: no command 'bogus'"
expect_rc 2 "$MEMCG" help run tree && one_line "$TMP/err"
expect_rc 2 "$MEMCG" && contains "$TMP/err" "usage: memcg run FILE"
# --version: the project's version from CMakeLists.txt, and git describe
# when the build had it
want_version=$(sed -n 's/^project(libmemcg VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
expect_rc 0 "$MEMCG" --version
checks=$((checks + 1))
grep -Eq "^memcg $want_version( \(git [^()]+\))?$" "$TMP/out" ||
	fail "--version printed '$(cat "$TMP/out")', want memcg $want_version [(git ...)]"
one_line "$TMP/out"
if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
	contains "$TMP/out" "(git "
fi
expect_rc 2 "$MEMCG" --version extra && one_line "$TMP/err"
# unknown options and commands: one line naming them, exit 2
for cmd in run tree plot kernel compare; do
	expect_rc 2 "$MEMCG" "$cmd" "$DATA/failing.scn" --bogus &&
		contains "$TMP/err" "memcg $cmd: unknown option '--bogus'"
	one_line "$TMP/err"
	checks=$((checks + 1))
	[[ -s $TMP/out ]] && fail "memcg $cmd --bogus: printed on stdout"
done
expect_rc 2 "$MEMCG" --bogus && contains "$TMP/err" "unknown option '--bogus'"
one_line "$TMP/err"
expect_rc 2 "$MEMCG" frobnicate && contains "$TMP/err" "unknown command 'frobnicate'"
one_line "$TMP/err"
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" -o x.svg &&
	contains "$TMP/err" "memcg run: option '-o' is not one of run's"
one_line "$TMP/err"
expect_rc 2 "$MEMCG" plot "$DATA/failing.scn" --json && one_line "$TMP/err"
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" --seed && one_line "$TMP/err"
contains "$TMP/err" "option '--seed' needs a value"
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" "$DATA/seeds.scn" && one_line "$TMP/err"
# each exit status, from what the help pages say
expect_rc 0 "$MEMCG" run "$DATA/expect_write.scn"		# every expect held
expect_rc 1 "$MEMCG" run "$DATA/failing.scn"			# an expect failed
expect_rc 1 "$MEMCG" run "$DATA/write_failures.scn"		# a write failed
expect_rc 2 "$MEMCG" run "$DATA/bad_size.scn"			# malformed
expect_rc 2 "$MEMCG" run "$DATA/mglru.scn"			# not modelled
# output that cannot be written is an error, not a silent success
if [[ -w /dev/full ]]; then
	"$MEMCG" run "$DATA/expect_write.scn" >/dev/full 2>"$TMP/err"
	rc=$?
	checks=$((checks + 1))
	((rc == 2)) || fail "run >/dev/full exited $rc, want 2"
	contains "$TMP/err" "memcg: writing the output: No space left on device"
fi
if have_oracle; then
	# the kernel side failing is 3: here its player is missing (no VM)
	expect_rc 3 env MEMCG_ORACLE_PLAYER=/nonexistent/memcg-player \
		"$MEMCG" kernel "$DATA/expect_write.scn" &&
		contains "$TMP/err" "/nonexistent/memcg-player is missing"
	expect_rc 3 env MEMCG_ORACLE_PLAYER=/nonexistent/memcg-player \
		"$MEMCG" compare "$DATA/expect_write.scn"
	expect_rc 2 "$MEMCG" kernel "$DATA/bad_size.scn"
	expect_rc 2 "$MEMCG" compare "$DATA/bad_size.scn"
	# --paths: the build tree's player, no VM (the installed one:
	# test_install.sh)
	expect_rc 0 "$MEMCG" kernel --paths &&
		contains "$TMP/out" "from     the build tree"
	contains "$TMP/out" "init     $SRC/tools/kernel-oracle/init.sh"
	expect_rc 3 env MEMCG_ORACLE_PLAYER=/nonexistent "$MEMCG" kernel --paths &&
		contains "$TMP/err" "memcg kernel: player /nonexistent is missing"
	expect_rc 2 "$MEMCG" kernel --paths "$DATA/failing.scn" && one_line "$TMP/err"
fi

# 11. Bad input: a directory, binary data, control bytes, /dev/zero: one
# line naming the problem, exit 2, nothing on stdout; whatever the
# output echoes of the user's input has its control bytes escaped.
printf 'mkdir A\n\x7fELF\x02\x01\x01\x00\x00\n' >"$TMP/binary.scn"
printf 'mkdir A\n\x1b[2Jmkdir B\n' >"$TMP/ctl.scn"
cp "$DATA/failing.scn" "$TMP/name"$'\x1b'"[31m.scn"
printf 'mkdir A\nwrite A/memory.max \xc2\x9b2J\n' >"$TMP/c1.scn"
printf 'mkdir A\nexpect write A/memory.max \xff fails EINVAL\n' >"$TMP/ff.scn"
# bad_input CMD FILE WANT: exit 2, WANT on the one line of stderr
bad_input() {
	expect_rc 2 "$MEMCG" "$1" "$2" && contains "$TMP/err" "$3"
	one_line "$TMP/err"
	checks=$((checks + 1))
	[[ -s $TMP/out ]] && fail "memcg $1 $2: printed on stdout"
	checks=$((checks + 1))
	grep -q $'\x1b' "$TMP/err" && fail "memcg $1 $2: an escape byte on stderr"
}
cmds=(run tree plot)
have_oracle && cmds+=(kernel compare)
for cmd in "${cmds[@]}"; do
	bad_input "$cmd" "$TMP" "memcg: $TMP: a directory, not a scenario file"
	bad_input "$cmd" "$TMP/binary.scn" "$TMP/binary.scn:2: binary data (a NUL byte): expected a text file"
	bad_input "$cmd" "$TMP/ctl.scn" "$TMP/ctl.scn:2: control byte \\x1b: expected text"
	bad_input "$cmd" /dev/zero "memcg: /dev/zero: more than 16M, not a scenario file"
	bad_input "$cmd" "$TMP/none"$'\x1b'"[31m.scn" "memcg: $TMP/none\\x1b[31m.scn: No such file or directory"
done
# plot writes nothing for a bad file
expect_rc 2 "$MEMCG" plot "$TMP/ctl.scn" -o "$TMP/bad.svg"
checks=$((checks + 1))
[[ -e $TMP/bad.svg ]] && fail "plot wrote its output for a bad file"
# options echo escaped
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" $'--\x1b[2J' &&
	contains "$TMP/err" "unknown option '--\\x1b[2J'"
one_line "$TMP/err"
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" --memory $'1\x1b' &&
	contains "$TMP/err" "bad --memory '1\\x1b'"
expect_rc 2 "$MEMCG" $'\x9b' && contains "$TMP/err" "unknown command '\\x9b'"
if have_oracle; then
	expect_rc 2 "$MEMCG" kernel "$DATA/failing.scn" --thp $'\x1b' &&
		contains "$TMP/err" "bad --thp '\\x1b'"
	expect_rc 2 "$MEMCG" compare "$DATA/failing.scn" $'-\x1b' &&
		contains "$TMP/err" "unknown option '-\\x1b'"
fi
# a file name with an escape: every message names it escaped
expect_rc 1 "$MEMCG" run "$TMP/name"$'\x1b'"[31m.scn" &&
	contains "$TMP/err" "$TMP/name\\x1b[31m.scn: 1 of 2 expects failed"
checks=$((checks + 1))
grep -q $'\x1b' "$TMP/err" && fail "a file name's escape byte on stderr"
# a write's value that is not text, on stdout and stderr
expect_rc 1 "$MEMCG" run "$TMP/c1.scn" &&
	contains "$TMP/err" "$TMP/c1.scn:2: write A/memory.max \\xc2\\x9b2J: EINVAL (Invalid argument)"
expect_rc 0 "$MEMCG" run "$TMP/ff.scn" &&
	contains "$TMP/out" "ok write A/memory.max \\xff fails EINVAL (EINVAL)"
expect_rc 0 "$MEMCG" run "$TMP/ff.scn" --json
if command -v python3 >/dev/null; then
	checks=$((checks + 1))
	python3 -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"): json.loads(l)' "$TMP/out" ||
		fail "--json of a value that is not UTF-8: invalid JSON"
fi

# 12. --tap: KTAP as the kernel's selftests print it. ktap FILE RC: FILE
# is valid KTAP version 1 (version line, plan, numbered points, "# "
# diagnostics) with as many points as the plan, and has a "not ok" point
# exactly when RC (the exit status) is 1.
ktap() {
	checks=$((checks + 1))
	python3 - "$1" "$2" <<'PY' || fail "$1: not KTAP: $(head -3 "$1" | tr '\n' '|')"
import re, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines.pop() == "", "no final newline"
assert lines[0] == "KTAP version 1", lines[0]
m = re.fullmatch(r"1\.\.(\d+)", lines[1])
assert m, lines[1]
plan, n, failed = int(m.group(1)), 0, False
for l in lines[2:]:
    if l.startswith("# "):
        continue
    p = re.fullmatch(r"(not )?ok (\d+) ([^#]+?)( # (SKIP) .+)?", l)
    assert p, "not a KTAP line: " + l
    n += 1
    assert int(p.group(2)) == n, "numbered %s, want %d" % (p.group(2), n)
    failed |= bool(p.group(1)) and not p.group(5)
assert n == plan, "%d points, plan %d" % (n, plan)
assert failed == (sys.argv[2] == "1"), "not ok points and exit %s" % sys.argv[2]
PY
}
if command -v python3 >/dev/null; then
	expect_rc 0 "$MEMCG" run "$SRC/examples/limit-and-swap.scn" --tap
	ktap "$TMP/out" 0
	contains "$TMP/out" "ok 1 web/memory.current <= 64M"
	contains "$TMP/out" "# web/memory.current 66973696"
	contains "$TMP/out" "# job killed"
	checks=$((checks + 1))
	[[ $(grep -c '^ok ' "$TMP/out") == $(grep -c '^expect' "$SRC/examples/limit-and-swap.scn") ]] ||
		fail "--tap: not one test point per expect"
	expect_rc 1 "$MEMCG" run "$DATA/failing.scn" --tap
	ktap "$TMP/out" 1
	cat >"$TMP/want" <<'KTAP'
KTAP version 1
1..2
# ok A/memory.current ~ 10M 5% (10747904 = 10.25M)
ok 1 A/memory.current ~ 10M 5%
# FAIL A/memory.current < 1M: got 10747904 = 10.25M, want < 1M [line 7]
not ok 2 A/memory.current < 1M
KTAP
	checks=$((checks + 1))
	diff -u "$TMP/want" "$TMP/out" >&2 || fail "failing.scn --tap"
	# a strict run that stops: the failed write fails, what it did not
	# reach is skipped
	cat >"$TMP/stop.scn" <<'SCN'
mkdir A
expect A/memory.max == max
write A/memroy.max 10M
expect A/memory.current == 0
expect write A/memory.max x fails EINVAL
SCN
	expect_rc 1 "$MEMCG" run "$TMP/stop.scn" --tap
	ktap "$TMP/out" 1
	cat >"$TMP/want" <<'KTAP'
KTAP version 1
1..4
# ok A/memory.max == max (max)
ok 1 A/memory.max == max
# write A/memroy.max: ENOENT [line 3]
not ok 2 write A/memroy.max 10M
ok 3 A/memory.current == 0 # SKIP the run stopped at line 3 (a write failed)
ok 4 write A/memory.max x fails EINVAL # SKIP the run stopped at line 3 (a write failed)
KTAP
	checks=$((checks + 1))
	diff -u "$TMP/want" "$TMP/out" >&2 || fail "stop.scn --tap"
	contains "$TMP/err" "stop.scn:3: write A/memroy.max 10M: ENOENT"
	expect_rc 1 "$MEMCG" run "$TMP/stop.scn" --tap --keep-going
	ktap "$TMP/out" 1
	contains "$TMP/out" "ok 3 A/memory.current == 0"
	contains "$TMP/out" "ok 4 write A/memory.max x fails EINVAL"
	for f in "$SRC"/tests/scenarios/*.scn "$DATA/errors.scn" "$DATA/expect_write_ok.scn"; do
		"$MEMCG" run "$f" --tap >"$TMP/out" 2>/dev/null
		ktap "$TMP/out" $?
	done
fi
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" --tap --json && one_line "$TMP/err"
expect_rc 2 "$MEMCG" run "$DATA/failing.scn" --tap --show-tree && one_line "$TMP/err"
expect_rc 2 "$MEMCG" tree "$DATA/failing.scn" --tap && one_line "$TMP/err"
if have_oracle; then
	expect_rc 2 "$MEMCG" kernel "$DATA/failing.scn" --tap &&
		contains "$TMP/err" "--tap: for compare only"
	expect_rc 2 "$MEMCG" compare "$DATA/failing.scn" --tap --json && one_line "$TMP/err"
fi

tests_done test_cli
