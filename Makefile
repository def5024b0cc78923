# One entry point for setup, run, test and bench. Every target creates .venv when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GRAPHIQL := app/graphiql_assets
GRAPHIQL_STAMP := $(GRAPHIQL)/node_modules/.installed
WEB := frontend-client
WEB_STAMP := $(WEB)/node_modules/.installed
WEB_BUILD := $(WEB)/dist/index.html
WEB_SOURCES := $(shell find $(WEB)/src -type f 2>/dev/null) $(WEB)/index.html $(WEB)/vite.config.ts \
	$(WEB)/tsconfig.json
CHROMIUM := /usr/bin/chromium
SCALE ?= small
SEED ?= 42
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run demo test lint typecheck unit bench bench-trace bench-load bench-api bench-ingest bench-inference clean-data setup \
	graphiql-assets web web-check web-e2e screenshots chromium pytest bench-web

setup: $(STAMP) $(WEB_BUILD)

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

## web: the web client's build (npm ci from the lock, then tsc and vite build), served by the API at /
web: $(WEB_BUILD)

$(WEB_STAMP): $(WEB)/package.json $(WEB)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to build the web client"; exit 1; }
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB_BUILD): $(WEB_STAMP) $(WEB_SOURCES)
	cd $(WEB) && npx tsc --noEmit && npx vite build --logLevel warn

## web-check: lint and format (Biome), types, generated code up to date, unit tests (Vitest)
web-check: $(WEB_STAMP)
	cd $(WEB) && npx biome ci . && npx tsc --noEmit && npx graphql-codegen --config codegen.ts --check \
		&& npx vitest run

## chromium: Debian's browser for the browser tests (no browser download)
chromium: $(STAMP)
	@test -x $(CHROMIUM) || $(BIN)/python -c "from bench.apt import apt_install; apt_install('chromium', timeout_s=900)"

## web-e2e: the browser tests (node --test, playwright-core, Debian chromium) against a real serve --demo
web-e2e: $(STAMP) $(WEB_BUILD) chromium
	cd $(WEB) && node e2e/run.mjs

## screenshots: regenerate the README's screenshots (docs/*.png) from the browser tests
screenshots: $(STAMP) $(WEB_BUILD) chromium
	cd $(WEB) && FG_SCREENSHOTS_TO=../docs node e2e/run.mjs
	$(BIN)/python -c "import sys; from PIL import Image; \
	[Image.open(p).convert('RGB').quantize(128).save(p, optimize=True) for p in sys.argv[1:]]" docs/*.png

## run: the service on the embedded graph, seeded with the demo plant; prints a token and URLs
run: $(STAMP) $(WEB_BUILD)
	$(BIN)/factorygraph serve --demo --scale $(SCALE) --seed $(SEED) --host $(HOST) --port $(PORT)

## demo: seed the demo plant and print sample traces, without serving
demo: $(STAMP)
	$(BIN)/factorygraph demo --scale $(SCALE) --seed $(SEED)

## test: lint, type check, the web client's checks, every Python suite, then the browser tests
test: $(STAMP) lint typecheck web-check pytest web-e2e

pytest: $(STAMP) $(WEB_BUILD)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

bench: bench-load bench-trace bench-api bench-ingest bench-inference bench-web

bench-web: $(STAMP) $(WEB_BUILD) chromium
	$(BIN)/python -m bench.web

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
