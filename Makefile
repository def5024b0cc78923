# One entry point for setup, run, test and bench. Every target creates .venv when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCALE ?= small
SEED ?= 42

.PHONY: run test lint typecheck unit bench bench-trace bench-load clean-data setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## run: seed the demo plant into the embedded graph and print sample traces
run: $(STAMP)
	$(BIN)/factorygraph demo --scale $(SCALE) --seed $(SEED)

## test: lint, type check, then every test suite
test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

bench: bench-load bench-trace

bench-load: $(STAMP)
	$(BIN)/python -m bench.load

bench-trace: $(STAMP)
	$(BIN)/python -m bench.trace

clean-data:
	rm -rf .factorygraph
