# A Hugging Face output folder: checkpoint snapshots of one run are judged
# once (the latest), a snapshot of another run on its own. A W&B panel CSV
# export: one run per name prefix, __MIN/__MAX skipped. A W&B offline run
# folder holds a summary, not a history: exit 2, said so.
"$SC" testdata/rundirs/hf-output | grep -E '^(testdata|  note)'
"$SC" testdata/rundirs/wandb-export.csv | grep -E '^(testdata.*run|  note)'
"$SC" testdata/rundirs/wandb/run-20240101_000000-abcd1234
echo "exit $?"
