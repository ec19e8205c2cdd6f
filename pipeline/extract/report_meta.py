"""Report-level facts: service name, area and type, cases inspected."""
from __future__ import annotations

import re
from functools import lru_cache

from ..document import SegmentedReport
from ..patterns import load


_CASE_SECTIONS = {"front", "foreword", "introduction", "executive_summary", "summary_domain", "domain",
                  "annex_methodology", "annex_results"}


@lru_cache(maxsize=1)
def _report_patterns() -> dict:
    return load("report")


def number_value(token: str) -> int | None:
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    return _report_patterns()["number_words"].get(token)


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


def cases_inspected(report: SegmentedReport) -> dict[str, tuple[int | None, int | None]]:
    """{'court': (n, page), ...} from the report's own methodology text."""
    patterns = _report_patterns()["cases"]
    # the statements are in the introduction, summaries and methodology;
    # standard sections and the glossary are most of the text and hold none
    lines = [l for s in report.sections if s.kind in _CASE_SECTIONS for l in s.lines]
    # search joined text so a sentence wrapped over lines still matches
    text, starts = "", []
    for line in lines:
        starts.append(len(text))
        text += line.text + " "
    out: dict[str, tuple[int | None, int | None]] = {}
    for kind, alternatives in patterns.items():
        out[kind] = (None, None)
        for pattern in alternatives:
            m = re.search(pattern, text, re.I)
            if m and (n := number_value(m.group("n"))) is not None:
                index = max(i for i, s in enumerate(starts) if s <= m.start("n"))
                out[kind] = (n, lines[index].page)
                break
    return out
