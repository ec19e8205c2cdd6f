"""Is a segmented document a youth justice inspection report?

A youth justice inspection has the inspection's structure (a ratings summary,
or standards sections) and the youth framework's own marks: its case domains
(court disposals, out-of-court disposals) or youth justice wording. Other
inspection reports mention youth offending services too (an adult probation
inspection in its foreword, a prisons report on a young offender institution,
an Ofsted report), so the words of each other kind are counted on the opening
pages, and a document in which they outnumber the youth words is that kind.
"""
from __future__ import annotations

from typing import Any

import re
from functools import lru_cache

from pipeline.core.document import Document, Section
from pipeline.core.errors import NotAReportError
from pipeline.core.patterns import load

# the youth wording must be this frequent when no youth domain heading is found
MIN_YOUTH_MENTIONS = 5
# another kind's words must be at least this frequent (a passing mention is not a kind)
MIN_OTHER_MENTIONS = 2
# words are counted on the pages where a report says what it is (cover, foreword,
# ratings, summaries): enough to tell, and the cost does not grow with the report
PAGES_READ = 12


_CASED = "(?-i:"


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    data = load("report_kind")
    return {
        "youth": _phrases(data["youth_wording"]),
        "domains": re.compile(data["youth_domains"], re.I),
        "other": {kind: _phrases(words) for kind, words in data["other_kinds"].items()},
    }


def _phrases(alternatives: list[str]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(lower-case phrases, for the lower-cased text; case-sensitive
    patterns, for the text as printed). Without re.IGNORECASE, Python's re
    skips ahead to a phrase's first letter: about ten times faster here."""
    lower = [a for a in alternatives if not a.startswith(_CASED)]
    cased = [a for a in alternatives if a.startswith(_CASED)]
    for phrase in lower:
        if any(c.isupper() for c in re.sub(r"\\.", "", phrase)):
            raise ValueError(f"patterns/report_kind.json: write {phrase!r} in lower case, or wrap it in (?-i:...)")

    def any_of(patterns: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    return any_of(lower), any_of(cased)


def _mentions(phrases: tuple[re.Pattern[str] | None, re.Pattern[str] | None], text: str, lowered: str) -> list[str]:
    """Every mention, as printed, in the order printed. Lower-casing keeps
    each character's offset for all but a few letters (e.g. the dotted
    capital I); for a text where it does not, the lower-cased words are
    quoted instead."""
    lower, cased = phrases
    same_offsets = len(lowered) == len(text)
    found = [(m.start(), text[m.start():m.end()] if same_offsets else m.group())
             for m in (lower.finditer(lowered) if lower else ())]
    found += [(m.start(), m.group()) for m in (cased.finditer(text) if cased else ())]
    return [mention for _, mention in sorted(found, key=lambda item: item[0])]


def check_youth_justice_report(sections: list[Section], document: Document) -> None:
    """Raise NotAReportError: `not_a_youth_justice_report` for another kind of
    inspection report, `not_a_report` for anything else."""
    rx = _compiled()
    text = "\n".join(line for page in document.pages[:PAGES_READ] for line in page.lines)
    lowered = text.lower()
    youth = len(_mentions(rx["youth"], text, lowered))
    others = {kind: _mentions(phrases, text, lowered) for kind, phrases in rx["other"].items()}
    kind, found = max(others.items(), key=lambda item: len(item[1]))
    if len(found) > youth and len(found) >= MIN_OTHER_MENTIONS:
        example = max(found, key=found.count)  # ties: the first printed, so the message is stable
        raise NotAReportError(
            f"not a youth justice inspection: this reads as {kind} (it says '{example}' "
            f"{_times(found.count(example))}, and youth justice words {_times(youth)})",
            error="not_a_youth_justice_report")
    kinds = {s.kind for s in sections}
    standards = {s.standard for s in sections if s.kind in ("standard", "annex_standard")}
    structured = "ratings_summary" in kinds or len(standards) >= 3
    youth_domains = any(rx["domains"].match(line) for page in document.pages for line in page.lines)
    if structured and youth and (youth_domains or youth >= MIN_YOUTH_MENTIONS):
        return
    raise NotAReportError(
        "not an inspection report: found no ratings summary, standard sections or "
        "inspection annex of a youth justice inspection", error="not_a_report")


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"
