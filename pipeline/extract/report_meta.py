"""The report-level values a report states in prose (cases inspected, overall
rating, score), each statement kept with its source and page for validate to
choose from. (Service identity is in identity.py, dates in dates.py.)"""
from __future__ import annotations

from typing import Any

import re
from functools import lru_cache

from pipeline.core.document import SegmentedReport
from pipeline.core.records import Sourced, normalise_rating
from pipeline.core.patterns import load
from pipeline.core.text import JoinedText


@lru_cache(maxsize=1)
def _report_patterns() -> dict[str, Any]:
    return load("report")


def number_value(token: str) -> int | None:
    """'27', 'six', 'twenty-seven', 'twenty seven' -> int; else None."""
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    p = _report_patterns()
    words = re.split(r"[- ]", token)
    if len(words) == 1:
        found = p["number_words"].get(token, p["number_tens"].get(token))
        return int(found) if found is not None else None
    if len(words) == 2 and words[0] in p["number_tens"] and p["number_words"].get(words[1], 10) < 10:
        return int(p["number_tens"][words[0]]) + int(p["number_words"][words[1]])
    return None


def _sourced_text(report: SegmentedReport, sources: dict[str, str]) -> list[tuple[str, JoinedText]]:
    """(source name, joined text) for each section of a kind in `sources`."""
    return [(sources[s.kind], s.joined) for s in report.sections if s.kind in sources]


@lru_cache(maxsize=1)
def _case_patterns() -> tuple[re.Pattern[str], list[tuple[str, re.Pattern[str]]]]:
    """The word every case statement starts with, and (kind, pattern) pairs."""
    p = _report_patterns()
    return (re.compile(p["cases_first_word"], re.I),
            [(kind, re.compile(pattern, re.I)) for kind, alts in p["cases"].items() for pattern in alts])


def cases_inspected(report: SegmentedReport) -> dict[str, list[Sourced]]:
    """{'court': [Sourced(n, source, page, quote), ...], ...}: every statement
    of the cases inspected, from the sections that make them (the standard
    sections and the glossary hold none). The patterns are tried only where a
    statement can start (their first words), which keeps this cheap."""
    p = _report_patterns()
    sources = {k: v for k, v in p["cases_sources"].items() if not k.startswith("_")}
    first_word, patterns = _case_patterns()
    out: dict[str, list[Sourced]] = {kind: [] for kind in p["cases"]}
    seen: set[tuple[str, str, int]] = set()
    for source, joined in _sourced_text(report, sources):
        for start in first_word.finditer(joined.text):
            for kind, pattern in patterns:
                m = pattern.match(joined.text, start.start())
                if not m or (n := number_value(m.group("n"))) is None or (kind, source, m.start()) in seen:
                    continue
                seen.add((kind, source, m.start()))
                out[kind].append(Sourced(n, source, joined.page_at(m.start("n")), m.group(0)))
    return out


def overall_in_prose(report: SegmentedReport) -> list[Sourced]:
    """'Overall, <service> is rated as: Requires improvement' (overall
    findings), "We have rated <service> as 'Good'" (foreword), ... Tried only
    in a window around each 'rated' (the word every phrasing has)."""
    p = _report_patterns()
    sources = {k: v for k, v in p["overall_sources"].items() if not k.startswith("_")}
    anchor = re.compile(p["overall_prose_anchor"], re.I)
    other_inspection = re.compile(p["overall_prose_other_inspection"], re.I)
    patterns = [re.compile(pattern) for pattern in p["overall_prose"]]
    out, seen = [], set()
    for source, joined in _sourced_text(report, sources):
        for hit in anchor.finditer(joined.text):
            window_start = max(0, hit.start() - 250)
            window = joined.text[window_start:hit.end() + 80]
            for pattern in patterns:
                for m in pattern.finditer(window):
                    at = window_start + m.start("rating")
                    rating = normalise_rating(m.group("rating"))
                    # 'At our last inspection, X YOS was rated as ...' is another inspection's rating
                    sentence = window[window.rfind(". ", 0, m.start()) + 1:m.end()]
                    if other_inspection.search(sentence):
                        continue
                    if rating and (source, at) not in seen:
                        seen.add((source, at))
                        out.append(Sourced(rating, source, joined.page_at(at), m.group(0)))
    return out


def score_in_prose(report: SegmentedReport) -> list[Sourced]:
    """'Score 14/N' printed outside the ratings summary (a cover or summary)."""
    p = _report_patterns()
    sources = {k: v for k, v in p["overall_sources"].items() if not k.startswith("_")}
    return [Sourced(int(m.group("score")), source, joined.page_at(m.start()), m.group(0),
                    out_of=int(m.group("max")))
            for source, joined in _sourced_text(report, sources)
            for m in re.finditer(p["score"], joined.text, re.I)]
