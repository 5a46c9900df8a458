#!/usr/bin/env bash
# The plots in a real browser: headless Chromium (Debian's `chromium`,
# scripts/deps.sh) loads each SVG and HTML page in an iframe of a small
# harness page whose script queries the rendered DOM (getBBox, not
# pixels) and writes what it found as JSON into the page; --dump-dom
# prints it and the checks below read it:
#   - plot_120m.scn (120M through a 50M limit): at least 60 samples; A's
#     memory.current line rendered through them, its top at 50M (read
#     against the y axis' tick labels), inside the plot area; max markers
#     on it; A dying after rmdir, its removal marker; the legend's
#     entries right of the plot area, one per line style and marker;
#   - limit-and-swap.scn: batch's line rises past 30M before its
#     oom_kill marker;
#   - the HTML page: its script ran (the values table of the last
#     sample), and a pointer move over the middle of the plot shows the
#     sample there ("t anon 120M") with A's values.
#
#   test_plot_browser.sh MEMCG TESTDATA_DIR SOURCE_DIR    (ctest runs it)
# Exit 77 (skipped) without chromium.
set -uo pipefail

MEMCG=$1
DATA=$2
SRC=$3
. "$(dirname "$0")/test_lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $CHROMIUM ]]; then
	echo "test_plot_browser: no chromium (scripts/deps.sh installs it): skipped"
	exit 77
fi

# browse PAGE: the DOM of PAGE after its scripts ran, on stdout.
browse() {
	local profile
	profile=$(mktemp -d "$TMP/profile.XXXXXX")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" --allow-file-access-from-files \
		--window-size=1600,1000 --virtual-time-budget=10000 \
		--dump-dom "file://$1" 2>"$TMP/chromium.err"
}

# The harness: the plot in an iframe, its DOM facts as JSON in <pre>.
cat >"$TMP/harness.js" <<'EOF'
function facts(doc, win) {
  var q = function (s) { return Array.prototype.slice.call(doc.querySelectorAll(s)); };
  var svg = doc.querySelector('svg#plot');
  var box = function (e) { var b = e.getBBox(); return [b.x, b.y, b.width, b.height]; };
  var area = q('svg#plot > rect').filter(function (r) {
    return r.getAttribute('fill') === 'none'; })[0];
  var ticks = q('svg#plot > text[text-anchor="end"][y]').map(function (t) {
    return [parseFloat(t.textContent), parseFloat(t.getAttribute('y')) - 4]; });
  var f = {
    samples: +svg.getAttribute('data-samples'),
    area: box(area), ticks: ticks,
    series: q('path.series').map(function (p) {
      return { cls: p.getAttribute('class'), cg: p.getAttribute('data-cgroup'),
               points: +p.getAttribute('data-points'), box: box(p),
               len: p.getTotalLength(), d: p.getAttribute('d') }; }),
    markers: q('g.marker').map(function (g) {
      return { cls: g.getAttribute('class'), cg: g.getAttribute('data-cgroup'),
               count: +g.getAttribute('data-count'), box: box(g) }; }),
    legend: q('g.legend').map(function (g) {
      return { cls: g.getAttribute('class'), text: g.textContent, box: box(g) }; }),
  };
  var table = doc.getElementById('hover');
  if (table) {
    f.ready = doc.body.dataset.ready;
    f.rows_on_load = q('#hover tr.hover-row').map(function (r) { return r.textContent; });
    /* the pointer over the plot's middle */
    var m = svg.getScreenCTM(), x = f.area[0] + f.area[2] / 2, y = f.area[1] + 10;
    svg.dispatchEvent(new win.MouseEvent('mousemove', {
      clientX: m.a * x + m.e, clientY: m.d * y + m.f, bubbles: true }));
    f.where = doc.getElementById('where').textContent;
    f.rows = q('#hover tr.hover-row').map(function (r) {
      return { cg: r.dataset.cgroup, cells: Array.prototype.map.call(
        r.children, function (c) { return c.textContent; }) }; });
    f.cursor = +doc.getElementById('cursor').getAttribute('x1');
  }
  return f;
}
window.addEventListener('load', function () {
  var out = {};
  Array.prototype.forEach.call(document.querySelectorAll('iframe'), function (fr) {
    try { out[fr.id] = facts(fr.contentDocument, fr.contentWindow); }
    catch (e) { out[fr.id] = { error: String(e) }; }
  });
  document.getElementById('result').textContent = JSON.stringify(out);
});
EOF

# page NAME FILE...: a harness page with an iframe per FILE.
page() {
	local name=$1 f
	shift
	{
		echo '<!DOCTYPE html><html><body>'
		for f in "$@"; do
			echo "<iframe id=\"$(basename "$f")\" src=\"$f\" width=\"1500\" height=\"900\"></iframe>"
		done
		echo '<pre id="result"></pre>'
		echo "<script src=\"$TMP/harness.js\"></script></body></html>"
	} >"$TMP/$name.html"
}

"$MEMCG" plot "$DATA/plot_120m.scn" -o "$TMP/p.svg" 2>/dev/null &&
	"$MEMCG" plot "$DATA/plot_120m.scn" -o "$TMP/p.html" 2>/dev/null &&
	"$MEMCG" plot "$SRC/examples/limit-and-swap.scn" -o "$TMP/l.svg" 2>/dev/null ||
	fail "memcg plot failed"
page harness "$TMP/p.svg" "$TMP/p.html" "$TMP/l.svg"
browse "$TMP/harness.html" >"$TMP/dom.html" || {
	fail "chromium failed"
	sed 's/^/  | /' "$TMP/chromium.err" >&2
}

checks=$((checks + 1))
python3 - "$TMP/dom.html" <<'EOF' || failures=$((failures + 1))
import html, json, re, sys

dom = open(sys.argv[1]).read()
m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
assert m and m.group(1), 'the harness wrote nothing: ' + dom[:500]
out = json.loads(html.unescape(m.group(1)))
bad = []

def check(what, cond):
    if not cond:
        bad.append(what)

def mb_to_y(f, mb):
    (v0, y0), (v1, y1) = f['ticks'][0], f['ticks'][-1]
    return y0 + (mb - v0) * (y1 - y0) / (v1 - v0)

def inside(f, b, slack=8):
    ax, ay, aw, ah = f['area']
    return (b[0] >= ax - slack and b[0] + b[2] <= ax + aw + slack and
            b[1] >= ay - ah * 0.05 - slack and b[1] + b[3] <= ay + ah + slack)

for name in ('p.svg', 'p.html'):
    f = out.get(name, {})
    if 'error' in f or 'samples' not in f:
        check(name + ': loaded: ' + str(f.get('error')), False)
        continue
    check(name + ': >= 60 samples', f['samples'] >= 60)
    cur = [s for s in f['series'] if s['cls'] == 'series current' and s['cg'] == 'A']
    check(name + ': one current line of A', len(cur) == 1)
    if not cur:
        continue
    cur = cur[0]
    check(name + ': A current >= 60 points', cur['points'] >= 60)
    check(name + ': A current rendered', cur['len'] > 100)
    check(name + ': A current inside the plot area', inside(f, cur['box']))
    top = cur['box'][1]
    check(name + ': A current tops at 50M (y %.1f, 50M at %.1f)' %
          (top, mb_to_y(f, 50)), abs(top - mb_to_y(f, 50)) < 6)
    mx = [s for s in f['series'] if s['cls'] == 'series max' and s['cg'] == 'A']
    check(name + ': A memory.max dashed at 50M',
          len(mx) == 1 and abs(mx[0]['box'][1] - mb_to_y(f, 50)) < 2)
    dying = [s for s in f['series'] if s['cls'] == 'series current dying' and s['cg'] == 'A']
    check(name + ': A dying after rmdir', len(dying) == 1 and
          dying[0]['box'][0] >= cur['box'][0] + cur['box'][2] - 1)
    rm = [k for k in f['markers'] if k['cls'] == 'marker ev-removed' and k['cg'] == 'A']
    check(name + ': A removal marker where it started dying', len(rm) == 1 and
          dying and abs(rm[0]['box'][0] + rm[0]['box'][2] / 2 -
                        (dying[0]['box'][0] + dying[0]['box'][2])) < 8)
    mk = [k for k in f['markers'] if k['cls'] == 'marker ev-max']
    check(name + ': max markers on the 50M line', len(mk) >= 5 and
          all(abs(k['box'][1] + k['box'][3] / 2 - mb_to_y(f, 50)) < 14 for k in mk))
    check(name + ': markers inside the plot area', all(inside(f, k['box'], 16) for k in f['markers']))
    right = f['area'][0] + f['area'][2]
    leg = f['legend']
    check(name + ': legend right of the plot', leg and all(l['box'][0] > right for l in leg))
    texts = ' | '.join(l['text'] for l in leg)
    for want in ('A', 'memory.current', 'memory.swap.current', 'memory.min',
                 'memory.low', 'memory.high', 'memory.max', 'removed, still charged',
                 'low: 0', 'high: 0', 'max: %d' % sum(k['count'] for k in mk),
                 'oom: 0', 'oom_kill: 0', 'removed (rmdir)'):
        check(name + ': legend entry ' + want, want in [l['text'] for l in leg])

f = out.get('p.html', {})
check('html: its script ran', f.get('ready') == '1')
check('html: the last sample on load', f.get('rows_on_load') and
      'A (dying)' in f['rows_on_load'][0])
check('html: the pointer over the middle is in "t anon 120M": ' + str(f.get('where')),
      'line 8: t anon 120M' in (f.get('where') or ''))
rows = f.get('rows') or []
check('html: A\'s values under the pointer', len(rows) == 1 and rows[0]['cg'] == 'A' and
      rows[0]['cells'][0] == 'A' and rows[0]['cells'][2].endswith('M') and
      rows[0]['cells'][7] == '50.0M')
check('html: the cursor moved', f.get('cursor', 0) > f.get('area', [0, 0, 0])[0])

f = out.get('l.svg', {})
b = [s for s in f.get('series', []) if s['cls'] == 'series current' and s['cg'] == 'batch']
kill = [k for k in f.get('markers', []) if k['cls'] == 'marker ev-oom_kill' and k['cg'] == 'batch']
check('limit-and-swap: batch line and kill marker', len(b) == 1 and len(kill) == 1)
if b and kill:
    pts = [tuple(map(float, p.split())) for p in re.findall(r'[ML]([-0-9.]+ [-0-9.]+)', b[0]['d'])]
    kx = kill[0]['box'][0] + kill[0]['box'][2] / 2
    before = [p for p in pts if p[0] < kx - 0.5]
    check('limit-and-swap: batch climbs over >= 30 points before the kill', len(before) >= 30)
    check('limit-and-swap: batch rises past 30M before the kill',
          before and min(p[1] for p in before) <= mb_to_y(f, 30))
    check('limit-and-swap: the kill marker at the top of the rise',
          abs(kill[0]['box'][1] + kill[0]['box'][3] / 2 - mb_to_y(f, 32)) < 30)

for b_ in bad:
    print('FAIL: ' + b_, file=sys.stderr)
print('browser checks: %d failed' % len(bad))
sys.exit(1 if bad else 0)
EOF

tests_done test_plot_browser
