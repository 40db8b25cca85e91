# Issue 14 item 14: --follow on a folder is one error line, at once.
"$SC" --follow testdata
