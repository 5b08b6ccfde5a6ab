# piis — the two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements/dev.txt
HOST   ?= 127.0.0.1
PORT   ?= 8000
TEST_SETTINGS := piis.settings.test

.PHONY: run install test lint typecheck test-rules test-all fuzz chaos bench bench-data bench-reset measure-concurrent-edits rules-doc messages lock fix check-deploy restore-drill clean

$(STAMP): $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	@touch $(STAMP)

install: $(STAMP)

## make run: venv + install + migrate SQLite + demo data, then serve on http://$(HOST):$(PORT), with the background
## task worker (manage.py db_worker: report builds, PDFs, reminders queued in the database) started beside the server
## and stopped with it
run: install
	DJANGO_SETTINGS_MODULE=piis.settings.dev $(BIN)/python manage.py migrate --no-input
	DJANGO_SETTINGS_MODULE=piis.settings.dev $(BIN)/python manage.py demo_data --url http://$(HOST):$(PORT)/
	@echo "piis: serving on http://$(HOST):$(PORT)/ (another address: make run HOST=0.0.0.0 PORT=8001)"
	DJANGO_SETTINGS_MODULE=piis.settings.dev $(BIN)/python manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=piis.settings.dev $(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: lint, type checks, import contract, generated-file checks, then the whole test suite
test: install lint typecheck test-rules test-all

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint piis/templates --lint --quiet
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=piis.settings.dev DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m piis.rules.doc --check docs/rules.md
	$(BIN)/python scripts/messages.py --check
	@$(MAKE) --no-print-directory check-deploy

typecheck:
	$(BIN)/mypy

check-deploy:
	DJANGO_SETTINGS_MODULE=piis.settings.prod SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
		ALLOWED_HOSTS=piis.example.org DATABASE_URL=sqlite:///:memory: \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

## the rules core alone, with its branch-coverage floor (95 %)
test-rules:
	$(BIN)/python -m pytest tests/rules -p no:randomly -q --cov=piis.rules --cov-branch \
		--cov-report=term --cov-fail-under=95 -W error

## everything (rules included): PostgreSQL when reachable, else SQLite with PostgreSQL-only tests skipped;
## not -q, which would hide the header line that names the test database
test-all:
	$(BIN)/python -m pytest -n 2

## make fuzz: the fuzz test of every route, form and role at length (tests/fuzz; `make test` runs it with 400 examples)
## and its figures: FUZZ_EXAMPLES hypothesis examples, FUZZ_SWEEP=all visits every route with every id as every role
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} FUZZ_SWEEP=all $(BIN)/python -m pytest tests/fuzz -p no:randomly -q -s

## make chaos: the application under faults, for real (scripts/chaos.py): a throw-away PostgreSQL cluster of its own
## on port 5439 (needs the PostgreSQL server binaries, and root or the postgres user; the usual PostgreSQL is never
## touched), gunicorn as the app role, kill -9 of workers during signatures and multi-row saves, PostgreSQL stopped
## and started twice; prints the figures and what was lost (must be nothing). A few minutes; not part of `make test`.
chaos: install
	$(BIN)/python scripts/chaos.py

## make restore-drill: dump the PostgreSQL database of DATABASE_URL (pg_dump, custom format), restore it into a
## scratch database, compare every table's rows and checksum, print the verdict, drop the scratch database; exits
## non-zero on any difference (docs/operations.md)
restore-drill: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-piis.settings.dev} $(BIN)/python manage.py restore_drill

## make bench: the main pages as ratios to the floor, on the bench data set (database piis_bench, built at scale S the
## first time), as the app role under row-level security; then every other benchmarks/bench_*.py (docs/performance.md)
bench: install
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(BIN)/python benchmarks/run.py

## make bench-data SCALE=N FRACTION=0.2: (re)build the bench data set of scale.md into piis_bench (drops it first);
## BENCH_DB=piis_bench_n for another database (the whole N: make bench-data SCALE=N BENCH_DB=piis_bench_n, ~16 min;
## then make bench BENCH_DB=piis_bench_n)
BENCH_DB ?= piis_bench
export BENCH_DB
BENCH_OWNER_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
bench-data: install bench-reset
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) DATABASE_URL=$(BENCH_OWNER_URL) $(BIN)/python manage.py migrate -v0
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) DATABASE_URL=$(BENCH_OWNER_URL) $(BIN)/python manage.py bench_data \
		--scale $${SCALE:-S} --fraction $${FRACTION:-1}

bench-reset:
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_DB)

## make measure-concurrent-edits: 100 pairs of people saving the same objective at once, through the real views, on
## PostgreSQL (issue 16); prints "conflicts caught: N/100, lost updates: M" (ARGS=--without-check: also without it)
measure-concurrent-edits: install
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(BIN)/python benchmarks/concurrent_edits.py $(ARGS)

rules-doc: install
	$(BIN)/python -m piis.rules.doc > docs/rules.md

## regenerate locale/*/django.po from the code (needs GNU gettext) and compile the .mo files
messages: install
	DJANGO_SETTINGS_MODULE=piis.settings.dev $(BIN)/python manage.py makemessages -l fr -l nl -l de -l en --no-location -i '.venv/*' -i 'e2e/*' -i 'tests/*'
	$(BIN)/python scripts/messages.py --compile

lock:
	$(BIN)/python -m pip install --quiet uv
	cd requirements && ../$(BIN)/uv pip compile --python-version 3.11 prod.in -o prod.txt -q
	cd requirements && ../$(BIN)/uv pip compile --python-version 3.11 dev.in -o dev.txt -q

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
