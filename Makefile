# Beian — the two README commands (`make run`, `make test`) and helpers for developers.
# Every target installs what it needs first (scripts/install-deps.sh).
SHELL := /bin/bash
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: run test bench build web deps format clean

deps:
	scripts/install-deps.sh run

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

web: deps
	cd web && npm run build

run: build web
	./$(BUILD)/beian serve --migrate $(ARGS)

test:
	scripts/test.sh

bench:
	scripts/bench.sh
	scripts/bench-lookup.sh
	scripts/bench-outbox.sh

format:
	git ls-files '*.cc' '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf build build-*
