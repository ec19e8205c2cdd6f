"""A data box printed as a column of labels, then a column of values.

A reader that writes a page box by box (each box's text, then a blank line)
prints a two-column data box as every label, then every value:

    Total staff headcount (FTE)
    <blank>
    Vacancy rate (total unfilled posts ...)
    <blank>
    52 (including TYS and Amber unit)
    <blank>
    1.92% = 1 post

Read line by line, the first value pairs with the label nearest above it
(the second), and every figure after it shifts by one row. So, before the
box parser reads the lines, a run of at least two label boxes followed, on
the same page, by a run of value boxes is paired in order, when the two runs
are as long as each other: each label's last line gets its value, as a
row-ordered export prints it. When they are not (a label or a value printed
elsewhere), whose figure is whose cannot be told: the values are taken out,
reported, and not stored (a value alone under several labels too: the
nearest label above is not more likely to be its own than the first).
"""
from __future__ import annotations

from typing import NamedTuple

from pipeline.core.document import Line
from pipeline.core.text import join_wrapped, strip_markers
from pipeline.extract.facts.tables import is_column_words, table_header
from pipeline.extract.facts.values import MarkerRule, parse_value_token, split_leading, trailing_values
from pipeline.extract.facts.vocabulary import match_heading, vocabulary

# a label box is a label: a few lines of a few words (a paragraph is prose)
_MOST_LABEL_LINES = 3
_MOST_LABEL_WORDS = 30
_MOST_VALUE_LINES = 5


class _Box(NamedTuple):
    start: int  # index of its first line
    end: int    # index after its last line
    kind: str   # "label", "value", "table" (a demographic table's header), "heading" or "other"


def paired_columns(lines: list[Line | None], markers: MarkerRule) -> tuple[list[Line | None], list[tuple[int, str]]]:
    """`lines` (blank lines as None) with each column of labels given its
    column of values; and the values of a column that could not be paired
    (page, text), which are left out of the lines."""
    boxes = _boxes(lines, markers)
    values: dict[int, str] = {}    # index of a label's last line -> its value
    dropped: set[int] = set()      # the value lines paired or left out
    unplaced: list[tuple[int, str]] = []
    in_table = False  # a demographic table's rows are its own reader's (their labels are whose figures)
    i = 0
    while i < len(boxes):
        if boxes[i].kind in ("table", "heading") or (i and _page(lines, boxes[i]) != _page(lines, boxes[i - 1])):
            in_table = boxes[i].kind == "table"
        if in_table:
            i += 1
            continue
        labels = _run(boxes, i, "label", lines)
        after = i + len(labels)
        found = _run(boxes, after, "value", lines) if len(labels) >= 2 else []
        if not found:
            i += max(len(labels), 1)
            continue
        if len(found) == len(labels):
            for label, value in zip(labels, found, strict=True):
                values[label.end - 1] = _text(lines, value)
        else:  # the labels go too: what follows must not pair with a label whose value was taken out
            unplaced.extend((_page(lines, v), _text(lines, v)) for v in found)
            dropped.update(k for box in labels for k in range(box.start, box.end))
        dropped.update(k for v in found for k in range(v.start, v.end))
        i = after + len(found)
    if not values and not dropped:
        return lines, []
    out: list[Line | None] = []
    for index, line in enumerate(lines):
        if index in dropped:
            continue
        if index in values and line is not None:
            line = Line(line.page, f"{line.text} {values[index]}")
        out.append(line)
    return out, unplaced


def _line(lines: list[Line | None], index: int) -> Line:
    line = lines[index]
    assert line is not None  # a box's lines are never blank
    return line


def _page(lines: list[Line | None], box: _Box) -> int:
    return _line(lines, box.start).page


def _text(lines: list[Line | None], box: _Box) -> str:
    return join_wrapped([_line(lines, k).text.strip() for k in range(box.start, box.end)])


def _run(boxes: list[_Box], start: int, kind: str, lines: list[Line | None]) -> list[_Box]:
    """The boxes of `kind` from `start` on, on the page of the first."""
    run: list[_Box] = []
    for box in boxes[start:]:
        if box.kind != kind or (run and _line(lines, box.start).page != _line(lines, run[0].start).page):
            break
        run.append(box)
    return run


def _boxes(lines: list[Line | None], markers: MarkerRule) -> list[_Box]:
    boxes: list[_Box] = []
    i = 0
    while i < len(lines):
        if lines[i] is None:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j] is not None:
            j += 1
        boxes.append(_Box(i, j, _kind([_line(lines, k) for k in range(i, j)], markers)))
        i = j
    return boxes


def _kind(box: list[Line], markers: MarkerRule) -> str:
    """'value' for a value alone ('52 (including TYS and Amber unit)',
    '1.92% = 1 post'); 'label' for the lines of a fact's label with no
    value; 'other' for anything else (a heading, a sentence, a table row)."""
    if any(line.cells for line in box):
        return "other"
    texts = [line.text.strip() for line in box]
    if len(texts) <= _MOST_VALUE_LINES and _value_alone(join_wrapped(texts)):
        return "value"  # with its note wrapped below it: '£1,935,408' / '(YJB Good Practice Grant £341,351)'

    if len(texts) > _MOST_LABEL_LINES or len(" ".join(texts).split()) > _MOST_LABEL_WORDS:
        return "other"
    for text in texts:
        first = text.split()[0]
        if (parse_value_token(first) is not None and not vocabulary()["year"].match(first)) \
                or trailing_values(text, markers, box[0].page, in_table=False) is not None:
            return "other"
    whole = " ".join(texts)
    if table_header(whole) is not None:
        return "table"
    if match_heading(strip_markers(whole)) is not None:
        return "heading"
    if whole.endswith((".", ":", "?")) or (whole.startswith("(") and whole.endswith(")")) \
            or vocabulary()["qualifier_line"].match(whole) or is_column_words(whole):
        return "other"
    return "label"


def _value_alone(text: str) -> bool:
    tokens = text.split()
    if parse_value_token(tokens[0]) is None or vocabulary()["year"].match(tokens[0]):
        return False
    head, note = split_leading(text)
    rest = text[len(head):].strip()
    if note:
        rest = rest[len(note):].strip()
    return not rest
