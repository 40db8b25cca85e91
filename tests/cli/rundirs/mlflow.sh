# An MLflow experiment folder is its runs (nested metric keys, a run that died
# while RUNNING); the SQLite store is one run per run_uuid, read without
# touching the database or its -wal/-shm files.
"$SC" testdata/rundirs/mlruns/1 | grep -E '^(testdata|  note)'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp testdata/rundirs/mlflow.db "$tmp/"
printf 'not really a wal' >"$tmp/mlflow.db-wal"
ls -l --time-style=+%s.%N "$tmp" >"$tmp.before"
cksum "$tmp"/* >>"$tmp.before"
sleep 1
"$SC" "$tmp/mlflow.db" | grep -E '^(/|  note)' | sed "s|$tmp|TMP|"
ls -l --time-style=+%s.%N "$tmp" >"$tmp.after"
cksum "$tmp"/* >>"$tmp.after"
cmp -s "$tmp.before" "$tmp.after" && echo "folder unchanged" || diff "$tmp.before" "$tmp.after"
rm -f "$tmp.before" "$tmp.after"
