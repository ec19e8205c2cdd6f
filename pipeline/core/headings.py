"""What a heading's text says it heads: a major section ('Foreword',
'Annexe 2: Inspection results'), a domain ('2. Court disposals') or a
standard ('2.1. Assessment'), from patterns/headings.json and the
frameworks' standard names (core.rules).

One classifier serves both sides of the Document: ingest uses it to tell a
heading among the lines of a text export (which has no heading markup), and
segment uses it to decide which kind of section a HEADING block opens.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from pipeline.core import rules
from pipeline.core.document import Cell
from pipeline.core.patterns import load
from pipeline.core.records import normalise_rating
from pipeline.core.text import strip_trailing_marker

HEADING_MAX = 90  # characters: a longer line is text, not a heading
# a printed standard name is the framework's at this similarity (rapidfuzz ratio),
# or, for a name that wraps onto the next line, a prefix of it at the second
NAME_SIMILARITY, WRAPPED_NAME_SIMILARITY, WRAPPED_NAME_MIN = 85, 95, 10

# the level a heading of each kind has where the format gives none (a text export)
LEVELS = {"domain": 2, "standard": 3}


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    h = load("headings")
    # one pattern, a named group per kind, in file order: an alternation
    # tries its branches in order, so the first kind that matches wins, as
    # testing the kinds one by one would, at one call per line
    major = re.compile("^(?:" + "|".join(rf"(?P<{kind}>{'|'.join(alts)})" for kind, alts in h["major"].items())
                       + ")$", re.I)
    return {
        "major": major,
        "domain": re.compile(rf"^{h['domain']}$", re.I),
        "standard": re.compile(rf"^{h['standard']}$", re.I),
    }


@lru_cache(maxsize=32768)
def classify_heading(text: str) -> tuple[str, dict[str, str]] | None:
    """(kind, info) when `text` is a heading's whole text, else None. info
    holds 'domain', and for a standard 'standard' and its printed 'name'.
    Cached: ingest and segment both ask of the same lines (the info is not
    to be changed)."""
    if len(text.strip()) > HEADING_MAX + 3:
        return None  # a marker is at most 3 digits: longer than any heading even without one
    rx = _compiled()
    clean = strip_trailing_marker(text)
    if not clean or len(clean) > HEADING_MAX:
        return None
    m = rx["major"].match(clean)
    if m:
        return m.lastgroup or "", {}
    m = rx["domain"].match(clean)
    if m:
        return "domain", {"domain": m.group("n"), "name": m.group("name")}
    m = rx["standard"].match(clean)
    if m:
        code, name = m.group("code"), m.group("name").strip()
        canon = rules.standard_names().get(code)
        if canon and max(fuzz.ratio(name.lower(), c) for c in canon) >= NAME_SIMILARITY:
            return "standard", {"domain": code[0], "standard": code, "name": name}
        # a heading that wraps: '3.4. Out-of-court disposal' + 'policy and provision'
        if canon and len(name) >= WRAPPED_NAME_MIN \
                and max(fuzz.partial_ratio(name.lower(), c) for c in canon) >= WRAPPED_NAME_SIMILARITY:
            return "standard", {"domain": code[0], "standard": code, "name": name}
    return None


def heading_level(kind: str) -> int:
    return LEVELS.get(kind, 1)


_STANDARD_CODE = re.compile(r"^[1-4]\.[1-4]\.?$")


def row_heading(cells: tuple[Cell, ...]) -> tuple[str, dict[str, str]] | None:
    """A table row that opens a standard: its code in the first cell and the
    standard's name at the start of the next, with the description (and the
    rating) beside it, as annex result tables print a standard's row."""
    filled = [c.text.strip() for c in cells if c.text.strip()]
    if len(filled) < 2 or not _STANDARD_CODE.match(filled[0]):
        return None
    code = filled[0].rstrip(".")
    names = sorted(rules.standard_names().get(code, ()), key=len, reverse=True)
    name = next((filled[1][:len(n)] for n in names if filled[1].lower().startswith(n)), None)
    return classify_heading(f"{code}. {name}") if name else None


ANNEX_KINDS = {"annex_methodology", "annex_results", "annex_other"}


class HeadingTracker:
    """Which kind of section each heading opens, read in order: a heading's
    own kind, but for two rules of place. The ratings summary lists domains
    and standards (and a bare 'Overall rating' label) as rows, so on its
    page and the next they open nothing; and under the annex's results, a
    domain or standard heading opens an annex part, not a chapter.

    Segment cuts sections with it; the text reader (ingest) uses it to know
    which kind of table a run of lines may hold."""

    def __init__(self) -> None:
        self.kind = "front"
        self.page: int | None = None  # where the open section started
        self.in_annex_results = False

    def opens(self, text: str, page: int) -> tuple[str, dict[str, str]] | None:
        """The kind of section (and its info) a heading's text opens here,
        or None; the tracker moves into it."""
        heading = classify_heading(text) if text else None
        if heading is None:
            return None
        kind, info = heading
        if self.kind == "ratings_summary" and kind in ("domain", "standard", "ratings_summary") \
                and page - (self.page if self.page is not None else page) <= 1:
            return None
        if kind in ANNEX_KINDS:
            self.in_annex_results = kind == "annex_results"
        elif self.in_annex_results and kind in ("domain", "standard"):
            kind = "annex_domain" if kind == "domain" else "annex_standard"
        elif kind not in ("domain", "standard"):
            self.in_annex_results = False
        self.kind, self.page = kind, page
        return kind, info


@lru_cache(maxsize=1)
def _rating_label() -> re.Pattern[str]:
    return re.compile(load("headings")["rating_label"], re.I)


def ratings_in(text: str) -> list[tuple[str, int | None, int]]:
    """(rating, glued footnote marker, start) for each rating label a line prints."""
    found = []
    for m in _rating_label().finditer(text):
        label = normalise_rating(m.group("label"))
        if label:
            marker = int(m.group("marker")) if m.group("marker") else None
            found.append((label, marker, m.start()))
    return found
