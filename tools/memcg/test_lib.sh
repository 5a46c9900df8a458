# Shared by the CLI's shell tests (tools/memcg/test_*.sh): a scratch
# directory, the counters and the checks. Source it after `set -uo
# pipefail`; a test that needs its own EXIT trap sets it after sourcing.

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

failures=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect_rc WANT CMD...: run CMD (stdout -> $TMP/out, stderr -> $TMP/err).
expect_rc() {
	local want=$1 rc
	shift
	checks=$((checks + 1))
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if ((rc != want)); then
		fail "$* exited $rc, want $want"
		sed 's/^/  | /' "$TMP/err" >&2
		return 1
	fi
	return 0
}

# check WHAT CONDITION...: a test that CONDITION holds.
check() {
	local what=$1
	shift
	checks=$((checks + 1))
	"$@" || fail "$what"
}

# check_eq WHAT GOT WANT: a test that two strings are equal.
check_eq() {
	checks=$((checks + 1))
	[[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"
}

# check_ok WHAT CMD...: a test that CMD succeeds; its output shown if not.
check_ok() {
	local what=$1
	shift
	checks=$((checks + 1))
	"$@" >"$TMP/out" 2>"$TMP/err" || {
		fail "$what: $* failed"
		sed 's/^/  | /' "$TMP/err" "$TMP/out" | head -20 >&2
		return 1
	}
}

# tests_done NAME: the summary line; the exit status of the test.
tests_done() {
	echo "$1: $checks checks, $failures failed"
	((failures == 0))
}
