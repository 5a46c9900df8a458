#!/usr/bin/env bash
# memcg sweep: a sweep's table is that of the same runs made one by one
# with memcg run; -j does not change it; shards 1/3..3/3 merged give the
# unsharded table and plot; the plot has a line per output; bad input is
# one line naming the problem and exit status 2.
#
#   test_sweep.sh MEMCG TESTDATA_DIR      (ctest runs it)
set -uo pipefail

MEMCG=$1
DATA=$2
SCN=$DATA/sweep.scn
. "$(dirname "$0")/test_lib.sh"

# same WHAT FILE1 FILE2: byte for byte.
same() {
	checks=$((checks + 1))
	cmp -s "$2" "$3" || { fail "$1 differ"; diff "$2" "$3" | head -20 >&2; }
}

SHOW=P/A/memory.current,P/B/memory.current,P/A/memory.events:low
VALUES="0 10M 20M 30M 40M 50M"

# 1. A sweep of 6 values is 6 runs of memcg run: the write added after
# "mkdir P/A", the outputs shown at the end.
expect_rc 0 "$MEMCG" sweep "$SCN" --set P/A/memory.low=0..50M:10M \
	--show "$SHOW" -j 3 && cp "$TMP/out" "$TMP/sweep"
{
	echo "P/A/memory.low P/A/memory.current P/B/memory.current P/A/memory.events:low exit"
	for v in $VALUES; do
		sed "/^mkdir P\/A\$/a write P/A/memory.low $v" "$SCN" >"$TMP/one.scn"
		printf 'show P/A/memory.current\nshow P/B/memory.current\nshow P/A/memory.events\n' \
			>>"$TMP/one.scn"
		"$MEMCG" run "$TMP/one.scn" >"$TMP/one.out"
		rc=$?
		echo "$v $(sed -n 's|^P/A/memory.current ||p' "$TMP/one.out")" \
			"$(sed -n 's|^P/B/memory.current ||p' "$TMP/one.out")" \
			"$(sed -n 's|^P/A/memory.events low ||p' "$TMP/one.out") $rc"
	done
} >"$TMP/serial"
tr -s ' ' <"$TMP/sweep" >"$TMP/sweep.squeezed"
same "sweep of 6 values and 6 serial runs" "$TMP/sweep.squeezed" "$TMP/serial"
checks=$((checks + 1))
[[ $(wc -l <"$TMP/sweep") == 7 ]] || fail "the sweep has $(wc -l <"$TMP/sweep") lines, want 7"
# the values do change with memory.low (the sweep does something)
checks=$((checks + 1))
[[ $(awk 'NR > 1 { print $2 }' "$TMP/sweep" | sort -u | wc -l) == 6 ]] ||
	fail "P/A/memory.current does not change across the sweep"

# a write the scenario makes is replaced: memory.max of P, 60M..100M
expect_rc 0 "$MEMCG" sweep "$SCN" --set P/memory.max=60M,100M \
	--show P/memory.current,P/memory.max -j 2
checks=$((checks + 1))
[[ $(awk 'NR > 1 { print $1, $3 }' "$TMP/out" | tr '\n' ' ') == \
	"60M 62914560 100M 104857600 " ]] ||
	fail "--set P/memory.max did not replace the scenario's write: $(cat "$TMP/out")"

# 2. -j changes nothing but the time.
expect_rc 0 "$MEMCG" sweep "$SCN" --set P/A/memory.low=0..50M:10M \
	--show "$SHOW" -j 1 && same "-j 1 and -j 3 tables" "$TMP/out" "$TMP/sweep"

# 3. Shards 1/3..3/3, merged: the unsharded table and plot.
args=(--set P/A/memory.low=0..50M:10M --seed 1..2 --show "$SHOW" -j 2)
expect_rc 0 "$MEMCG" sweep "$SCN" "${args[@]}" --plot "$TMP/whole.svg" &&
	cp "$TMP/out" "$TMP/whole"
for i in 1 2 3; do
	expect_rc 0 "$MEMCG" sweep "$SCN" "${args[@]}" --shard "$i/3" &&
		cp "$TMP/out" "$TMP/shard$i.jsonl"
done
checks=$((checks + 1))
[[ $(cat "$TMP"/shard*.jsonl | grep -c '"kind":"point"') == 12 ]] ||
	fail "the shards do not hold 12 points between them"
expect_rc 0 "$MEMCG" sweep --merge "$TMP/shard3.jsonl" "$TMP/shard1.jsonl" \
	"$TMP/shard2.jsonl" --plot "$TMP/merged.svg" &&
	same "merged and unsharded tables" "$TMP/out" "$TMP/whole"
same "merged and unsharded plots" "$TMP/merged.svg" "$TMP/whole.svg"

# 4. The plot: a line per output and seed, a point per value.
checks=$((checks + 1))
[[ $(grep -c '<g class="series"' "$TMP/whole.svg") == 6 &&
   $(grep -c '<circle' "$TMP/whole.svg") == 36 ]] ||
	fail "the plot does not have 6 lines of 6 points"
checks=$((checks + 1))
grep -q 'data-show="P/A/memory.events:low" data-param="2"' "$TMP/whole.svg" ||
	fail "the plot lacks the line of P/A/memory.events:low, seed 2"

# 5. Bad input: one line naming the problem, exit 2.
bad() {
	local want=$1
	shift
	expect_rc 2 "$MEMCG" sweep "$@" || return
	checks=$((checks + 1))
	[[ $(wc -l <"$TMP/err") == 1 ]] && grep -qF -- "$want" "$TMP/err" ||
		fail "memcg sweep $*: stderr '$(cat "$TMP/err")', want one line with '$want'"
	checks=$((checks + 1))
	[[ ! -s $TMP/out ]] || fail "memcg sweep $*: wrote to stdout"
}
bad "empty range '50M..0:10M'" "$SCN" --set P/A/memory.low=50M..0:10M --show "$SHOW"
bad "malformed range '0..'" "$SCN" --set P/A/memory.low=0.. --show "$SHOW"
bad "malformed range '1..'" "$SCN" --seed 1.. --show "$SHOW"
bad "malformed range '0..10M:x'" "$SCN" --set P/A/memory.low=0..10M:x --show "$SHOW"
bad "step 0 in range '0..50M:0'" "$SCN" --set P/A/memory.low=0..50M:0 --show "$SHOW"
bad "no values" "$SCN" --set P/A/memory.low= --show "$SHOW"
bad "unknown file memory.lwo" "$SCN" --set P/A/memory.lwo=0..10M:5M --show "$SHOW"
bad "unknown file memory.curent" "$SCN" --seed 1..2 --show P/A/memory.curent
bad "memory.events has no key lo" "$SCN" --seed 1..2 --show P/A/memory.events:lo
bad "no mkdir line" "$SCN" --set Q/memory.low=0..10M:5M --show "$SHOW"
bad "part 4 of 3 does not exist" "$SCN" --seed 1..2 --show "$SHOW" --shard 4/3
bad "bad --shard '0/3'" "$SCN" --seed 1..2 --show "$SHOW" --shard 0/3
bad "bad -j '0'" "$SCN" --seed 1..2 --show "$SHOW" -j 0
bad "nothing to show" "$SCN" --seed 1..2
bad "nothing to sweep" "$SCN" --show "$SHOW"
bad "at most 2 parameters" "$SCN" --seed 1..2 --set P/memory.max=1G \
	--set P/A/memory.low=0 --show "$SHOW"
bad "unknown option '--sed'" "$SCN" --sed 1..2 --show "$SHOW"
bad "No such file" "$TMP/none.scn" --seed 1..2 --show "$SHOW"
expect_rc 0 "$MEMCG" sweep "$SCN" --seed 1..2 --show P/A/memory.current --shard 1/2 &&
	cp "$TMP/out" "$TMP/other.jsonl"
bad "not the same sweep" --merge "$TMP/shard1.jsonl" "$TMP/other.jsonl"
bad "merge every shard" --merge "$TMP/shard1.jsonl" "$TMP/shard2.jsonl"
bad "point 0 given twice" --merge "$TMP/shard1.jsonl" "$TMP/shard1.jsonl"
bad "not a memcg sweep shard" --merge "$SCN"
bad "--merge takes --plot only" --merge "$TMP/shard1.jsonl" --seed 1..2

tests_done test_sweep
