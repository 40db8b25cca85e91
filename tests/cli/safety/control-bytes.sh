# Terminal safety (issue 14 items 9, 10): every output format over names and
# values carrying every control byte; none reaches the output raw, no line is
# forged, and JSON, SARIF, JUnit and HTML parse. See check_safety.py.
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed" >&2; exit 77; }
t=$(mktemp -d) || exit 99
trap 'rm -rf "$t"' EXIT
python3 tests/cli/safety/check_safety.py "$SC" "$t"
