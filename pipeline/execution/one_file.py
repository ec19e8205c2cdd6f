"""The whole pipeline for one file: ingest -> segment -> extract_all ->
validate. Kept apart from run.py (which merges every file's rows into
pyarrow tables) so that the worker processes never import pyarrow."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Options:
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 1000
    debug: bool = False


def extract_file(path: str, sha256: str, options: Options) -> dict[str, list[dict]]:
    """All table rows for one file. Raises PipelineError for a bad file."""
    from pipeline.extract import extract_all
    from pipeline.ingest.text import read_document
    from pipeline.segment.sections import segment
    from pipeline.validate.report import validate

    document = read_document(path, max_bytes=options.max_bytes, max_pages=options.max_pages, sha256=sha256)
    return validate(extract_all(segment(document), source_file=path))
