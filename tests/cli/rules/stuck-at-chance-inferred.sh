# stuck-at-chance without --classes: the number of classes is read from the
# run where its loss is ln C and its accuracy names the same C. Real runs:
# a network whose ReLUs all died (digits, 10 classes) and a Hugging Face
# fine-tune with a learning rate far too high (eval_loss 2.30, eval_accuracy
# 0.10). Not on the real healthy runs (the last command prints nothing).
"$SC" --format json testdata/real/digits-dead.csv |
	python3 tests/cli/rules/finding.py stuck-at-chance classes loss_series loss_now variant
"$SC" --format json testdata/steps-real/hf-lr-high/trainer_state.json |
	python3 tests/cli/rules/finding.py stuck-at-chance classes loss_series loss_now variant
"$SC" --format json testdata/steps-real/hf-lr-high/trainer_state.json | python3 -c '
import json, sys
for f in json.load(sys.stdin)["runs"][0]["findings"]:
    if f["rule"] == "stuck-at-chance":
        print(f["message"])
        print("caused_by", f["caused_by"])
'
for f in testdata/real/*healthy*.csv testdata/real/*overfit*.csv; do
	"$SC" -q --fail-on none "$f"
done | grep stuck-at-chance
exit 0
