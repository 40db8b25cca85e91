/*
 * libFuzzer harness: reader_wandb_csv's sniff and read (W&B chart panel CSV
 * exports) on what the dispatcher would hand it (see fuzz_common.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "read/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one_reader(&reader_wandb_csv, data, size);
}
