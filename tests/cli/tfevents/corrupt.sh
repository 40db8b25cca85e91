# Broken event files: a bad checksum of the data or of the length, an Event
# whose varint is cut, a huge record length: exit 2 naming the byte offset.
# A last record cut short (a file still being written) is read up to it.
for f in corrupt-data-crc corrupt-length-crc cut-varint huge-length only-header; do
	"$SC" "testdata/tfevents/$f.tfevents" 2>&1
	echo "exit $?"
done
"$SC" testdata/tfevents/truncated.tfevents | grep -E '^(testdata|  note)'
