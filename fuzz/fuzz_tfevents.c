/*
 * libFuzzer harness: reader_tfevents's sniff and read on raw bytes, as the
 * dispatcher hands a binary reader its input (a NUL-terminated copy).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "read/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one_binary_reader(&reader_tfevents, data, size);
}
