# A folder audit counts runs, not files: each log folder is one row.
"$SC" -r testdata/tfevents 2>/dev/null | sed -n '/^run  /,$p'
