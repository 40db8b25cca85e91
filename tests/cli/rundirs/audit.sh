# -r over the run folders: one row per run.
"$SC" -r testdata/rundirs 2>/dev/null | sed -n '/^run  /,$p'
