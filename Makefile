# planboard: the two front-door commands are `make demo` and `make test`.
# Every target installs what it needs and is safe to run again.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_UPDATED := var/.apt-updated

export PLANBOARD_VAR_DIR ?= $(CURDIR)/var

.PHONY: setup demo test test-sqlite test-postgres lint bench clean system-packages test-packages

setup: system-packages $(BIN)/.installed node_modules/.installed var/static/.collected

# --- system packages (only what is missing) --------------------------------
$(APT_UPDATED):
	@mkdir -p var
	$(SUDO) apt-get update -qq
	@touch $@

system-packages:
	@command -v $(PYTHON) >/dev/null || $(MAKE) --no-print-directory apt PKGS="python3 python3-venv"
	@command -v npm >/dev/null || $(MAKE) --no-print-directory apt PKGS="nodejs npm"

test-packages:
	@[ -x /usr/bin/chromium ] || $(MAKE) --no-print-directory apt PKGS="chromium"
	@scripts/find-postgres >/dev/null 2>&1 || $(MAKE) --no-print-directory apt PKGS="postgresql"

apt: $(APT_UPDATED)
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(PKGS)

# --- Python and npm packages -----------------------------------------------
$(BIN)/.installed: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

var/static/.collected: $(BIN)/.installed node_modules/.installed $(shell find planboard -path '*/static/*' -type f 2>/dev/null)
	$(BIN)/planboard collectstatic --noinput -v 0
	@touch $@

# --- the demo ----------------------------------------------------------------
demo: setup
	DEBUG=$${DEBUG:-false} HTTPS=$${HTTPS:-false} $(BIN)/planboard migrate --noinput -v 0
	DEBUG=$${DEBUG:-false} HTTPS=$${HTTPS:-false} $(BIN)/planboard demo
	DEBUG=$${DEBUG:-false} HTTPS=$${HTTPS:-false} $(BIN)/planboard serve --port $(PORT)

# --- tests -------------------------------------------------------------------
test: setup test-packages
	scripts/run-tests

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules var
