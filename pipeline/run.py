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
    """All table rows for one file. Raises PipelineError for a bad file."""
    from .extract.explanations import find_explanations
    from .extract.key_questions import extract_key_questions
    from .extract.ratings import extract_published_ratings
    from .extract.report_meta import cases_inspected, service_identity
    from .ingest import read_document
    from .segment import segment
    from .validate import Extraction, validate

    document = read_document(path, max_bytes=options.max_bytes, max_pages=options.max_pages, sha256=sha256)
    report = segment(document)
    published = extract_published_ratings(report)
    key_questions = extract_key_questions(report)
    summary = published["summary"]
    extraction = Extraction(
        report_id=document.report_id, source_file=os.path.basename(path), sha256=sha256,
        pages=len(document.pages), summary=summary,
        section_ratings=published["section"], annex_ratings=published["annex"],
        section_names={s.standard: s.title.split(" ", 1)[-1] for s in report.of_kind("standard")},
        key_questions=key_questions,
        identity=service_identity(summary.service_line if summary else None, report),
        cases=cases_inspected(report),
        explanations=find_explanations(report),
    )
    tables = validate(extraction)
    tables["key_questions"] = key_questions
    for name, rows in _other_extractors(report, key_questions).items():
        tables[name] = rows
    for row in tables["reports"]:
        row["source_file"] = os.path.basename(path)
    return tables


def _other_extractors(report, key_questions) -> dict[str, list[dict]]:
    from .extract.facts import extract_facts
    from .extract.prompts import extract_prompts
    from .extract.recommendations import extract_recommendations

    return {
        "facts": extract_facts(report),
        "recommendations": extract_recommendations(report),
        "prompts": extract_prompts(report, key_questions),
    }


def _failure(path: str, stage: str, error: str, message: str, sha256: str | None) -> dict:
    rows = {"errors": [{"source_file": os.path.basename(path), "stage": stage, "error": error,
                        "message": message}]}
    if sha256:
        rows["reports"] = [{"report_id": sha256[:16], "source_file": os.path.basename(path),
                            "sha256": sha256, "status": "failed"}]
    return rows


def process_one(path: str, sha256: str | None, options: Options, cache_dir: str | None) -> dict:
    """Worker entry point: rows for one file, from the cache when fresh."""
    cache_file = Path(cache_dir) / f"{sha256}-{pipeline_version()}.json" if (cache_dir and sha256) else None
    if cache_file and cache_file.exists():
        try:
            return json.loads(cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # a damaged cache entry is recomputed
    try:
        if sha256 is None:
            raise PipelineError("the file could not be read", error="unreadable")
        rows = extract_file(path, sha256, options)
    except PipelineError as exc:
        return _failure(path, exc.stage, exc.error, exc.message, sha256)
    except MemoryError:
        return _failure(path, "extract", "MemoryError", "ran out of memory reading this file", sha256)
    except Exception as exc:  # a bug or an input we did not foresee: isolate it to this file
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        if options.debug:
            message += "\n" + traceback.format_exc()
        return _failure(path, "extract", type(exc).__name__, f"unexpected error: {message}", sha256)
    if cache_file:
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


def run(paths: Iterable[Path], out_dir: Path, options: Options, *, workers: int | None = None,
        use_cache: bool = True, on_done: Callable[[str], None] | None = None) -> dict[str, list[dict]]:
    """Process files (in a pool when there are several) and merge their rows.
    Identical files (same sha256) are extracted once; the copies are noted."""
    paths = [Path(p) for p in paths]
    cache_dir = str(Path(out_dir) / CACHE_DIR) if use_cache else None
    tables: dict[str, list[dict]] = {name: [] for name in store.TABLES}
    jobs, seen = [], {}
    for path in paths:
        digest = _hash(path)
        # empty files all share one sha256; each is reported as empty instead
        is_empty = digest == hashlib.sha256(b"").hexdigest()
        if digest and digest in seen and not is_empty:
            tables["errors"].append({
                "source_file": path.name, "stage": "ingest", "error": "duplicate_file",
                "message": f"same content (sha256) as {seen[digest]}: extracted once, under that name"})
            if on_done:
                on_done(path.name)
            continue
        if digest:
            seen[digest] = path.name
        jobs.append((str(path), digest))

    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            futures = [pool.submit(process_one, p, d, options, cache_dir) for p, d in jobs]
            results = []
            for (path, _), future in zip(jobs, futures):
                results.append(future.result())
                if on_done:
                    on_done(os.path.basename(path))
    else:
        results = []
        for path, digest in jobs:
            results.append(process_one(path, digest, options, cache_dir))
            if on_done:
                on_done(os.path.basename(path))
    for rows in results:
        for name, table_rows in rows.items():
            tables[name].extend(table_rows)
    return tables


def write_tables(tables: dict[str, list[dict]], out_dir: Path) -> dict[str, int]:
    """Every table to Parquet, atomically (see store.write_tables_atomic)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(".*.tmp"):  # left by a run that was killed
        stale.unlink()
    built = {name: store.to_table(name, rows) for name, rows in tables.items()}
    store.write_tables_atomic(built, out_dir)
    return {name: t.num_rows for name, t in built.items()}
