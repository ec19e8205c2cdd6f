"""Inspection dates as the report prints them, each with its page: the
publication month (cover), fieldwork start and end, the announcement month
and the court case-sample window; and the inspection month they give.

Only the phrases in patterns/dates.json give a date. Dates in the prose ("In
January 2018, the YOS was ..."), statistics periods and footnote citations are
never read as inspection dates. Values are ISO text: "2020-09-14", or
"2020-09" where only a month is printed (and always for the *_month columns).
"""
from __future__ import annotations

from typing import Any

import datetime as dt
import re
from collections import Counter
from functools import lru_cache

from pipeline.core.document import Line, SegmentedReport
from pipeline.core.records import InspectionDates, PrintedDate
from pipeline.core.patterns import load
from pipeline.core.text import JoinedText

# pattern group in dates.json -> (start column, end column or None)
COLUMNS = {
    "published": ("published_month", None),
    "fieldwork": ("fieldwork_start", "fieldwork_end"),
    "announced": ("announced_month", None),
    "sample": ("sample_start", "sample_end"),
}
MONTH_COLUMNS = {"published_month", "announced_month"}
DATE_COLUMNS = [c for pair in COLUMNS.values() for c in pair if c]
# the inspection month: fieldwork start, else the announcement, else publication
INSPECTION_MONTH_PRECEDENCE = ("fieldwork_start", "announced_month", "published_month")


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    spec = load("dates")

    def expand(pattern: str) -> str:
        pattern = pattern.replace("{DATE}", spec["date"]).replace("{RANGE}", spec["range"])
        for token, regex in spec["tokens"].items():
            pattern = pattern.replace("{" + token + "}", regex)
        return pattern

    fields = {}
    for name, field in spec["fields"].items():
        fields[name] = {
            "patterns": [re.compile(expand(p), re.I) for p in field["patterns"]],
            "footnotes": field.get("footnotes", False),
            "cover_line": re.compile(expand(field["cover_line"]), re.I) if "cover_line" in field else None,
            "cover_pages": field.get("cover_pages"),
            "anchors": field.get("anchors"),
        }
    return {"fields": fields, "months": spec["months"], "window": spec["window"]}


def _windows(paged: JoinedText, anchors: list[str] | None) -> list[tuple[int, int]]:
    """Stretches of the text around each anchor word, merged; the whole text
    when the field has no anchors."""
    text, lower = paged.text, paged.lower
    if not anchors:
        return [(0, len(text))]
    before, after = _compiled()["window"]
    spans: list[tuple[int, int]] = []
    for anchor in anchors:
        at = lower.find(anchor)
        while at >= 0:
            spans.append((max(0, at - before), min(len(text), at + after)))
            at = lower.find(anchor, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _month(word: str | None) -> int | None:
    if not word:
        return None
    month = _compiled()["months"].get(word.lower().rstrip(".")[:3])
    return int(month) if month is not None else None


def _day(word: str | None) -> int | None:
    m = re.match(r"\d+", word) if word else None
    return int(m.group()) if m else None


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    if month is None:
        return None
    try:
        date = dt.date(year, month, day or 1)
    except ValueError:
        return None  # '31 September' is a misprint or a misread: no date
    return date.isoformat() if day else date.isoformat()[:7]


def _parse(m: re.Match[str]) -> tuple[str | None, str | None]:
    """(start, end) from a {DATE} or {RANGE} match; the start of a range takes
    its missing month and year from the end ('14 and 18 September 2020';
    '28 December and 2 January 2021' starts in 2020)."""
    groups = m.groupdict()
    if groups.get("ey") is None:  # a single date
        return _iso(int(groups["sy"]), _month(groups["sm"]), _day(groups["sd"])), None
    end_year, end_month = int(groups["ey"]), _month(groups["em"])
    end = _iso(end_year, end_month, _day(groups.get("ed")))
    if end_month is None or not (groups.get("sd") or groups.get("sm")):
        return None, None
    start_month = _month(groups.get("sm")) or end_month
    start_year = int(groups["sy"]) if groups.get("sy") else end_year - (start_month > end_month)
    start = _iso(start_year, start_month, _day(groups.get("sd")))
    if start is None or end is None or start > end:
        return None, None  # not a window that can be read honestly
    return start, end


def _page_of(m: re.Match[str], paged: JoinedText, side: str) -> int | None:
    names = ("sd", "sm", "sy") if side == "start" else ("ed", "em", "ey")
    offset = next((m.start(g) for g in names if g in m.re.groupindex and m.group(g)), m.start())
    return paged.page_at(offset)


def _matches(field: dict[str, Any], name: str, paged: JoinedText) -> list[PrintedDate]:
    start_col, end_col = COLUMNS[name]
    taken: list[tuple[int, int]] = []
    out = []
    windows = _windows(paged, field.get("anchors"))
    for pattern in field["patterns"]:
        for m in (m for a, b in windows for m in pattern.finditer(paged.text, a, b)):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue  # an earlier, more specific pattern read this sentence
            taken.append(m.span())
            start, end = _parse(m)
            quote = re.sub(r"\s+", " ", m.group())[-160:]
            if start:
                value = start[:7] if start_col in MONTH_COLUMNS else start
                out.append(PrintedDate(start_col, value, _page_of(m, paged, "start"), quote))
            if end and end_col:
                out.append(PrintedDate(end_col, end, _page_of(m, paged, "end"), quote))
    return out


def find_dates(report: SegmentedReport) -> list[PrintedDate]:
    """Every printed inspection date, in order of the text (body, then footnotes)."""
    compiled = _compiled()["fields"]
    body = report.joined
    notes = [JoinedText([Line(n.page, n.text)]) for _, n in sorted(report.footnotes.items())]
    found: list[PrintedDate] = []
    for name, field in compiled.items():
        if name == "published":
            found += _cover_dates(report, field)
            continue
        found += _matches(field, name, body)
        if field["footnotes"]:
            for note in notes:
                found += _matches(field, name, note)
    return found


def _cover_dates(report: SegmentedReport, field: dict[str, Any]) -> list[PrintedDate]:
    """The cover and title pages: the front matter before the first heading."""
    lines = [l for s in report.sections if s.kind == "front" for l in s.lines
             if l.page <= field["cover_pages"]]
    patterns = {"patterns": [field["cover_line"], *field["patterns"]]}
    return [d for line in lines for d in _matches(patterns, "published", JoinedText([line]))]


def choose_dates(found: list[PrintedDate]) -> InspectionDates:
    """One value per column, with its page, and the pairs of printed values
    that disagree. Values that only differ in precision agree ('2018-09' and
    '2018-09-10': the day is kept). Values that disagree give the one printed
    more often, else null."""
    columns: dict[str, Any] = {}
    conflicts = []
    for column in DATE_COLUMNS:
        dates = [d for d in found if d.column == column]
        columns[column], columns[f"{column}_page"] = None, None
        if not dates:
            continue
        precise = max(dates, key=lambda d: len(d.value))
        chosen: PrintedDate | None
        if all(precise.value.startswith(d.value) for d in dates):
            chosen = precise
        else:
            counts = Counter(d.value for d in dates).most_common()
            top = [v for v, n in counts if n == counts[0][1]]
            chosen = next(d for d in dates if d.value == top[0]) if len(top) == 1 else None
            other = next(d for d in dates if d.value != (chosen or dates[0]).value)
            conflicts.append((chosen or dates[0], other))
        if chosen:
            columns[column], columns[f"{column}_page"] = chosen.value, chosen.page
    columns["inspection_month"], columns["inspection_month_source"] = inspection_month(columns)
    return InspectionDates(**columns, conflicts=tuple(conflicts))


def inspection_month(columns: dict[str, Any]) -> tuple[str | None, str | None]:
    """(YYYY-MM, the column it came from), by INSPECTION_MONTH_PRECEDENCE."""
    for column in INSPECTION_MONTH_PRECEDENCE:
        if columns.get(column):
            return columns[column][:7], column
    return None, None


def inspection_dates(report: SegmentedReport) -> InspectionDates:
    """The `reports` date columns, and each date the report prints twice
    with different values (validate makes those `date_conflict` findings)."""
    return choose_dates(find_dates(report))
