"""The whole pipeline for one file: ingest -> segment -> extract_all ->
validate. Kept apart from run.py (which merges every file's rows into
pyarrow tables) so that the worker processes never import pyarrow."""
from __future__ import annotations

from pipeline.core.limits import Options
from pipeline.extract import extract_all
from pipeline.ingest.read import read_document
from pipeline.segment.sections import segment
from pipeline.validate.report import validate

__all__ = ["Options", "extract_file"]


def extract_file(path: str, sha256: str, options: Options) -> dict[str, list[dict]]:
    """All table rows for one file. Raises PipelineError for a bad file."""
    document = read_document(path, max_bytes=options.max_bytes, max_pages=options.max_pages, sha256=sha256)
    return validate(extract_all(segment(document), source_file=path))
