# The two set-up commands of the README: `make serve` and `make test`. Each installs what it needs first.
VENV := .venv
PY := $(VENV)/bin/python
# Material's end-of-life banner about MkDocs 2.0 would print on every build, serve and test run.
export NO_MKDOCS_2_WARNING := 1
# `make test` runs the suite once more with the clock years ahead: it must pass whatever the date.
LATER := 2031-06-15 12:00:00

.PHONY: serve build lint test bench screenshots

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser of its own).
/usr/bin/chromium:
	apt-get update -q && apt-get install -y -q chromium

# Debian's faketime (libfaketime) runs the second test pass with another clock.
/usr/bin/faketime:
	apt-get update -q && apt-get install -y -q faketime

serve: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/mkdocs serve

build: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/mkdocs build --strict

# Lint and types (the core under mypy's strict rules): pyproject.toml holds their settings.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check plugins tests bench scripts
	$(VENV)/bin/mypy

# The second pass leaves out the browser tests (Chromium runs with the real clock); children that need the
# real clock for their machinery (pip's TLS, serve's file watcher) get it from tests/sitebuild.py real_clock().
test: lint node_modules/.installed /usr/bin/chromium /usr/bin/faketime
	$(PY) -m pytest -n auto
	faketime '$(LATER)' $(PY) -m pytest -n auto --ignore-glob='tests/test_browser*.py'

bench: $(VENV)/.installed node_modules/.installed
	$(PY) bench/check_bench.py
	$(PY) bench/build_bench.py

# Renew the README's screenshots from the example portfolio.
screenshots: $(VENV)/.installed node_modules/.installed /usr/bin/chromium
	$(PY) scripts/screenshots.py
