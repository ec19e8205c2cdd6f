"""The annex's results ("Annexe 2: Inspection results" / "Inspection data")
read from its tables' rows: each standard's rating (a row coded '2.1' with
a rating) and each key question's value (a row coded '2.1.1' with a % or
counts: in these tables a standard's rating and its questions'
percentages share one column). The printed code gives the standard and the
key question's number: nothing is numbered by position. (The prompts under
a key question are read with the sections' prompts: extract.prompts.)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.document import SegmentedReport
from pipeline.core.records import PublishedRating
from pipeline.extract.stream import items_of
from pipeline.extract.table_reader import TypedRow

ANNEX_PARTS = ("annex_results", "annex_domain", "annex_standard")


@dataclass
class AnnexResults:
    ratings: dict[str, PublishedRating] = field(default_factory=dict)
    key_questions: dict[str, dict[int, TypedRow]] = field(default_factory=dict)


def annex_results(report: SegmentedReport) -> AnnexResults:
    """What the annex's tables print (nothing for an annex printed as lines)."""
    results = AnnexResults()
    for section in report.sections:
        if section.kind not in ANNEX_PARTS:
            continue
        for item in items_of([section]):
            if isinstance(item, TypedRow) and not item.header and item.code:
                _coded_row(results, item)
    return results


def _coded_row(results: AnnexResults, row: TypedRow) -> None:
    code = row.code or ""
    parts = code.split(".")
    if len(parts) == 2 and row.rating:
        results.ratings[code] = PublishedRating(code, row.rating, row.page or 0, name=row.label,
                                                marker=row.rating_marker, printed=row.rating)
    elif len(parts) == 3 and row.valued:
        results.key_questions.setdefault(".".join(parts[:2]), {})[int(parts[2])] = row
