# unifier — the front door. The build itself is CMake + Ninja (CMakeLists.txt);
# this file only names the everyday commands.
#
#   make / make build    build/ (RelWithDebInfo, -Werror); the CLI is build/unifier
#   make test            build + ctest, then ASan/UBSan build + ctest, then a
#                        short fuzz run (clang); what .ci/run calls
#   make fuzz            libFuzzer targets for FUZZ_SECONDS each (default 300)
#   make bench           every build/bench_*
#   make demo            scripts/demo.sh
#   make install         PREFIX=/usr/local (DESTDIR honoured)
#   make clean           build trees; `make distclean` also third_party/
#   make bootstrap       scripts/bootstrap.sh (every target runs it when needed)
#
# Variables: JOBS (2), CMAKE_ARGS (extra -D...), DUCKDB_ROOT (a DuckDB prefix).

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := build

BUILD             ?= build
ASAN_BUILD        ?= build-asan
FUZZ_BUILD        ?= build-fuzz
JOBS              ?= 2
PREFIX            ?= /usr/local
FUZZ_SECONDS      ?= 300
TEST_FUZZ_SECONDS ?= 30
CMAKE_ARGS        ?=
export DUCKDB_ROOT

DUCKDB_PREFIX := $(if $(DUCKDB_ROOT),$(DUCKDB_ROOT),third_party/duckdb)
# What bootstrap provides, checked without running anything slow.
NEEDED_FILES := $(DUCKDB_PREFIX)/lib/libduckdb.so $(DUCKDB_PREFIX)/include/duckdb.h \
                /usr/include/cmocka.h /usr/include/jansson.h /usr/include/openssl/evp.h \
                /usr/include/pg_query.h
NEEDED_TOOLS := gcc make cmake ninja pkg-config clang node npm valgrind
FUZZER_RT    := /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a

# $(call configure,DIR,ARGS): (re)configure a build tree; status chatter off.
configure = cmake -S . -B $(1) -G Ninja $(if $(DUCKDB_ROOT),-DDUCKDB_ROOT=$(DUCKDB_ROOT)) $(2) $(CMAKE_ARGS) >/dev/null

ASAN_ENV := ASAN_OPTIONS=detect_leaks=1 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            $(if $(wildcard tests/lsan.supp),LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp)

CTEST := ctest --output-on-failure -j$(JOBS)

.PHONY: all build test check fuzz bench demo install clean distclean bootstrap deps

all: build

bootstrap:
	bash scripts/bootstrap.sh

deps:
	@need=0; \
	for f in $(NEEDED_FILES); do [[ -e "$$f" ]] || need=1; done; \
	for t in $(NEEDED_TOOLS); do command -v "$$t" >/dev/null 2>&1 || need=1; done; \
	compgen -G '$(FUZZER_RT)' >/dev/null || need=1; \
	if [[ $$need == 1 ]]; then bash scripts/bootstrap.sh; fi

build: deps
	@$(call configure,$(BUILD))
	ninja -C $(BUILD) -j$(JOBS)

test: build
	$(CTEST) --test-dir $(BUILD) 2>&1 | tee $(BUILD)/ctest.log
	@$(call configure,$(ASAN_BUILD),-DUF_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
	ninja -C $(ASAN_BUILD) -j$(JOBS)
	$(ASAN_ENV) $(CTEST) --test-dir $(ASAN_BUILD) 2>&1 | tee $(ASAN_BUILD)/ctest.log
	@if command -v clang >/dev/null 2>&1 && compgen -G '$(FUZZER_RT)' >/dev/null; then \
	  $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS); \
	else \
	  echo "test: clang or its fuzzer runtime missing: fuzz run skipped"; \
	fi
	@echo "== summary"; \
	for d in $(BUILD) $(ASAN_BUILD); do \
	  grep -E 'tests passed|tests failed out of|No tests were found|Total Test time' "$$d/ctest.log" \
	    | sed "s|^|$$d: |"; \
	done

check: test

fuzz: deps
	@$(call configure,$(FUZZ_BUILD),$(if $(wildcard $(FUZZ_BUILD)/CMakeCache.txt),,-DCMAKE_C_COMPILER=clang) -DUF_FUZZ=ON -DBUILD_TESTING=OFF)
	ninja -C $(FUZZ_BUILD) -j$(JOBS) fuzzers
	bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	@shopt -s nullglob; n=0; \
	for b in $(BUILD)/bench_*; do \
	  [[ -f "$$b" && -x "$$b" ]] || continue; \
	  n=$$((n + 1)); echo "== $$b"; "$$b"; \
	done; \
	if [[ $$n == 0 ]]; then echo "bench: no benchmarks in bench/"; fi

demo: build
	bash scripts/demo.sh

install: deps
	@$(call configure,$(BUILD),-DCMAKE_INSTALL_PREFIX=$(PREFIX))
	ninja -C $(BUILD) -j$(JOBS)
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

distclean: clean
	rm -rf third_party
