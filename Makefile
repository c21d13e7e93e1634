# TeamHub: every set-up step behind two commands.
#   make run   — install, migrate, seed the demo organisation once, start web + worker + beat
#   make test  — install, then run the whole test suite
# Both work on a fresh machine with only Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
PORT ?= 8000

.PHONY: run test install migrate seed lint check bench-import bench-scores bench-pages vendor lock clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "TeamHub needs Python 3.11 (found %d.%d)" % sys.version_info[:2])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

# Translations are compiled from their .po files (pure Python: no GNU gettext needed).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard */locale/*/LC_MESSAGES/django.po))

%.mo: %.po scripts/compile_messages.py | $(STAMP)
	$(BIN)/python scripts/compile_messages.py

install: $(STAMP) $(MO_FILES)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The demo organisation is created on the first run only; `make seed` adds it again.
seed: install
	$(BIN)/python manage.py seed_demo

run: migrate
	@test -f var/.demo-seeded || ($(BIN)/python manage.py seed_demo && touch var/.demo-seeded)
	$(BIN)/python scripts/run_embedded.py --port $(PORT)

# Tests run in parallel, one process per core (at most 4), each test file in one process
# (files share expensive set-up such as the demo organisation); each process has its own
# database, var/ and Redis databases (teamhub/settings/test.py). Then, on their own, the
# tests that start real Celery workers and beats: they wait on time and processes, and
# are no test of a busy machine. PYTEST_ARGS adds options to both (a part that selects
# nothing is no failure: pytest's exit status 5).
test: install
	$(BIN)/python -m pytest -m "not worker and not serial" --numprocesses auto --maxprocesses 4 --dist loadfile $(PYTEST_ARGS) \
		|| [ $$? -eq 5 ]
	$(BIN)/python -m pytest -m "worker or serial" $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# What CI checks besides the tests; production settings come from dummy values.
check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	TEAMHUB_ENV=production SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
	  ALLOWED_HOSTS=teamhub.example.com DATABASE_URL=postgres://teamhub@127.0.0.1/teamhub \
	  CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# Speed of the CSV import (100,000 rows, fresh and re-import): prints figures, asserts nothing.
bench-import: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python scripts/bench_import.py

# The scores engine on PostgreSQL (DATABASE_URL naming a *bench* database, which it empties;
# CELERY_BROKER_URL, CACHE_URL): full recompute vs its SQL floor, incremental through the
# worker, peak memory. Prints figures, asserts nothing; BENCH_ARGS=--reuse skips generating.
bench-scores: install
	$(BIN)/python scripts/bench_scores.py $(BENCH_ARGS)

# The dashboard pages over HTTP (gunicorn on 127.0.0.1:8765) on bench-scores' organisation,
# generated once if missing (same DATABASE_URL rule): p50/p95 cold and warm against 150 ms.
# Prints figures, asserts nothing; BENCH_ARGS=--generate makes the organisation again.
bench-pages: install
	$(BIN)/python scripts/bench_pages.py $(BENCH_ARGS)

# Refresh htmx and Chart.js under static/vendor/ from npm at the pinned versions.
vendor:
	bash scripts/vendor_static.sh

# Re-pin every installed package after changing pyproject.toml's dependencies.
lock: install
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	(echo "# Pinned versions of every package TeamHub installs (runtime and dev)."; \
	 echo "# Used as pip constraints by \`make\`; refresh with \`make lock\`."; \
	 $(BIN)/python -m pip freeze --exclude-editable) > requirements.lock

clean:
	rm -rf $(VENV) var staticfiles test-artifacts
