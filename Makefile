# make extract: every report in data/raw -> data/parsed (sets up .venv first if needed)
# make test:    set up (and the system tools some tests use), then run the test suite with branch coverage
# make lint:    ruff, mypy --strict (pyproject.toml) and the import layers (import-linter) over the package
# make bench:   set up, then measure extraction speed and memory
# make docs:    build the docs site (docs/ -> site/, offline; any warning, e.g. a broken link, fails;
#               not --quiet, which hides the warnings from --strict too)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TOOLS_STAMP := $(VENV)/.system-tools

.PHONY: extract test lint bench docs docs-images setup test-tools clean

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

# NO_MKDOCS_2_WARNING: the theme's banner about its end of life, printed on
# every build, is news for the maintainers (notes/docs-site.md), not a user
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict

# the README's and docs' picture of the reconciliation report: a headless
# Chromium screenshot of the page `make extract` writes for the samples
docs-images: extract
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
	  --disable-background-networking --window-size=1280,1000 \
	  --screenshot=docs/images/reconciliation.png "file://$(CURDIR)/data/parsed/reconciliation.html"

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
	rm -rf site
