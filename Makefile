# Makefile for irk.  `make` builds build/irk; `make SAN=1` builds an
# AddressSanitizer + UndefinedBehaviorSanitizer copy in build/san; `make test`
# runs everything (see README.md).  Sources are found by wildcard: a new
# lib/<area>/*.c, src/cmd-*.c or tests/unit/*.c needs no Makefile change.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
PKG_CONFIG ?= pkg-config

ifeq ($(SAN),1)
BUILD ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT ?= -O1
else
BUILD ?= build
SANFLAGS =
OPT ?= -O2
endif

PKGS = sqlite3 libsodium libcrypto jansson yaml-0.1 libpcre2-8 libmicrohttpd libsystemd \
       libarchive libzstd zlib md4c-html
ifeq ($(shell uname -m),x86_64)
PKGS += libhs
HAVE_HS = 1
endif

WARNINGS = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wno-format-nonliteral -Wno-missing-field-initializers
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=gnu11 $(OPT) -g $(WARNINGS) $(SANFLAGS) -Iinclude -I$(BUILD)/gen \
             -D_GNU_SOURCE -DIRK_HAVE_HS=$(if $(HAVE_HS),1,0) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) -Wl,--as-needed $(LDFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm

LIB_SRC := $(sort $(wildcard lib/*.c lib/*/*.c))
CMD_SRC := $(sort $(wildcard src/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
WEB_PAGES := $(patsubst web/pages/%.html,$(BUILD)/gen/web/%.html,$(sort $(wildcard web/pages/*.html)))
EMBED_FILES := $(sort $(wildcard rules/*.yml rules/*/*.yml playbooks/*.yml playbooks/drills/*.yml templates/*.md \
                 web/*.css web/*.js web/*.svg)) $(WEB_PAGES)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all test demo install clean check-clang fuzz bootstrap
all: $(BUILD)/irk $(UNIT_BIN) $(FUZZ_REPLAY) $(BENCH_BIN)

$(BUILD)/libirk.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/irk: $(CMD_OBJ) $(BUILD)/libirk.a
	@echo "  LINK $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libirk.a $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# Bundled content (rules, playbooks, templates, web UI) compiled into the binary.
$(BUILD)/gen/embedded.c: scripts/embed.sh $(EMBED_FILES)
	@mkdir -p $(dir $@)
	@sh scripts/embed.sh $(EMBED_FILES) > $@.tmp && mv $@.tmp $@

# The web UI's pages: web/layout.html around each fragment of web/pages/.
$(BUILD)/gen/web/%.html: web/pages/%.html web/layout.html scripts/webpage.sh
	@mkdir -p $(dir $@)
	@sh scripts/webpage.sh web/layout.html $< > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	@$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/tests/test-%: tests/unit/test-%.c tests/unit/unit.h $(BUILD)/libirk.a
	@mkdir -p $(dir $@)
	@echo "  LINK $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -Itests/unit -o $@ $< $(BUILD)/libirk.a $(LIBS)

# Benchmark drivers (bench/*.c) link libirk directly.
$(BUILD)/bench/%: bench/%.c $(BUILD)/libirk.a
	@mkdir -p $(dir $@)
	@echo "  LINK $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libirk.a $(LIBS)

# Fuzz targets, linked with a driver that replays the corpus (any compiler).
$(BUILD)/tests/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c $(BUILD)/libirk.a
	@mkdir -p $(dir $@)
	@echo "  LINK $@"
	@$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libirk.a $(LIBS)

# Coverage-guided fuzzing with libFuzzer (clang): make fuzz, then run build/fuzz/fuzz-NAME.
fuzz:
	$(MAKE) BUILD=build/fuzz CC=clang SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
	    build/fuzz/libirk.a
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  echo "  FUZZ $$n"; clang $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -o build/fuzz/$$n $$f \
	    build/fuzz/libirk.a $(LIBS) || exit 1; done

# Compile everything with clang as well: warnings are errors under both compilers.
check-clang:
	$(MAKE) BUILD=build/clang CC=clang build/clang/irk

bootstrap:
	@sh scripts/bootstrap

test: bootstrap
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=1 all
	@$(MAKE) --no-print-directory check-clang >/dev/null
	@sh tests/run.sh build build/san

demo: bootstrap
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh build/irk

install: $(BUILD)/irk
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BUILD)/irk $(DESTDIR)$(BINDIR)/irk
	install -m 0644 docs/man/*.1 $(DESTDIR)$(MANDIR)/man1/

clean:
	rm -rf build

-include $(shell find build -name '*.d' -type f 2>/dev/null)
