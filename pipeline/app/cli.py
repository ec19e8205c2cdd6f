"""Command line: `python -m pipeline extract|reconcile|show|list`.

Heavy libraries are imported inside the commands so that `--help` answers at
once.
"""
from __future__ import annotations

import gc
import json
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from pipeline.core.errors import describe_os_error, safe_text
from pipeline.app.summary import run_summary, summary_line
from pipeline.core import limits
from pipeline.core.limits import Limits, Options
from pipeline.core.records import Row

if TYPE_CHECKING:
    from pipeline.execution.run import RunResult

EPILOG = """\b
Examples:
  python -m pipeline extract data/raw --out data/parsed
  python -m pipeline reconcile data/parsed
  python -m pipeline list --parsed data/parsed
  python -m pipeline show "SERVICE NAME" --parsed data/parsed
"""


EXIT_CODES = """\b
Exit status:
  0  every file was read
  1  some files failed (each is named on stderr and in the errors table)
  2  a usage error: a bad option value, no input files, or an unusable
     --out (for example an existing regular file); found before any work,
     or an output folder that cannot be written at the end (disk full)
  3  an unexpected internal error (--debug shows the traceback)
  130  interrupted (Ctrl-C)
"""


NO_ARGS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class OneLineErrors(click.Group):
    """Whatever goes wrong reaches the user as one line on stderr, never a
    traceback (--debug, or PIPELINE_DEBUG=1, shows it): usage errors exit 2,
    an unexpected internal error exits 3."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False
        argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        try:
            result = super().main(*args, **kwargs)
        except NO_ARGS_HELP as exc:  # bare `python -m pipeline`: the help, as click prints it
            click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(safe_text(f"error: {exc.format_message()}"), err=True)
            if "--json" in argv:  # a script asked for JSON: it gets JSON, even for a usage error
                click.echo(json.dumps({"error": exc.format_message(), "exit_code": exc.exit_code}, indent=2))
            sys.exit(exc.exit_code)
        except click.Abort:  # Ctrl-C
            click.echo("interrupted", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
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
            if "--json" in sys.argv:
                click.echo(json.dumps({"error": f"{type(exc).__name__}: {detail}", "exit_code": 3}, indent=2))
            sys.exit(3)


if TYPE_CHECKING:
    _NumberType = click.ParamType[float, Any]  # generic in click's type hints (8.2 on)
else:
    _NumberType = click.ParamType


class Positive(_NumberType):
    """A finite number above zero (nan, inf, 0 and negatives are refused)."""

    def __init__(self, kind: type[int] | type[float]) -> None:
        self.kind = kind
        self.name = "integer" if kind is int else "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, self.kind) and not isinstance(value, bool):
            number: float = value
        else:
            try:
                number = self.kind(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not {'a whole' if self.kind is int else 'a'} number", param, ctx)
        if not math.isfinite(number) or number <= 0:
            self.fail(f"must be a finite number above 0, not {value}", param, ctx)
        return number


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--version, looked up only when asked for (the lookup's imports cost 30 ms a run)."""
    if value and not ctx.resilient_parsing:
        click.echo(f"yj-inspections {_version()}")
        ctx.exit()


def _version() -> str:
    from importlib import metadata  # 30 ms to import: only for --version

    try:
        return metadata.version("yj-inspections")
    except metadata.PackageNotFoundError:
        return "unknown"


@click.group(cls=OneLineErrors, epilog=EPILOG + "\n" + EXIT_CODES,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
def main() -> None:
    """Turn HM Inspectorate of Probation youth justice inspection reports
    (PDF or text exports) into typed Parquet tables, recompute every rating
    under the published rules, and report where they disagree."""


def _refuse(message: str) -> NoReturn:
    """A problem with the output folder: one line, exit 2."""
    raise click.UsageError(message)


@main.command(epilog=EXIT_CODES)
@click.argument("in_dir", type=click.Path(exists=True, file_okay=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("data/parsed"),
              show_default=True, help="Folder for the tables, the database and the reconciliation report.")
@click.option("--workers", type=Positive(int), default=None,
              help="Worker processes to use, at least 1 (default: the number of cores).")
@click.option("--no-cache", is_flag=True,
              help="Re-extract every file even if OUT/.cache holds a result for the same bytes and code.")
@click.option("--max-mb", type=Positive(float), default=limits.MAX_MB, show_default=True,
              help="Refuse files larger than this many megabytes before loading them.")
@click.option("--max-pages", type=Positive(int), default=limits.MAX_PAGES, show_default=True,
              help="Refuse documents with more pages than this.")
@click.option("--max-memory-mb", type=click.IntRange(min=limits.MIN_MEMORY_MB), default=Limits.memory_mb,
              show_default=True,
              help="Address-space cap of each worker process; a file that needs more gets a memory_limit error.")
@click.option("--timeout", type=Positive(float), default=Limits.timeout, show_default=True,
              help="Seconds allowed per file; a file that takes longer gets a time_limit error.")
@click.option("--lock-wait", type=click.FloatRange(min=0), default=60, show_default=True,
              help="Seconds to wait for another extraction writing to OUT before giving up.")
@click.option("--csv", "csv", is_flag=True, help="Also write every table as OUT/csv/<table>.csv.")
@click.option("--xlsx", "xlsx", is_flag=True,
              help="Also write OUT/inspections.xlsx: one Excel sheet per table and a ratings matrix.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable run summary on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the failed files' error lines.")
@click.option("-v", "--verbose", is_flag=True, help="Also print one line per file and the outputs written.")
@click.option("--no-progress", is_flag=True, help="Do not draw the progress bar.")
@click.option("--debug", is_flag=True, help="Include tracebacks in error messages.")
def extract(in_dir: Path, out_dir: Path, workers: int | None, no_cache: bool, max_mb: float,
            max_pages: int, max_memory_mb: int, timeout: float, lock_wait: float, csv: bool, xlsx: bool,
            as_json: bool,
            quiet: bool, verbose: bool, no_progress: bool, debug: bool) -> None:
    """Extract every report in IN_DIR (.pdf, .docx, .html, .md, .txt;
    searched recursively; other files are named as skipped) into OUT:
    reports, ratings, key_questions, prompts, facts, recommendations,
    findings, errors, inspections and rating_changes as Parquet,
    inspections.duckdb, datapackage.json, reconciliation.md/.html and
    findings.csv (and csv/ with --csv, inspections.xlsx with --xlsx).

    A file that cannot be read gets one row in `errors` and one line on
    stderr; the others are still extracted. OUT always holds one whole run:
    the new one replaces the old in one step at the end.
    """
    paths, skipped = _inputs(in_dir, out_dir, quiet, verbose)
    options = Options(max_bytes=int(max_mb * 1024 * 1024), max_pages=max_pages, debug=debug)
    result = _extract_files(paths, skipped, in_dir, out_dir, options, workers=workers, use_cache=not no_cache,
                            limits=Limits(memory_mb=max_memory_mb, timeout=timeout),
                            show_bar=not no_progress and not quiet and sys.stderr.isatty())
    _echo_problems(result, quiet, debug)
    _write_outputs(result, out_dir, csv, xlsx, no_cache, lock_wait)
    summary = _summarise(result.tables, len(paths) + len(skipped), out_dir, _outputs(csv, xlsx),
                         quiet=quiet, verbose=verbose, as_json=as_json)
    # everything is written: spare the interpreter's final garbage collection
    # over every object pandas, pyarrow and duckdb made (about 0.13 s of exit)
    gc.freeze()
    sys.exit(summary["exit_code"])


def _inputs(in_dir: Path, out_dir: Path, quiet: bool, verbose: bool) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The usage checks made before any work (the output folder is prepared
    here), then the report files to read and the other files, skipped."""
    # imported here, not at the top: `--help` and usage errors stay instant
    from pipeline.execution.run import find_inputs, find_skipped
    from pipeline.output.lock import prepare
    from pipeline.output.ownership import OutputError

    if quiet and verbose:
        raise click.UsageError("-q and -v cannot be used together")
    if not (in_dir.is_dir() or in_dir.is_file()):
        raise click.UsageError(f"{in_dir} is not a regular file or a folder (a device or a pipe?): "
                               "give a report or a folder")
    try:
        prepare(out_dir)
    except OutputError as exc:
        _refuse(str(exc))
    paths = find_inputs(in_dir) if in_dir.is_dir() else [in_dir]
    skipped = find_skipped(in_dir) if in_dir.is_dir() else []
    if not paths:
        others = f" ({len(skipped)} other files, not reports)" if skipped else ""
        raise click.UsageError(f"no report files (.pdf, .docx, .html, .md, .txt) in {in_dir}{others}")
    return paths, skipped


def _extract_files(paths: list[Path], skipped: list[tuple[Path, str]], in_dir: Path, out_dir: Path,
                   options: Options, *, workers: int | None, use_cache: bool, limits: Limits,
                   show_bar: bool) -> RunResult:
    """The run over the files, under a progress bar on stderr."""
    from pipeline.execution.run import run
    from pipeline.output.generations import warm_up

    root = in_dir if in_dir.is_dir() else in_dir.parent
    with click.progressbar(length=len(paths), label="Extracting", file=sys.stderr,
                           show_pos=True, hidden=not show_bar) as bar:
        return run(paths, out_dir, options, workers=workers, use_cache=use_cache, limits=limits,
                   on_done=lambda name: bar.update(1), root=root, while_starting=warm_up, skipped=skipped)


def _echo_problems(result: RunResult, quiet: bool, debug: bool) -> None:
    """The run's warnings, then each failed file (and, unless quiet, each
    copy and skipped file), one line each on stderr."""
    from pipeline.execution.run import SKIPPED

    for warning in result.warnings:
        click.echo(safe_text(f"warning: {warning}"), err=True)
    for error in result.tables["errors"]:
        is_note = error["error"] in ("duplicate_file", SKIPPED)
        if not (quiet and is_note):
            message = error["message"] if debug else safe_text(error["message"])
            click.echo(f"{'note' if is_note else 'error'}: {safe_text(error['source_file'])}: "
                       f"[{error['stage']}] {message}", err=True)


def _write_outputs(result: RunResult, out_dir: Path, csv: bool, xlsx: bool, no_cache: bool,
                   lock_wait: float) -> None:
    """A new generation of OUT, unless OUT already holds this run's outputs."""
    from pipeline.execution.run import tables_of
    from pipeline.output.generations import artifact_writers, up_to_date, write_generation
    from pipeline.output.lock import OutputLock
    from pipeline.output.ownership import OutputError

    # the csv and xlsx flags are part of what the folder should hold
    inputs_key = result.inputs_key + ("-csv" if csv else "") + ("-xlsx" if xlsx else "")
    try:
        with OutputLock(out_dir, wait=lock_wait):
            if result.extracted or no_cache or not up_to_date(out_dir, inputs_key):
                write_generation(tables_of(result.tables), out_dir, writers=artifact_writers(csv, xlsx),
                                 inputs_key=inputs_key)
    except OutputError as exc:
        _refuse(str(exc))
    except OSError as exc:
        _refuse(f"cannot write to {out_dir}: {describe_os_error(exc)}")


def _summarise(tables: dict[str, list[Row]], files: int, out_dir: Path, outputs: list[str], *, quiet: bool,
               verbose: bool, as_json: bool) -> dict[str, Any]:
    """The run summary: each file's line and the outputs (verbose), the
    summary line (unless quiet) on stderr, the JSON summary on stdout."""
    counts = {name: len(rows) for name, rows in tables.items()}
    summary = run_summary(tables, files, counts, out_dir, outputs)
    if verbose:
        for report in tables["reports"]:
            click.echo(safe_text(f"{report.get('status')}: {report['source_file']} "
                                 f"({report.get('service_name') or '-'}, {report.get('framework') or '-'}, "
                                 f"overall {report.get('overall_rating') or '-'})"), err=True)
        click.echo("wrote: " + ", ".join(outputs), err=True)
    if not quiet:
        click.echo(safe_text(summary_line(summary)), err=True)
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    return summary


def _outputs(csv: bool, xlsx: bool = False) -> list[str]:
    from pipeline.output.artifacts import expected_outputs
    from pipeline.core.schema import TABLE_DEFS

    return [f"{name}.parquet" for name in TABLE_DEFS] + ["reconciliation.md", "reconciliation.html",
                                                      "findings.csv", *expected_outputs(csv, xlsx)]


@main.command()
@click.argument("parsed_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lock-wait", type=click.FloatRange(min=0), default=60, show_default=True,
              help="Seconds to wait for an extraction writing to PARSED_DIR before giving up.")
def reconcile(parsed_dir: Path, lock_wait: float) -> None:
    """Rewrite reconciliation.md, reconciliation.html and findings.csv in
    PARSED_DIR from the tables already there (as a new whole generation,
    with the database, data package and CSV files it already has)."""
    from pipeline.output.generations import artifact_writers, current_generation, read_manifest, write_generation
    from pipeline.output.lock import OutputLock
    from pipeline.output.ownership import OutputError
    from pipeline.output.names import WORKBOOK
    from pipeline.output.reading import read_tables

    try:
        with OutputLock(parsed_dir, wait=lock_wait):
            generation = current_generation(parsed_dir)
            inputs_key = read_manifest(generation).get("inputs_key")
            csv = (generation / "csv").is_dir()
            xlsx = (generation / WORKBOOK).is_file()
            write_generation(read_tables(parsed_dir), parsed_dir, writers=artifact_writers(csv, xlsx),
                             inputs_key=inputs_key)
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
@click.option("--json", "as_json", is_flag=True,
              help="Print the report's rows of every per-report table as JSON (or the choices, when several "
                   "match).")
def show(report: str, parsed_dir: Path, as_json: bool) -> None:
    """Print one report's extraction as tables. REPORT is a service's name or
    key, matched fuzzily (case and small typos forgiven), a file name (as in
    data/raw) or a report_id prefix; when several inspections match, they are
    listed to choose from (exit 2)."""
    from pipeline.app.show import NotOneReport, render_report, report_json
    from pipeline.output.reading import read_tables

    tables = read_tables(parsed_dir)
    key = report if Path(report).name == report else Path(report).name
    try:
        if as_json:
            click.echo(json.dumps(report_json(tables, key), indent=2, default=str))
        else:
            click.echo(render_report(tables, key))
    except NotOneReport as exc:
        if as_json:
            click.echo(json.dumps({"error": str(exc).splitlines()[0], "choices": exc.choices}, indent=2))
        else:
            click.echo(safe_text(str(exc), keep_newlines=True), err=True)
        sys.exit(2)


@main.command("list")
@click.option("--parsed", "parsed_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("data/parsed"), show_default=True, help="Folder holding the extracted tables.")
@click.option("--json", "as_json", is_flag=True, help="Print the inspections as a JSON list.")
def list_command(parsed_dir: Path, as_json: bool) -> None:
    """List the inspections in PARSED: service, month, overall rating,
    status and the files that hold each (each inspection once)."""
    from pipeline.app.show import list_inspections, render_list
    from pipeline.output.reading import read_tables

    rows = list_inspections(read_tables(parsed_dir))
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
    else:
        click.echo(safe_text(render_list(rows), keep_newlines=True), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
