"""Run the stages over files: one file in, rows for every table out.

`run` hashes the inputs, extracts the same bytes under two names once (the
copy is noted), answers what it can from the cache (cache.py) and sends the
rest to worker processes under memory and time limits (workers.py).
`extract_file` (one_file.py) is the whole pipeline for one file.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable

from pipeline.core.schema import TABLE_DEFS
from pipeline.execution.cache import CACHE_DIR, PACKAGE, Cache, extraction_version, files_hash
from pipeline.corpus.inspections import link_inspections
from pipeline.core.limits import Limits, Options
from pipeline.core.patterns import PATTERNS_DIR
from pipeline.core.records import Row
from pipeline.execution.workers import run_jobs
from pipeline.ingest.detect import READ_SUFFIXES, skip_reason

SUPPORTED = READ_SUFFIXES
SKIPPED = "skipped"  # errors.error for a file in the input folder that is not a report type


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Hash of all the code, templates and patterns: outputs from other code
    are rewritten (the cache has its own, narrower key: cache.extraction_version)."""
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return files_hash([*files, *PATTERNS_DIR.glob("*.json")]).hexdigest()[:12]


def find_inputs(in_dir: Path) -> list[Path]:
    return sorted(p for p in Path(in_dir).rglob("*")
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUPPORTED)


def find_skipped(in_dir: Path) -> list[tuple[Path, str]]:
    """Every other file in the folder, with why it is not read (what its
    content shows it is): the run names each one rather than passing it over
    in silence. Hidden files and anything under a hidden folder (a cache, a
    .git) are left out."""
    root = Path(in_dir)
    return [(p, skip_reason(p)) for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix.lower() not in SUPPORTED
            and not any(part.startswith(".") for part in p.relative_to(root).parts)]


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _hash(path: Path) -> str | None:
    from pipeline.core.files import sha256_of

    try:
        return sha256_of(path)
    except OSError:
        return None


@dataclass
class RunResult:
    tables: dict[str, list[Row]]
    extracted: int   # files extracted in this run (the rest came from the cache)
    inputs_key: str  # identifies the inputs, code and limits of this run
    warnings: list[str] = field(default_factory=list)


def display_name(path: Path, root: Path | None) -> str:
    """The name a file goes by in the tables: its path relative to the input
    folder (so two bad.txt in different sub-folders stay apart), with /, in
    printable form (a name that is not UTF-8: files.printable_name)."""
    from pipeline.core.files import printable_name

    path = Path(path)
    if root is not None:
        try:
            return printable_name(path.resolve().relative_to(Path(root).resolve()).as_posix())
        except ValueError:
            pass
    return printable_name(path.name)


def run(paths: Iterable[Path], out_dir: Path, options: Options, *, workers: int | None = None,
        use_cache: bool = True, limits: Limits | None = None,
        on_done: Callable[[str], None] | None = None, root: Path | None = None,
        while_starting: Callable[[], None] | None = None,
        skipped: Iterable[tuple[Path, str]] = ()) -> RunResult:
    """Process files and merge their rows. Identical files (same sha256) are
    extracted once and the copies noted; cached results are read here, and
    only the rest go to the worker processes. Files are named by their path
    relative to `root` (else by their file name). `while_starting()`, if
    given, runs here while the workers' fork server loads (run_jobs). Each
    `skipped` (path, reason) is one errors row (error "skipped")."""
    paths = [Path(p) for p in paths]
    names = {str(p): display_name(p, root) for p in paths}
    warnings: list[str] = []
    cache = Cache(Path(out_dir) / CACHE_DIR, (options.max_bytes, options.max_pages), warnings.append)
    jobs, notes = _distinct(paths, names, on_done)
    notes += [{"source_file": display_name(p, root), "stage": "ingest", "error": SKIPPED, "message": reason}
              for p, reason in skipped]
    results, pending = _from_cache(jobs, names, cache if use_cache else None, on_done)
    if pending:
        _extract(jobs, pending, results, cache, use_cache=use_cache, names=names, on_done=on_done,
                 options=options, limits=limits or Limits(), workers=workers or os.cpu_count() or 1,
                 while_starting=while_starting)
    tables = link_inspections(_merged(jobs, results, names, notes))  # one inspection per set of files holding it
    key = hashlib.sha256(json.dumps([pipeline_version(), extraction_version(), options.max_bytes,
                                     options.max_pages, [(names[p], d) for p, d in jobs],
                                     [n["source_file"] for n in notes]]).encode()).hexdigest()
    return RunResult(tables=tables, extracted=len(pending), inputs_key=key, warnings=warnings)


def _from_cache(jobs: list[tuple[str, str | None]], names: dict[str, str], cache: Cache | None,
                on_done: Callable[[str], None] | None) -> tuple[dict[int, dict[str, list[Row]]], list[int]]:
    """The rows of each job the cache holds (None: the cache is not read), and
    the jobs left to extract."""
    results: dict[int, dict[str, list[Row]]] = {}
    pending = []
    for i, (path, digest) in enumerate(jobs):
        cached = cache.get(digest, names[path]) if cache is not None else None
        if cached is None:
            pending.append(i)
        else:
            results[i] = cached
            if on_done:
                on_done(names[path])
    return results, pending


def _extract(jobs: list[tuple[str, str | None]], pending: list[int], results: dict[int, dict[str, list[Row]]],
             cache: Cache, *, use_cache: bool, names: dict[str, str], on_done: Callable[[str], None] | None,
             options: Options, limits: Limits, workers: int, while_starting: Callable[[], None] | None) -> None:
    """Extract the `pending` jobs in the worker processes, each one's rows
    into `results` (and the cache) as it finishes."""
    # largest first, so that the last file to finish is a small one and no
    # worker sits idle while another is still on a long report
    order = sorted(pending, key=lambda i: -_size(jobs[i][0]))

    def finished(k: int, rows: dict[str, list[Row]], key: str | None) -> None:
        # `key`: the sha256 of the bytes the worker parsed (None: not cacheable);
        # an entry is stored under it alone. --no-cache drops the entries it
        # would have written (and any under the hash taken before), so a bad
        # entry is gone after it
        i = order[k]
        results[i] = rows
        if use_cache:
            if key:
                cache.put(key, rows)
        else:
            cache.drop(jobs[i][1])
            cache.drop(key)
        if on_done:
            on_done(names[jobs[i][0]])

    run_jobs([jobs[i] for i in order], options, limits, workers, finished, while_starting)


def _merged(jobs: list[tuple[str, str | None]], results: dict[int, dict[str, list[Row]]], names: dict[str, str],
            notes: list[Row]) -> dict[str, list[Row]]:
    """Every table's rows over the files, in input order, each file under its
    name in this run, then the run's own notes (copies, skipped files)."""
    tables: dict[str, list[Row]] = {name: [] for name in TABLE_DEFS}
    for i, (path, _) in enumerate(jobs):
        for name, table_rows in results[i].items():
            if name in ("reports", "errors"):
                # the cache is keyed by content: the name is this run's
                table_rows = [{**row, "source_file": names[path]} for row in table_rows]
            tables[name].extend(table_rows)
    tables["errors"].extend(notes)
    return tables


def _distinct(paths: list[Path], names: dict[str, str],
              on_done: Callable[[str], None] | None) -> tuple[list[tuple[str, str | None]], list[Row]]:
    """(path, sha256) of each file to extract, and a `duplicate_file` note for
    each file whose bytes an earlier one already has."""
    jobs: list[tuple[str, str | None]] = []
    notes: list[Row] = []
    seen: dict[str, str] = {}
    for path in paths:
        digest = _hash(path)
        # empty files all share one sha256; each is reported as empty instead
        is_empty = digest == hashlib.sha256(b"").hexdigest()
        if digest and digest in seen and not is_empty:
            notes.append({
                "source_file": names[str(path)], "stage": "ingest", "error": "duplicate_file",
                "message": f"same content (sha256) as {seen[digest]}: extracted once, under that name"})
            if on_done:
                on_done(names[str(path)])
            continue
        if digest:
            seen[digest] = names[str(path)]
        jobs.append((str(path), digest))
    return jobs, notes


def tables_of(rows: dict[str, list[Row]]) -> dict[str, Any]:
    """Rows of every table as typed pyarrow tables."""
    from pipeline.output.store import to_table  # pyarrow: only when there are tables to write

    return {name: to_table(name, table_rows) for name, table_rows in rows.items()}
