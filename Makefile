# Heed — developer commands. `make demo` and `make test` are all a fresh machine needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HEED_DATA_DIR ?= $(CURDIR)/var
export HEED_DATA_DIR

.PHONY: install demo serve test test-postgres lint format bench clean messages

$(BIN)/heed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Heed needs Python 3.11 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/heed

install: $(BIN)/heed

## Install, migrate, seed the demo organisation (once) and serve it at http://127.0.0.1:8000
## with the background worker (and its periodic scheduler) running next to the web server
demo: install
	$(BIN)/heed demo --if-missing
	$(BIN)/heed serve --host 127.0.0.1 --port 8000 --worker yes

serve: install
	$(BIN)/heed migrate --noinput
	$(BIN)/heed serve

## Lint and run the whole suite (SQLite unless HEED_DATABASE_URL points elsewhere)
test: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check --quiet src tests
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/heed makemigrations --check --dry-run >/dev/null
	HEED_DATA_DIR=$(CURDIR)/var/test $(BIN)/pytest $(PYTEST_ARGS)

## The same suite on the local PostgreSQL server
test-postgres: install
	HEED_DATABASE_URL=$${HEED_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(MAKE) test

## Benchmarks (figures go to docs/benchmarks.md)
bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## Extract the staff interface's strings into src/heed/locale/*/LC_MESSAGES/django.po and compile the .mo files
messages: install
	$(BIN)/heed catalogues

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

clean:
	rm -rf $(VENV) var
