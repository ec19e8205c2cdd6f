"""What the data dictionary (docs/data-dictionary.md) says about the columns
beyond their definitions in schema.py: which columns are the output
contract's, and an example value for each column that the extraction of the
sample reports leaves empty.

Contract columns are read by other tools: never renamed or dropped (columns
may be added freely). A `<table>_copies` table has its base table's contract.
"""
from __future__ import annotations

from pipeline.core.schema import COPIES_SUFFIX

_PAGED = ("page", "locator")  # every value's page, or for formats without pages its heading path

CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "reports": ("report_id", "source_file", "service_name", "area", "service_type", "framework",
                "overall_rating", "score", "score_recomputed", "overall_recomputed", "cases_court",
                "cases_out_of_court", "cases_resettlement", "pages", "status",
                # identity and time
                "service_key", "published_month", "fieldwork_start", "fieldwork_end", "announced_month",
                "sample_start", "sample_end", "inspection_month", "inspection_month_source", "inspection_id",
                "duplicate_of"),
    "ratings": ("report_id", "domain", "standard", "standard_name", "rating", "quantitative", "lowest_pct",
                "rating_recomputed", *_PAGED),
    "key_questions": ("report_id", "standard", "index", "question", "pct_yes", "relevant", "yes", "pct_exact",
                      *_PAGED),
    "prompts": ("report_id", "standard", "key_question", "label", "prompt", "pct_yes", "relevant", "yes", *_PAGED),
    "facts": ("report_id", "group", "name", "label", "qualifier", "value", "unit", *_PAGED),
    "recommendations": ("report_id", "number", "addressee", "text", *_PAGED),
    "findings": ("report_id", "level", "standard", "kind", "published", "recomputed", "explained", "explanation",
                 *_PAGED),
    "errors": ("source_file", "stage", "error", "message"),
}


def contract_columns(table: str) -> tuple[str, ...]:
    """The contract's columns of `table` (none for a table it does not name)."""
    return CONTRACT_COLUMNS.get(table.removesuffix(COPIES_SUFFIX), ())


# Values as a run writes them, for the columns the three samples leave empty
# (no file fails, none copies another, none is re-inspected, every value is
# readable, text exports have no heading paths). Keyed by "table.column", or
# by a column name that means the same in every table that has it.
EXAMPLES: dict[str, str] = {
    "locator": "Domain two > 2.1 Assessment",
    "missing": "no published rating for standard 1.2",
    "published_month": "2018-12",
    "published_month_page": "1",
    "duplicate_of": "5843e0a3c43a84cc",
    "key_questions.value_problem": "counts printed as '12 15' are not a possible pair (yes <= relevant <= 21 cases)",
    "prompts.value_problem": "values printed apart from their rows (62% / 75%)",
    "source_file": "scan.pdf",
    "stage": "ingest",
    "error": "no_text_layer",
    "message": "no text layer: this looks like a scanned document; run OCR first",
    "files_disagree_on": "key question 2.1.3; score",
    "previous_inspection_id": "north-somerset-2020-09",
    "previous_inspection_month": "2020-09",
    "previous_rating": "Requires improvement",
    "rating_changes.inspection_id": "north-somerset-2023-10",
    "rating_changes.inspection_month": "2023-10",
    "rating_changes.standard": "1.1",
    "rating_changes.rating": "Good",
    "change": "1",
    "direction": "improved",
    # a 2025-framework report (the samples are 2018 and 2021)
    "work_with_children_rating": "Outstanding",
    "work_with_victims_rating": "Good",
    "work_with_children_rating_page": "2",
    "work_with_victims_rating_page": "2",
    "framework_cues": "title; rated_areas; V1",
    "ratings.area": "work_with_victims",
    "rating_changes.framework": "2025",
    "previous_framework": "2021",
}


def example(table: str, column: str) -> str | None:
    """EXAMPLES' value for `column` of `table`, if it has one."""
    base = table.removesuffix(COPIES_SUFFIX)
    return EXAMPLES.get(f"{base}.{column}", EXAMPLES.get(column))
