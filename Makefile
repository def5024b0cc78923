# One entry point for setup, run, test and bench. Every target creates .venv when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GRAPHIQL := app/graphiql_assets
GRAPHIQL_STAMP := $(GRAPHIQL)/node_modules/.installed
SCALE ?= small
SEED ?= 42
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run demo test lint typecheck unit bench bench-trace bench-load bench-api bench-ingest bench-inference clean-data setup \
	graphiql-assets

setup: $(STAMP)

# GraphiQL's files come with setup (order-only: a new lock reinstalls them, not the venv).
$(STAMP): pyproject.toml | $(GRAPHIQL_STAMP)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## graphiql-assets: GraphiQL's browser files from the npm registry, served by the API (no CDN)
graphiql-assets: $(GRAPHIQL_STAMP)

$(GRAPHIQL_STAMP): $(GRAPHIQL)/package.json $(GRAPHIQL)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to install GraphiQL's files"; exit 1; }
	cd $(GRAPHIQL) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## run: the service on the embedded graph, seeded with the demo plant; prints a token and URLs
run: $(STAMP)
	$(BIN)/factorygraph serve --demo --scale $(SCALE) --seed $(SEED) --host $(HOST) --port $(PORT)

## demo: seed the demo plant and print sample traces, without serving
demo: $(STAMP)
	$(BIN)/factorygraph demo --scale $(SCALE) --seed $(SEED)

## test: lint, type check, then every test suite
test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

bench: bench-load bench-trace bench-api bench-ingest bench-inference

bench-load: $(STAMP)
	$(BIN)/python -m bench.load

bench-trace: $(STAMP)
	$(BIN)/python -m bench.trace

bench-api: $(STAMP)
	$(BIN)/python -m bench.api

bench-ingest: $(STAMP)
	$(BIN)/python -m bench.ingest

bench-inference: $(STAMP)
	$(BIN)/python -m bench.inference
	$(BIN)/python -m bench.ai4i

clean-data:
	rm -rf .factorygraph
