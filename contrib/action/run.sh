#!/bin/sh
# The GitHub Action's step (action.yml): build scram-check from the action's
# own checkout when it is not installed, then check the given paths twice from
# one analysis' worth of options: SARIF to a file for code scanning (never
# failing, so the upload always has a file), and GitHub annotations with the
# exit status of --fail-on. Inputs come as environment variables:
#   SC_PATHS     paths to check, separated by spaces or newlines (default .)
#   SC_FAIL_ON   error, warning, info or none (default warning)
#   SC_SARIF     the SARIF file to write, or empty for none (default scram-check.sarif)
#   SC_ARGS      more options for both runs (e.g. --classes 10 --exclude scratch)
#   SC_SOURCE    the scram-check source tree to build from (the action's path)
#   SCRAM_CHECK  the binary to use instead of building or scram-check on PATH
# Exit status: scram-check's (0 clean, 1 findings at or above SC_FAIL_ON,
# 2 unreadable input or usage error). Writes sarif=FILE to $GITHUB_OUTPUT.
set -u
paths=${SC_PATHS:-.}
fail_on=${SC_FAIL_ON:-warning}
sarif=${SC_SARIF-scram-check.sarif}
args=${SC_ARGS:-}
sc=${SCRAM_CHECK:-}
if [ -z "$sc" ]; then
	if command -v scram-check >/dev/null 2>&1; then
		sc=scram-check
	elif [ -n "${SC_SOURCE:-}" ] && [ -f "$SC_SOURCE/Makefile" ]; then
		echo "::group::build scram-check"
		make -C "$SC_SOURCE" deps all >&2 || { echo "::error::scram-check did not build"; exit 2; }
		echo "::endgroup::"
		sc=$SC_SOURCE/scram-check
	else
		echo "::error::scram-check is not installed and SC_SOURCE names no source tree"
		exit 2
	fi
fi
case $fail_on in
error | warning | info | none) ;;
*) echo "::error::fail-on is error, warning, info or none, not '$fail_on'"; exit 2 ;;
esac
# Word splitting is wanted here: paths and args are lists.
# shellcheck disable=SC2086
set -f
if [ -n "$sarif" ]; then
	"$sc" -r $args --format sarif --fail-on none $paths >"$sarif"
	rc=$?
	[ $rc -le 1 ] || echo "scram-check: SARIF run exited $rc" >&2
	[ -n "${GITHUB_OUTPUT:-}" ] && echo "sarif=$sarif" >>"$GITHUB_OUTPUT"
fi
"$sc" -r $args --format github --fail-on "$fail_on" $paths
rc=$?
set +f
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
	{
		echo "### scram-check"
		echo
		echo '```'
		"$sc" -r $args -q --fail-on none $paths 2>&1 | tail -n 50
		echo '```'
	} >>"$GITHUB_STEP_SUMMARY"
fi
exit $rc
