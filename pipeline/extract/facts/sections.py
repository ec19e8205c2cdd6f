"""Where the facts are: the contextual-facts and caseload sections whole,
and the data box at the top of a standard or domain section (up to 'In
making a judgement ...' / 'Our rating ...', or from a box heading to the
first line of prose)."""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.core.document import Line, Section
from pipeline.core.text import strip_markers
from pipeline.extract.facts.values import parse_value_token, prepare
from pipeline.extract.facts.vocabulary import normalise, pattern, vocabulary


def has_number(text: str) -> bool:
    tokens = prepare(text).split()
    return bool(tokens) and (parse_value_token(tokens[0]) is not None or parse_value_token(tokens[-1]) is not None)


def box_lines(section: Section) -> list[Line]:
    """The data-box part of a standard or domain section: from the top to
    'In making a judgement ...' / 'Our rating ...', or, without those, from a
    box heading to the first line of prose."""
    vocab = vocabulary()
    lines = section.lines[1:]
    if section.kind == "standard":
        end = first_line_matching(vocab["box_end"], lines)
        if end is not None:
            box = lines[:end]
            # the standard's descriptor and rating come first, above the box's
            # first figure (a wrapped note may end in a rating word: 'YJB' / 'Good' / 'Practice')
            top = next((j for j, l in enumerate(box) if _is_box_heading(l.text)),
                       next((j for j, l in enumerate(box) if has_number(l.text)), len(box)))
            rated = [j for j, l in enumerate(box[:top]) if vocab["rating_end"].search(l.text.strip())]
            return box[rated[-1] + 1:] if rated else box
    start = next((i for i, line in enumerate(lines) if _is_box_heading(line.text)), None)
    if start is None and section.kind == "standard":
        # no 'In making a judgement': what follows the rating, up to prose
        start = next((i + 1 for i, l in enumerate(lines[:12]) if vocab["rating_end"].search(l.text.strip())), None)
        head = [l.text for l in lines[start:] if l.text.strip()][:3] if start is not None else []
        if not any(has_number(prepare(t)) for t in head):
            return []  # prose follows the rating: no data box
    if start is None:
        return []
    out = []
    for later in lines[start:start + 30]:
        if is_prose(later.text) or vocab["box_end"].search(later.text):
            break
        out.append(later)
    return out


def _is_box_heading(text: str) -> bool:
    """'Key data', 'Key staffing data' (with a footnote marker or not)."""
    return not _longer_than_any_heading().search(text) \
        and normalise(strip_markers(text)) in vocabulary()["box_headings"]


@lru_cache(maxsize=1)
def _longer_than_any_heading() -> re.Pattern[str]:
    """Finds more letters than the longest box heading has characters. Such
    a line is no heading: stripping markers and normalising never remove a
    letter, so its normalised text would be longer than every heading."""
    longest = max(map(len, vocabulary()["box_headings"]), default=0)
    return re.compile(r"(?:[^\W\d_][\W\d_]*)" + f"{{{longest + 1}}}")


def first_line_matching(regex: re.Pattern[str], lines: list[Line]) -> int | None:
    """Index of the first line `regex` finds something in. One search over
    the lines joined by NUL, which no phrase of box_end can match across
    (it has no anchors and no pattern that matches NUL); per line when a
    line holds a NUL itself."""
    joined = "\0".join(line.text for line in lines)
    if joined.count("\0") != max(len(lines) - 1, 0):
        return next((i for i, line in enumerate(lines) if regex.search(line.text)), None)
    found = regex.search(joined)
    return None if found is None else joined.count("\0", 0, found.start())


def is_prose(text: str) -> bool:
    words = text.split()
    sentence = text.rstrip().endswith((".", ":")) or pattern("sentence_inside").search(text)
    return len(words) >= 10 and bool(sentence)


def section_name(section: Section) -> str:
    if section.kind == "standard":
        return f"standard {section.standard}"
    if section.kind == "domain":
        return f"domain {section.domain}"
    return section.kind


def fact_lines(section: Section) -> list[Line]:
    """The lines of a section that hold facts (none for other sections)."""
    if section.kind in ("contextual_facts", "caseload"):
        return section.lines[1:]
    if section.kind in ("standard", "domain"):
        return box_lines(section)
    return []
