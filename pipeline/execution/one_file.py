"""The whole pipeline for one file: ingest -> segment -> extract_all ->
validate. Kept apart from run.py (which merges every file's rows into
pyarrow tables) so that the worker processes never import pyarrow."""
from __future__ import annotations

from pipeline.core.document import Document
from pipeline.core.files import printable_name
from pipeline.core.limits import Options
from pipeline.core.records import Row
from pipeline.extract import extract_all
from pipeline.ingest.read import read_document
from pipeline.segment.sections import segment
from pipeline.validate.report import validate

__all__ = ["Options", "extract_file"]


def extract_file(path: str, sha256: str | None, options: Options, data: bytes | None = None) -> dict[str, list[Row]]:
    """All table rows for one file (from `data`, its bytes, when already
    read). Raises PipelineError for a bad file. The rows' sha256 and
    report_id are those of the bytes parsed."""
    document = read_document(path, max_bytes=options.max_bytes, max_pages=options.max_pages, sha256=sha256,
                             data=data)
    return located(validate(extract_all(segment(document), source_file=printable_name(path))), document)


def located(rows: dict[str, list[Row]], document: Document) -> dict[str, list[Row]]:
    """Each row's place in the report as the format gives it: the page, or,
    for a format without pages, the heading path (`locator`) of the heading
    section the stages numbered in place of a page (a number that would read
    as a page is not left in any *_page column)."""
    for report in rows.get("reports", []):
        report["format"] = document.format
    if document.paged:
        return rows
    for table_rows in rows.values():
        for row in table_rows:
            for key in [k for k in row if k == "page" or k.endswith("_page")]:
                if key == "page":
                    row["locator"] = document.locators.get(row["page"]) if row["page"] is not None else None
                row[key] = None
    for report in rows.get("reports", []):
        report["pages"] = None
    return rows
