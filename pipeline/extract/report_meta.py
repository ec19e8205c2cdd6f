"""Report-level facts: cases inspected (service identity is in identity.py)."""
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
