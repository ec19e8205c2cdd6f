"""Command line: `python -m pipeline extract|reconcile|show`.

Heavy libraries are imported inside the commands so that `--help` answers at
once.
"""
from __future__ import annotations

import json
import math
import os
import sys
from importlib import metadata
from pathlib import Path

import click

from .summary import run_summary, summary_line

EPILOG = """\b
Examples:
  python -m pipeline extract data/raw --out data/parsed
  python -m pipeline reconcile data/parsed
  python -m pipeline show anyshire-yos.pdf --parsed data/parsed
"""


EXIT_CODES = """\b
Exit status:
  0  every file was read
  1  some files failed (each is named on stderr and in the errors table)
  2  a usage error: a bad option value, no input files, or an unusable
     --out (for example an existing regular file); found before any work
  130  interrupted (Ctrl-C)
"""


NO_ARGS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class OneLineErrors(click.Group):
    """Usage errors as one line on stderr, exit status 2."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except NO_ARGS_HELP as exc:  # bare `python -m pipeline`: the help, as click prints it
            click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:  # Ctrl-C
            click.echo("interrupted", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)


class Positive(click.ParamType):
    """A finite number above zero (nan, inf, 0 and negatives are refused)."""

    def __init__(self, kind: type):
        self.kind = kind
        self.name = "integer" if kind is int else "number"

    def convert(self, value, param, ctx):
        if isinstance(value, self.kind) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = self.kind(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not {'a whole' if self.kind is int else 'a'} number", param, ctx)
        if not math.isfinite(number) or number <= 0:
            self.fail(f"must be a finite number above 0, not {value}", param, ctx)
        return number


def _version() -> str:
    try:
        return metadata.version("yj-inspections")
    except metadata.PackageNotFoundError:
        return "unknown"


@click.group(cls=OneLineErrors, epilog=EPILOG + "\n" + EXIT_CODES,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", prog_name="yj-inspections", message="%(prog)s %(version)s")
def main() -> None:
    """Turn HM Inspectorate of Probation youth justice inspection reports
    (PDF or text exports) into typed Parquet tables, recompute every rating
    under the published rules, and report where they disagree."""


def usable_out_dir(out_dir: Path) -> None:
    """Refuse an --out that cannot hold the outputs, before any extraction."""
    if out_dir.exists() and not out_dir.is_dir():
        raise click.BadParameter(f"{out_dir} exists and is not a folder", param_hint="'--out'")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.BadParameter(f"cannot create {out_dir}: {exc.strerror or exc}", param_hint="'--out'")
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise click.BadParameter(f"{out_dir} is not writable", param_hint="'--out'")


@main.command(epilog=EXIT_CODES)
@click.argument("in_dir", type=click.Path(exists=True, file_okay=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("data/parsed"),
              show_default=True, help="Folder for the tables, the database and the reconciliation report.")
@click.option("--workers", type=Positive(int), default=None,
              help="Processes to use, at least 1 (default: the number of cores; 1 runs in this process).")
@click.option("--no-cache", is_flag=True,
              help="Re-extract every file even if OUT/.cache holds a result for the same bytes and code.")
@click.option("--max-mb", type=Positive(float), default=200, show_default=True,
              help="Refuse files larger than this many megabytes before loading them.")
@click.option("--max-pages", type=Positive(int), default=1000, show_default=True,
              help="Refuse documents with more pages than this.")
@click.option("--csv", "csv", is_flag=True, help="Also write every table as OUT/csv/<table>.csv.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable run summary on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the failed files' error lines.")
@click.option("-v", "--verbose", is_flag=True, help="Also print one line per file and the outputs written.")
@click.option("--no-progress", is_flag=True, help="Do not draw the progress bar.")
@click.option("--debug", is_flag=True, help="Include tracebacks in error messages.")
def extract(in_dir: Path, out_dir: Path, workers: int | None, no_cache: bool, max_mb: float,
            max_pages: int, csv: bool, as_json: bool, quiet: bool, verbose: bool, no_progress: bool,
            debug: bool) -> None:
    """Extract every report in IN_DIR (.pdf, .txt; searched recursively) into
    OUT: reports, ratings, key_questions, prompts, facts, recommendations,
    findings and errors as Parquet, inspections.duckdb, datapackage.json,
    reconciliation.md/.html and findings.csv (and csv/ with --csv).

    A file that cannot be read gets one row in `errors` and one line on
    stderr; the others are still extracted. Outputs are replaced only when
    the run completes.
    """
    from .run import Options, find_inputs, run

    if quiet and verbose:
        raise click.UsageError("-q and -v cannot be used together")
    usable_out_dir(out_dir)
    paths = find_inputs(in_dir) if in_dir.is_dir() else [in_dir]
    if not paths:
        raise click.UsageError(f"no .pdf or .txt files in {in_dir}")
    root = in_dir if in_dir.is_dir() else in_dir.parent
    options = Options(max_bytes=int(max_mb * 1024 * 1024), max_pages=max_pages, debug=debug)
    show_bar = not no_progress and not quiet and sys.stderr.isatty()
    with click.progressbar(length=len(paths), label="Extracting", file=sys.stderr,
                           show_pos=True, hidden=not show_bar) as bar:
        result = run(paths, out_dir, options, workers=workers, use_cache=not no_cache,
                     on_done=lambda name: bar.update(1), root=root)
    tables = result.tables
    for error in tables["errors"]:
        is_note = error["error"] == "duplicate_file"
        if not (quiet and is_note):
            click.echo(f"{'note' if is_note else 'error'}: {error['source_file']}: [{error['stage']}] "
                       f"{error['message']}", err=True)
    outputs = _write_outputs(result, out_dir, csv, use_cache=not no_cache)
    counts = {name: len(rows) for name, rows in tables.items()}
    summary = run_summary(tables, len(paths), counts, out_dir, outputs)
    if verbose:
        for report in tables["reports"]:
            click.echo(f"{report.get('status')}: {report['source_file']} ({report.get('service_name') or '-'}, "
                       f"{report.get('framework') or '-'}, overall {report.get('overall_rating') or '-'})",
                       err=True)
        click.echo("wrote: " + ", ".join(outputs), err=True)
    if not quiet:
        click.echo(summary_line(summary), err=True)
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    sys.exit(summary["exit_code"])


def _write_outputs(result, out_dir: Path, csv: bool, use_cache: bool) -> list[str]:
    """Tables, reconciliation report and artifacts; a warm re-run over the
    same inputs rewrites only what is missing."""
    from .artifacts import present, write_artifacts
    from .reconcile import write_reconciliation
    from .run import outputs_current, record_outputs, write_tables
    from .store import TABLES, to_table

    tables_current = use_cache and outputs_current(out_dir, result)
    if not tables_current:
        write_tables(result.tables, out_dir)
        write_reconciliation({name: to_table(name, rows) for name, rows in result.tables.items()}, out_dir)
        if use_cache:
            record_outputs(out_dir, result)
    if not (tables_current and present(out_dir, csv)):
        artifacts = write_artifacts(result.tables, out_dir, csv)
    else:
        from .artifacts import expected_outputs

        artifacts = expected_outputs(csv)
    return [f"{name}.parquet" for name in TABLES] + ["reconciliation.md", "reconciliation.html",
                                                      "findings.csv", *artifacts]


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
