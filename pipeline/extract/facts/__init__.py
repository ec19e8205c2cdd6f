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

from pipeline.core.document import Line, SegmentedReport
from pipeline.core.records import Fact, FindingKind, Note, ServiceIdentity
from pipeline.extract.facts.box import BoxParser
from pipeline.extract.facts.lines import join_parentheses
from pipeline.extract.facts.records import to_facts
from pipeline.extract.facts.sections import fact_lines, section_name
from pipeline.extract.facts.values import MarkerRule, marker_rule
from pipeline.extract.facts.vocabulary import match_label

__all__ = ["extract_facts", "match_label", "read_facts"]


def _parsed(lines: list[Line], markers: MarkerRule) -> BoxParser:
    parser = BoxParser(markers)
    for line in join_parentheses(lines):
        if line is None:
            parser.blank()
        else:
            parser.feed(line)
    parser.finish()
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
            facts.extend(to_facts(parser.rows, section_name(section), service))
            notes.extend(Note(FindingKind.UNREADABLE_VALUE, f"{section_name(section)}: figures printed apart from "
                              f"the table header or label that names them ({printed!r}); not stored", page,
                              printed=printed) for page, printed in parser.unplaced)
    return facts, notes


def extract_facts(report: SegmentedReport, service: ServiceIdentity | None = None) -> list[Fact]:
    """The facts of one report, in printed order (read_facts without its notes)."""
    return read_facts(report, service)[0]
