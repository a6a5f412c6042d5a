# Payback: make builds, make test tests, make run demos, make bench measures.

CC      ?= gcc
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR       ?= $(PREFIX)/bin
MANDIR       ?= $(PREFIX)/share/man
DATADIR      ?= $(PREFIX)/share/payback
SYSCONFDIR   ?= /etc
UNITDIR      ?= $(PREFIX)/lib/systemd/system
# systemd reads sysusers.d and tmpfiles.d from /usr/lib and /etc, not /usr/local/lib.
SYSUSERSDIR  ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/sysusers.d,$(SYSCONFDIR)/sysusers.d)
TMPFILESDIR  ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/tmpfiles.d,$(SYSCONFDIR)/tmpfiles.d)

PKGS     := sqlite3 yaml-0.1 libcjson libmicrohttpd libcurl gnutls zlib libcrypt libsystemd
WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wconversion -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-sign-conversion -Werror
CSTD     := -std=c17 -D_GNU_SOURCE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
RELFLAGS := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LIBS      = $(PKG_LIBS) -lpthread -lm

# Debian packages each target needs; deps.sh installs the missing ones.
DEB_BUILD := gcc make pkg-config libsqlite3-dev libyaml-dev libcjson-dev libmicrohttpd-dev \
             libcurl4-openssl-dev libsystemd-dev libcrypt-dev \
             libgnutls28-dev zlib1g-dev
DEB_TEST  := $(DEB_BUILD) libcmocka-dev python3 python3-aiosmtpd procps chromium openssl nodejs \
             systemd groff-base
DEB_BENCH := $(DEB_BUILD) python3 wrk

# Every C file of daemon/ and reports/ but main.c, whatever folder it is in.
MAIN_SRC := daemon/main.c
LIB_SRC  := $(filter-out $(MAIN_SRC),$(sort $(wildcard daemon/*.c daemon/*/*.c reports/*.c)))
HEADERS  := $(sort $(wildcard daemon/*.h daemon/*/*.h reports/*.h))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
SCHEMA   := $(sort $(wildcard schema/*.sql))

REL_OBJ  := $(LIB_SRC:%.c=build/rel/%.o)
SAN_OBJ  := $(LIB_SRC:%.c=build/san/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/san/tests/%)

.PHONY: all run test unit integration bench lint format clean deps-build deps-test deps-bench demo-data \
        screenshot install uninstall
all: build/paybackd

deps-build:
	@sh tests/deps.sh $(DEB_BUILD)
deps-test:
	@sh tests/deps.sh $(DEB_TEST)
	@command -v npm > /dev/null || sh tests/deps.sh npm
deps-bench:
	@sh tests/deps.sh $(DEB_BENCH)

# schema/ itself too: its time changes when a migration file is removed.
build/gen/schema_sql.h: $(SCHEMA) schema Makefile
	@mkdir -p $(@D)
	@{ echo '/* Generated from the files of schema/ by the Makefile: do not edit. */'; \
	   echo 'static const struct { const char *name; const char *sql; } schema_files[] = {'; \
	   for f in $(SCHEMA); do \
	     printf '\t{"%s",\n' "$$(basename $$f)"; \
	     sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t "/' -e 's/$$/\\n"/' $$f; \
	     printf '\t},\n'; \
	   done; echo '};'; } > $@.tmp && mv $@.tmp $@

build/gen/pricing_yaml.h: config/pricing.yaml Makefile
	@mkdir -p $(@D)
	@{ echo '/* Generated from config/pricing.yaml by the Makefile: do not edit. */'; \
	   echo 'static const char pricing_yaml[] ='; \
	   sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$$/\\n"/' $<; \
	   echo ';'; } > $@.tmp && mv $@.tmp $@

build/rel/%.o: %.c build/gen/schema_sql.h build/gen/pricing_yaml.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(RELFLAGS) $(PKG_CFLAGS) -Ibuild/gen -MMD -MP -c $< -o $@

build/san/%.o: %.c build/gen/schema_sql.h build/gen/pricing_yaml.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -Ibuild/gen -MMD -MP -c $< -o $@

build/paybackd: $(REL_OBJ) build/rel/daemon/main.o
	$(CC) $(RELFLAGS) -o $@ $^ $(LIBS)

build/san/paybackd: $(SAN_OBJ) build/san/daemon/main.o
	$(CC) $(SANFLAGS) -o $@ $^ $(LIBS)

build/san/tests/%: tests/unit/%.c $(SAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -Wno-missing-prototypes $(SANFLAGS) $(PKG_CFLAGS) -Ibuild/gen \
	  -MMD -MP -o $@ $< $(SAN_OBJ) $(LIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

build/loggen: tests/gen/loggen.c daemon/lib/util.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $^ -lm $(shell pkg-config --libs gnutls 2>/dev/null)

build/reportbench: tests/gen/reportbench.c $(REL_OBJ)
	$(CC) $(CSTD) $(WARN) $(RELFLAGS) $(PKG_CFLAGS) -Ibuild/gen -o $@ $< $(REL_OBJ) $(LIBS)

# The demo: ingest the shipped sample logs, print the overview, then serve
# the dashboard on them (Ctrl-C stops it). PORT=... picks another port.
PORT ?= 8470
run: deps-build build/paybackd
	@rm -f build/demo.db build/demo.db-wal build/demo.db-shm
	./build/paybackd -c config/demo/payback.yaml --db build/demo.db ingest
	./build/paybackd -c config/demo/payback.yaml --db build/demo.db report overview
	@echo
	@echo "Payback is running: open http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	@exec ./build/paybackd -c config/demo/payback.yaml --db build/demo.db \
	  serve --listen 127.0.0.1:$(PORT)

# The README's screenshot of the overview, from headless Chromium.
screenshot: build/paybackd
	sh tests/screenshot.sh docs/overview.png

demo-data: build/loggen
	rm -rf config/demo/logs
	./build/loggen --demo --out config/demo/logs

test: deps-test
	@$(MAKE) --no-print-directory unit-and-integration

.PHONY: unit-and-integration
unit-and-integration: $(UNIT_BIN) build/san/paybackd build/paybackd build/loggen
	@sh tests/run.sh $(UNIT_BIN)

bench: deps-bench build/paybackd build/loggen build/reportbench
	@python3 tests/bench.py

lint: build/gen/schema_sql.h build/gen/pricing_yaml.h
	python3 tests/lint/include_cycles.py --include build/gen daemon reports
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c11 -D_GNU_SOURCE -Ibuild/gen $(LIB_SRC) $(MAIN_SRC)
	@clang-tidy --quiet $(LIB_SRC) $(MAIN_SRC) -- $(CSTD) $(PKG_CFLAGS) -Ibuild/gen \
	  > build/clang-tidy.log 2>&1; rc=$$?; grep -v "warnings generated" build/clang-tidy.log; \
	  exit $$rc

format:
	clang-format -i $(LIB_SRC) $(MAIN_SRC) $(UNIT_SRC) tests/gen/*.c tests/unit/*.h $(HEADERS)

# Installs the daemon as a system service; DESTDIR stages it for a package.
# An existing /etc/payback/payback.yaml is never overwritten.
install: build/paybackd
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	  $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/payback
	install -m 0755 build/paybackd $(DESTDIR)$(BINDIR)/paybackd
	sed 's|/usr/local/bin/paybackd|$(BINDIR)/paybackd|; s|/etc/payback/|$(SYSCONFDIR)/payback/|' \
	  systemd/paybackd.service > $(DESTDIR)$(UNITDIR)/paybackd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/paybackd.service
	install -m 0644 systemd/payback.sysusers $(DESTDIR)$(SYSUSERSDIR)/payback.conf
	install -m 0644 systemd/payback.tmpfiles $(DESTDIR)$(TMPFILESDIR)/payback.conf
	install -m 0644 config/pricing.yaml $(DESTDIR)$(DATADIR)/pricing.yaml
	install -m 0644 config/payback.yaml $(DESTDIR)$(DATADIR)/payback.yaml.example
	install -m 0644 man/paybackd.8 $(DESTDIR)$(MANDIR)/man8/paybackd.8
	install -m 0644 man/payback.yaml.5 $(DESTDIR)$(MANDIR)/man5/payback.yaml.5
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/payback/payback.yaml ]; then \
	  echo "kept $(DESTDIR)$(SYSCONFDIR)/payback/payback.yaml (the shipped one is $(DATADIR)/payback.yaml.example)"; \
	else install -m 0640 config/payback.yaml $(DESTDIR)$(SYSCONFDIR)/payback/payback.yaml; fi
	@if [ -z "$(DESTDIR)" ] && command -v systemd-sysusers > /dev/null && [ -d /run/systemd/system ]; then \
	  systemd-sysusers $(SYSUSERSDIR)/payback.conf && systemd-tmpfiles --create $(TMPFILESDIR)/payback.conf && \
	  systemctl daemon-reload && echo "next: systemctl enable --now paybackd"; fi

# Removes what install put in place; the configuration only if it is unchanged.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/paybackd $(DESTDIR)$(UNITDIR)/paybackd.service \
	  $(DESTDIR)$(SYSUSERSDIR)/payback.conf $(DESTDIR)$(TMPFILESDIR)/payback.conf \
	  $(DESTDIR)$(DATADIR)/pricing.yaml $(DESTDIR)$(DATADIR)/payback.yaml.example \
	  $(DESTDIR)$(MANDIR)/man8/paybackd.8 $(DESTDIR)$(MANDIR)/man5/payback.yaml.5
	-rmdir $(DESTDIR)$(DATADIR) 2> /dev/null
	@if cmp -s config/payback.yaml $(DESTDIR)$(SYSCONFDIR)/payback/payback.yaml; then \
	  rm -f $(DESTDIR)$(SYSCONFDIR)/payback/payback.yaml; rmdir $(DESTDIR)$(SYSCONFDIR)/payback 2> /dev/null; \
	else echo "kept $(DESTDIR)$(SYSCONFDIR)/payback (changed since install)"; fi

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
