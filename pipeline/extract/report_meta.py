"""Report-level facts: service name, area and type, and the report-level
values a report states in prose (cases inspected, overall rating, score),
each statement kept with its source and page for validate to choose from."""
from __future__ import annotations

import re
from functools import lru_cache

from ..document import SegmentedReport
from ..model import Sourced, normalise_rating
from ..patterns import load
from ..text import JoinedText


@lru_cache(maxsize=1)
def _report_patterns() -> dict:
    return load("report")


def number_value(token: str) -> int | None:
    """'27', 'six', 'twenty-seven', 'twenty seven' -> int; else None."""
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    p = _report_patterns()
    words = re.split(r"[- ]", token)
    if len(words) == 1:
        return p["number_words"].get(token, p["number_tens"].get(token))
    if len(words) == 2 and words[0] in p["number_tens"] and p["number_words"].get(words[1], 10) < 10:
        return p["number_tens"][words[0]] + p["number_words"][words[1]]
    return None


def service_identity(service_line: str | None, report: SegmentedReport) -> dict:
    """service_name as printed on the ratings page (else the first full
    service name in the text), its area and its type (YOS/YOT/YJS)."""
    p = _report_patterns()
    name = None
    if service_line:
        name = re.sub(r"\s+", " ", service_line).strip(" :-")
    if not name:
        head = " ".join(l.text for s in report.sections[:4] for l in s.lines)
        m = re.search(p["service_name"], head)  # case-sensitive: names are capitalised
        name = m.group("name").strip() if m else None
    service_type = None
    if name:
        lowered = name.lower()
        for code, words in p["service_types"].items():
            if any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words):
                service_type = code
                break
    area = None
    if name:
        area = re.sub(p["service_type_words"], "", name, flags=re.I).strip(" ,-") or None
    return {"service_name": name, "area": area, "service_type": service_type}


def _sourced_text(report: SegmentedReport, sources: dict[str, str]) -> list[tuple[str, JoinedText]]:
    """(source name, joined text) for each section of a kind in `sources`."""
    return [(sources[s.kind], JoinedText(s.lines)) for s in report.sections if s.kind in sources]


def cases_inspected(report: SegmentedReport) -> dict[str, list[Sourced]]:
    """{'court': [Sourced(n, source, page, quote), ...], ...}: every statement
    of the cases inspected, from the sections that make them (the standard
    sections and the glossary hold none)."""
    p = _report_patterns()
    sources = {k: v for k, v in p["cases_sources"].items() if not k.startswith("_")}
    texts = _sourced_text(report, sources)
    out: dict[str, list[Sourced]] = {}
    for kind, alternatives in p["cases"].items():
        found = out.setdefault(kind, [])
        seen: set[tuple[str, int]] = set()
        for pattern in alternatives:
            for source, joined in texts:
                for m in re.finditer(pattern, joined.text, re.I):
                    n = number_value(m.group("n"))
                    if n is None or (source, m.start()) in seen:
                        continue
                    seen.add((source, m.start()))
                    found.append(Sourced(n, source, joined.page_at(m.start("n")), m.group(0)))
    return out


def overall_in_prose(report: SegmentedReport) -> list[Sourced]:
    """'Overall, <service> is rated as: Requires improvement' (overall
    findings), "We have rated <service> as 'Good'" (foreword), ..."""
    p = _report_patterns()
    sources = {k: v for k, v in p["overall_sources"].items() if not k.startswith("_")}
    out = []
    for source, joined in _sourced_text(report, sources):
        for pattern in p["overall_prose"]:
            for m in re.finditer(pattern, joined.text):
                rating = normalise_rating(m.group("rating"))
                if rating:
                    out.append(Sourced(rating, source, joined.page_at(m.start("rating")), m.group(0)))
    return out


def score_in_prose(report: SegmentedReport) -> list[Sourced]:
    """'Score 14/36' printed outside the ratings summary (a cover or summary)."""
    p = _report_patterns()
    sources = {k: v for k, v in p["overall_sources"].items() if not k.startswith("_")}
    return [Sourced(int(m.group("score")), source, joined.page_at(m.start()), m.group(0),
                    out_of=int(m.group("max")))
            for source, joined in _sourced_text(report, sources)
            for m in re.finditer(p["score"], joined.text, re.I)]
