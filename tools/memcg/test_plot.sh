#!/usr/bin/env bash
# Plots over time (plot.h): samples within each command, the SVG's
# series, markers and legend (read from its elements' classes and data
# attributes), the HTML page's data, run --plot, bounded samples, and
# bad output names (one line, exit 2, nothing written).
#
#   test_plot.sh MEMCG TESTDATA_DIR SOURCE_DIR      (ctest runs it)
set -uo pipefail

MEMCG=$1
DATA=$2
SRC=$3
. "$(dirname "$0")/test_lib.sh"

# svg_query FILE EXPR: a python expression over the parsed SVG (root r,
# every element of class C: cls(C), with data attribute A: e.get('data-A')).
svg_query() {
	python3 - "$1" "$2" <<'EOF'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
def cls(*want):
    return [e for e in r.iter()
            if set(want) <= set((e.get('class') or '').split())]
print(eval(sys.argv[2]))
EOF
}

# 1. 120M through a 50M limit: at least 60 samples, most of them within
# "t anon 120M"; A's current line through them, max markers whose counts
# add up to the legend's total, A dying after rmdir with its marker.
P=$DATA/plot_120m.scn
expect_rc 0 "$MEMCG" plot "$P" -o "$TMP/p.svg"
n=$(svg_query "$TMP/p.svg" "r.get('data-samples')")
check "samples: $n, want >= 60" test "$n" -ge 60
pts=$(svg_query "$TMP/p.svg" \
	"[e.get('data-points') for e in cls('series','current') if e.get('data-cgroup')=='A' and 'dying' not in e.get('class')][0]")
check "A's current line: $pts points, want >= 60" test "$pts" -ge 60
sum=$(svg_query "$TMP/p.svg" "sum(int(e.get('data-count')) for e in cls('marker','ev-max'))")
legend=$(svg_query "$TMP/p.svg" \
	"[''.join(e.itertext()) for e in cls('legend-marker') if e.get('data-event')=='max'][0]")
check "max markers count $sum, the legend says '$legend'" test "$legend" = "max: $sum"
check "max markers: several within the anon command" test "$(svg_query "$TMP/p.svg" "len(cls('marker','ev-max'))")" -ge 5
check "A dying after rmdir" test "$(svg_query "$TMP/p.svg" \
	"len([e for e in cls('series','current','dying') if e.get('data-cgroup')=='A'])")" = 1
check "A's removal marker" test "$(svg_query "$TMP/p.svg" \
	"len([e for e in cls('marker','ev-removed') if e.get('data-cgroup')=='A'])")" = 1
check "the limits' dashes" test "$(svg_query "$TMP/p.svg" \
	"[e.get('stroke-dasharray') for e in cls('series','max')][0]")" = "11,5"
check "legend: every line style" test "$(svg_query "$TMP/p.svg" \
	"' '.join(e.get('data-series') for e in cls('legend-line'))")" = \
	"current swap min low high max dying"

# deterministic: the same bytes twice
expect_rc 0 "$MEMCG" plot "$P" -o "$TMP/p2.svg"
check "plot not deterministic" cmp -s "$TMP/p.svg" "$TMP/p2.svg"

# 2. limit-and-swap.scn: the batch cgroup's rise to its 32M limit shows
# before its kill: a sample of batch above 30M, then the oom_kill marker.
L=$SRC/examples/limit-and-swap.scn
expect_rc 0 "$MEMCG" plot "$L" -o "$TMP/l.svg"
expect_rc 0 "$MEMCG" plot "$L" -o "$TMP/l.html"
check "batch: no rise to 30M before its kill" python3 - "$TMP/l.html" <<'EOF'
import json, re, sys
page = open(sys.argv[1]).read()
data = json.loads(re.search(r'<script type="application/json" id="plot-data">(.*?)</script>', page, re.S).group(1))
src = data['sources'][0]
b = src['cgroups'].index('batch')
cur, kills = src['current'][b], src['ev_oom_kill'][b]
rise = [k for k, v in enumerate(cur) if v is not None and v >= 30 << 20]
kill = [k for k, v in enumerate(kills) if v == 1]
assert rise and kill, (rise, kill)
assert len([v for v in cur[:kill[0]] if v is not None]) >= 30   # its climb
assert rise[0] < kill[0], (rise[0], kill[0])
assert cur[kill[0]] < 1 << 20, cur[kill[0]]                    # then freed
EOF
check "batch's oom_kill marker" test "$(svg_query "$TMP/l.svg" \
	"[e.get('data-count') for e in cls('marker','ev-oom_kill') if e.get('data-cgroup')=='batch']")" = "['1']"

# 3. The HTML page: the same SVG inline, the samples as JSON, the script.
expect_rc 0 "$MEMCG" plot "$P" -o "$TMP/p.html"
check "html: one frame per sample" python3 - "$TMP/p.html" "$n" <<'EOF'
import json, re, sys
page = open(sys.argv[1]).read()
data = json.loads(re.search(r'<script type="application/json" id="plot-data">(.*?)</script>', page, re.S).group(1))
src = data['sources'][0]
assert src['label'] == 'engine'
assert len(src['frames']) == int(sys.argv[2]), len(src['frames'])
assert src['cgroups'] == ['A'], src['cgroups']
assert max(v for v in src['current'][0] if v is not None) <= 50 << 20
assert src['max'][0][-2] == 50 << 20, src['max'][0][-2]
assert src['dying'][0][-1] == 1 and src['dying'][0][0] == 0
assert '<svg xmlns="http://www.w3.org/2000/svg" id="plot"' in page
assert "addEventListener('mousemove'" in page
assert 'src=' not in page and 'href=' not in page   # self-contained
EOF

# 4. run --plot: the run's own output unchanged, the plot memcg plot's.
expect_rc 0 "$MEMCG" run "$L"
cp "$TMP/out" "$TMP/run.out"
expect_rc 0 "$MEMCG" run "$L" --plot "$TMP/r.svg"
check "run --plot changed the run's output" cmp -s "$TMP/out" "$TMP/run.out"
check "run --plot: not memcg plot's picture" cmp -s "$TMP/r.svg" "$TMP/l.svg"
expect_rc 0 "$MEMCG" plot "$L" -o - &&
	check "plot -o -: not the file's bytes" cmp -s "$TMP/out" "$TMP/l.svg"

# 5. Bounded: 4G charged in one command gives 4096 sampling points, kept
# to at most 2048 frames; 20000 cgroups keep at most 8 frames each.
printf 'machine memory=6G swap=0\nmkdir A\ntask t A\nt anon 4G\n' >"$TMP/long.scn"
expect_rc 0 "$MEMCG" plot "$TMP/long.scn" -o "$TMP/long.svg"
n=$(svg_query "$TMP/long.svg" "r.get('data-samples')")
check "4G: $n samples, want 1025-2048" test "$n" -ge 1025 -a "$n" -le 2048
{
	echo "machine memory=4G"
	for i in $(seq 1 20000); do echo "mkdir c$i"; done
	echo "task t c1"
	echo "t anon 10M"
} >"$TMP/wide.scn"
expect_rc 0 "$MEMCG" plot "$TMP/wide.scn" -o "$TMP/wide.svg"
n=$(svg_query "$TMP/wide.svg" "r.get('data-samples')")
check "20000 cgroups: $n samples, want 2-8" test "$n" -ge 2 -a "$n" -le 8

# 6. Bad output: one line, exit 2, nothing written, no run.
mkdir "$TMP/empty"
# (kernel and compare check the name before any VM boots)
for cmd in "plot $L -o $TMP/empty/x.png" "plot $L -o $TMP/empty/svg" \
	   "run $L --plot $TMP/empty/x.txt" \
	   "plot $L -o $TMP/empty/missing/x.svg" \
	   "run $L --plot $TMP/empty/missing/x.html" \
	   "kernel $L --plot $TMP/empty/x.png" "compare $L --plot -" \
	   "compare $L --plot $TMP/empty/missing/x.svg" \
	   "kernel $L --plot $TMP/empty/x.samples"; do
	# shellcheck disable=SC2086
	expect_rc 2 "$MEMCG" $cmd
	check "$cmd: not one line on stderr" test "$(wc -l <"$TMP/err")" = 1
	check "$cmd: printed on stdout" test ! -s "$TMP/out"
	check "$cmd: left files" test -z "$(ls -A "$TMP/empty")"
done
grep -q "x.png: unknown output format (.svg, .html, .htm or .samples)" "$TMP/err" ||
	expect_rc 2 "$MEMCG" plot "$L" -o "$TMP/empty/x.png"
check "unknown extension message" grep -qF \
	"memcg plot: $TMP/empty/x.png: unknown output format (.svg, .html, .htm or .samples)" \
	<("$MEMCG" plot "$L" -o "$TMP/empty/x.png" 2>&1)
if ((EUID != 0)); then
	chmod 555 "$TMP/empty"
	expect_rc 2 "$MEMCG" plot "$L" -o "$TMP/empty/x.svg"
	chmod 755 "$TMP/empty"
fi
# a malformed scenario writes nothing either
printf 'mkdir A\nbogus\n' >"$TMP/bad.scn"
expect_rc 2 "$MEMCG" plot "$TMP/bad.scn" -o "$TMP/empty/x.svg"
check "malformed scenario: left files" test -z "$(ls -A "$TMP/empty")"

tests_done test_plot
