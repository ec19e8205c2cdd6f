"""A printed label made comparable: footnote markers and a rating a text
export glued before it taken off (`clean_label`), and how alike two printed
question texts are (`question_similarity`), which pairs a question across
tables by its text."""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline.core.patterns import load
from pipeline.core.text import strip_trailing_marker

_SPACED_QUESTION_MARKER = re.compile(r"\?\s+\d{1,3}$")


@lru_cache(maxsize=1)
def _displaced_rating() -> re.Pattern[str]:
    # a heading box's rating glued before the first question by a raw text export
    h = load("headings")
    return re.compile(rf"^{h['rating_label']}\s+(?={h['question_start']})")


def clean_label(text: str) -> str:
    """A label without a rating glued before it or a footnote marker after
    it, glued ('safe?15') or spaced after the question mark ('safe? 15': a
    label's own text, its values already taken, never ends in a number)."""
    text = text.strip()
    if text[-1:].isdigit():  # the cheap test first: clean_label runs on every line of every table
        text = _SPACED_QUESTION_MARKER.sub("?", text)
    return strip_trailing_marker(_displaced_rating().sub("", text))


def question_similarity(a: str, b: str) -> float:
    """0-100: how alike two printed question texts are (markers, case and
    punctuation ignored)."""
    return fuzz.ratio(_question_key(a), _question_key(b))


def _question_key(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", clean_label(text).lower().replace("-", " "))
