"""Running headers and footers recognised by what they are, whatever the
format: a short text that repeats through the document with a number that
counts up ("Inspection of youth offending services: Anytown 11", "Anytown
inspection | Page 12", "Inspection of youth offending services in
Anyshire 7"). Converters keep a PDF's footers as lines of their text or
paragraphs of their Markdown, where nothing else marks them; read as body,
one would be a fact whose value is the page number.

The test is over texts in document order (a text export's lines, a
structured reader's paragraphs): the texts that, with their page number
masked, are the same, and whose numbers rise by small steps in at least
MIN_REPEATS of them. A quoted running line out of the sequence is not one.
"""
from __future__ import annotations

import re

MIN_REPEATS = 3   # occurrences of one running text, counting up, that make it furniture
MAX_STEP = 5      # pages between two occurrences (a page whose footer merged with other text is skipped)
MIN_CHARS, MAX_CHARS = 12, 120
MAX_STARTS = 20   # occurrences a count may start at (bounds the work on a long document)
MIN_LETTERS = 8

_PAGE_WORD = re.compile(r"\bpage\s+(\d{1,3})\b", re.I)
# a page number stands apart from the word before it ('Anytown 11', '| 11'): one glued to it is a footnote's
# marker ('Our rating17', repeated in each standard under markers that count up)
_TRAILING = re.compile(r"(?<=[^\w.,:/-])(\d{1,3})$")
_LEADING = re.compile(r"^(\d{1,3})\s+(?=[A-Za-z])")
_LETTER = re.compile(r"[A-Za-z]")


def page_mark(text: str, whole: bool = False) -> tuple[str, int] | None:
    """The text with its page number masked, and the number, when the text
    could be a running line: short, mostly words, a number at its end (or
    after "Page"), or, for a `whole` text (a paragraph, not a line that may
    wrap on), at its start when the text is no sentence: a footnote starts
    with its number too, and one note's text may repeat under numbers that
    count up ("15 The rating for the standard is driven by ... band."), but
    a whole note is a sentence and ends like one; its first line need not."""
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        return None
    m = None
    if text[-1:].isdigit() or "page" in text.lower():
        m = _PAGE_WORD.search(text) or _TRAILING.search(text)
    elif whole and text[:1].isdigit() and not text.rstrip().endswith((".", "?", ":", ";", ",")):
        m = _LEADING.match(text)  # '10 Inspection of youth offending services: Anytown YOS': no sentence
    if m is None or len(_LETTER.findall(text)) < MIN_LETTERS:
        return None
    masked = f"{text[:m.start(1)]}#{text[m.end(1):]}"
    return " ".join(masked.lower().split()), int(m.group(1))


def running_texts(texts: list[str], whole: bool = False) -> set[int]:
    """The indexes of `texts` that are running furniture (`whole`: each text
    is a paragraph, not a line)."""
    groups: dict[str, list[tuple[int, int]]] = {}
    for index, text in enumerate(texts):
        mark = page_mark(text, whole)
        if mark is not None:
            groups.setdefault(mark[0], []).append((index, mark[1]))
    found: set[int] = set()
    for occurrences in groups.values():
        if len(occurrences) >= MIN_REPEATS:
            chain = _counting(occurrences)
            if len(chain) >= MIN_REPEATS:
                found.update(chain)
    return found


def _counting(occurrences: list[tuple[int, int]]) -> list[int]:
    """The longest run of occurrences (in order) whose numbers rise by 1 to
    MAX_STEP from one to the next."""
    best: list[int] = []
    for start in range(min(len(occurrences), MAX_STARTS)):
        if len(occurrences) - start <= len(best):
            break
        chain = [occurrences[start][0]]
        last = occurrences[start][1]
        for index, number in occurrences[start + 1:]:
            if last < number <= last + MAX_STEP:
                chain.append(index)
                last = number
        if len(chain) > len(best):
            best = chain
    return best
