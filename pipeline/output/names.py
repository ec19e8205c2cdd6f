"""The names of what a run writes into the output folder (here, apart from the
writers, so that naming the outputs loads none of their libraries)."""
from __future__ import annotations

import re

CSV_DIR = "csv"
DATABASE = "inspections.duckdb"
DATAPACKAGE = "datapackage.json"
WORKBOOK = "inspections.xlsx"
RECONCILIATION_FILES = {"markdown": "reconciliation.md", "html": "reconciliation.html", "csv": "findings.csv"}

# the output folder's own objects (output/generations.py)
GENERATIONS = ".generations"
CURRENT = "current"
MANIFEST = "manifest.json"
LOCK = ".lock"
STAGING_SUFFIX = ".tmp"
# a temporary link in OUT: the prefix says it is ours (a user's *.tmp is not)
TMP_PREFIX = ".yj-inspections-tmp."
# a generation's folder name: <time>-<pid>-<random>; nothing else in
# .generations is ever removed
GENERATION_ID = re.compile(r"\d{8}T\d{6}-\d+-[0-9a-f]{6}")
