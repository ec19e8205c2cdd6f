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

from ..document import SegmentedReport
from ..nlp import matcher_for
from ..patterns import load
from ..text import footnote_markers, join_wrapped

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z'\"(])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


@lru_cache(maxsize=1)
def _discretion_first_words() -> frozenset[str]:
    """The lowercase words a DISCRETION pattern can start with (read from the
    pattern file), so spaCy only sees sentences that could match."""
    words: set[str] = set()
    for pattern in load("discretion")["DISCRETION"]:
        lower = pattern[0]["LOWER"]
        words.update(lower["IN"] if isinstance(lower, dict) else [lower])
    return frozenset(words)


@lru_cache(maxsize=4096)
def _labels(sentence: str) -> frozenset[str]:
    nlp, matcher = matcher_for("discretion")
    doc = nlp.make_doc(sentence)
    return frozenset(nlp.vocab.strings[match_id] for match_id, _, _ in matcher(doc))


def _explains(sentence: str) -> bool:
    if not set(re.findall(r"[a-z0-9]+", sentence.lower())) & _discretion_first_words():
        return False
    return "DISCRETION" in _labels(sentence)


def explaining_sentences(text: str, must_mention: str | None = None) -> list[str]:
    """Sentences that explain a rating decision; with `must_mention`, keep
    those about that standard (the sentence or the one before names it)."""
    found = []
    parts = sentences(text)
    for i, sentence in enumerate(parts):
        if not _explains(sentence):
            continue
        if must_mention:
            before = parts[i - 1] if i else ""
            name = must_mention.lower()
            if name in sentence.lower():
                found.append(sentence)
            elif name in before.lower():
                found.extend([before, sentence])
            continue
        found.append(sentence)
    return found


def _quote_footnote(text: str) -> str | None:
    """The footnote without its generic sentences, when it explains anything."""
    parts = sentences(text)
    if not any(_explains(s) for s in parts):
        return None
    kept = [s for s in parts if "BOILERPLATE" not in _labels(s)]
    return " ".join(kept) or None


def find_explanations(report: SegmentedReport, published: dict) -> dict[str, dict]:
    """{standard: {'text', 'page', 'where'}} for each standard the report
    explains; priority: a footnote tied to the rating, the section, the
    domain introduction. `published` is extract_published_ratings' result."""
    out: dict[str, dict] = {}
    sections = {s.standard: s for s in report.of_kind("standard")}
    annex = {s.standard: s for s in report.of_kind("annex_standard")}
    summary = published["summary"]
    for code, section in sections.items():
        markers: list[int] = []
        for source in (published["section"], published["annex"],
                       summary.standards if summary else {}):
            rating = source.get(code)
            if rating and rating.marker:
                markers.append(rating.marker)
        for block in (section, annex.get(code)):
            if block:
                markers.extend(n for l in block.lines for n in footnote_markers(l.text))
        for number in dict.fromkeys(markers):
            note = report.footnotes.get(number)
            quote = note and _quote_footnote(note.text)
            if quote:
                out[code] = {"text": quote, "page": note.page, "where": f"footnote {number}"}
                break
        if code in out:
            continue
        body = join_wrapped([l.text for l in section.lines[1:]])
        found = explaining_sentences(body)
        if found:
            page = _page_of(section.lines, found[0])
            out[code] = {"text": " ".join(found), "page": page, "where": "section"}
            continue
        for intro in report.sections:
            if intro.kind in ("domain", "summary_domain") and intro.domain == section.domain:
                name = re.sub(r"^[\d.]+\s*", "", section.title).strip()
                found = explaining_sentences(join_wrapped([l.text for l in intro.lines[1:]]), name)
                if found:
                    out[code] = {"text": " ".join(found), "page": _page_of(intro.lines, found[-1]),
                                 "where": f"{intro.title} introduction"}
                    break
    return out


def _page_of(lines, sentence: str) -> int | None:
    """Page of the line where the quoted sentence's first words are."""
    probe = " ".join(sentence.split()[:5])
    words = probe.split()
    for i, line in enumerate(lines):
        window = " ".join(l.text for l in lines[i:i + 2])
        if all(w in window for w in words[:3]) and probe[:20] in re.sub(r"\s+", " ", window):
            return line.page
    return lines[0].page if lines else None
