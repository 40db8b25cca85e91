# Issue 14 item 11: --follow on a file that does not exist yet waits for it
# (like tail -F), says so once, and follows it when it appears.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 2
"$SC" --follow --idle 2 h.csv >out 2>err &
pid=$!
sleep 0.5
printf 'epoch,loss,val_loss\n0,2.3,2.2\n1,nan,nan\n' >h.csv
wait $pid
rc=$?
cat err
grep -v '^ ' out | grep -v '^$'
exit $rc
