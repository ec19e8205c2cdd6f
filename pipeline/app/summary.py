"""The end-of-run summary: one dict (printed as JSON with --json) and the one
line printed on stderr, both from the run's table rows."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.core.records import Row
from pipeline.core.schema import COPIES_SUFFIX
from pipeline.corpus.inspections import run_counts

EXIT_OK, EXIT_FILES_FAILED, EXIT_USAGE = 0, 1, 2
# errors rows that are notes, not failures: a copy read once, a file that is not a report type
NOTES = ("duplicate_file", "skipped")
NAMED = 3  # files named in the summary line before "and N more"


def run_summary(tables: dict[str, list[Row]], files: int, counts: dict[str, int], out_dir: Path,
                outputs: list[str]) -> dict[str, Any]:
    # each inspection once: another file of an inspection already counted
    # (duplicate_of set) adds to `duplicates`, not to ok/partial or divergences
    once = run_counts(tables)
    failed = sorted({e["source_file"] for e in tables["errors"] if e["error"] not in NOTES})
    skipped = sorted(e["source_file"] for e in tables["errors"] if e["error"] == "skipped")
    return {
        "files": files,
        "ok": once["ok"],
        "partial": once["partial"],
        "failed": len(failed),
        "duplicates": once["duplicates"],
        "skipped": len(skipped),
        "inspections": once["inspections"],
        "partial_files": once["partial_files"],
        "failed_files": failed,
        "duplicate_files": sorted(e["source_file"] for e in tables["errors"] if e["error"] == "duplicate_file"),
        "skipped_files": skipped,
        "rows": counts,
        "divergences": once["divergences"],
        "divergences_explained": once["explained"],
        "out_dir": str(out_dir),
        "outputs": outputs,
        "exit_code": EXIT_FILES_FAILED if failed else EXIT_OK,
    }


def _some(names: list[str]) -> str:
    shown = ", ".join(names[:NAMED])
    return shown if len(names) <= NAMED else f"{shown} and {len(names) - NAMED} more"


def _n(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def summary_line(summary: dict[str, Any]) -> str:
    # the copies' tables are in --json; the line counts each inspection once
    rows = ", ".join(f"{name} {n}" for name, n in summary["rows"].items()
                     if name != "errors" and not name.endswith(COPIES_SUFFIX))
    line = (f"{_n(summary['files'], 'file')}: {summary['ok']} ok, {summary['partial']} partial, "
            f"{summary['failed']} failed, {summary['duplicates']} duplicate")
    if summary.get("skipped"):
        line += f", {summary['skipped']} skipped (not report types)"
    line += f" | {_n(summary['inspections'], 'inspection')}"
    if summary["partial_files"]:
        line += f" | partial: {_some(summary['partial_files'])}"
    if summary["failed_files"]:
        line += f" | failed: {_some(summary['failed_files'])}"
    return (f"{line} | rows: {rows} | {_n(summary['divergences'], 'divergence')} from the rules "
            f"({summary['divergences_explained']} explained) | written to {summary['out_dir']}")
