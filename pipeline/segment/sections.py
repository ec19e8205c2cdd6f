"""Cut a Document into Sections at its heading blocks: ratings summary,
recommendations, contextual facts, domain chapters and their standards,
annexes. What kind of section a heading opens comes from its text
(core.headings); a heading block whose text names no kind (a sub-heading
such as 'Strengths') stays in the section it is in. The footnotes are the
Document's FOOTNOTE blocks, kept by number so that explanations can be
found from the markers in the text.
"""
from __future__ import annotations

from pipeline.core import rules
from pipeline.core.document import Block, BlockKind, Document, Footnote, Section, SegmentedReport, Table, row_text
from pipeline.core.headings import HeadingTracker, row_heading
from pipeline.core.errors import NotAReportError
from pipeline.core.records import FindingKind, SectionKind
from pipeline.core.text import strip_trailing_marker
from pipeline.segment.report_kind import check_youth_justice_report

standard_names = rules.standard_names  # the name other stages and tests know
strip_marker = strip_trailing_marker  # the name other stages and tests know


def footnotes_of(document: Document) -> dict[int, Footnote]:
    """The document's footnotes by number (the first note of a number wins)."""
    notes: dict[int, Footnote] = {}
    for page, block in document.placed_blocks():
        if block.kind is BlockKind.FOOTNOTE and block.number is not None and block.text:
            notes.setdefault(block.number, Footnote(block.number, block.text, page))
    return notes


class _Cutter:
    """The sections read so far, and the tracker that says which kind of
    section each heading opens."""

    def __init__(self) -> None:
        self.sections: list[Section] = [Section(SectionKind.FRONT, "")]
        self.headings = HeadingTracker()

    def opens(self, text: str, page: int) -> tuple[str, dict[str, str]] | None:
        return self.headings.opens(text, page)

    def open(self, kind: str, info: dict[str, str], title: str, page: int, block: Block) -> None:
        section = Section(SectionKind(kind), strip_marker(title), domain=info.get("domain"),
                          standard=info.get("standard"))
        section.add(page, block)
        self.sections.append(section)

    def block(self, page: int, block: Block) -> None:
        if block.kind in (BlockKind.RUNNING, BlockKind.FOOTNOTE):
            return
        if block.kind is BlockKind.TABLE and block.table is not None:
            self.table(page, block, block.table)
            return
        heading = self.opens(block.text, page) if block.kind is BlockKind.HEADING else None
        if heading is not None:
            self.open(*heading, block.text, page, block)
        else:
            self.sections[-1].add(page, block)

    def table(self, page: int, block: Block, table: Table) -> None:
        """A table is cut where one of its rows opens a section (an annex
        results table prints each standard as a row above its questions)."""
        start = 0
        for index, row in enumerate(table.rows):
            text = row_text(row)
            heading = self.opens(text, page) if text else None
            if heading is None and text:
                found = row_heading(row)
                heading = self.opens(f"{found[1]['standard']}. {found[1]['name']}", page) if found else None
            if heading is None:
                continue
            if index > start:
                self.sections[-1].add(page, _part(block, table, start, index))
            self.open(*heading, text, page, _part(block, table, index, index + 1))
            start = index + 1
        if start < len(table.rows):
            self.sections[-1].add(page, _part(block, table, start, len(table.rows)) if start else block)


def _part(block: Block, table: Table, start: int, end: int) -> Block:
    return Block(BlockKind.TABLE, table=Table(table.rows[start:end]), box=block.box)


def cut(document: Document) -> SegmentedReport:
    """The document's sections and footnotes, whatever the document is."""
    cutter = _Cutter()
    for page, block in document.placed_blocks():
        cutter.block(page, block)
    sections = _mark_summary_domains([s for s in cutter.sections if s.lines])
    return SegmentedReport(document=document, sections=sections, footnotes=footnotes_of(document))


def segment(document: Document) -> SegmentedReport:
    """`cut`, for a document that is a youth justice inspection report
    (else NotAReportError says what it is)."""
    report = cut(document)
    try:
        check_youth_justice_report(report.sections, document)
    except NotAReportError as exc:
        stopped = next((n for n in document.notes if n.kind is FindingKind.TRUNCATED_PARSE), None)
        if stopped is None:
            raise
        raise NotAReportError(f"{exc.message}, in what was read before the reading stopped: {stopped.detail}",
                              error="truncated_parse") from None
    return report


def _mark_summary_domains(sections: list[Section]) -> list[Section]:
    """A domain heading with no standard under it is a sub-heading of the
    executive summary, not a chapter."""
    for i, section in enumerate(sections):
        if section.kind != "domain":
            continue
        following = next((s for s in sections[i + 1:] if s.kind not in ("front",)), None)
        if not (following and following.kind == "standard" and following.domain == section.domain):
            section.kind = SectionKind.SUMMARY_DOMAIN
    return sections
