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

import re
from functools import lru_cache

from .document import Document, Section
from .errors import NotAReportError
from .patterns import load

# the youth wording must be this frequent when no youth domain heading is found
MIN_YOUTH_MENTIONS = 5
# another kind's words must be at least this frequent (a passing mention is not a kind)
MIN_OTHER_MENTIONS = 2
# words are counted on the pages where a report says what it is (cover, foreword,
# ratings, summaries): enough to tell, and the cost does not grow with the report
PAGES_READ = 12


@lru_cache(maxsize=1)
def _compiled() -> dict:
    data = load("report_kind")

    def any_of(alternatives: list[str]) -> re.Pattern:
        return re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)

    return {
        "youth": any_of(data["youth_wording"]),
        "domains": re.compile(data["youth_domains"], re.I),
        "other": {kind: any_of(words) for kind, words in data["other_kinds"].items()},
    }


def check_youth_justice_report(sections: list[Section], document: Document) -> None:
    """Raise NotAReportError: `not_a_youth_justice_report` for another kind of
    inspection report, `not_a_report` for anything else."""
    rx = _compiled()
    lines = [line for page in document.pages for line in page.lines]
    text = "\n".join(line for page in document.pages[:PAGES_READ] for line in page.lines)
    youth = len(rx["youth"].findall(text))
    others = {kind: rx["other"][kind].findall(text) for kind in rx["other"]}
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
    youth_domains = any(rx["domains"].match(line) for line in lines)
    if structured and youth and (youth_domains or youth >= MIN_YOUTH_MENTIONS):
        return
    raise NotAReportError(
        "not an inspection report: found no ratings summary, standard sections or "
        "inspection annex of a youth justice inspection", error="not_a_report")


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"
