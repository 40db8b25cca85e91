# On a run whose points are evaluations, the rules' prose counts
# evaluations, not epochs ("worse than at evaluation 5", "saved 15
# evaluations"); the snippets keep their code as it is.
"$SC" testdata/steps-real/hf-memorize | grep -v '^      ' | sed -n '1,20p'
