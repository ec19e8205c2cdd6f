"""Where a report explains a standard's rating in its own words (a footnote on
the rating, the standard's section, or its domain chapter's introduction),
find that text with spaCy Matcher patterns kept in patterns/discretion.json.

Returned for every standard that has such text; validate decides whether a
divergence needs it. Generic methodology text is never searched: only text
tied to the standard.
"""
from __future__ import annotations


import re
from functools import lru_cache

from pipeline.core.document import SegmentedReport
from pipeline.core.records import Explanation
from pipeline.core.nlp import matcher_for
from pipeline.core.patterns import load
from pipeline.core.text import JoinedText, footnote_markers
from pipeline.extract.ratings import PublishedRatings

PATTERN_FILE = "discretion"  # the Matcher patterns this module runs

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z'\"(])")


def sentences(text: str) -> list[str]:
    return [sentence for sentence, _ in sentences_at(text)]


def sentences_at(text: str) -> list[tuple[str, int]]:
    """(sentence, offset in `text`) for each sentence."""
    out, start = [], 0
    for end in [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        chunk = text[start:end]
        if chunk.strip():
            out.append((chunk.strip(), start + len(chunk) - len(chunk.lstrip())))
        start = end
    return out


@lru_cache(maxsize=1)
def _discretion_first_word() -> re.Pattern[str]:
    """Any lowercase word a DISCRETION pattern can start with (read from the
    pattern file), as a whole word, so spaCy only sees sentences that could match."""
    words: set[str] = set()
    for pattern in load(PATTERN_FILE)["DISCRETION"]:
        lower = pattern[0]["LOWER"]
        words.update(lower["IN"] if isinstance(lower, dict) else [lower])
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


@lru_cache(maxsize=4096)
def _labels(sentence: str) -> frozenset[str]:
    nlp, matcher = matcher_for(PATTERN_FILE)
    doc = nlp.make_doc(sentence)
    return frozenset(nlp.vocab.strings[match_id] for match_id, _, _ in matcher(doc))


def _explains(sentence: str) -> bool:
    if not _discretion_first_word().search(sentence.lower()):
        return False
    return "DISCRETION" in _labels(sentence)


def explaining_sentences(text: str, must_mention: str | None = None) -> list[tuple[str, int]]:
    """(sentence, offset) of the sentences that explain a rating decision;
    with `must_mention`, those about that standard (the sentence or the one
    before names it)."""
    parts = sentences_at(text)
    return _select(parts, [_explains(sentence) for sentence, _ in parts], must_mention)


def _select(parts: list[tuple[str, int]], explains: list[bool],
            must_mention: str | None) -> list[tuple[str, int]]:
    found = []
    name = must_mention.lower() if must_mention else None
    for i, (sentence, offset) in enumerate(parts):
        if not explains[i]:
            continue
        if name:
            if name in sentence.lower():
                found.append((sentence, offset))
            elif i and name in parts[i - 1][0].lower():
                found.extend([parts[i - 1], (sentence, offset)])
            continue
        found.append((sentence, offset))
    return found


def _quote_footnote(text: str) -> str | None:
    """The footnote without its generic sentences, when it explains anything."""
    parts = sentences(text)
    if not any(_explains(s) for s in parts):
        return None
    kept = [s for s in parts if "BOILERPLATE" not in _labels(s)]
    return " ".join(kept) or None


def find_explanations(report: SegmentedReport, published: PublishedRatings) -> dict[str, Explanation]:
    """{standard: Explanation} for each standard the report explains;
    priority: a footnote tied to the rating, the section, the domain
    introduction."""
    out: dict[str, Explanation] = {}
    sections = {s.standard: s for s in report.of_kind("standard") if s.standard}
    annex = {s.standard: s for s in report.of_kind("annex_standard") if s.standard}
    summary = published.summary
    introductions: dict[int, tuple[JoinedText, list[tuple[str, int]], list[bool]]] = {}
    for code, section in sections.items():
        markers: list[int] = []
        for source in (published.section, published.annex,
                       summary.standards if summary else {}):
            rating = source.get(code)
            if rating and rating.marker:
                markers.append(rating.marker)
        for block in (section, annex.get(code)):
            if block:
                markers.extend(n for l in block.lines for n in footnote_markers(l.text))
        for number in dict.fromkeys(markers):
            note = report.footnotes.get(number)
            quote = _quote_footnote(note.text) if note else None
            if note and quote:
                out[code] = Explanation(quote, note.page, f"footnote {number}")
                break
        if code in out:
            continue
        body = section.joined_body
        found = explaining_sentences(body.text)
        if found:
            out[code] = Explanation(" ".join(s for s, _ in found), body.page_at(found[0][1]), "section")
            continue
        for intro in report.sections:
            if intro.kind in ("domain", "summary_domain") and intro.domain == section.domain:
                name = re.sub(r"^[\d.]+\s*", "", section.title).strip()
                if id(intro) not in introductions:  # read once for all the domain's standards
                    joined = intro.joined_body
                    parts = sentences_at(joined.text)
                    introductions[id(intro)] = joined, parts, [_explains(sentence) for sentence, _ in parts]
                joined, parts, explains = introductions[id(intro)]
                found = _select(parts, explains, name)
                if found:
                    out[code] = Explanation(" ".join(s for s, _ in found), joined.page_at(found[-1][1]),
                                            f"{intro.title} introduction")
                    break
    return out
