"""The `facts` table: every number printed in the "Contextual facts" and
"Additional caseload data" boxes and in the data boxes at the top of the
standard sections ("Key data", "Key staffing data", "Caseload
characteristics"), one row per printed number.

By concern:
- sections.py: which lines of which sections hold facts;
- lines.py: a box's lines joined where one value or note wrapped;
- box.py: the state machine reading a box's lines into rows (layouts:
  value first or label first, wrapped labels, values above their labels,
  boxes printed in column order, headings, qualifier lines);
- values.py: value tokens, a value's note ('6 (5 custodial orders, 1
  secure remand)', '1.92% = 1 post') and footnote markers, which are never
  values;
- tables.py: demographic tables, one row per cell;
- vocabulary.py: canonical names from patterns/facts.json (rapidfuzz);
- records.py and scope.py: the table's rows, with `scope` (whose figure)
  and `rate_basis` (what a rate is per).

A box that is missing or came out as an image gives no rows (never zeros).
`qualifier` is what the label prints ('... in England and Wales', 'National
average'); None means the inspected service itself (nothing printed).
A label the vocabulary does not know still gives a row, named from the
label, group "other".
"""
from __future__ import annotations

import re

from pipeline.core.document import Line, SegmentedReport
from pipeline.core.records import Fact, FindingKind, Note, ServiceIdentity
from pipeline.extract.facts.box import BoxParser
from pipeline.extract.facts.columns import paired_columns
from pipeline.extract.facts.lines import join_parentheses
from pipeline.extract.facts.records import to_facts
from pipeline.extract.facts.sections import fact_lines, section_name
from pipeline.extract.facts.values import MarkerRule, marker_rule
from pipeline.extract.facts.vocabulary import match_label

__all__ = ["extract_facts", "match_label", "read_facts"]


def _parsed(lines: list[Line], markers: MarkerRule) -> BoxParser:
    parser = BoxParser(markers)
    joined, unplaced = paired_columns(join_parentheses(lines), markers)
    for line in joined:
        if line is None:
            parser.blank()
        else:
            parser.feed(line)
    parser.finish()
    parser.unplaced.extend(unplaced)
    return parser


def read_facts(report: SegmentedReport, service: ServiceIdentity | None = None) -> tuple[list[Fact], list[Note]]:
    """The facts of one report, in printed order, and a note for each row of
    figures that could not be placed (no column header names them: a
    two-column page read box by box). `service` (from
    identity.service_identity) tells the report's own service apart from
    other places in `scope`."""
    markers = marker_rule(report)
    facts: list[Fact] = []
    notes: list[Note] = []
    for section in report.sections:
        lines = fact_lines(section)
        if lines:
            parser = _parsed(lines, markers)
            kept, run_together = _own_labels(to_facts(parser.rows, section_name(section), service))
            facts.extend(kept)
            notes.extend(Note(FindingKind.UNREADABLE_VALUE, f"{section_name(section)}: the figure {f.value:g} is "
                              f"printed after '{_quoted(f)}', which holds other figures too (a table's cells run "
                              "together); not stored", f.page, printed=_quoted(f)) for f in run_together)
            notes.extend(Note(FindingKind.UNREADABLE_VALUE, f"{section_name(section)}: figures printed apart from "
                              f"the table header or label that names them ({printed!r}); not stored", page,
                              printed=printed) for page, printed in parser.unplaced)
            notes.extend(Note(FindingKind.UNREADABLE_VALUE, f"{section_name(section)}: the figure {printed!r} is cut "
                              "short where its cell wrapped (its last digits begin the next line); not stored", page,
                              printed=printed) for page, printed in parser.cut_figures)
    return facts, notes


# a label or qualifier that prints a percentage or a figure of thousands (not a rate's basis,
# 'per 100,000') holds other rows' figures
_OTHER_FIGURE = re.compile(r"\d\s*%|(?<!per )\b\d{1,3},\d{3}\b")


def _own_labels(facts: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """(facts whose label and qualifier are their own, facts printed after
    words that hold other figures: a table whose rows or cells a converter
    ran into one paragraph, where no label can be told from the next)."""
    kept: list[Fact] = []
    run_together: list[Fact] = []
    for fact in facts:
        words = f"{fact.label or ''} {fact.qualifier or ''}"
        others = [m for m in _OTHER_FIGURE.finditer(words) if _figure(words, m) != fact.value]
        (run_together if others else kept).append(fact)
    return kept, run_together


def _figure(text: str, found: re.Match[str]) -> float | None:
    """The number a match of _OTHER_FIGURE is part of (a label naming its own
    figure, 'YJB Good Practice Grant £341,351', names no other)."""
    start, end = found.start(), found.end()
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] in ",."):
        start -= 1
    while end < len(text) and (text[end].isdigit() or text[end] in ",."):
        end += 1
    digits = text[start:end].replace(",", "").rstrip("%. ").strip()
    try:
        return float(digits)
    except ValueError:
        return None


def _quoted(fact: Fact) -> str:
    words = " ".join(w for w in (fact.qualifier, fact.label) if w)
    return words if len(words) <= 120 else words[:117] + "..."


def extract_facts(report: SegmentedReport, service: ServiceIdentity | None = None) -> list[Fact]:
    """The facts of one report, in printed order (read_facts without its notes)."""
    return read_facts(report, service)[0]
