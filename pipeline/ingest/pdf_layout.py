"""Where a PDF page's text segments go: lines from positioned segments,
the reading order of a page set in two columns, and the footnote rule a
page draws. Plain geometry on tuples; pdf.py reads the segments and the
drawn rules (PDFium or pdfplumber) and hands them here."""
from __future__ import annotations

from pipeline.ingest.settings import LAYOUT
from pipeline.ingest.pdf_superscripts import joined_line

import re

# A footnote separator (a short rule drawn above the footnotes) comes out as
# this line, as text exports print it; ingest takes it for the footnote rule.
FOOTNOTE_RULE = "_" * 20
_FOOTNOTE_START = re.compile(r"\d{1,3}(?:\s|[A-Za-z(‘“'\"])")

# (top, bottom, left, text) with y growing downwards, as a reader reads
Box = tuple[float, float, float, str]
# a PDFium segment also knows where it ends: (top, bottom, left, text, right)
Segment = tuple[float, float, float, str, float]


def in_reading_order(segments: list[Segment], rules: list[tuple[float, float, float, float]],
                     width: float) -> list[Box]:
    """Lines of a page in reading order. Where the page is set in two columns
    (a contextual-facts page), each band of the page between full-width text
    or a drawn rule is read down the left column, then down the right one,
    instead of joining the two columns' lines that share a baseline."""
    start = _column_start(segments, width)
    if start is None:
        return _group([s[:4] for s in segments])
    cuts = sorted([s[0] for s in segments if _crosses(s, start)] +
                  [top for top, bottom, left, right in rules if bottom - top <= 3 and right - left >= 72])
    bands: dict[int, list[Segment]] = {}
    for seg in segments:
        bands.setdefault(sum(1 for c in cuts if c <= seg[0]), []).append(seg)
    lines: list[Box] = []
    for key in sorted(bands):
        band = bands[key]
        right = [s for s in band if s[2] >= start - 2]
        left = [s for s in band if s[2] < start - 2]
        column = [s[3] for s in right if s[2] <= start + 2]
        if len(column) >= LAYOUT.column_min_lines and len(left) >= LAYOUT.column_min_lines and _reads_as_text(column) \
                and not any(_crosses(s, start) for s in band):
            lines += _group([s[:4] for s in left]) + _group([s[:4] for s in right])
        else:
            lines += _group([s[:4] for s in band])
    return lines


_WORD = re.compile(r"[A-Za-z]{2,}")


def _reads_as_text(lines: list[str]) -> bool:
    """A column of text has words on most lines; a table's value column
    ('65%', '33%') does not, and is read across with its rows."""
    return sum(1 for line in lines if len(_WORD.findall(line)) >= 2) * 2 >= len(lines)


def _crosses(seg: Segment, x: float) -> bool:
    return seg[2] < x - 2 and seg[4] > x + 2


def _column_start(segments: list[Segment], width: float) -> float | None:
    """The x where a second column starts, if the page has one: the most
    common left edge in LAYOUT.column_band that no other text crosses on the
    lines beside it."""
    lo, hi = LAYOUT.column_band[0] * width, LAYOUT.column_band[1] * width
    starts = sorted(round(s[2]) for s in segments if lo <= s[2] <= hi)
    if len(starts) < LAYOUT.column_min_lines:
        return None
    best = max(set(starts), key=lambda x: sum(1 for s in starts if abs(s - x) <= 2))
    beside = [s for s in segments if abs(s[2] - best) <= 2]
    top, bottom = min(s[0] for s in beside), max(s[1] for s in beside)
    crossing = [s for s in segments if top <= s[0] <= bottom and _crosses(s, best)]
    if len(beside) < LAYOUT.column_min_lines or len(crossing) >= len(beside):
        return None
    return float(best)


def _group(segments: list[Box]) -> list[Box]:
    """Lines from positioned segments: sort top-down by vertical centre, put a
    segment in the current line when it overlaps the line's first segment
    vertically by at least half the smaller height, order each line by x."""
    segments.sort(key=lambda s: s[0] + s[1])
    groups: list[list[Box]] = []
    top = bottom = 0.0  # of the current line's first segment
    for seg in segments:
        if groups:
            # min/max written out: this runs for every segment of every page
            overlap = (bottom if bottom < seg[1] else seg[1]) - (top if top > seg[0] else seg[0])
            smaller = bottom - top if bottom - top < seg[1] - seg[0] else seg[1] - seg[0]
            if overlap >= 0.5 * (smaller if smaller > 0.1 else 0.1):
                groups[-1].append(seg)
                continue
        groups.append([seg])
        top, bottom = seg[0], seg[1]
    lines: list[Box] = []
    for group in groups:
        if len(group) == 1:  # most lines are one segment: no sort, no min/max
            top, bottom, left, text = group[0]
            joined = " ".join(text.split())
            if joined:
                lines.append((top, bottom, left, joined))
            continue
        group.sort(key=lambda s: s[2])
        joined = joined_line(group)  # blanks squeezed, ends stripped, superscript markers glued
        if joined:
            lines.append((min(s[0] for s in group), max(s[1] for s in group),
                          group[0][2], joined))
    return lines


def with_rules(lines: list[Box], rules: list[tuple[float, float, float, float]]) -> list[str]:
    """Line texts, with FOOTNOTE_RULE inserted where a footnote separator is
    drawn (rule_marks)."""
    texts = [ln[3] for ln in lines]
    marks = rule_marks(lines, rules)
    if not marks:
        return texts
    out = []
    for i, t in enumerate(texts):
        if i in marks:
            out.append(FOOTNOTE_RULE)
        out.append(t)
    return out


def rule_marks(lines: list[Box], rules: list[tuple[float, float, float, float]]) -> set[int]:
    """Indices of the lines a footnote separator is drawn right above: a thin
    horizontal rule LAYOUT.rule_min_width..LAYOUT.rule_max_width long that starts at the
    text's left margin, crosses no text line, and has a line starting with a
    (footnote) number right under it."""
    marks: set[int] = set()
    if not lines or not rules:
        return marks
    margin = min(ln[2] for ln in lines)
    for top, bottom, left, right in rules:
        if not (bottom - top <= 3 and LAYOUT.rule_min_width <= right - left <= LAYOUT.rule_max_width
                and abs(left - margin) <= 15):
            continue
        if any(ln[0] < bottom and top < ln[1] for ln in lines):
            continue  # an underline or a strike-through, not a separator
        below = next((i for i, ln in enumerate(lines) if ln[0] >= bottom), None)
        if below is not None and _FOOTNOTE_START.match(lines[below][3]):
            marks.add(below)
    return marks
