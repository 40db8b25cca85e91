# not-converging, slow-convergence and stuck-at-chance do not run on an accuracy
# frozen near 0 while the loss halves: a real regression (load_diabetes, mean
# squared error 6.4 -> 0.87) compiled with metrics=["accuracy"], whose Keras
# binary_accuracy stays 0.00302 (training) and 0 (validation) on every epoch.
# Its loss stays above 0.5 ln 2, so the cross-entropy test does not tell.
"$SC" --verbose --classes 10 testdata/real/diabetes-regression-accuracy.csv 2>&1 |
	grep -E '^testdata|skipped (not-converging|slow-convergence|stuck-at-chance)'
