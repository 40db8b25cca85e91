/*
 * Rule texts say "epoch" for a point of the run; on runs whose points are
 * evaluations (Hugging Face eval entries every N steps) or logged steps that
 * word would be wrong ("stopping at epoch 6" for the 6th evaluation, at
 * epoch 0.3). point_wording rewrites the word in a rule's template before
 * its placeholders are filled.
 */
#ifndef SCRAM_WORDING_H
#define SCRAM_WORDING_H

#include "../model/run.h"

/*
 * The template with every whole word "epoch"/"epochs" (and capitalized
 * "Epoch"/"Epochs") replaced by the axis' point name ("evaluation", "step"),
 * outside placeholders except for a {name:epoch} noun. NULL when nothing
 * changes (AXIS_EPOCH, no such word, or text NULL); else a new string.
 */
char *point_wording(const char *text, enum axis axis);

#endif
