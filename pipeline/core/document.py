"""The plain objects stages pass along: a Document of pages of lines, and the
Sections that segmentation cuts from it."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from pipeline.core.text import JoinedText


@dataclass(frozen=True)
class Line:
    page: int  # 1-based page in the source
    text: str


@dataclass
class Page:
    number: int  # 1-based
    lines: list[str]
    printed_number: int | None = None  # page number printed in a running header/footer
    # index into `lines` where a footnote rule (a long blank or underscore
    # line in text exports) was; lines from there on are footnotes
    footnote_rule: int | None = None


@dataclass
class Document:
    source_file: str
    sha256: str
    pages: list[Page]

    @property
    def report_id(self) -> str:
        return self.sha256[:16]

    def lines(self) -> list[Line]:
        return [Line(p.number, t) for p in self.pages for t in p.lines]


@dataclass
class Footnote:
    number: int
    text: str
    page: int


@dataclass
class Section:
    """A contiguous run of body lines (footnotes removed) under one heading.

    kind: "foreword", "ratings_summary", "executive_summary", "recommendations",
    "background", "contextual_facts", "caseload", "domain" (a chapter intro),
    "standard", "annex_methodology", "annex_results", "annex_other", "front".
    domain: "1".."4" for domain and standard sections (and annex parts).
    standard: "2.1" for standard sections, else None.
    """

    kind: str
    title: str
    lines: list[Line]
    domain: str | None = None
    standard: str | None = None

    @property
    def page(self) -> int | None:
        return self.lines[0].page if self.lines else None

    def text(self) -> str:
        return "\n".join(l.text for l in self.lines)

    # several extractors search the same section's joined text: built once
    # (sections are complete when segment returns them)
    @cached_property
    def joined(self) -> JoinedText:
        """The section's lines, heading included, joined as join_wrapped joins them."""
        return JoinedText(self.lines)

    @cached_property
    def joined_body(self) -> JoinedText:
        """The lines under the heading, joined."""
        return JoinedText(self.lines[1:])


@dataclass
class SegmentedReport:
    document: Document
    sections: list[Section]
    footnotes: dict[int, Footnote] = field(default_factory=dict)

    @cached_property
    def joined(self) -> JoinedText:
        """Every section's lines in order, joined into one text."""
        return JoinedText([line for section in self.sections for line in section.lines])

    def of_kind(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]
