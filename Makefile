# The project's everyday commands. `make help` lists them.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: help install translations run test lint format extract-messages bench

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the app with its test and dev tools

translations: $(STAMP) ## Compile the zh_CN and en message catalogues
	$(BIN)/pybabel -q compile -d app/translations

run: export APP_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: translations ## Migrate instance/app.db, load the demo incubator if empty, serve on 127.0.0.1:$(PORT)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	APP_SESSION_COOKIE_SECURE=false $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: translations ## Run the whole suite (TEST_DATABASE_URL=postgresql+psycopg://… for PostgreSQL)
	$(BIN)/pytest

bench: translations ## Load the app under gunicorn with wrk, N bookings behind it (BENCH_BOOKINGS, BENCH_DATABASE_URL); table in tests/bench/results/
	$(PY) -m tests.bench.bench_bookings

lint: $(STAMP) ## ruff (lint + format check) and mypy (every function typed) on app/
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests
	$(BIN)/mypy app

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix app tests
	$(BIN)/ruff format app tests

extract-messages: $(STAMP) ## Refresh the catalogues from the code after changing user-visible text
	$(BIN)/flask translate update
