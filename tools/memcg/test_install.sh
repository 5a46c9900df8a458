#!/usr/bin/env bash
# A relocatable install: `cmake --install BUILD --prefix P` into a
# temporary prefix, then what a user of P gets: memcg.pc pointing at P
# (pkg-config through PKG_CONFIG_PATH, a program built and run against
# it), the installed memcg (--version, a scenario, its player found
# under P, also after P moves), memcg-player and the oracle's scripts,
# the man pages, the bash completion and the license. No VM boots.
#
#   test_install.sh BUILD_DIR SOURCE_DIR CC [SANITIZE]     (ctest runs it)
set -uo pipefail

BUILD=$1
SRC=$2
CC=$3
SANITIZE=${4:-}
. "$(dirname "$0")/test_lib.sh"
P=$TMP/prefix

if ! cmake --install "$BUILD" --prefix "$P" >"$TMP/install.log" 2>&1; then
	cat "$TMP/install.log" >&2
	echo "test_install: cmake --install failed" >&2
	exit 1
fi
libdir=$(sed -n 's|^-- Installing: \(.*\)/pkgconfig/memcg.pc$|\1|p' "$TMP/install.log")
[[ -n $libdir ]] || libdir=$P/lib

# 1. memcg.pc names P, and pkg-config finds everything through it.
export PKG_CONFIG_PATH=$libdir/pkgconfig
check_ok "memcg.pc" test -f "$libdir/pkgconfig/memcg.pc"
check_eq "pkg-config prefix" "$(pkg-config --variable=prefix memcg)" "$P"
# has_word DESCRIPTION WORDS WORD: WORD is one of WORDS
has_word() {
	checks=$((checks + 1))
	[[ " $2 " == *" $3 "* ]] || fail "$1: '$3' not in '$2'"
}
has_word "pkg-config --cflags" "$(pkg-config --cflags memcg)" "-I$P/include"
has_word "pkg-config --libs" "$(pkg-config --libs memcg)" "-L$libdir"
has_word "pkg-config --libs" "$(pkg-config --libs memcg)" "-lmemcg"
check_eq "pkg-config --modversion" "$(pkg-config --modversion memcg)" \
	"$(sed -n 's/^project(libmemcg VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")"
checks=$((checks + 1))
grep -q "$BUILD\|$SRC" "$libdir/pkgconfig/memcg.pc" &&
	fail "memcg.pc names the build or source tree"

# 2. A program built against the installed headers and library.
cat >"$TMP/app.c" <<'EOF'
#include <stdio.h>
#include <memcg/memcg.h>

int main(void)
{
	struct memcg_engine *e;
	struct mem_cgroup *cg;
	char buf[64];

	if (memcg_engine_create(NULL, &e) || memcg_mkdir(e, "tenant", &cg))
		return 1;
	if (memcg_write(cg, "memory.max", "64M") ||
	    memcg_read(cg, "memory.max", buf, sizeof(buf)) < 0)
		return 1;
	printf("memory.max %s", buf);
	memcg_put(cg);
	memcg_engine_destroy(e);
	return 0;
}
EOF
san=()
[[ -n $SANITIZE ]] && san=(-fsanitize="$SANITIZE")
# shellcheck disable=SC2046
check_ok "build against memcg.pc" "$CC" "${san[@]}" -o "$TMP/app" "$TMP/app.c" \
	$(pkg-config --cflags --libs memcg)
check_ok "run against the installed library" env LD_LIBRARY_PATH="$libdir" "$TMP/app"
check_eq "the program's output" "$(cat "$TMP/out")" "memory.max 67108864"

# 3. The installed memcg: the build's version, runs a scenario.
check_ok "installed memcg --version" "$P/bin/memcg" --version
check_eq "installed memcg --version" "$(cat "$TMP/out")" "$("$BUILD/tools/memcg/memcg" --version)"
check_ok "installed memcg run" "$P/bin/memcg" run "$SRC/tests/scenarios/selftest_max.scn"

# 4. The oracle's files under P, and the installed memcg finds them there
# (not in the build tree), also once P has moved.
check_ok "memcg-player" test -x "$P/libexec/memcg/memcg-player"
check_ok "prepare.sh" test -x "$P/libexec/memcg/prepare.sh"
check_ok "init.sh" test -f "$P/libexec/memcg/init.sh"
"$P/bin/memcg" kernel --paths >"$TMP/out" 2>"$TMP/err"
rc=$?
if grep -q "not built" "$TMP/err"; then
	echo "test_install: the kernel oracle is not built: no player to find"
else
	check_eq "memcg kernel --paths exit status" "$rc" 0
	check_eq "the player found" "$(sed -n 's/^player *//p' "$TMP/out")" \
		"$P/libexec/memcg/memcg-player"
	check_eq "the scripts found" "$(sed -n 's/^prepare *//p' "$TMP/out")" \
		"$P/libexec/memcg/prepare.sh"
	check_eq "found from" "$(sed -n 's/^from *//p' "$TMP/out")" "the installation"
	mv "$P" "$TMP/moved"
	check_ok "moved: memcg kernel --paths" "$TMP/moved/bin/memcg" kernel --paths
	check_eq "moved: the player found" "$(sed -n 's/^player *//p' "$TMP/out")" \
		"$TMP/moved/libexec/memcg/memcg-player"
	mv "$TMP/moved" "$P"
	# a player that is not there is the kernel side failing: 3
	MEMCG_ORACLE_PLAYER=$TMP/none "$P/bin/memcg" kernel --paths >/dev/null 2>&1
	check_eq "a missing player" "$?" 3
fi

# 5. The documentation: the license, and the man pages and completion
# when the build made them.
check_ok "LICENSE" grep -q "MIT License" "$P/share/doc/libmemcg/LICENSE"
comp=$P/share/bash-completion/completions/memcg
check_ok "bash completion" test -f "$comp"
check_ok "bash completion works" bash -c 'source "$1"; COMP_WORDS=(memcg com);
	COMP_CWORD=1; _memcg; [[ ${COMPREPLY[*]} == compare ]]' _ "$comp"
if command -v scdoc >/dev/null; then
	check_ok "memcg(1)" test -f "$P/share/man/man1/memcg.1"
	check_ok "memcg-scenario(5)" test -f "$P/share/man/man5/memcg-scenario.5"
	if command -v man >/dev/null; then
		check_ok "man finds memcg(1) under P" env MANPATH="$P/share/man" man -w memcg
		check_eq "man -w memcg" "$(cat "$TMP/out")" "$P/share/man/man1/memcg.1"
		check_ok "man finds memcg-scenario(5)" env MANPATH="$P/share/man" \
			man -w 5 memcg-scenario
	fi
else
	echo "test_install: no scdoc: no man pages to check"
fi

tests_done test_install
