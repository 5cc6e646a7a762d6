# The whole setup on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CHECKSUM := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# What serving needs (`make run`), and that plus the tools of `make test`.
RUN_STAMP := $(VENV)/.installed-run-$(CHECKSUM)
STAMP := $(VENV)/.installed-dev-$(CHECKSUM)

.PHONY: run test lint typecheck unit fuzz bench bench-ab bench-sweep bench-sender bench-ami screenshots install install-run clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[fast]'
	rm -f $(VENV)/.installed-run-*
	touch $(RUN_STAMP)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,fast]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP) $(RUN_STAMP)

install: $(STAMP)

install-run: $(RUN_STAMP)

# A demo-friendly default for a first run on 127.0.0.1; set real values in the environment or
# a config file (see config/dozvon.example.toml) for anything else.
run: export DOZVON_ADMIN__TOKEN ?= dev-admin-token
run: export DOZVON_HOOKS__GENERIC_SECRET ?= dev-hook-secret
run: install-run
	$(BIN)/dozvon db upgrade
	$(BIN)/dozvon serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

unit: install
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-nginx.sh
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest -q --hypothesis-profile=repeatable

test: lint typecheck unit

# The fuzz tests with fresh random examples, FUZZ_SCALE (default 10) times the usual budget.
fuzz: install
	bash scripts/ensure-postgres.sh
	FUZZ_SCALE=$${FUZZ_SCALE:-10} $(BIN)/python -m pytest -q --hypothesis-profile=explore \
		-k "mutated or malformed or random or garbage" tests/api/test_fuzz.py tests/connectors

# The hot paths' table (routing, ingestion, import, vendors) on SQLite and PostgreSQL, three
# instances behind nginx, memory at 100,000 and 1,000,000 clients; see the README's Benchmark.
bench: install
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-nginx.sh
	$(BIN)/python -m bench.run

# Two revisions measured alternately on the same machine: make bench-ab A=<rev> B=<rev>
bench-ab: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python -m bench.ab $(A) $(B)

bench-sweep: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python -m bench.sweep
	$(BIN)/python -m bench.sweep --database postgresql

bench-sender: install
	$(BIN)/python -m bench.sender

bench-ami: install
	$(BIN)/python -m bench.ami

# The console's pages as pictures for the README (docs/console/), from a seeded service.
screenshots: install
	bash scripts/ensure-chromium.sh
	$(BIN)/python scripts/console_screenshots.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
