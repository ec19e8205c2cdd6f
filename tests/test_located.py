"""Where a value is, in the terms of its format: a page for PDF and text; a
heading path for HTML, Word and Markdown, which have no pages (DESIGN.md:
page null and a locator)."""
from __future__ import annotations

from pipeline.core.document import Document, Page
from pipeline.execution.one_file import located


def _rows() -> dict[str, list[dict]]:
    return {"reports": [{"report_id": "r", "pages": 2, "overall_page": 1}],
            "key_questions": [{"report_id": "r", "standard": "2.1", "page": 2, "annex_page": 2}],
            "findings": [{"report_id": "r", "page": None}]}


def test_a_format_without_pages_gets_heading_paths_and_no_page_numbers():
    document = Document("x.html", "ab" * 32, [Page(1, ["Foreword"]), Page(2, ["2.1 Assessment"])], format="html",
                        locators={1: "Foreword", 2: "Domain two > 2.1 Assessment"})
    rows = located(_rows(), document)
    assert rows["key_questions"] == [{"report_id": "r", "standard": "2.1", "page": None, "annex_page": None,
                                      "locator": "Domain two > 2.1 Assessment"}]
    assert rows["reports"] == [{"report_id": "r", "pages": None, "overall_page": None, "format": "html"}]
    assert rows["findings"][0]["locator"] is None  # no page, no place


def test_a_paged_format_keeps_its_pages():
    document = Document("x.pdf", "ab" * 32, [Page(1, ["a"]), Page(2, ["b"])], format="pdf")
    rows = located(_rows(), document)
    assert rows["key_questions"][0]["page"] == 2 and "locator" not in rows["key_questions"][0]
    assert rows["reports"][0]["format"] == "pdf" and rows["reports"][0]["pages"] == 2
