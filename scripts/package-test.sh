#!/usr/bin/env bash
# The Debian packages of a build tree (scripts/package.sh -B BUILD): their
# names, control fields (Package, Version, Architecture, Section,
# Depends), contents (each file in the package it belongs to, none in two,
# owned by root), and what they give once extracted with dpkg -x: memcg
# --version, a scenario run, the player found under the extracted tree,
# memcg.pc naming /usr. Installing them into a clean Debian is
# scripts/package-check.sh (too slow for ctest).
#
#   scripts/package-test.sh BUILD_DIR SOURCE_DIR      (ctest runs it)
set -uo pipefail

BUILD=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

failures=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# same WHAT GOT WANT
same() {
	checks=$((checks + 1))
	[[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"
}

# has WHAT LIST WORD: WORD is a line of LIST
has() {
	checks=$((checks + 1))
	grep -qxF -- "$3" <<<"$2" || fail "$1 lacks '$3'"
}

if ! "$SRC/scripts/package.sh" -B "$BUILD" -o "$TMP/out" >"$TMP/list" 2>"$TMP/err"; then
	cat "$TMP/err" >&2
	echo "package-test: scripts/package.sh failed" >&2
	exit 1
fi

VERSION=$(sed -n 's/^project(libmemcg VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
ARCH=$(dpkg --print-architecture)
# 1. Three packages, by Debian's names.
same "the packages" "$(xargs -n1 basename <"$TMP/list" | sort | tr '\n' ' ')" \
	"libmemcg-dev_${VERSION}-1_$ARCH.deb libmemcg0_${VERSION}-1_$ARCH.deb memcg-tools_${VERSION}-1_$ARCH.deb "

deb() { echo "$TMP/out/$1_${VERSION}-1_$ARCH.deb"; }
field() { dpkg-deb -f "$(deb "$1")" "$2"; }
files() { dpkg-deb -c "$(deb "$1")" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||'; }

# 2. Control fields.
for p in libmemcg0 libmemcg-dev memcg-tools; do
	same "$p Package" "$(field $p Package)" "$p"
	same "$p Version" "$(field $p Version)" "${VERSION}-1"
	same "$p Architecture" "$(field $p Architecture)" "$ARCH"
	checks=$((checks + 1))
	[[ -n $(field $p Description) && -n $(field $p Maintainer) ]] ||
		fail "$p has no Description or Maintainer"
	checks=$((checks + 1))
	[[ $(dpkg-deb -c "$(deb $p)" | awk '{ print $2 }' | sort -u) == root/root ]] ||
		fail "$p has files not owned by root"
done
same "libmemcg0 Section" "$(field libmemcg0 Section)" libs
same "libmemcg-dev Section" "$(field libmemcg-dev Section)" libdevel
same "memcg-tools Section" "$(field memcg-tools Section)" utils
# dpkg-shlibdeps: the C library and liburcu-bp's package
for p in libmemcg0 memcg-tools; do
	dep=$(field $p Depends)
	checks=$((checks + 2))
	[[ $dep == *"libc6 (>= "* ]] || fail "$p Depends '$dep' lacks libc6"
	[[ $dep == *"liburcu8"* ]] || fail "$p Depends '$dep' lacks liburcu8"
done
dep=$(field libmemcg-dev Depends)
checks=$((checks + 2))
[[ $dep == *"libmemcg0 (= ${VERSION}-1)"* ]] ||
	fail "libmemcg-dev Depends '$dep' lacks libmemcg0 (= ${VERSION}-1)"
[[ $dep == *liburcu-dev* ]] || fail "libmemcg-dev Depends '$dep' lacks liburcu-dev"

# 3. Contents.
lib=$(files libmemcg0)
dev=$(files libmemcg-dev)
tools=$(files memcg-tools)
has libmemcg0 "$lib" "/usr/lib/libmemcg.so.$VERSION"
has libmemcg0 "$lib" /usr/lib/libmemcg.so.0
has libmemcg0 "$lib" /usr/share/doc/libmemcg0/copyright
checks=$((checks + 1))
grep -q '\.h$\|\.a$\|bin/' <<<"$lib" && fail "libmemcg0 holds headers, archives or programs"
for f in /usr/include/memcg/memcg.h /usr/include/memcg/sim.h /usr/lib/libmemcg.a \
	/usr/lib/libmemcg.so /usr/lib/pkgconfig/memcg.pc /usr/share/doc/libmemcg-dev/copyright; do
	has libmemcg-dev "$dev" "$f"
done
for f in /usr/bin/memcg /usr/libexec/memcg/memcg-player /usr/libexec/memcg/prepare.sh \
	/usr/libexec/memcg/init.sh /usr/share/bash-completion/completions/memcg \
	/usr/share/doc/memcg-tools/copyright; do
	has memcg-tools "$tools" "$f"
done
if command -v scdoc >/dev/null; then
	has memcg-tools "$tools" /usr/share/man/man1/memcg.1
	has memcg-tools "$tools" /usr/share/man/man5/memcg-scenario.5
fi
checks=$((checks + 1))
dups=$(printf '%s\n' "$lib" "$dev" "$tools" | grep -v '^/usr\(/[a-z]*\)*$' |
	grep -v '/$' | sort | uniq -d)
[[ -z $dups ]] || fail "files in two packages: $dups"

# 4. Extracted: the programs run from the tree.
R=$TMP/root
for p in libmemcg0 libmemcg-dev memcg-tools; do
	dpkg -x "$(deb $p)" "$R" || fail "dpkg -x $p"
done
checks=$((checks + 1))
"$R/usr/bin/memcg" --version >"$TMP/version" 2>&1 || fail "memcg --version: $(cat "$TMP/version")"
same "memcg --version" "$(cat "$TMP/version")" "$("$BUILD/tools/memcg/memcg" --version)"
checks=$((checks + 1))
"$R/usr/bin/memcg" run "$SRC/tests/scenarios/selftest_max.scn" >/dev/null 2>"$TMP/err" ||
	fail "the extracted memcg run: $(cat "$TMP/err")"
if "$R/usr/bin/memcg" kernel --paths >"$TMP/paths" 2>&1; then
	same "the player found" "$(sed -n 's/^player *//p' "$TMP/paths")" \
		"$R/usr/libexec/memcg/memcg-player"
fi
same "memcg.pc prefix" "$(sed -n 's/^prefix=//p' "$R/usr/lib/pkgconfig/memcg.pc")" /usr
checks=$((checks + 1))
readelf -d "$R/usr/lib/libmemcg.so.$VERSION" | grep -q 'SONAME.*\[libmemcg\.so\.0\]' ||
	fail "libmemcg.so's SONAME is not libmemcg.so.0"

echo "package-test: $checks checks, $failures failed"
((failures == 0))
