# Haven: `make run` serves the demo, `make test` runs everything CI runs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HAVEN_PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export HAVEN_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test install lint typecheck migrations-check translations-check pytest-sqlite \
        pytest-postgres system-packages messages fuzz bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-installs only when the dependency list changes, so a second `make run` is fast.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

var/secret.key:
	mkdir -p var && umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(48))" > $@

var/demo-password:
	mkdir -p var && umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(12))" > $@

run: install var/secret.key var/demo-password
	$(eval export HAVEN_SECRET_KEY_FILE := $(CURDIR)/var/secret.key)
	$(BIN)/haven translations compile
	$(BIN)/haven collectstatic --noinput -v0
	$(BIN)/haven keys init
	$(BIN)/haven migrate --noinput -v0
	$(BIN)/haven seed-demo --password "$$(cat var/demo-password)"
	@echo "Haven is serving on http://127.0.0.1:$(HAVEN_PORT)/  (Ctrl-C stops it)"
	$(BIN)/gunicorn haven.config.wsgi --bind 127.0.0.1:$(HAVEN_PORT) --workers 2 \
	  --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s' --access-logfile -

system-packages:
	bash scripts/ensure-system-packages

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	HAVEN_DEBUG=true $(BIN)/mypy haven haven_link bench

migrations-check: install
	HAVEN_DEBUG=true $(BIN)/haven makemigrations --check --dry-run

translations-check: install
	$(BIN)/haven translations check
	$(BIN)/haven translations compile

pytest-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest -q -n 2

pytest-postgres: install
	bash scripts/ensure-postgres
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -q -n 2

test: system-packages install lint typecheck migrations-check translations-check pytest-sqlite pytest-postgres

# Update the catalogues after changing user-facing text, then translate the new entries.
messages: install
	cd haven && ../$(BIN)/python -m django makemessages --no-location --no-obsolete \
	  -l en -l zh_Hans -l es -l el -l nl --settings haven.config.settings

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
