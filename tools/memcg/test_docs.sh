#!/usr/bin/env bash
# The documentation agrees with the program: every option `memcg CMD
# --help` lists is in memcg(1) (and for kernel and compare in the
# oracle's README) and is what the bash completion offers for CMD (no
# more, no less); every command, exit status, verb, action,
# machine key and operator of the scenario language is in memcg(1) or
# memcg-scenario(5); the man pages were built (when scdoc is here); and
# every file of the project that a document, example or comment names
# exists.
#
#   test_docs.sh MEMCG SOURCE_DIR MAN_BUILD_DIR      (ctest runs it)
set -uo pipefail

MEMCG=$1
SRC=$2
MAN=$3
MAN1=$SRC/docs/man/memcg.1.scd
MAN5=$SRC/docs/man/memcg-scenario.5.scd
COMPLETION=$SRC/tools/memcg/memcg.bash
. "$(dirname "$0")/test_lib.sh"

# in_doc FILE TEXT: FILE contains TEXT.
in_doc() {
	checks=$((checks + 1))
	grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks '$2'"
}

# complete WORD...: what the completion offers for the last WORD, sorted.
complete_words() {
	bash -c '
		source "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_memcg
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' _ "$COMPLETION" "$@"
}

# same_words WHAT GOT WANT: the same words, whatever their order.
same_words() {
	checks=$((checks + 1))
	local got want
	got=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort | tr '\n' ' ')
	want=$(tr ' ' '\n' <<<"$3" | sed '/^$/d' | sort | tr '\n' ' ')
	[[ $got == "$want" ]] || fail "$1: got '$got', want '$want'"
}

# 1. Options: help page = completion, and each in memcg(1).
for cmd in run tree plot kernel compare sweep mount; do
	"$MEMCG" help "$cmd" >"$TMP/help" || fail "memcg help $cmd"
	opts=$(sed -n 's/^  \(-[a-z]\), \(--[a-z0-9-]*\).*/\1 \2/p; s/^  \(--[a-z0-9-]*\).*/\1/p' \
		"$TMP/help" | tr '\n' ' ')
	checks=$((checks + 1))
	[[ $opts == *--help* ]] || fail "memcg help $cmd lists no options"
	for o in $opts; do
		[[ $o == -h ]] && continue
		in_doc "$MAN1" "*$o*"
	done
	if [[ $cmd == mount ]]; then
		in_doc "$MAN1" "*memcg mount* _DIR_ [_FILE_]"
	else
		in_doc "$MAN1" "*memcg $cmd* _FILE_"
	fi
	# the oracle's README lists every option of kernel and compare
	if [[ $cmd == kernel || $cmd == compare ]]; then
		for o in $opts; do
			in_doc "$SRC/tools/kernel-oracle/README.md" "\`$o"
		done
	fi
	same_words "completion of 'memcg $cmd -'" \
		"$(complete_words memcg "$cmd" - | tr '\n' ' ')" \
		"$(tr ' ' '\n' <<<"$opts" | grep -vx -- -h | tr '\n' ' ')"
done

# and the kernels it supports
in_doc "$SRC/tools/kernel-oracle/README.md" "| 6.1 (\`--kernel 6.1\`"
in_doc "$SRC/tools/kernel-oracle/README.md" "| 6.12 (\`--kernel 6.12\`"

# 2. The completion's other answers.
same_words "memcg <TAB>" "$(complete_words memcg '' | tr '\n' ' ')" \
	"run tree plot kernel compare sweep mount help --help --version"
same_words "memcg help k<TAB>" "$(complete_words memcg help k | tr '\n' ' ')" "kernel"
same_words "--mode" "$(complete_words memcg run x.scn --mode '' | tr '\n' ' ')" "v1 v2"
same_words "--mode=v" "$(complete_words memcg run --mode = v | tr '\n' ' ')" "v1 v2"
same_words "--policy" "$(complete_words memcg tree x --policy '' | tr '\n' ' ')" \
	"reparent kernel"
same_words "--kernel" "$(complete_words memcg kernel x --kernel 6 | tr '\n' ' ')" \
	"6.1 6.12"
same_words "--lru-gen" "$(complete_words memcg compare --lru-gen '' | tr '\n' ' ')" "y 0"
same_words "--thp" "$(complete_words memcg kernel --thp n | tr '\n' ' ')" "never"
same_words "--accel" "$(complete_words memcg kernel --accel '' | tr '\n' ' ')" "kvm tcg"
same_words "--memory" "$(complete_words memcg run --memory '' | tr '\n' ' ')" ""
mkdir -p "$TMP/files/sub"
touch "$TMP/files/a.scn" "$TMP/files/b.txt"
same_words "the scenario file" \
	"$(cd "$TMP/files" && complete_words memcg run '' | tr '\n' ' ')" "a.scn sub"
same_words "-o" "$(cd "$TMP/files" && complete_words memcg plot a.scn -o b | tr '\n' ' ')" \
	"b.txt"

# 3. Commands and exit statuses in memcg(1).
for cmd in run tree plot kernel compare sweep mount help; do
	in_doc "$MAN1" "*$cmd*"
done
for st in 0 1 2 3; do
	in_doc "$MAN1" "*$st*"
done
in_doc "$MAN1" "# EXIT STATUS"

# 4. The scenario language, from the parser's own tables, in
# memcg-scenario(5).
# the parser's files (scenario_parser.h), as one
P=$TMP/scenario.c
cat "$SRC"/tools/memcg/scenario*.c >"$P"
keywords=$(sed -n '/^static const char \*const keywords\[\] = {/,/};/p' "$P" |
	grep -o '"[a-z_]*"' | tr -d '"')
verbs=$(grep -o '{ "[a-z_]*", SCN_[A-Z_]* }' "$P" | grep -o '"[a-z_]*"' | tr -d '"')
mkeys=$(grep -o 'strncmp(t, "[a-z]*"' "$P" | grep -o '"[a-z]*"' | tr -d '"')
checks=$((checks + 1))
[[ $(wc -w <<<"$keywords") -ge 8 && $(wc -w <<<"$verbs") -ge 8 &&
   $(wc -w <<<"$mkeys") -ge 7 ]] ||
	fail "could not read the parser's tables: '$keywords' '$verbs' '$mkeys'"
for k in $keywords; do
	in_doc "$MAN5" "*$k*"
done
for v in $verbs; do
	in_doc "$MAN5" "_TASK_ *$v*"
done
for k in $mkeys; do
	in_doc "$MAN5" "*$k="
done
for v in v1 v2 reparent kernel 6.1 6.12 classic mglru; do
	in_doc "$MAN5" "$v"
done
for op in '*==*' '*!=*' '*<*' '*<=*' '*>*' '*>=*' '*~*' '*killed*|*alive*' \
	'*expect write*' '*fails*' '*max*' '*#*'; do
	in_doc "$MAN5" "$op"
done

# 5. The man pages, built (scdoc is a dependency; without it the build
# says so and skips them).
if command -v scdoc >/dev/null; then
	for page in memcg.1 memcg-scenario.5; do
		checks=$((checks + 1))
		grep -q '^\.TH ' "$MAN/$page" 2>/dev/null ||
			fail "$MAN/$page was not built"
		if command -v groff >/dev/null; then
			checks=$((checks + 1))
			groff -man -Tutf8 -ww -z "$MAN/$page" 2>"$TMP/groff" &&
				[[ ! -s $TMP/groff ]] ||
				fail "$page: groff: $(head -3 "$TMP/groff")"
		fi
	done
fi

# 6. Every file of the project that a document, example or comment
# names exists (paths from the top: docs/, tools/, examples/, ...; the
# kernel's own paths such as tools/testing/ are not ours).
if command -v python3 >/dev/null; then
	checks=$((checks + 1))
	python3 - "$SRC" <<'PY' || fail "documents name files that do not exist"
import os, re, subprocess, sys
src = sys.argv[1]
try:
    files = subprocess.run(["git", "-C", src, "ls-files"], check=True,
                           capture_output=True, text=True).stdout.split()
except Exception:
    files = [os.path.relpath(os.path.join(d, f), src)
             for d, _, fs in os.walk(src) if "/build" not in d and "/.git" not in d
             for f in fs]
top = r"(?:docs|tools|examples|tests|scripts|src|include|bench|preload|cmake)"
pat = re.compile(r"(?<![\w./-])(" + top + r"/[\w./-]*\w)")
kernel = ("tools/testing/", "include/linux/", "tools/perf/")
bad = []
for f in files:
    if not f.endswith((".c", ".h", ".md", ".scn", ".sh", ".txt", ".scd",
                       ".bash", ".cmake", ".in", ".cpp")) and \
       os.path.basename(f) not in ("CMakeLists.txt", "run"):
        continue
    try:
        text = open(os.path.join(src, f), encoding="utf-8").read()
    except (OSError, UnicodeDecodeError):
        continue
    if f == "tools/memcg/test_docs.sh":
        continue
    for n, line in enumerate(text.splitlines(), 1):
        for m in pat.finditer(line):
            p = m.group(1).rstrip(".")
            # a pattern (src/mm/vmscan*.c, selftest_<name>.scn), a kernel path
            if line[m.end():m.end() + 1] in ("*", "<", "{", "[") or \
               p.startswith(kernel):
                continue
            # from the top, or from the naming file's directory
            if not os.path.exists(os.path.join(src, p)) and \
               not os.path.exists(os.path.join(src, os.path.dirname(f), p)):
                bad.append(f"{f}:{n}: {p}")
# a document named alone (DESIGN.md, KERNEL-REFERENCE.md): one of ours
names = {os.path.basename(x) for x in files}
doc = re.compile(r"(?<![\w/.-])([A-Z][A-Z0-9_-]*\.md)\b")
for f in files:
    if not f.endswith((".c", ".h", ".md", ".scn", ".sh", ".scd")) or \
       f == "tools/memcg/test_docs.sh":
        continue
    try:
        text = open(os.path.join(src, f), encoding="utf-8").read()
    except (OSError, UnicodeDecodeError):
        continue
    for n, line in enumerate(text.splitlines(), 1):
        for m in doc.finditer(line):
            if m.group(1) not in names:
                bad.append(f"{f}:{n}: {m.group(1)}")
for b in bad:
    print("missing:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
fi

tests_done test_docs
