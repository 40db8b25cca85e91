# scram-check: see README. `make` builds ./scram-check; `make check` runs
# every test; `make sanitize` runs them all again under ASan+UBSan.

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/scram-check
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC ?= cc
CFLAGS ?= -O2 -g
# Project flags live apart from CFLAGS so that `make CFLAGS=-O0` keeps them.
WARNFLAGS = -std=c11 -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -pedantic
MOREFLAGS = $(WARNFLAGS) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DVERSION='"$(VERSION)"' -DRULESDIR='"$(DATADIR)/rules"' \
	-DSYSRULESDIR='"$(SYSCONFDIR)/scram-check/rules"' -Isrc \
	$(shell pkg-config --cflags libcjson inih 2>/dev/null) \
	$(shell pkg-config --cflags sqlite3 2>/dev/null)
LIBS = -lcsv $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson) \
	$(shell pkg-config --libs inih 2>/dev/null || echo -linih) \
	$(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) -lm -lpthread
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

# Objects go under $(O); the sanitizer build uses its own tree.
O ?= build
SRC = $(sort $(wildcard src/*/*.c))
HDR = $(wildcard src/*/*.h)
OBJ = $(SRC:%.c=$(O)/%.o)
LIBOBJ = $(filter-out $(O)/src/cli/main.o,$(OBJ))
TESTSRC = $(sort $(wildcard tests/test_*.c))
TESTBIN = $(TESTSRC:tests/%.c=$(O)/tests/%)
BIN = $(O)/scram-check

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

.PHONY: all deps demo check check-html test-html test-unit test-cli sanitize tsan valgrind fuzz bench eval \
	install uninstall clean completions deb

all: scram-check

scram-check: $(BIN)
	@if [ "$(O)" = build ]; then cp $(BIN) scram-check; fi

$(BIN): $(OBJ)
	$(CC) $(MOREFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LIBS)

$(O)/src/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(MOREFLAGS) $(CFLAGS) -MMD -c -o $@ $<

$(O)/tests/%: tests/%.c $(LIBOBJ) tests/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(MOREFLAGS) $(CHECK_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJ) \
		$(CHECK_LIBS) $(LIBS)

-include $(OBJ:.o=.d)

# The HTML report's style and script are plain CSS and JavaScript, built into
# a committed C file (so that a tree without sh still builds).
src/render/html_assets.c: src/render/html.css src/render/html.js build-aux/embed.sh
	sh build-aux/embed.sh $@ src/render/html.css src/render/html.js

# The rules folder is compiled in: rebuild what uses it when PREFIX changes.
$(O)/rulesdir: FORCE
	@mkdir -p $(O)
	@echo '$(DATADIR)/rules $(SYSCONFDIR)' | cmp -s - $@ || echo '$(DATADIR)/rules $(SYSCONFDIR)' >$@
$(O)/src/cli/main.o $(O)/src/cli/options.o: $(O)/rulesdir
FORCE:

# Installs the Debian packages the build and tests need, when missing.
deps:
	@sh build-aux/deps.sh

# The README's first command: build, then analyze a bundled real run.
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	./scram-check testdata/real/digits-overfit.csv; \
	rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	echo "(exit status $$rc: 1 means findings at or above --fail-on)"

# The README's second command: every unit suite and every golden CLI test.
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory test-unit test-cli test-html

test-unit: $(TESTBIN) $(BIN)
	@sh build-aux/check-layers.sh
	@sh tests/run-unit.sh $(TESTBIN)

test-cli: $(BIN)
	@SCRAM_CHECK=$(BIN) sh tests/run-cli.sh

# The HTML report in headless Chromium (tests/html/check-html.sh): make check
# runs it when Chromium is installed and says it skipped it when not;
# make check-html fails without it (.ci/run installs it first).
test-html: $(BIN)
	@sh tests/html/check-html.sh $(BIN); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 77 ]
check-html: $(BIN)
	@sh tests/html/check-html.sh $(BIN)

# Sanitizer reports exit 99, which no test expects, so none goes unnoticed.
SAN_ENV = ASAN_OPTIONS=exitcode=99:detect_leaks=1:abort_on_error=0 \
	LSAN_OPTIONS=exitcode=99 UBSAN_OPTIONS=exitcode=99:print_stacktrace=1
sanitize:
	@$(MAKE) --no-print-directory deps
	@$(SAN_ENV) $(MAKE) --no-print-directory O=build-san CFLAGS="$(SAN_FLAGS)" \
		LDFLAGS="-fsanitize=address,undefined" test-unit test-cli

# ThreadSanitizer over a -j 2 audit of testdata/ and, when it is there, the
# public corpus: a data race exits 66, which no audit status is.
TSAN_FLAGS = -O1 -g -fsanitize=thread -fno-omit-frame-pointer
tsan:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory O=build-tsan CFLAGS="$(TSAN_FLAGS)" \
		LDFLAGS="-fsanitize=thread" build-tsan/scram-check
	@sh build-aux/tsan-audit.sh build-tsan/scram-check

# Every unit suite and golden test under valgrind (exit 99 on any error).
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
valgrind: $(TESTBIN) $(BIN)
	@CK_FORK=no VALGRIND="$(VALGRIND)" sh tests/run-unit.sh $(TESTBIN)
	@printf '#!/bin/sh\nexec $(VALGRIND) "%s" "$$@"\n' "$(CURDIR)/$(BIN)" >$(O)/scram-check-valgrind
	@chmod +x $(O)/scram-check-valgrind
	@SCRAM_CHECK=$(O)/scram-check-valgrind sh tests/run-cli.sh

include fuzz/fuzz.mk

fuzz:
	@$(MAKE) --no-print-directory deps
	@sh fuzz/run.sh $(FUZZ_SECONDS)

bench: all
	@sh bench/run.sh

# Precision, recall, false alarms and wrong diagnoses on the labeled
# development corpus (made on first use: a few minutes of CPU) and on
# ../shared/corpus/public; writes bench/eval/RESULTS.md.
eval: all
	@SCRAM_CHECK=$(CURDIR)/scram-check SCRAM_CHECK_RULES=$(CURDIR)/rules sh bench/eval/run.sh

# Shell completions, generated from the option table in src/cli/options.c.
COMPLETIONS = $(O)/completions/scram-check.bash $(O)/completions/_scram-check \
	$(O)/completions/scram-check.fish
completions: $(COMPLETIONS)
$(COMPLETIONS): src/cli/options.c build-aux/completions.sh
	@sh build-aux/completions.sh $(O)/completions

# The built-in rules go where an upgrade replaces them; the overlays
# ($(SYSCONFDIR)/scram-check/rules, ~/.config/scram-check/rules) are never
# touched. contrib/ (batch statistics writers, the live module, the action's
# script) goes under $(DATADIR)/contrib.
install: all completions
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 scram-check $(DESTDIR)$(BINDIR)/scram-check
	rm -f $(DESTDIR)$(DATADIR)/rules/*.rule
	install -m 644 rules/*.rule $(DESTDIR)$(DATADIR)/rules/
	install -m 644 man/scram-check.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/scram-check-rules.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 $(O)/completions/scram-check.bash $(DESTDIR)$(BASHCOMPDIR)/scram-check
	install -m 644 $(O)/completions/_scram-check $(DESTDIR)$(ZSHCOMPDIR)/_scram-check
	install -m 644 $(O)/completions/scram-check.fish $(DESTDIR)$(FISHCOMPDIR)/scram-check.fish
	for d in $$(cd contrib && find . -type d ! -name __pycache__); do \
		install -d "$(DESTDIR)$(DATADIR)/contrib/$$d"; done
	for f in $$(cd contrib && find . -type f ! -name '*.pyc'); do \
		install -m 644 "contrib/$$f" "$(DESTDIR)$(DATADIR)/contrib/$$f"; done

# A Debian package in build/deb/ (dpkg-buildpackage -us -uc -b on a copy of
# the tree), unpacked into a scratch root and checked.
deb:
	@sh build-aux/deb-check.sh

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/scram-check
	rm -f $(DESTDIR)$(MANDIR)/man1/scram-check.1
	rm -f $(DESTDIR)$(MANDIR)/man5/scram-check-rules.5
	rm -f $(DESTDIR)$(BASHCOMPDIR)/scram-check $(DESTDIR)$(ZSHCOMPDIR)/_scram-check \
		$(DESTDIR)$(FISHCOMPDIR)/scram-check.fish
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-tsan build-fuzz scram-check
