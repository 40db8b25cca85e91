/*
 * libFuzzer harness: reader_json's sniff and read, called directly on what
 * the dispatcher would hand it (see fuzz_common.h); then the predicates
 * that stream the same text (history_is_summary, history_hf_prefix on the
 * text and on a cut of it, which is not NUL-terminated).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "read/reader.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_cjson();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_one_reader(&reader_json, data, size) < 0)
		return -1;
	size_t len;
	char *buf = fuzz_reader_text(data, size, &len);
	if (!buf)
		return -1;
	(void)history_is_summary(buf, len);
	if (history_hf_prefix(buf, len, buf, len) == -1)
		abort();	/* a text is never longer than itself */
	(void)history_hf_prefix(buf, len / 2, buf, len);
	free(buf);
	return 0;
}
