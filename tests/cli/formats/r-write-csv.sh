# R write.csv: quoted header, unnamed row-name column skipped, epoch column used.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/broken/r-write-csv.csv 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
