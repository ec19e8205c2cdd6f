"""The names of what a run writes into the output folder (here, apart from the
writers, so that naming the outputs loads none of their libraries)."""
from __future__ import annotations

CSV_DIR = "csv"
DATABASE = "inspections.duckdb"
DATAPACKAGE = "datapackage.json"
WORKBOOK = "inspections.xlsx"
RECONCILIATION_FILES = {"markdown": "reconciliation.md", "html": "reconciliation.html", "csv": "findings.csv"}
