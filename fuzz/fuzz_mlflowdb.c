/*
 * libFuzzer harness: reader_mlflow_db (an MLflow SQLite store read from
 * memory) on raw bytes, as the dispatcher hands a binary reader its input.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "read/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one_binary_reader(&reader_mlflow_db, data, size);
}
