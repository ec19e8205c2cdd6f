# make extract: every report in data/raw -> data/parsed (sets up .venv first if needed)
# make test:    set up, then run the test suite
# make bench:   set up, then measure extraction speed and memory
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: extract test bench setup clean

extract: $(STAMP)
	$(PY) -m pipeline extract data/raw --out data/parsed

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) scripts/bench.py

setup: $(STAMP)

# reinstall when the project's dependencies change
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

clean:
	rm -rf data/parsed/*.parquet data/parsed/reconciliation.* data/parsed/findings.csv data/parsed/.cache \
		data/parsed/.generations data/parsed/current data/parsed/.lock
