"""Command line: `python -m pipeline extract|reconcile|show`.

Heavy libraries are imported inside the commands so that `--help` answers at
once.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import describe_os_error, safe_text
from .workers import Limits

EPILOG = """\b
Examples:
  python -m pipeline extract data/raw --out data/parsed
  python -m pipeline reconcile data/parsed
  python -m pipeline show anyshire-yos.pdf --parsed data/parsed
"""


class _OneLineErrors(click.Group):
    """Whatever goes wrong reaches the user as one line, never a traceback
    (--debug, or PIPELINE_DEBUG=1, shows the traceback instead)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if "--debug" in sys.argv or os.environ.get("PIPELINE_DEBUG"):
                raise
            detail = str(exc).splitlines()[0][:200] if str(exc) else ""
            click.echo(safe_text(f"error: {type(exc).__name__}: {detail} (run with --debug for the details)"),
                       err=True)
            sys.exit(3)


@click.group(cls=_OneLineErrors, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Turn HM Inspectorate of Probation youth justice inspection reports
    (PDF or text exports) into typed Parquet tables, recompute every rating
    under the published rules, and report where they disagree."""


def _say(line: str) -> None:
    click.echo(line, err=True)


def _refuse(message: str) -> None:
    """A problem with the arguments or the output folder: one line, exit 2."""
    _say(f"error: {safe_text(message)}")
    sys.exit(2)


@main.command()
@click.argument("in_dir", type=click.Path(exists=True, file_okay=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("data/parsed"),
              show_default=True, help="Folder for the Parquet tables and the reconciliation report.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes to use (default: the number of cores).")
@click.option("--no-cache", is_flag=True,
              help="Re-extract every file even if OUT/.cache holds a result for the same bytes and code.")
@click.option("--max-mb", type=float, default=200, show_default=True,
              help="Refuse files larger than this many megabytes before loading them.")
@click.option("--max-pages", type=int, default=1000, show_default=True,
              help="Refuse documents with more pages than this.")
@click.option("--max-memory-mb", type=click.IntRange(min=256), default=Limits.memory_mb, show_default=True,
              help="Address-space cap of each worker process; a file that needs more gets a memory_limit error.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=Limits.timeout,
              show_default=True, help="Seconds allowed per file; a file that takes longer gets a time_limit error.")
@click.option("--lock-wait", type=click.FloatRange(min=0), default=60, show_default=True,
              help="Seconds to wait for another extraction writing to OUT before giving up.")
@click.option("--no-progress", is_flag=True, help="Do not draw the progress bar.")
@click.option("--debug", is_flag=True, help="Include tracebacks in error messages.")
def extract(in_dir: Path, out_dir: Path, workers: int | None, no_cache: bool, max_mb: float,
            max_pages: int, max_memory_mb: int, timeout: float, lock_wait: float, no_progress: bool,
            debug: bool) -> None:
    """Extract every report in IN_DIR (.pdf, .txt; searched recursively) into
    OUT: reports, ratings, key_questions, prompts, facts, recommendations,
    findings and errors as Parquet, plus reconciliation.md/.html and
    findings.csv.

    A file that cannot be read gets one row in `errors` and one line on
    stderr; the others are still extracted. Exit status is 1 when any file
    failed, 2 when the run could not start or write, 0 otherwise. OUT always
    holds one whole run: the new one replaces the old in one step at the end.
    """
    from .output import OutputError, OutputLock, prepare, up_to_date, write_generation
    from .run import Options, find_inputs, run, tables_of

    if not (in_dir.is_dir() or in_dir.is_file()):
        _refuse(f"{in_dir} is not a regular file or a folder (a device or a pipe?): give a report or a folder")
    paths = find_inputs(in_dir) if in_dir.is_dir() else [in_dir]
    if not paths:
        _refuse(f"no .pdf or .txt files in {in_dir}")
    try:
        prepare(out_dir)
        options = Options(max_bytes=int(max_mb * 1024 * 1024), max_pages=max_pages, debug=debug)
        show_bar = not no_progress and sys.stderr.isatty()
        with click.progressbar(length=len(paths), label="Extracting", file=sys.stderr,
                               show_pos=True, hidden=not show_bar) as bar:
            result = run(paths, out_dir, options, workers=workers, use_cache=not no_cache,
                         limits=Limits(memory_mb=max_memory_mb, timeout=timeout),
                         on_done=lambda name: bar.update(1))
        tables = result.tables
        for warning in result.warnings:
            _say(f"warning: {safe_text(warning)}")
        for error in tables["errors"]:
            label = "note" if error["error"] == "duplicate_file" else "error"
            message = error["message"] if debug else safe_text(error["message"])
            _say(f"{label}: {safe_text(error['source_file'])}: [{error['stage']}] {message}")
        with OutputLock(out_dir, wait=lock_wait):
            if result.extracted or not up_to_date(out_dir, result.inputs_key):
                write_generation(tables_of(tables), out_dir, inputs_key=result.inputs_key)
    except OutputError as exc:
        _refuse(str(exc))
    except OSError as exc:
        _refuse(f"cannot write to {out_dir}: {describe_os_error(exc)}")
    failed_errors = [e for e in tables["errors"] if e["error"] != "duplicate_file"]
    statuses = [r.get("status") for r in tables["reports"]]
    divergences = sum(1 for f in tables["findings"] if f["kind"] == "rating_differs_from_rule")
    explained = sum(1 for f in tables["findings"] if f["kind"] == "rating_differs_from_rule" and f["explained"])
    rows = ", ".join(f"{name} {len(table_rows)}" for name, table_rows in tables.items() if name != "errors")
    _say(safe_text(
        f"{len(paths)} files: {statuses.count('ok')} ok, {statuses.count('partial')} partial, "
        f"{len(failed_errors)} failed | rows: {rows} | {divergences} divergences from the rules "
        f"({explained} explained) | written to {out_dir}"))
    sys.exit(1 if failed_errors else 0)


@main.command()
@click.argument("parsed_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lock-wait", type=click.FloatRange(min=0), default=60, show_default=True,
              help="Seconds to wait for an extraction writing to PARSED_DIR before giving up.")
def reconcile(parsed_dir: Path, lock_wait: float) -> None:
    """Write reconciliation.md, reconciliation.html and findings.csv into
    PARSED_DIR from the tables already there (as a new whole generation)."""
    from .output import OutputError, OutputLock, current_generation, read_manifest, write_generation
    from .store import read_tables

    try:
        with OutputLock(parsed_dir, wait=lock_wait):
            inputs_key = read_manifest(current_generation(parsed_dir)).get("inputs_key")
            write_generation(read_tables(parsed_dir), parsed_dir, inputs_key=inputs_key)
    except OutputError as exc:
        _refuse(str(exc))
    except OSError as exc:
        _refuse(f"cannot write to {parsed_dir}: {describe_os_error(exc)}")
    for name in ("reconciliation.md", "reconciliation.html", "findings.csv"):
        click.echo(safe_text(str(parsed_dir / name)))


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
        click.echo(safe_text(str(exc), keep_newlines=True), err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
