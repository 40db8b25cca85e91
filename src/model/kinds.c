/*
 * Metric kinds and splits from series names: the table scram-check(1)
 * documents under METRICS. Names are free ("mean_loss", "train/box_loss",
 * "metrics/mAP50(B)", "eval_wer", "loss/train"), so a name is cut into its
 * lower-case words and read in two steps:
 *
 * 1. the split, from a prefix or suffix word: val, valid, validation, eval,
 *    dev (validation); test (test); train, training, trn (train); YOLO's
 *    "metrics/" column prefix is its validation metrics. No split word:
 *    train. HF "predict_*" entries are test-set results.
 * 2. the kind, first match wins, in this order:
 *    other    runtime, samples/steps per second, flos, epoch, step, time,
 *             gen_len, memory, throughput: bookkeeping, never judged;
 *    lr       lr, lr0, lr-Adam, learning_rate, lr/pg0;
 *    grad     grad_norm, gradient_norm, gnorm;
 *    loss     any word containing "loss", cost, nll, xent, crossentropy;
 *    error    wer, cer, mae, mse, rmse, mape, smape, perplexity, ppl, error,
 *             err, distance, fid;
 *    score    acc, accuracy, auc, roc, f1, fbeta, precision, recall, map
 *             (mAP, mAP50, mAP_0.5), iou, miou, dice, bleu, rouge, meteor,
 *             chrf, matthews, mcc, r2, top1, top5, fitness, kappa, jaccard,
 *             spearman, pearson, exact_match, em, psnr, ssim, sacrebleu;
 *    other    anything else.
 * --series NAME=KIND[:SPLIT] overrides come first, matched on the exact name.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "run.h"

struct override {
	char *name;
	enum metric_kind kind;
	enum metric_split split;
	int has_split;
};

static struct override *overrides;
static size_t n_overrides;
/* Bumped when the overrides change: what metric_classify cached before is
 * stale. */
static unsigned overrides_generation;

static const char *const kind_names[KIND_COUNT] = {
	"other", "loss", "score", "error", "lr", "grad_norm"
};

const char *metric_kind_name(enum metric_kind kind)
{
	return kind < KIND_COUNT ? kind_names[kind] : "other";
}

const char *metric_split_name(enum metric_split split)
{
	static const char *const names[] = { "train", "val", "test" };
	return split <= SPLIT_TEST ? names[split] : "train";
}

const char *framework_name(enum framework fw)
{
	static const char *const names[FW_COUNT] = {
		NULL, "keras", "pytorch", "lightning", "transformers", "yolo"
	};
	return fw < FW_COUNT ? names[fw] : NULL;
}

static int parse_kind(const char *s, size_t n, enum metric_kind *out)
{
	static const struct { const char *word; enum metric_kind kind; } words[] = {
		{ "loss", KIND_LOSS }, { "score", KIND_SCORE }, { "error", KIND_ERROR },
		{ "lr", KIND_LR }, { "grad_norm", KIND_GRAD_NORM }, { "grad", KIND_GRAD_NORM },
		{ "other", KIND_OTHER }, { "ignore", KIND_OTHER },
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == n && strncmp(s, words[i].word, n) == 0) {
			*out = words[i].kind;
			return 0;
		}
	return -1;
}

static int parse_split(const char *s, enum metric_split *out)
{
	if (strcmp(s, "train") == 0)
		*out = SPLIT_TRAIN;
	else if (strcmp(s, "val") == 0 || strcmp(s, "validation") == 0)
		*out = SPLIT_VAL;
	else if (strcmp(s, "test") == 0)
		*out = SPLIT_TEST;
	else
		return -1;
	return 0;
}

int metric_override_add(const char *spec, char *err, size_t errlen)
{
	const char *eq = strrchr(spec, '=');
	if (!eq || eq == spec || !eq[1]) {
		snprintf(err, errlen, "--series takes NAME=KIND[:SPLIT], not '%.80s'", spec);
		return -1;
	}
	const char *kind = eq + 1, *colon = strchr(kind, ':');
	size_t kn = colon ? (size_t)(colon - kind) : strlen(kind);
	struct override o = { 0 };
	if (parse_kind(kind, kn, &o.kind)) {
		snprintf(err, errlen, "--series %.80s: kind must be loss, score, error, lr, "
			 "grad_norm or other", spec);
		return -1;
	}
	if (colon) {
		if (parse_split(colon + 1, &o.split)) {
			snprintf(err, errlen, "--series %.80s: split must be train, val or test", spec);
			return -1;
		}
		o.has_split = 1;
	}
	o.name = xstrndup(spec, (size_t)(eq - spec));
	overrides = xreallocarray(overrides, n_overrides + 1, sizeof(*overrides));
	overrides[n_overrides++] = o;
	overrides_generation++;
	return 0;
}

void metric_overrides_clear(void)
{
	for (size_t i = 0; i < n_overrides; i++)
		free(overrides[i].name);
	free(overrides);
	overrides = NULL;
	n_overrides = 0;
	overrides_generation++;
}

#define MAX_WORDS 16

/* Cut a name into lower-case words of letters and digits. */
static size_t words_of(const char *name, char *buf, size_t buflen, char *w[MAX_WORDS])
{
	size_t n = 0, j = 0;
	int in = 0;
	for (const char *p = name; *p && j + 1 < buflen; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c)) {
			if (!in) {
				if (n == MAX_WORDS)
					break;
				w[n++] = &buf[j];
				in = 1;
			}
			buf[j++] = (char)tolower(c);
		} else if (in) {
			buf[j++] = '\0';
			in = 0;
		}
	}
	buf[j] = '\0';
	return n;
}

static int in_list(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(w, *list) == 0)
			return 1;
	return 0;
}

static const char *const val_words[] = { "val", "valid", "validation", "eval", "evaluation", "dev", NULL };
static const char *const test_words[] = { "test", "testing", "predict", NULL };

static const char *const other_words[] = {
	"runtime", "second", "seconds", "per", "flos", "epoch", "epochs", "step", "steps",
	"time", "timestamp", "gen", "len", "memory", "mem", "throughput", "samples",
	"created", "wall", "batch", "idx", "iter", "iteration", "duration", "it", NULL
};
static const char *const error_words[] = {
	"wer", "cer", "mae", "mse", "rmse", "mape", "smape", "perplexity", "ppl",
	"error", "err", "distance", "fid", "msle", "rmsle", NULL
};
static const char *const score_words[] = {
	"acc", "accuracy", "auc", "roc", "auroc", "f1", "fbeta", "precision", "recall",
	"map", "iou", "miou", "dice", "bleu", "rouge", "meteor", "chrf", "matthews",
	"mcc", "r2", "top1", "top5", "fitness", "kappa", "jaccard", "spearman",
	"pearson", "em", "psnr", "ssim", "sacrebleu", "bertscore", "ap", "ndcg",
	"mrr", "hit", "hits", "correlation", NULL
};

/* Does a word name a score, allowing digits and suffixes (map50, top1acc,
 * rouge1, rougel, f1macro, accuracy5)? */
static int score_word(const char *w)
{
	if (in_list(w, score_words))
		return 1;
	static const char *const stems[] = { "acc", "map", "rouge", "bleu", "f1", "top",
					     "precision", "recall", "auc", "iou", "dice",
					     "mcc", "exact", NULL };
	for (const char *const *s = stems; *s; s++)
		if (strncmp(w, *s, strlen(*s)) == 0)
			return 1;
	return 0;
}

static int lr_word(const char *w)
{
	/* lr, lr0, lr1 (YOLO's lr/pg0 is caught by "lr" as its own word). */
	if (strncmp(w, "lr", 2) != 0)
		return 0;
	for (const char *p = w + 2; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return 1;
}

static void classify(const char *name, enum metric_kind *kind, enum metric_split *split)
{
	for (size_t i = 0; i < n_overrides; i++)
		if (strcmp(overrides[i].name, name) == 0) {
			*kind = overrides[i].kind;
			*split = overrides[i].has_split ? overrides[i].split : SPLIT_TRAIN;
			if (overrides[i].has_split)
				return;
			break;
		}
	int overridden = 0;
	for (size_t i = 0; i < n_overrides; i++)
		if (strcmp(overrides[i].name, name) == 0)
			overridden = 1;

	char buf[256], *w[MAX_WORDS];
	size_t n = words_of(name, buf, sizeof(buf), w);

	/* The split: any word naming one; validation before test before train. */
	enum metric_split sp = SPLIT_TRAIN;
	int found = 0;
	for (size_t i = 0; i < n && !found; i++)
		if (in_list(w[i], val_words)) {
			sp = SPLIT_VAL;
			found = 1;
		}
	for (size_t i = 0; i < n && !found; i++)
		if (in_list(w[i], test_words)) {
			sp = SPLIT_TEST;
			found = 1;
		}
	/* YOLO: "metrics/precision(B)" is measured on the validation set. */
	if (!found && n > 1 && strcmp(w[0], "metrics") == 0 &&
	    strncmp(name, "metrics/", 8) == 0)
		sp = SPLIT_VAL;
	/* "valloss", "valacc" written as one word. */
	if (!found && n >= 1 && (strncmp(w[0], "val", 3) == 0 && strlen(w[0]) > 3 &&
				 strcmp(w[0], "value") != 0 && strcmp(w[0], "valid") != 0))
		sp = SPLIT_VAL;
	*split = sp;
	if (overridden)
		return;		/* the kind came from --series */

	/* The kind, in the order the header comment gives. */
	enum metric_kind k = KIND_OTHER;
	int loss = 0, error = 0, score = 0, lr = 0, grad = 0, other = 0;
	for (size_t i = 0; i < n; i++) {
		const char *x = w[i];
		/* "valacc", "trainloss": a split glued to the metric. */
		static const char *const glued[] = { "validation", "valid", "val", "train", "test", NULL };
		for (const char *const *g = glued; *g; g++)
			if (strncmp(x, *g, strlen(*g)) == 0 && x[strlen(*g)]) {
				x += strlen(*g);
				break;
			}
		if (in_list(x, other_words))
			other = 1;
		if (lr_word(x) || strcmp(x, "learningrate") == 0 ||
		    (strcmp(x, "learning") == 0 && i + 1 < n && strcmp(w[i + 1], "rate") == 0))
			lr = 1;
		if (strcmp(x, "gnorm") == 0 || strcmp(x, "gradnorm") == 0 ||
		    ((strcmp(x, "grad") == 0 || strcmp(x, "gradient") == 0 ||
		      strcmp(x, "grads") == 0) && i + 1 < n && strcmp(w[i + 1], "norm") == 0))
			grad = 1;
		if (strstr(x, "loss") || strcmp(x, "cost") == 0 || strcmp(x, "nll") == 0 ||
		    strcmp(x, "xent") == 0 || strcmp(x, "crossentropy") == 0)
			loss = 1;
		if (in_list(x, error_words))
			error = 1;
		if (score_word(x))
			score = 1;
	}
	/* Words that only qualify ("epoch" in train_loss_epoch, "step" in
	 * loss_step) do not make a metric bookkeeping. */
	if (lr)
		k = KIND_LR;
	else if (grad)
		k = KIND_GRAD_NORM;
	else if (loss)
		k = KIND_LOSS;
	else if (error)
		k = KIND_ERROR;
	else if (score)
		k = KIND_SCORE;
	else if (other)
		k = KIND_OTHER;
	*kind = k;
}

/*
 * A folder of runs from one script repeats one header: each thread keeps the
 * names it classified last, in a small table of its own (no lock, nothing
 * to free), so each file's columns cost a hash and a compare.
 */
#define CLASSIFY_CACHE 64
#define CLASSIFY_NAME 48

struct classified {
	char name[CLASSIFY_NAME];	/* "" for an empty slot */
	unsigned generation;
	unsigned char kind, split;
};

static _Thread_local struct classified classify_cache[CLASSIFY_CACHE];

void metric_classify(const char *name, enum metric_kind *kind, enum metric_split *split)
{
	uint32_t h = 2166136261u;
	size_t n = 0;
	for (; name[n] && n < CLASSIFY_NAME; n++)
		h = (h ^ (unsigned char)name[n]) * 16777619u;
	if (n == 0 || n >= CLASSIFY_NAME) {
		classify(name, kind, split);
		return;
	}
	struct classified *c = &classify_cache[h % CLASSIFY_CACHE];
	if (c->generation == overrides_generation && memcmp(c->name, name, n + 1) == 0) {
		*kind = (enum metric_kind)c->kind;
		*split = (enum metric_split)c->split;
		return;
	}
	classify(name, kind, split);
	memcpy(c->name, name, n + 1);
	c->generation = overrides_generation;
	c->kind = (unsigned char)*kind;
	c->split = (unsigned char)*split;
}

/*
 * A top-k accuracy with k > 1 ("top5_acc", "val_top_5_accuracy") counts a
 * hit when the true class is among k guesses: its chance level is k/C, not
 * 1/C, and it is near 1 long before the model is right, so the accuracy
 * rules would misjudge it. top-1 is plain accuracy.
 */
static int is_top_k(char *const *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strncmp(w[i], "top", 3) != 0)
			continue;
		const char *k = w[i][3] ? w[i] + 3 : i + 1 < n ? w[i + 1] : "";
		if (*k && strspn(k, "0123456789") == strlen(k) && strcmp(k, "1") != 0)
			return 1;
	}
	return 0;
}

int metric_is_accuracy(const char *name)
{
	char buf[256], *w[MAX_WORDS];
	size_t n = words_of(name, buf, sizeof(buf), w);
	if (is_top_k(w, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(w[i], "acc", 3) == 0 || strncmp(w[i], "valacc", 6) == 0 ||
		    strncmp(w[i], "trainacc", 8) == 0 || strncmp(w[i], "top1", 4) == 0)
			return 1;
	return 0;
}
