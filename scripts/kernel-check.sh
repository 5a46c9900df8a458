#!/usr/bin/env bash
# Run the kernel-oracle scenarios (tests/kernel/*.scn, or the files given)
# on a real Linux kernel under qemu and compare them with the engine.
#
#   scripts/kernel-check.sh [FILE.scn...]
#
# Each scenario runs through `memcg compare`: it passes when the engine and
# the kernel agree on every expect, error and kill (no row marked '!').
# A comment "kernel-check: options OPTS" adds oracle options for that file
# (e.g. --thp never, which the machine line's default thp=never now says
# too).
# A scenario whose comment says "kernel-check: kernel-only" documents a
# known difference: it runs through `memcg kernel` and passes when its
# expects hold on the kernel. Without FILE arguments it then runs
# tools/memcg/test_plot_kernel.sh (the kernel side of the plots).
#
# Builds memcg (and the static player) in $BUILD_DIR (default build/) and
# installs qemu, the Debian kernel and busybox when missing (needs root or
# sudo). One boot takes 10-15 s under TCG; the first run on a machine also
# spends ~10 s finding out whether KVM works. KERNEL_CHECK_OPTS adds
# options to every memcg command (e.g. --console; "--kernel 6.12" runs
# them on Debian's 6.12, installed on first use, with MGLRU on as that
# kernel has it, "--kernel 6.12 --lru-gen 0" with classic LRU; "--repeat
# 5" boots each five times). Lines starting with '#' (the VM's "# vm:"
# configuration) are comments, not results.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

BUILD_DIR=${BUILD_DIR:-build}
read -r -a OPTS <<<"${KERNEL_CHECK_OPTS:-}"

./scripts/deps.sh || { echo "kernel-check: installing dependencies failed" >&2; exit 1; }
./tools/kernel-oracle/prepare.sh >/dev/null ||
	{ echo "kernel-check: preparing the kernel oracle failed" >&2; exit 1; }
if ! { cmake -S . -B "$BUILD_DIR" >/dev/null &&
       cmake --build "$BUILD_DIR" -j"$(nproc)" --target memcg memcg-player \
	     -- --no-print-directory >/dev/null; }; then
	echo "kernel-check: build failed" >&2
	exit 1
fi
MEMCG=$BUILD_DIR/tools/memcg/memcg

if (($#)); then
	FILES=("$@")
else
	FILES=(tests/kernel/*.scn)
fi

passed=0 failed=0 start=$SECONDS
declare -a FAILED_FILES=()
for f in "${FILES[@]}"; do
	if grep -q '^#.*kernel-check: kernel-only' "$f"; then
		cmd=kernel
	else
		cmd=compare
	fi
	# "# kernel-check: options --thp never": oracle options of one file
	read -r -a FOPTS <<<"$(sed -n 's/^#.*kernel-check: options //p' "$f" | head -1)"
	echo
	echo "==== memcg $cmd $f ${FOPTS[*]}"
	t=$SECONDS
	"$MEMCG" "$cmd" "$f" "${FOPTS[@]}" "${OPTS[@]}"
	rc=$?
	if ((rc == 0)); then
		passed=$((passed + 1))
		echo "---- PASS $f ($((SECONDS - t)) s)"
	else
		failed=$((failed + 1))
		FAILED_FILES+=("$f (exit $rc)")
		echo "---- FAIL $f (exit $rc, $((SECONDS - t)) s)"
	fi
done

# The kernel side of the plots (memcg kernel --plot, compare --plot).
if ((!$#)); then
	echo
	echo "==== tools/memcg/test_plot_kernel.sh"
	t=$SECONDS
	if ./tools/memcg/test_plot_kernel.sh "$MEMCG" "$PWD"; then
		passed=$((passed + 1))
		echo "---- PASS test_plot_kernel.sh ($((SECONDS - t)) s)"
	else
		failed=$((failed + 1))
		FAILED_FILES+=("tools/memcg/test_plot_kernel.sh")
		echo "---- FAIL test_plot_kernel.sh ($((SECONDS - t)) s)"
	fi
fi

echo
for f in "${FAILED_FILES[@]}"; do
	echo "failed: $f"
done
echo "kernel-check: $((SECONDS - start)) s"
echo "$passed passed, $failed failed"
((failed == 0))
