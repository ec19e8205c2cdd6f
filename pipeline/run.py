"""Run the stages over files: one file in, rows for every table out.

`run` hashes the inputs, extracts the same bytes under two names once (the
copy is noted), answers what it can from the cache (cache.py) and sends the
rest to worker processes under memory and time limits (workers.py).
`extract_file` is the whole pipeline for one file.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from . import store
from .cache import CACHE_DIR, Cache, extraction_version
from .workers import Limits, run_jobs

SUPPORTED = (".pdf", ".txt", ".text")


@dataclass
class Options:
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 1000
    debug: bool = False


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Hash of all the code and patterns: outputs from other code are rewritten
    (the cache has its own, narrower key: cache.extraction_version)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    files = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]  # templates too
    for path in sorted([*files, *(root.parent / "patterns").glob("*.json")]):
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
        explanations=find_explanations(report, published),
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
    warnings: list[str] = field(default_factory=list)


def run(paths: Iterable[Path], out_dir: Path, options: Options, *, workers: int | None = None,
        use_cache: bool = True, limits: Limits = Limits(),
        on_done: Callable[[str], None] | None = None) -> RunResult:
    """Process files and merge their rows. Identical files (same sha256) are
    extracted once and the copies noted; cached results are read here, and
    only the rest go to the worker processes."""
    paths = [Path(p) for p in paths]
    warnings: list[str] = []
    cache = Cache(Path(out_dir) / CACHE_DIR if use_cache else None, (options.max_bytes, options.max_pages),
                  warnings.append)
    jobs, notes = _distinct(paths, on_done)
    results: dict[int, dict] = {}
    pending = []
    for i, (path, digest) in enumerate(jobs):
        cached = cache.get(digest, os.path.basename(path))
        if cached is None:
            pending.append(i)
        else:
            results[i] = cached
            if on_done:
                on_done(os.path.basename(path))

    def finished(k: int, rows: dict, cacheable: bool) -> None:
        i = pending[k]
        results[i] = rows
        if cacheable:
            cache.put(jobs[i][1], rows)
        if on_done:
            on_done(os.path.basename(jobs[i][0]))

    if pending:
        run_jobs([jobs[i] for i in pending], options, limits, workers or os.cpu_count() or 1, finished)
    tables: dict[str, list[dict]] = {name: [] for name in store.TABLES}
    for i, (path, _) in enumerate(jobs):
        for name, table_rows in results[i].items():
            if name in ("reports", "errors"):
                # the cache is keyed by content: the name is this run's
                table_rows = [{**row, "source_file": os.path.basename(path)} for row in table_rows]
            tables[name].extend(table_rows)
    tables["errors"].extend(notes)
    key = hashlib.sha256(json.dumps([pipeline_version(), extraction_version(), options.max_bytes,
                                     options.max_pages, [(os.path.basename(p), d) for p, d in jobs],
                                     [n["source_file"] for n in notes]]).encode()).hexdigest()
    return RunResult(tables=tables, extracted=len(pending), inputs_key=key, warnings=warnings)


def _distinct(paths: list[Path], on_done) -> tuple[list[tuple[str, str | None]], list[dict]]:
    """(path, sha256) of each file to extract, and a `duplicate_file` note for
    each file whose bytes an earlier one already has."""
    jobs, notes, seen = [], [], {}
    for path in paths:
        digest = _hash(path)
        # empty files all share one sha256; each is reported as empty instead
        is_empty = digest == hashlib.sha256(b"").hexdigest()
        if digest and digest in seen and not is_empty:
            notes.append({
                "source_file": path.name, "stage": "ingest", "error": "duplicate_file",
                "message": f"same content (sha256) as {seen[digest]}: extracted once, under that name"})
            if on_done:
                on_done(path.name)
            continue
        if digest:
            seen[digest] = path.name
        jobs.append((str(path), digest))
    return jobs, notes


def tables_of(rows: dict[str, list[dict]]) -> dict:
    """Rows of every table as typed pyarrow tables."""
    return {name: store.to_table(name, table_rows) for name, table_rows in rows.items()}
