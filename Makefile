# Two commands for a fresh machine (Debian, Python 3.11, package registries only):
#   make run    demo data + warehouse when missing, then the dashboard on http://localhost:$(PORT)
#   make test   test dependencies (and Debian's chromium for browser tests), then every test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
INBOX     ?= data/inbox
WAREHOUSE ?= data/build/warehouse.duckdb
PUBLISHED ?= data/build/published.duckdb
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint warehouse published demo-inbox demo-vintages chromium pango bench boardpack clean
QUARTER  ?=
LANGUAGE ?= en
OUT      ?= boardpack.pdf

$(VENV)/.runtime-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.runtime-installed requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# Demo extracts are written only when the inbox is empty or missing: real partner files in the
# inbox are never overwritten.
demo-inbox: $(VENV)/.runtime-installed
	@if [ -z "$$(ls -A $(INBOX) 2>/dev/null)" ]; then \
	  echo "no partner files in $(INBOX): writing demo extracts (synthetic data)"; \
	  $(PY) -m etl demo --out $(INBOX); fi

warehouse: demo-inbox
	@if [ ! -f $(WAREHOUSE) ]; then $(PY) -m etl build --inbox $(INBOX) --warehouse $(WAREHOUSE); fi

# The published file is rebuilt when missing or older than the warehouse.
published: warehouse
	@if [ ! -f $(PUBLISHED) ] || [ $(WAREHOUSE) -nt $(PUBLISHED) ]; then \
	  $(PY) -m indicators build --warehouse $(WAREHOUSE) --out $(dir $(PUBLISHED)); fi

run: published demo-vintages pango
	PEH_PUBLISHED=$(PUBLISHED) $(VENV)/bin/streamlit run server.py --server.port $(PORT) --server.headless true

chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The board pack's PDF is laid out by WeasyPrint, which needs Debian's pango.
pango:
	@dpkg -s libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

# axe-core (pinned in package-lock.json) checks the HTML board pack's accessibility in chromium.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --ignore-scripts

# Lint and format are checked first: a newcomer's change is held to the same style (pyproject.toml).
lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint $(VENV)/.test-installed chromium pango node_modules/axe-core/axe.min.js
	$(PY) -m pytest

# The strategy board's pack for a quarter, as PDF (or HTML when OUT ends in .html).
boardpack: published demo-vintages pango
	$(PY) -m reports boardpack --quarter "$(QUARTER)" --language $(LANGUAGE) --out $(OUT)

bench: $(VENV)/.runtime-installed
	$(PY) benchmarks/etl_throughput.py
	$(PY) benchmarks/framework_build.py

clean:
	rm -rf data/build data/inbox test-output

# Keep the quarter before the latest as a vintage (the warehouse as it stood a month after that
# quarter ended), so the Board page and the board pack have a quarter to compare with.
demo-vintages: published
	$(PY) scripts/demo_vintages.py --inbox $(INBOX) --published $(PUBLISHED)
