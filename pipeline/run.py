"""Run the stages over files: one file in, rows for every table out.

Each file is processed in isolation (a failure becomes an `errors` row), the
same bytes under two names are extracted once, results are cached in the
output folder by file sha256 + pipeline version, and files are spread over a
process pool.
"""
from __future__ import annotations

import hashlib
import json
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from . import store
from .inspections import link_inspections
from .errors import PipelineError

SUPPORTED = (".pdf", ".txt", ".text")
CACHE_DIR = ".cache"


@dataclass
class Options:
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 1000
    debug: bool = False


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Hash of the code and patterns: a cache entry from other code is stale."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *(root.parent / "patterns").glob("*.json")]):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def extract_file(path: str, sha256: str, options: Options) -> dict[str, list[dict]]:
    """All table rows for one file: ingest -> segment -> extract_all ->
    validate. Raises PipelineError for a bad file."""
    from .extract import extract_all
    from .ingest import read_document
    from .segment import segment
    from .validate import validate

    document = read_document(path, max_bytes=options.max_bytes, max_pages=options.max_pages, sha256=sha256)
    return validate(extract_all(segment(document), source_file=path))


def _failure(path: str, stage: str, error: str, message: str, sha256: str | None) -> dict:
    rows = {"errors": [{"source_file": os.path.basename(path), "stage": stage, "error": error,
                        "message": message}]}
    if sha256:
        rows["reports"] = [{"report_id": sha256[:16], "source_file": os.path.basename(path),
                            "sha256": sha256, "status": "failed"}]
    return rows


def _cache_path(cache_dir: str | None, sha256: str | None, options: Options) -> Path | None:
    """A result depends on the bytes, the code and the limits: all in the key."""
    if not (cache_dir and sha256):
        return None
    return Path(cache_dir) / f"{sha256}-{pipeline_version()}-{options.max_bytes}-{options.max_pages}.json"


def _read_cache(cache_file: Path | None) -> dict | None:
    if cache_file is None or not cache_file.exists():
        return None
    try:
        return json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # a damaged entry is recomputed


def process_one(path: str, sha256: str | None, options: Options, cache_dir: str | None) -> dict:
    """Worker entry point: rows for one file (a failure is rows too: an
    `errors` row and a failed `reports` row), cached by _cache_path."""
    cache_file = _cache_path(cache_dir, sha256, options)
    cached = _read_cache(cache_file)
    if cached is not None:
        return cached
    transient = options.debug  # tracebacks and memory errors are not a property of the file
    try:
        if sha256 is None:
            raise PipelineError("the file could not be read", error="unreadable")
        rows = extract_file(path, sha256, options)
    except PipelineError as exc:
        rows = _failure(path, exc.stage, exc.error, exc.message, sha256)
    except MemoryError:
        rows, transient = _failure(path, "extract", "MemoryError", "ran out of memory reading this file",
                                   sha256), True
    except Exception as exc:  # a bug or an input we did not foresee: isolate it to this file
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        if options.debug:
            message += "\n" + traceback.format_exc()
        rows = _failure(path, "extract", type(exc).__name__, f"unexpected error: {message}", sha256)
    if cache_file and not transient:
        store.write_text_atomic(json.dumps(rows, default=str), cache_file)
    return rows


def find_inputs(in_dir: Path) -> list[Path]:
    return sorted(p for p in Path(in_dir).rglob("*")
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUPPORTED)


def _hash(path: Path) -> str | None:
    from .ingest import sha256_of

    try:
        return sha256_of(path)
    except OSError:
        return None


@dataclass
class RunResult:
    tables: dict[str, list[dict]]
    extracted: int   # files extracted in this run (the rest came from the cache)
    inputs_key: str  # identifies the inputs, code and limits of this run


def display_name(path: Path, root: Path | None) -> str:
    """The name a file goes by in the tables: its path relative to the input
    folder (so two bad.txt in different sub-folders stay apart), with /."""
    path = Path(path)
    if root is not None:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def run(paths: Iterable[Path], out_dir: Path, options: Options, *, workers: int | None = None,
        use_cache: bool = True, on_done: Callable[[str], None] | None = None,
        root: Path | None = None) -> RunResult:
    """Process files and merge their rows. Identical files (same sha256) are
    extracted once and the copies noted; cached results are read here, and
    only the rest go to a process pool (when there are several). Files are
    named by their path relative to `root` (else by their file name)."""
    paths = [Path(p) for p in paths]
    names = {str(p): display_name(p, root) for p in paths}
    cache_dir = str(Path(out_dir) / CACHE_DIR) if use_cache else None
    tables: dict[str, list[dict]] = {name: [] for name in store.TABLES}
    notes: list[dict] = []
    jobs, seen = [], {}
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

    results: dict[int, dict] = {}
    pending = []
    for i, (path, digest) in enumerate(jobs):
        cached = _read_cache(_cache_path(cache_dir, digest, options))
        if cached is None:
            pending.append(i)
        else:
            results[i] = cached
            if on_done:
                on_done(names[path])
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(pending) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(pending))) as pool:
            futures = {i: pool.submit(process_one, *jobs[i], options, cache_dir) for i in pending}
            for i, future in futures.items():
                results[i] = future.result()
                if on_done:
                    on_done(names[jobs[i][0]])
    else:
        for i in pending:
            results[i] = process_one(*jobs[i], options, cache_dir)
            if on_done:
                on_done(names[jobs[i][0]])
    for i, (path, _) in enumerate(jobs):
        for name, table_rows in results[i].items():
            if name in ("reports", "errors"):
                # the cache is keyed by content: the name is this run's
                table_rows = [{**row, "source_file": names[path]} for row in table_rows]
            tables[name].extend(table_rows)
    tables["errors"].extend(notes)
    tables = link_inspections(tables)  # one inspection per set of files holding it
    key = hashlib.sha256(json.dumps([pipeline_version(), options.max_bytes, options.max_pages,
                                     [(names[p], d) for p, d in jobs],
                                     [n["source_file"] for n in notes]]).encode()).hexdigest()
    return RunResult(tables=tables, extracted=len(pending), inputs_key=key)


def write_tables(tables: dict[str, list[dict]], out_dir: Path) -> dict[str, int]:
    """Every table to Parquet, atomically (see store.write_tables_atomic)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(".*.tmp"):  # left by a run that was killed
        stale.unlink()
    built = {name: store.to_table(name, rows) for name, rows in tables.items()}
    store.write_tables_atomic(built, out_dir)
    return {name: t.num_rows for name, t in built.items()}


MANIFEST = "manifest.json"


def outputs_current(out_dir: Path, result: RunResult) -> bool:
    """True when nothing was extracted and the folder already holds every
    table (and report) of exactly this run: then nothing needs rewriting."""
    out_dir = Path(out_dir)
    manifest = out_dir / CACHE_DIR / MANIFEST
    if result.extracted or not manifest.exists():
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8")).get("inputs_key")
    except (OSError, ValueError):
        return False
    expected = [f"{name}.parquet" for name in store.TABLES] + [
        "reconciliation.md", "reconciliation.html", "findings.csv"]
    return recorded == result.inputs_key and all((out_dir / name).exists() for name in expected)


def record_outputs(out_dir: Path, result: RunResult) -> None:
    store.write_text_atomic(json.dumps({"inputs_key": result.inputs_key}),
                            Path(out_dir) / CACHE_DIR / MANIFEST)
