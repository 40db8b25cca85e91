# Trainer.save_metrics' all_results.json named explicitly: a summary, exit 2.
"$SC" testdata/steps-real/hf-healthy/all_results.json
