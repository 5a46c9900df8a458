#!/usr/bin/env bash
# The kernel side of the plots, under qemu (scripts/kernel-check.sh runs
# it): `memcg compare --plot` of 120M through a 50M limit draws the
# engine's samples and the player's (every 10 ms of its run in the VM) on
# one page, and `memcg kernel --plot` the kernel's alone; the sample
# lines never reach the table.
#
#   test_plot_kernel.sh MEMCG SOURCE_DIR
# One VM boot each (10-15 s under TCG); wrap it in flock /tmp/vm.lock
# where other VMs may run.
set -uo pipefail

MEMCG=$1
SRC=$2
P=$SRC/tools/memcg/testdata/plot_120m.scn
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

"$MEMCG" compare "$P" --plot "$TMP/c.html" >"$TMP/out" 2>"$TMP/err" || {
	echo "FAIL: memcg compare --plot exited $?" >&2
	sed 's/^/  | /' "$TMP/err" >&2
	failures=$((failures + 1))
}
grep -q '@@SAMPLE' "$TMP/out" && {
	echo "FAIL: sample lines in compare's table" >&2
	failures=$((failures + 1))
}
"$MEMCG" kernel "$P" --plot "$TMP/k.svg" >"$TMP/kout" 2>"$TMP/kerr" || {
	echo "FAIL: memcg kernel --plot exited $?" >&2
	sed 's/^/  | /' "$TMP/kerr" >&2
	failures=$((failures + 1))
}
grep -q '@@SAMPLE' "$TMP/kout" && {
	echo "FAIL: sample lines in kernel's output" >&2
	failures=$((failures + 1))
}

python3 - "$TMP/c.html" "$TMP/k.svg" <<'EOF'
import json, re, sys, xml.etree.ElementTree as ET

page = open(sys.argv[1]).read()
data = json.loads(re.search(r'id="plot-data">(.*?)</script>', page, re.S).group(1))
eng, ker = data['sources']
assert (eng['label'], ker['label']) == ('engine', 'kernel')
assert eng['cgroups'] == ker['cgroups'] == ['A']
# the kernel: a sample every 10 ms of a run of seconds under TCG
assert len(ker['frames']) >= 20, len(ker['frames'])
cur = [v for v in ker['current'][0] if v is not None]
assert 45 << 20 <= max(cur) <= 50 << 20, max(cur)          # up to its limit
assert max(v for v in ker['swap'][0] if v is not None) >= 40 << 20
assert ker['max'][0][-2] == 50 << 20, ker['max'][0][-2]
assert ker['current'][0][-1] is None, ker['frames'][-3:]     # removed: gone
assert max(v for v in ker['ev_max'][0] if v is not None) > 0, ker['ev_max'][0][-5:]
# samples within "t anon 120M" (line 8), in time order
anon = [f for f in ker['frames'] if f['line'] == 8]
assert len(anon) >= 10, len(anon)
assert all(a['ms'] <= b['ms'] for a, b in zip(ker['frames'], ker['frames'][1:]))
# the engine: A dying after rmdir, on the engine's side only
assert eng['dying'][0][-1] == 1 and not any(ker['dying'][0]), (eng['dying'][0][-3:], eng['frames'][-3:])
# the overlay: the kernel's lines drawn lighter on the engine's axes
assert 'class="series current" data-cgroup="A" data-source="kernel"' in page
assert re.search(r'data-source="kernel" fill="none" stroke="#1f77b4" '
                 r'stroke-width="[0-9.]+" stroke-linejoin="round" '
                 r'stroke-opacity="0.50"', page)

svg = ET.parse(sys.argv[2]).getroot()
assert int(svg.get('data-samples')) >= 20
assert svg.get('data-sources') == '1'
print('kernel plots: ok (%d engine and %d kernel samples)' %
      (len(eng['frames']), len(ker['frames'])))
EOF
if (($?)); then
	failures=$((failures + 1))
	sed 's/^/  | /' "$TMP/out" >&2	# compare's table
fi

echo "test_plot_kernel: $failures failures"
((failures == 0))
