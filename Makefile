# Claimdesk: the commands people type. `make run` and `make test` set everything up first.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
# The first Python 3.12+ that really runs (pyenv shims for missing versions fail the check).
PYTHON ?= $(shell for c in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$c; break; fi; done)

.PHONY: help install run test lint format eval bench clean

help:  ## List the commands
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP):
	@test -n "$(PYTHON)" || { echo "Claimdesk needs Python 3.12 or newer (python3.12 or python3.13 on PATH)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)  ## Create .venv and install pinned dependencies

run: install  ## Set up and serve the app with its worker and scheduler (Ctrl-C stops all)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py rundesk $(RUN_ARGS)

test: install  ## Set up and run the whole test suite
	$(BIN)/python -m pytest

lint: install  ## Check formatting, lint and migrations
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install  ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: install  ## Print quality figures on the annotated evaluation data
	$(BIN)/python scripts/evaluate.py

bench: install  ## Run the benchmarks (one JSON line per result)
	@for b in bench/bench_*.py; do echo "# $$b" >&2; $(BIN)/python $$b || exit 1; done

clean:  ## Remove the virtualenv and local data (stops nothing; stop `make run` first)
	rm -rf $(VENV) .data staticfiles
