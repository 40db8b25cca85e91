# A Hugging Face output folder is one run: its trainer_state.json is not a
# second input, and its final summaries (all_results.json, eval_results.json,
# train_results.json: last values only) are passed over, not unreadable rows
# that would fail the audit.
"$SC" testdata/steps-real/hf-healthy
