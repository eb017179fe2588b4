# Haven: `make run` serves the demo, `make test` runs everything CI runs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HAVEN_PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export HAVEN_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test install lint typecheck migrations-check translations-check pytest-sqlite \
        pytest-postgres browser-tests system-packages messages fuzz bench clean

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
	HAVEN_DEBUG=true $(BIN)/haven translations compile
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
	HAVEN_DEBUG=true $(BIN)/haven translations check
	HAVEN_DEBUG=true $(BIN)/haven translations compile

pytest-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest -q -n 2 -m "not browser"

pytest-postgres: install
	bash scripts/ensure-postgres
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -q -n 2 -m "not browser"

# Real Chromium against a live server; on PostgreSQL, where the server's threads each get a
# real connection (SQLite's shared in-memory test database does not like threads).
browser-tests: install system-packages
	bash scripts/ensure-postgres
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -q -p no:xdist -m browser tests/browser

test: system-packages install lint typecheck migrations-check translations-check pytest-sqlite pytest-postgres browser-tests

# Update the catalogues after changing user-facing text, then translate the new entries.
messages: install
	cd haven && ../$(BIN)/python -m django makemessages --no-location --no-obsolete \
	  -l en -l zh_Hans -l es -l el -l nl --settings haven.config.settings

# Bad input: schemathesis (own venv under var/, its pins are not ours) against the API served
# by gunicorn on a free port, with the demo world and a bearer token; fixed budget per operation.
FUZZ_VENV := var/fuzz-venv
FUZZ_EXAMPLES ?= 30
$(FUZZ_VENV)/bin/st:
	$(PYTHON) -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/pip install --quiet schemathesis==4.32.5

fuzz: install $(FUZZ_VENV)/bin/st
	$(BIN)/python tests/security/fuzz_run.py --st $(FUZZ_VENV)/bin/st --max-examples $(FUZZ_EXAMPLES)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Benchmarks print figures; they are never part of `make test`. The record-linkage peers
# (clkhash, anonlink, Splink, recordlinkage) live in their own venv: their pins clash with ours.
PEERS_VENV := bench/.venv-peers
$(PEERS_VENV)/.installed: bench/requirements-peers.txt
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install --quiet -r bench/requirements-peers.txt
	touch $@

bench: install $(PEERS_VENV)/.installed
	$(BIN)/python bench/screening.py
	$(BIN)/python bench/publication.py
	$(BIN)/python bench/linkage.py
	bash scripts/ensure-postgres
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python bench/case_list.py --cases $${BENCH_CASES:-1000000}
