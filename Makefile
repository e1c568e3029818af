# bronzoeker — everything a fresh machine (Python 3.11 + pip, Debian apt as root) needs.
#   make demo   install, index the bundled corpus, serve http://127.0.0.1:8000 (PORT=8001: another port)
#   make test   install (incl. Chromium and Tesseract from Debian), run the test suite

PYTHON    ?= python3
VENV      := .venv
PY        := $(VENV)/bin/python
INDEXER   := $(VENV)/bin/indexer
DATA      ?= data
HOST      ?= 127.0.0.1
PORT      ?= 8000
BENCH_ARGS ?=
PYTEST_ARGS ?=
# Debian packages: Chromium for the browser tests, Tesseract (+ Dutch) for OCR of scans,
# PostgreSQL 15 for the catalogue tests (they start their own server on a temporary directory).
DEB_PACKAGES := chromium tesseract-ocr tesseract-ocr-nld postgresql-15

.PHONY: install system-deps test-deps port-free demo crawl serve test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Installs the Debian packages when missing (needs root, as on a fresh machine or in CI).
system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "apt-get install:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing Debian packages:$$missing (run as root to install)"; fi; \
	fi

crawl: install
	$(INDEXER) crawl --config corpus/demo.toml --data-dir $(DATA) || test $$? -eq 1

serve: install
	$(INDEXER) serve --config corpus/demo.toml --data-dir $(DATA) --host $(HOST) --port $(PORT)

# The port is checked before the crawl, so a taken one is said at once (PORT=8001 picks another).
port-free: install
	$(PY) -m indexer.ports --host $(HOST) --port $(PORT)

demo: install system-deps port-free crawl serve

# axe-core (npm registry) for the browser accessibility tests; never a downloaded browser.
# npm itself comes from Debian when missing (as root).
AXE := tests/browser/node_modules/axe-core/axe.min.js
test-deps:
	@if [ ! -f $(AXE) ]; then \
	  if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; \
	  npm install --no-save --no-audit --no-fund --prefix tests/browser axe-core@4; \
	fi

test: install system-deps test-deps lint
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff over everything, mypy over the two packages (configured in pyproject.toml)
lint: install
	$(VENV)/bin/ruff check indexer search_ui tests scripts bench
	$(VENV)/bin/mypy

bench: install
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DATA) build *.egg-info test-artifacts
