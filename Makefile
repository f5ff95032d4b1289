# planboard: the two front-door commands are `make demo` and `make test`.
# Every target installs what it needs and is safe to run again.
#
#   make demo                 serve the demo at http://127.0.0.1:8000/, with a worker
#   make demo PORT=8080       ... on another port (or PORT=8080 make demo)
#   DATABASE_URL=postgres://user@host/db make demo    ... on PostgreSQL
#   make test                 lint, then every test on SQLite, and on PostgreSQL those that reach the database

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
export PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PLANBOARD_VAR_DIR ?= $(CURDIR)/var
APT_UPDATED := $(PLANBOARD_VAR_DIR)/.apt-updated
STATIC_COLLECTED := $(PLANBOARD_VAR_DIR)/static/.collected

# The demo runs as production does (DEBUG off) but over plain HTTP on this machine, and
# takes today to be 15 March 2017, a day in the story of its 2016/17 plan (every page
# says so); `DEMO_TODAY= make demo` runs it on the real date.
DEMO_ENV = DEBUG=$${DEBUG:-false} HTTPS=$${HTTPS:-false} DEMO_TODAY=$${DEMO_TODAY-2017-03-15}

.PHONY: setup demo test lint bench clean system-packages test-packages apt
.PHONY: redmine-packages bench-redmine

setup: system-packages $(BIN)/.installed node_modules/.installed $(STATIC_COLLECTED)

# --- system packages (only what is missing; Debian or Ubuntu) ----------------
$(APT_UPDATED):
	@mkdir -p $(dir $@)
	$(SUDO) apt-get update -qq
	@touch $@

system-packages:
	@command -v $(PYTHON) >/dev/null || $(MAKE) --no-print-directory apt PKGS="$(PYTHON) $(PYTHON)-venv"
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || $(MAKE) --no-print-directory apt PKGS="$(PYTHON)-venv"
	@command -v npm >/dev/null || $(MAKE) --no-print-directory apt PKGS="nodejs npm"
	@# WeasyPrint (PDF papers) draws text with Pango and needs at least one font.
	@/sbin/ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' \
		|| $(MAKE) --no-print-directory apt PKGS="libpango-1.0-0 libpangoft2-1.0-0"
	@[ -n "$$(fc-list 2>/dev/null)" ] || $(MAKE) --no-print-directory apt PKGS="fontconfig fonts-dejavu-core"

# Only the tests need a browser and a PostgreSQL server.
test-packages:
	@[ -x /usr/bin/chromium ] || $(MAKE) --no-print-directory apt PKGS="chromium"
	@scripts/find-postgres >/dev/null 2>&1 || $(MAKE) --no-print-directory apt PKGS="postgresql"

# Only bench/redmine.py needs Redmine 5.0 (Debian's package, on SQLite) and puma to serve it.
redmine-packages:
	@[ -f /usr/share/redmine/Gemfile ] && command -v puma >/dev/null \
		&& ruby -e 'require "sqlite3"' 2>/dev/null \
		|| $(MAKE) --no-print-directory apt PKGS="dbconfig-no-thanks redmine redmine-sqlite puma"

apt: $(APT_UPDATED)
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(PKGS)

# --- Python and npm packages -----------------------------------------------
$(BIN)/.installed: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

# The benchmarks' own packages (the load test's locust), beside the others.
$(BIN)/.bench-installed: $(BIN)/.installed pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC_COLLECTED): $(BIN)/.installed node_modules/.installed $(shell find planboard -path '*/static/*' -type f 2>/dev/null)
	$(BIN)/planboard collectstatic --noinput -v 0
	@touch $@

# --- the demo ----------------------------------------------------------------
# Honours PORT, HOST and DATABASE_URL; running it again keeps the data and accounts.
demo: setup
	$(DEMO_ENV) $(BIN)/planboard migrate --noinput -v 0
	$(DEMO_ENV) $(BIN)/planboard demo
	$(DEMO_ENV) exec $(BIN)/planboard serve --host $(HOST) --port $(PORT) --with-worker

# --- tests -------------------------------------------------------------------
test: setup test-packages
	scripts/run-tests

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/audit-dependencies

bench: setup $(BIN)/.bench-installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/papers.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/public.py
	$(BIN)/python bench/web_import.py
	$(BIN)/python bench/task_queue.py
	$(BIN)/python bench/feedback.py
	$(BIN)/python bench/engagement.py
	$(BIN)/python bench/floor.py
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/load.py
	$(MAKE) --no-print-directory bench-redmine

# planboard against Redmine's issue list on the same rows (installs Redmine if missing).
bench-redmine: setup redmine-packages
	$(BIN)/python bench/redmine.py

clean:
	rm -rf $(VENV) node_modules var
