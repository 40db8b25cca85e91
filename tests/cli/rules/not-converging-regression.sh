# not-converging, slow-convergence and stuck-at-chance do not run on a regression's Keras
# "accuracy" (exact float equality: 0.09-0.16 with a mean squared error of
# 0.05-0.10, from a public GRU noise suppressor): a cross-entropy of that
# accuracy would be at least (1 - 0.16) ln 2 = 0.58.
"$SC" --verbose --classes 10 testdata/rules/not-converging.regression.csv 2>&1 |
	grep -E 'not-converging|slow-convergence|stuck-at-chance'
