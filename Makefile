# Setu — the commands people need. `make demo` and `make test` are the two set-up commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The tests also run the Spark engine (pyspark, about 500 MB): installed for `make test`, not for the demo.
TEST_STAMP := $(VENV)/.installed-test
# Commands that only read the code (types, migrations, messages) load the settings in development
# posture: the production default would demand a secret key.
DEV := SETU_ENV=development

.PHONY: install demo reset-demo scenario test lint typecheck check-migrations messages clean bench

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Setu needs Python >= 3.11; run e.g. 'make PYTHON=python3.12 demo'." >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create $(VENV). On Debian/Ubuntu: apt-get install python3-venv" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(TEST_STAMP)

install: $(STAMP)

## demo: install, migrate and seed both nodes (Nepal, India), serve them with their workers
demo: $(STAMP)
	SETU_ENV=development SETU_DEMO=1 $(BIN)/setu demo $(DEMO_ARGS)

## reset-demo: as demo, but start from empty databases
reset-demo: $(STAMP)
	SETU_ENV=development SETU_DEMO=1 $(BIN)/setu demo --reset $(DEMO_ARGS)

## scenario: with `make demo` running, drive one new case across the border through every bilateral step
scenario: $(STAMP)
	SETU_ENV=development SETU_DEMO=1 $(BIN)/setu demo scenario $(DEMO_ARGS)

## test: install and run the whole test suite on every core (DATABASE_URL selects PostgreSQL);
## e.g. `make test PYTEST_WORKERS=0 PYTEST_ARGS="setu/cases -x"` runs in one process
PYTEST_WORKERS ?= auto
test: $(TEST_STAMP)
	$(BIN)/python -m playwright --version >/dev/null
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(DEV) $(BIN)/mypy setu config

check-migrations: $(STAMP)
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

## messages: extract the strings into setu/locale/{ne,hi}/LC_MESSAGES/django.po and compile the .mo files
## (run from the repository root so that templates/ and config/ are read too; docs/translations.md)
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=benchmarks --ignore=tests --ignore=static
messages: $(STAMP)
	$(DEV) $(BIN)/python manage.py makemessages -l ne -l hi --no-obsolete $(MESSAGES_IGNORE)
	$(DEV) $(BIN)/python manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
