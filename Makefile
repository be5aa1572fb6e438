# The Hub's commands. `make run` serves the demo site; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# CI and developer machines run PostgreSQL here; `make test` uses it when it answers.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres lint format check bench messages static seed system-deps clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# GNU gettext compiles the message catalogues; WeasyPrint needs Pango.
system-deps:
	@command -v msgfmt >/dev/null && ldconfig -p | grep -q libpango-1.0 || { \
		echo "Installing gettext and Pango with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }
	@# The browser tests drive Debian's Chromium (Playwright must not download one) and run npm's axe-core and vnu-jar, the latter on Java.
	@test -x /usr/bin/chromium && command -v npm >/dev/null && command -v java >/dev/null || { \
		echo "Installing Chromium, npm and Java with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium npm default-jre-headless; }

# --ignore-scripts: vnu-jar's install script would download a Java runtime; the system's Java runs it.
node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

messages: system-deps
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules -v0

static:
	$(MANAGE) collectstatic --noinput -v0

seed:
	$(MANAGE) seed_demo

run: system-deps $(VENV)/.runtime
	$(MANAGE) migrate --noinput -v0
	$(MAKE) --no-print-directory messages static seed
	$(MANAGE) search_index rebuild
	@echo "Serving the Hub at http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	@# One process with threads: the embedded setup's local-memory cache is per process.
	$(BIN)/gunicorn hub.wsgi --bind 127.0.0.1:$(PORT) --workers 1 --threads 4 --access-logfile -

test: system-deps $(VENV)/.dev node_modules/.installed
	$(MAKE) --no-print-directory messages
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(TEST_DATABASE_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "PostgreSQL does not answer at $(TEST_DATABASE_URL): the PostgreSQL run was NOT done."; \
	fi

test-sqlite:
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL -u ELASTICSEARCH_URL -u CACHE_URL $(BIN)/pytest

# The browser tests look at what a visitor sees, the same on either database: they run once, on SQLite.
test-postgres:
	@echo "== Test suite on PostgreSQL =="
	env -u ELASTICSEARCH_URL -u CACHE_URL DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -m "not browser"

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(VENV)/.dev
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

bench: $(VENV)/.dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3 search_index.sqlite3 node_modules test-artifacts
