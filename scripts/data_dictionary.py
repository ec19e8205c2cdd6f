"""Render the data dictionary into docs/data-dictionary.md from the tables'
definitions (pipeline/core/schema.py): for every table, one generated block
(docs_blocks.py) listing its columns, each with its type, a mark when it is
in the output contract, its description, and an example value: the first
value an extraction of the sample reports (tests/fixtures/*.txt) writes in
that column (the table's fullest row's), else the example in pipeline/core/column_docs.py, else the
first value of the same column in another table (a table the samples leave
empty, such as rating_changes, has its examples so).

    python scripts/data_dictionary.py          # extract the samples, rewrite the blocks
    python scripts/data_dictionary.py --check  # exit 1 if the page is out of date

tests/test_data_dictionary.py fails when the page is out of date, when a
table has no block, or when a column has no description.
"""
from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import docs_blocks

PAGE = docs_blocks.DOCS / "data-dictionary.md"
SAMPLES = sorted((docs_blocks.ROOT / "tests" / "fixtures").glob("*.txt"))
SCRIPT = "data_dictionary.py"
SCRIPT_PATH = Path(__file__).resolve()
PREFIX = "table-"  # a block is named table-<table name>
LONGEST = 48  # characters of an example shown; a longer one is cut with an ellipsis
CONTRACT_MARK = "✓"


def extract_samples(folder: Path) -> Path:
    """Extract the sample reports into `folder`/parsed (as `make extract`
    does) and return that folder."""
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for sample in SAMPLES:
        shutil.copy(sample, raw / sample.name)
    parsed = folder / "parsed"
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(parsed),
                    "--no-progress", "--no-cache", "-q"], check=True, cwd=docs_blocks.ROOT)
    return parsed


def run_values(parsed: Path) -> dict[str, dict[str, Any]]:
    """table -> column -> a value the run wrote in it: the fullest row's
    (the first of the rows with the fewest nulls), so that one table's
    examples belong together, else the first value there is."""
    import pyarrow.parquet as pq

    from pipeline.core.schema import TABLE_DEFS

    out: dict[str, dict[str, Any]] = {}
    for name in TABLE_DEFS:
        rows = pq.read_table(parsed / f"{name}.parquet").to_pylist()
        fullest = max(rows, key=lambda row: sum(v is not None for v in row.values()), default={})
        out[name] = {c: v for c, v in fullest.items() if v is not None}
        for row in rows:
            out[name].update({c: v for c, v in row.items() if v is not None and c not in out[name]})
    return out


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    if len(text) > LONGEST:
        text = text[:LONGEST - 1].rstrip() + "…"
    return f"`{text}`" if "`" not in text and "|" not in text else _cell(text)


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell (GitHub's and the docs site's)."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace("*", "\\*")


def examples(name: str, run: dict[str, dict[str, Any]]) -> dict[str, str]:
    """column -> its example in table `name`, shown as Markdown."""
    from pipeline.core import column_docs, derived
    from pipeline.core.schema import TABLE_DEFS

    columns = [c.name for c in TABLE_DEFS[name].columns]
    elsewhere = {c: v for values in reversed(list(run.values())) for c, v in values.items()}
    found: dict[str, Any] = {}
    for column in columns:
        found[column] = run[name].get(column, column_docs.example(name, column))
        if found[column] is None and column in elsewhere:
            found[column] = elsewhere[column]
    # a derived column (points, typed date, precision) follows its source's example
    filled = derived.derived_values(name, found)
    return {c: "" if filled.get(c) is None else _shown(filled[c]) for c in columns}


def render_table(name: str, run: dict[str, dict[str, Any]]) -> str:
    """One table's block: its description, then a row per column."""
    from pipeline.core.column_docs import contract_columns
    from pipeline.core.schema import TABLE_DEFS

    table = TABLE_DEFS[name]
    contract = set(contract_columns(name))
    shown = examples(name, run)
    lines = [_cell(table.description), "", "| column | type | contract | description | example |",
             "| --- | --- | --- | --- | --- |"]
    for column in table.columns:
        mark = CONTRACT_MARK if column.name in contract else ""
        lines.append(f"| `{column.name}` | {column.type} | {mark} | {_cell(column.description)} | "
                     f"{shown[column.name]} |")
    return "\n".join(lines)


def documented_tables() -> list[str]:
    """The tables the page has a block for (every table but the copies,
    which have their base table's columns)."""
    from pipeline.core.schema import COPIES_SUFFIX, TABLE_DEFS

    return [name for name in TABLE_DEFS if not name.endswith(COPIES_SUFFIX)]


def undescribed() -> list[str]:
    """'table.column' of every column with no description."""
    from pipeline.core.schema import TABLE_DEFS

    return [f"{t.name}.{c.name}" for t in TABLE_DEFS.values() for c in t.columns if not c.description.strip()]


def updated(page: str, run: dict[str, dict[str, Any]]) -> str:
    for name in documented_tables():
        page = docs_blocks.updated(page, PREFIX + name, SCRIPT, render_table(name, run))
    return page


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        run = run_values(extract_samples(Path(folder)))
    new = updated(PAGE.read_text(encoding="utf-8"), run)
    return docs_blocks.write_or_check(PAGE, new, "--check" in argv, SCRIPT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
