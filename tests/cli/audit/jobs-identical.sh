# -j 4 gives byte-identical output to -j 1, in every format (the report is
# written run by run as the runs are done, in input order), and with
# --html-details all a page of more than 50 sections, written as they come.
for fmt in text json jsonl sarif junit github html "html --html-details all"; do
	"$SC" -r -j 1 --format $fmt --fail-on none testdata >/tmp/scj1.$$ 2>&1
	"$SC" -r -j 4 --format $fmt --fail-on none testdata >/tmp/scj4.$$ 2>&1
	cmp -s /tmp/scj1.$$ /tmp/scj4.$$ || { echo "$fmt differs"; diff /tmp/scj1.$$ /tmp/scj4.$$ | head; }
done
rm -f /tmp/scj1.$$ /tmp/scj4.$$
echo done
