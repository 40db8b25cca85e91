# A Hugging Face output folder with the Trainer's TensorBoard logs in runs/
# (its default logging_dir) is one run: under -r it is counted once, from
# its trainer_state.json snapshots, and says that runs/ is the same run. So
# is a folder with only the final trainer_state.json and runs/.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out/runs/Dec01_10-00-00_host" "$tmp/final/runs/Dec01_10-00-00_host"
cp -R testdata/steps-real/hf-healthy/checkpoint-85 testdata/steps-real/hf-healthy/checkpoint-170 "$tmp/out/"
cp testdata/tb/torch-healthy/runs/Mar05_14-20-07_gen/events.out.tfevents.* "$tmp/out/runs/Dec01_10-00-00_host/"
cp testdata/steps-real/hf-healthy/trainer_state.json "$tmp/final/"
cp testdata/tb/torch-healthy/runs/Mar05_14-20-07_gen/events.out.tfevents.* "$tmp/final/runs/Dec01_10-00-00_host/"
cd "$tmp" || exit 3
"$SC" -r out | grep -E '^(out|  note: (Hugging|its))'
echo "exit $?"
"$SC" -r final | grep -E '^final'
