# Column names with @ and = (Acc@1, recall@k=3) are ordinary columns.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/broken/at-equals-names.csv 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
