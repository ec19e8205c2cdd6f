"""Command line: `python -m pipeline extract|reconcile|show`.

Heavy libraries are imported inside the commands so that `--help` answers at
once.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

EPILOG = """\b
Examples:
  python -m pipeline extract data/raw --out data/parsed
  python -m pipeline reconcile data/parsed
  python -m pipeline show anyshire-yos.pdf --parsed data/parsed
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Turn HM Inspectorate of Probation youth justice inspection reports
    (PDF or text exports) into typed Parquet tables, recompute every rating
    under the published rules, and report where they disagree."""


@main.command()
@click.argument("in_dir", type=click.Path(exists=True, file_okay=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("data/parsed"),
              show_default=True, help="Folder for the Parquet tables and the reconciliation report.")
@click.option("--workers", type=int, default=None,
              help="Processes to use (default: the number of cores; 1 runs in this process).")
@click.option("--no-cache", is_flag=True,
              help="Re-extract every file even if OUT/.cache holds a result for the same bytes and code.")
@click.option("--max-mb", type=float, default=200, show_default=True,
              help="Refuse files larger than this many megabytes before loading them.")
@click.option("--max-pages", type=int, default=1000, show_default=True,
              help="Refuse documents with more pages than this.")
@click.option("--no-progress", is_flag=True, help="Do not draw the progress bar.")
@click.option("--debug", is_flag=True, help="Include tracebacks in error messages.")
def extract(in_dir: Path, out_dir: Path, workers: int | None, no_cache: bool, max_mb: float,
            max_pages: int, no_progress: bool, debug: bool) -> None:
    """Extract every report in IN_DIR (.pdf, .txt; searched recursively) into
    OUT: reports, ratings, key_questions, prompts, facts, recommendations,
    findings and errors as Parquet, plus reconciliation.md/.html and
    findings.csv.

    A file that cannot be read gets one row in `errors` and one line on
    stderr; the others are still extracted. Exit status is 1 when any file
    failed, 0 otherwise. Tables are replaced only when the run completes.
    """
    from .run import Options, find_inputs, outputs_current, record_outputs, run, write_tables

    paths = find_inputs(in_dir) if in_dir.is_dir() else [in_dir]
    if not paths:
        click.echo(f"no .pdf or .txt files in {in_dir}", err=True)
        sys.exit(1)
    options = Options(max_bytes=int(max_mb * 1024 * 1024), max_pages=max_pages, debug=debug)
    show_bar = not no_progress and sys.stderr.isatty()
    with click.progressbar(length=len(paths), label="Extracting", file=sys.stderr,
                           show_pos=True, hidden=not show_bar) as bar:
        result = run(paths, out_dir, options, workers=workers, use_cache=not no_cache,
                     on_done=lambda name: bar.update(1))
    tables = result.tables
    failed_errors = [e for e in tables["errors"] if e["error"] != "duplicate_file"]
    for error in tables["errors"]:
        label = "note" if error["error"] == "duplicate_file" else "error"
        click.echo(f"{label}: {error['source_file']}: [{error['stage']}] {error['message']}", err=True)
    if not no_cache and outputs_current(out_dir, result):
        # a re-run over unchanged inputs: the folder already holds this result
        counts = {name: len(rows) for name, rows in tables.items()}
    else:
        counts = write_tables(tables, out_dir)
        from . import store
        from .reconcile import write_reconciliation

        write_reconciliation({name: store.to_table(name, rows) for name, rows in tables.items()},
                             out_dir)
        if not no_cache:
            record_outputs(out_dir, result)
    statuses = [r.get("status") for r in tables["reports"]]
    divergences = sum(1 for f in tables["findings"] if f["kind"] == "rating_differs_from_rule")
    explained = sum(1 for f in tables["findings"] if f["kind"] == "rating_differs_from_rule" and f["explained"])
    rows = ", ".join(f"{name} {n}" for name, n in counts.items() if name != "errors")
    click.echo(
        f"{len(paths)} files: {statuses.count('ok')} ok, {statuses.count('partial')} partial, "
        f"{len(failed_errors)} failed | rows: {rows} | {divergences} divergences from the rules "
        f"({explained} explained) | written to {out_dir}", err=True)
    sys.exit(1 if failed_errors else 0)


@main.command()
@click.argument("parsed_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def reconcile(parsed_dir: Path) -> None:
    """Write reconciliation.md, reconciliation.html and findings.csv into
    PARSED_DIR from the tables already there."""
    from .reconcile import rebuild_from_parquet

    for kind, path in rebuild_from_parquet(parsed_dir).items():
        click.echo(f"{kind}: {path}")


@main.command()
@click.argument("report")
@click.option("--parsed", "parsed_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("data/parsed"), show_default=True, help="Folder holding the extracted tables.")
def show(report: str, parsed_dir: Path) -> None:
    """Print one report's extraction as tables: REPORT is a file name (as in
    data/raw) or a report_id prefix."""
    from .show import render_report
    from .store import read_tables

    try:
        click.echo(render_report(read_tables(parsed_dir), Path(report).name))
    except LookupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
