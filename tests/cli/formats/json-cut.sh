# json.dump killed mid-write: the complete lists, a warning naming the line.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/broken/history-cut.json 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
