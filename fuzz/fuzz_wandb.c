/*
 * libFuzzer harness: the W&B readers. An input that starts with the ':W&B'
 * header goes to the run-ID.wandb history reader on its raw bytes; any other
 * to reader_wandb_csv's sniff and read as the dispatcher would hand it (see
 * fuzz_common.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "read/reader.h"
#include "read/wandb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4 || memcmp(data, ":W&B", 4) != 0)
		return fuzz_one_reader(&reader_wandb_csv, data, size);
	struct run_list runs = { 0 };
	struct read_error err;
	if (wandb_read_history("fuzz.in", (const char *)data, size, &runs, &err) == 0) {
		for (size_t i = 0; i < runs.n; i++)
			if (runs.v[i]->n_epochs > runs.v[i]->cap ||
			    (runs.v[i]->steps && runs.v[i]->steps->n_epochs > runs.v[i]->steps->cap))
				abort();
	} else if (runs.n != 0) {
		abort();
	}
	run_list_release(&runs);
	return 0;
}
