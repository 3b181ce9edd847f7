# Setu — the commands people need. `make demo` and `make test` are the two set-up commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck check-migrations messages clean reset-demo bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## demo: install, migrate and seed both nodes (Nepal, India), serve them with their workers
demo: $(STAMP)
	$(BIN)/setu demo $(DEMO_ARGS)

## reset-demo: as demo, but start from empty databases
reset-demo: $(STAMP)
	$(BIN)/setu demo --reset

## test: install and run the whole test suite (DATABASE_URL selects PostgreSQL)
test: $(STAMP)
	$(BIN)/python -m playwright --version >/dev/null
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy setu config

check-migrations: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: $(STAMP)
	cd setu && ../$(BIN)/python ../manage.py makemessages -l ne -l hi --no-obsolete
	cd setu && ../$(BIN)/python ../manage.py compilemessages

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
