"""Which service a report is about: its name as printed, its area, the kind
of service (from the vocabulary in patterns/identity.json) and a service_key
that is the same for the service in every file and every year."""
from __future__ import annotations

from typing import Any

import re
import unicodedata
from functools import lru_cache

from pipeline.core.document import Line, SegmentedReport
from pipeline.core.records import ServiceIdentity
from pipeline.core.patterns import load


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, Any]:
    spec = load("identity")
    kinds = []
    every_word: list[str] = []
    for kind in spec["service_types"]:
        words = [*kind["phrases"], *kind["abbreviations"]]
        every_word += words
        kinds.append((kind["type"], re.compile(
            # a glued footnote number may follow: 'Youth Offending Service2'
            rf"(?<![\w&]){spec['qualifiers']}(?:{'|'.join(words)})(?![A-Za-z&])", re.I)))
    return {
        "kinds": kinds,
        "any": re.compile(rf"(?<![\w&])(?:the\s+)?{spec['qualifiers']}(?:{'|'.join(every_word)})(?![A-Za-z&])",
                          re.I),
        "abbreviation": re.compile(spec["abbreviation_in_brackets"]),
        "leading": re.compile(spec["leading_words"], re.I),
        "titles": [re.compile(form, re.I) for form in spec["title_forms"]],
        "prefix": re.compile(spec["name_prefixes"], re.I),
    }


def service_kind(name: str) -> tuple[str | None, int | None]:
    """(type, where the service words start in `name`): the first phrase of
    the vocabulary in the name, the longest where two start at one place."""
    best = None
    for code, pattern in _vocabulary()["kinds"]:
        m = pattern.search(name)
        if m and (best is None or (m.start(), -len(m.group())) < (best[1], -best[2])):
            best = (code, m.start(), len(m.group()))
    return (best[0], best[1]) if best else (None, None)


def service_words() -> re.Pattern[str]:
    """The service words of any kind of service ('the YOS', 'Youth Justice
    Team', 'Combined Youth Justice Service'), from patterns/identity.json."""
    pattern: re.Pattern[str] = _vocabulary()["any"]
    return pattern


def area_of(name: str) -> str | None:
    """'Anyshire Youth Justice Service (YJS)' -> 'Anyshire';
    None when the name holds no area ('the YOS')."""
    vocabulary = _vocabulary()
    bare = vocabulary["abbreviation"].sub("", name).strip()
    _, start = service_kind(bare)
    area = bare[:start] if start is not None else bare
    area = vocabulary["leading"].sub("", area.strip(" ,-:")).strip(" ,-:")
    return area or None


def service_key(area: str | None) -> str | None:
    """Lower-case ASCII slug of the area: 'Upton & Downley' -> 'upton-and-downley'."""
    if not area:
        return None
    text = unicodedata.normalize("NFKD", area).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['\u2019]", "", text.replace("&", " and "))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or None


# lines at the top of a report where its title is printed (a cover, a web page's heading)
OPENING_LINES = 30


def opening_lines(report: SegmentedReport) -> list[Line]:
    """The report's first lines, where its title is printed."""
    out: list[Line] = []
    for section in report.sections:
        out += section.lines[:OPENING_LINES - len(out)]
        if len(out) >= OPENING_LINES:
            break
    return out


def title_area(report: SegmentedReport) -> str | None:
    """The area a title form names ('An inspection of youth justice
    services in <area>'), on one opening line or wrapped over two."""
    lines = [line.text.strip() for line in opening_lines(report)]
    for i, text in enumerate(lines):
        for candidate in (text, f"{text} {lines[i + 1]}" if i + 1 < len(lines) else ""):
            for form in _vocabulary()["titles"]:
                m = form.match(candidate)
                if m and (area := area_of(m.group("area"))):
                    return area
    return None


def printed_name(line: str) -> str:
    """A ratings table's header as a service name: title words before the
    name ('Work with children and victims in ...') and header words after
    its service words ('... YJS Rating') are not part of it."""
    vocabulary = _vocabulary()
    name: str = vocabulary["prefix"].sub("", re.sub(r"\s+", " ", line).strip(" :-"))
    _, start = service_kind(name)
    if start is None:
        return name
    words = vocabulary["any"].search(name, start)
    end = words.end() if words else len(name)
    abbreviation = vocabulary["abbreviation"].match(name, end)
    return name[:abbreviation.end() if abbreviation else end].strip()


def _names_in_text(report: SegmentedReport) -> list[str]:
    """Service names as the first sections print them, in order."""
    head = " ".join(l.text for s in report.sections[:4] for l in s.lines)
    # case-sensitive: names are capitalised
    return [m.group("name").strip() for m in re.finditer(load("report")["service_name"], head)]


def service_identity(service_line: str | None, report: SegmentedReport) -> ServiceIdentity:
    """service_name as printed on the ratings page (else the first full
    service name in the text), its area, type and service_key. The ratings
    page's name wins over the words the body uses ('YOT' in a YOS report)."""
    name = printed_name(service_line) if service_line else None
    area = area_of(name) if name else None
    if name is None or area is None:
        # no name on the ratings page, or one printed in full with no area in
        # it: the title's area, else the text's own '<area> YOS', names it
        in_text = _names_in_text(report)
        name = name or next(iter(in_text), None)
        area = title_area(report) or next((a for a in map(area_of, in_text) if a), None)
    service_type = service_kind(name)[0] if name else None
    return ServiceIdentity(service_name=name, area=area, service_type=service_type, service_key=service_key(area))
