# Rule prose is reflowed after the numbers are filled in: not a terminal, so
# 80 columns, and no prose line is longer (notes stay one line each, whole
# for grep).
"$SC" -r --fail-on none --classes 10 testdata/ 2>/dev/null | awk '
	/^      / { next }				# snippets are code: kept
	/^  (note|warning|read as|series|skipped|batch statistics)[: ]/ { next }
	/^  [^ ]/ {
		prose++
		if (length($0) > 80) { long++; print "long: " $0 }
	}
	END { print (prose > 500 ? "many" : "few") " prose lines; " long + 0 " longer than 80" }'
