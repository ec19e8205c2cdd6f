# make extract: every report in data/raw -> data/parsed (sets up .venv first if needed)
# make test:    set up (and the system tools some tests use), then run the test suite with branch coverage
# make lint:    ruff, mypy --strict (pyproject.toml) and the import layers (import-linter) over the package
# make bench:   set up, then measure extraction speed and memory
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TOOLS_STAMP := $(VENV)/.system-tools

.PHONY: extract test lint bench setup test-tools clean

extract: $(STAMP)
	$(PY) -m pipeline extract data/raw --out data/parsed

test: $(STAMP) $(TOOLS_STAMP)
	$(PY) -m pytest --cov --cov-report=term

lint: $(STAMP)
	$(PY) -m ruff check pipeline tests scripts
	$(PY) -m mypy pipeline
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) scripts/bench.py

setup: $(STAMP)

# reinstall when the project's dependencies change (PYTHONWARNINGS and -qq: the
# build backend's banner about editable installs and pip's notes are no news to
# a user; errors still print)
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	PYTHONWARNINGS=ignore $(PY) -m pip install -qq -e ".[dev]"
	touch $(STAMP)

# Tests of other export routes need pdftotext (poppler-utils), the Word
# route's PDF needs LibreOffice (soffice, libreoffice-writer-nogui) and the
# web page's PDF and the report's browser test need Chromium. They are
# installed here when this is a Debian machine and we may (root); anywhere
# else those tests skip with a reason.
test-tools: $(TOOLS_STAMP)
$(TOOLS_STAMP):
	@if command -v pdftotext >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 \
	    && command -v soffice >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing poppler-utils, chromium and libreoffice-writer-nogui for the tests (apt-get)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     poppler-utils chromium libreoffice-writer-nogui >/dev/null) \
	    || echo "note: could not install poppler-utils/chromium/libreoffice; the tests that need them will be skipped"; \
	else echo "note: pdftotext, chromium or soffice is missing; the tests that need them will be skipped"; fi
	@mkdir -p $(VENV) && touch $(TOOLS_STAMP)

clean:
	rm -rf data/parsed/*.parquet data/parsed/reconciliation.* data/parsed/findings.csv data/parsed/.cache \
	  data/parsed/inspections.duckdb data/parsed/datapackage.json data/parsed/csv \
	  data/parsed/.generations data/parsed/current data/parsed/.lock
