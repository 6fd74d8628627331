# govtrain: `make demo` to try it, `make test` to check it. Both set everything up.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Debian's headless Chromium drives the browser tests (Playwright downloads nothing).
CHROMIUM ?= $(shell command -v chromium-headless-shell || command -v chromium || echo /usr/bin/chromium-headless-shell)

.PHONY: setup demo serve test test-only browser lint format bench messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled translations are build output, made from the committed .po files.
locale/ml/LC_MESSAGES/django.mo: locale/ml/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	msgfmt --check -o $@ $<

messages: locale/ml/LC_MESSAGES/django.mo

setup: $(VENV)/.installed node_modules/.installed messages

browser:
	@if ! command -v chromium-headless-shell >/dev/null && ! command -v chromium >/dev/null; then \
		echo "Installing Debian's chromium-headless-shell for the browser tests"; \
		apt-get update -qq && apt-get install -y -qq chromium-headless-shell; \
	fi

demo: setup
	$(BIN)/govtrain demo

serve: setup
	$(BIN)/govtrain serve

test: setup browser test-only

test-only:
	$(BIN)/ruff check .
	$(BIN)/govtrain makemigrations --check --dry-run
	GOVTRAIN_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy govtrain
	$(BIN)/lint-imports
	$(BIN)/djhtml --check templates
	$(BIN)/govtrain makemigrations --check --dry-run

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml templates

# State-scale benchmarks (bench/README.md); e.g. make bench BENCH_ARGS="--databases sqlite".
bench: setup
	$(BIN)/govtrain bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
