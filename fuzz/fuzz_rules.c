/*
 * libFuzzer harness: rule_parse on the input as a rule file's text (one
 * NUL-terminated string: a NUL byte ends the text, as it would in C), then
 * the uses a loaded rule gets: its sections and placeholder expansion.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "engine/rules.h"

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
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct rule r;
	char err[1024];
	err[0] = '\0';
	if (rule_parse(&r, "fuzz.rule", text, err, sizeof(err)) == 0) {
		static const char *const names[] = { "message", "why", "fix", "snippet" };
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			const char *s = rule_section(&r, names[i], NULL);
			if (s) {
				char *x = rule_expand(&r, s, NULL, NULL);
				free(x);
			}
		}
		if (r.title) {
			char *x = rule_expand(&r, r.title, NULL, NULL);
			free(x);
		}
	} else if (!memchr(err, '\0', sizeof(err))) {
		abort();
	}
	rule_release(&r);
	free(text);
	return 0;
}
