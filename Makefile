# The two set-up commands of the README: `make serve` and `make test`. Each installs what it needs first.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: serve build test bench screenshots

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

serve: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/mkdocs serve

build: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/mkdocs build --strict

test: $(VENV)/.installed node_modules/.installed /usr/bin/chromium
	$(PY) -m pytest -n auto

bench: $(VENV)/.installed node_modules/.installed
	$(PY) bench/check_bench.py
	$(PY) bench/build_bench.py

# Renew the README's screenshots from the example portfolio.
screenshots: $(VENV)/.installed node_modules/.installed /usr/bin/chromium
	$(PY) scripts/screenshots.py
