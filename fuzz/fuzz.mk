# Fuzz harnesses (fuzz/fuzz_*.c), built with clang's libFuzzer into
# build-fuzz/. Included by the Makefile; fuzz/run.sh also reads it with
# `make -f Makefile -f fuzz/fuzz.mk fuzz-build`, hence the guard.
ifndef SCRAM_FUZZ_MK
SCRAM_FUZZ_MK = 1
# Included anywhere in the Makefile, this file must not become its default goal.
fuzz_saved_goal := $(.DEFAULT_GOAL)

FUZZ_CC ?= clang
FUZZ_O = build-fuzz
FUZZ_SAN = address,undefined
# Inputs here are small: the text is checked ahead 64 bytes only
# (src/read/reader.c, TEXT_AHEAD), so the CSV reader's check-as-it-reads
# path is what most inputs take.
FUZZ_CFLAGS = -g -O1 -fno-sanitize-recover=all -fno-omit-frame-pointer -DTEXT_AHEAD=64
FUZZ_NAMES = history csv json text stats rules tfevents mlflowdb wandb
FUZZ_BIN = $(FUZZ_NAMES:%=$(FUZZ_O)/fuzz_%)
FUZZ_LIBOBJ = $(filter-out $(FUZZ_O)/src/cli/main.o, \
	$(patsubst %.c,$(FUZZ_O)/%.o,$(sort $(wildcard src/*/*.c))))

.PHONY: fuzz-build

fuzz-build: $(FUZZ_BIN)

# The project's code gets coverage hooks and sanitizers, not libFuzzer's main.
$(FUZZ_O)/src/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(MOREFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
		-c -o $@ $<

$(FUZZ_O)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(FUZZ_LIBOBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(MOREFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) \
		-o $@ $< $(FUZZ_LIBOBJ) $(LIBS)

.DEFAULT_GOAL := $(fuzz_saved_goal)
endif
