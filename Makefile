# The two entry points: `make demo` and `make test` (see README.md).
.PHONY: all deps build demo test test-release test-asan fuzz format check-format bench clean

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 10
RECOUNT := build/release/recount

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

demo: build
	@scripts/demo

test: deps check-format test-release test-asan fuzz

test-release:
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@ctest --preset release

test-asan:
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan

# The fuzz targets are part of the sanitizer build.
fuzz:
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS) --target recount_fuzzers
	@scripts/run-fuzzers build/asan $(FUZZ_SECONDS)

check-format:
	@scripts/check-format

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

bench: build
	@cmake --build --preset release -j $(JOBS) --target recount_benches
	@scripts/bench

clean:
	@rm -rf build
