"""The key questions and prompts the three sample reports print, read from the
text exports independently of the pipeline's segmenter and extractors: each
case-level standard's section (chapter or annex) is cut at its heading
('2.1. Assessment'), its lines joined, and every question sentence in it
('Does ...?', 'Is ...?', 'Where applicable, ...?') is a row, with the code or
letter printed before it, its page, and whether it comes after the
section's "based on the following key questions" (its chapter table).

Used by tests/test_questions.py and tests/test_question_anchoring.py to
check patterns/questions.json and its anchoring against the reports."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conftest import SAMPLES
from pipeline.core import questions as q
from pipeline.core import rules
from pipeline.core.patterns import load
from pipeline.core.document import Line
from pipeline.core.text import JoinedText, join_wrapped
from pipeline.ingest.text import split_text_pages

HEADING = re.compile(r"^\s?([1-4]\.[1-4])\.?\s+[A-Z]")
ANNEX = re.compile(r"^\s*Annexe \d: Inspection (?:results|data)")
TABLE_OPENS = re.compile(r"based on the following key (?P<one>question|questions):")
QUESTION = re.compile(r"(?:(?P<label>(?<![\w.])[a-z])\)\s+|(?P<code>(?<![\w.])[234]\.[1-4]\.\d)\.?\s+)?"
                      r"(?P<text>(?<![\w'’])(?:Does|Is|Are|Do|Where applicable|In cases)\b[^?]{0,300}\?)")


@dataclass(frozen=True)
class PrintedRow:
    standard: str
    where: str  # "annex" or "chapter"
    page: int
    label: str | None  # a printed prompt letter
    code: str | None  # a printed key-question code
    text: str
    table_position: int | None  # 1-based place among the chapter table's key questions


@dataclass(frozen=True)
class Sample:
    report_id: str
    pages: list[str]  # each page's lines joined, quotes straight
    annex_page: int | None
    rows: list[PrintedRow]


def straight(text: str) -> str:
    """Quotes straight and spaces collapsed: how a wording is looked up on a page."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def _sections(pages: list[list[str]]) -> tuple[list[tuple[str, bool, list[Line]]], int | None]:
    sections: list[tuple[str, bool, list[Line]]] = []
    annex_page = None
    for number, page in enumerate(pages, 1):
        for text in page:
            if ANNEX.match(text) and annex_page is None:
                annex_page = number
            heading = HEADING.match(text)
            if heading:
                sections.append((heading.group(1), annex_page is not None, []))
            elif sections:
                sections[-1][2].append(Line(page=number, text=text))
    return sections, annex_page


def _rows(standard: str, in_annex: bool, lines: list[Line], framework: str) -> list[PrintedRow]:
    joined = JoinedText(lines)
    table = TABLE_OPENS.search(joined.text)
    # the table holds the standard's key questions (standards.json), one where it says "key question:"
    table_rows = 0 if table is None else (1 if table.group("one") == "question" else
                                          rules.key_questions_max(framework, standard) or 0)
    rows = []
    for m in QUESTION.finditer(joined.text):
        position = None
        if table is not None and m.start() > table.end() and table_rows:
            position = sum(1 for row in rows if row.table_position) + 1
            table_rows = table_rows if position < table_rows else 0
        rows.append(PrintedRow(standard=standard, where="annex" if in_annex else "chapter",
                               page=joined.page_at(m.start("text")) or 0, label=m.group("label"),
                               code=m.group("code"), text=m.group("text"), table_position=position))
    return rows


@cache
def read_sample(path: Path, framework: str) -> Sample:
    raw = path.read_bytes()
    pages = split_text_pages(raw.decode("utf-8"))
    sections, annex_page = _sections(pages)
    rows = [row for standard, in_annex, lines in sections for row in _rows(standard, in_annex, lines, framework)]
    return Sample(report_id=hashlib.sha256(raw).hexdigest()[:16],
                  pages=[straight(join_wrapped(page)) for page in pages], annex_page=annex_page, rows=rows)


# the samples' frameworks (tests/test_questions.py checks them against the reports)
FRAMEWORK = {"luton": "2018", "north_somerset": "2018", "bedfordshire": "2021"}
DATA = load("questions")
THRESHOLD = DATA["match"]["threshold"]
MARGIN = DATA["match"]["margin"]


def sample(name: str) -> Sample:
    return read_sample(SAMPLES[name], FRAMEWORK[name])


def kq_rows(name: str) -> list[PrintedRow]:
    """The sample's rows in case-level standards the framework has questions for."""
    return [row for row in sample(name).rows if q.key_questions(FRAMEWORK[name], row.standard)]


def walk(name: str, with_labels: bool = True) -> list[tuple[PrintedRow, q.Anchor | q.Conflict | None, int | None]]:
    """Each row of the sample read as a key question of its standard or, if
    it is none, as a prompt of the key question last read."""
    framework, current, out = FRAMEWORK[name], None, []
    for row in kq_rows(name):
        placed: q.Anchor | q.Conflict | None = q.anchor_key_question(framework, row.standard, None, row.text)
        if isinstance(placed, q.Anchor):
            current = placed
            out.append((row, placed, None))
            continue
        assert current is not None and current.standard == row.standard, row
        label = row.label if with_labels else None
        out.append((row, q.anchor_prompt(framework, row.standard, current.index, label, row.text), current.index))
    return out
