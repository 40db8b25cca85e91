# Issue 14 item 12: a log truncated to empty and rewritten past its old length
# between two polls is a new run: both runs are summarized and the exit status
# counts both (the first one's NaN makes it 1).
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 2
printf 'epoch,loss,val_loss\n0,2.3,2.2\n1,nan,nan\n' >h.csv
"$SC" --follow --idle 1.5 h.csv >out 2>err &
pid=$!
i=0
while ! grep -q 'nan-loss' out && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
{ : >h.csv; printf 'epoch,loss,val_loss\n0,2.5,2.4\n1,2.0,2.0\n2,1.5,1.6\n3,1.2,1.3\n' >>h.csv; }
wait $pid
rc=$?
grep -v '^ ' out | grep -v '^$'
exit $rc
