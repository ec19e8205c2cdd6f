"""spaCy, blank English tokenizer only (no trained model is needed or
downloadable), with Matchers built from token patterns kept as data in
patterns/<name>.json ({label: [token-pattern, ...]}). Built once per process."""
from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from pipeline.core.patterns import load


@lru_cache(maxsize=1)
def blank_nlp() -> Any:  # a spacy Language (spaCy ships no stubs)
    import spacy  # lazy: importing spaCy costs ~1 s, only paid when used

    return spacy.blank("en")


@cache
def matcher_for(pattern_file: str) -> tuple[Any, Any]:
    """(nlp, Matcher) for the patterns in patterns/<pattern_file>.json; keys
    starting with '_' are comments."""
    from spacy.matcher import Matcher

    nlp = blank_nlp()
    matcher = Matcher(nlp.vocab)
    for label, patterns in load(pattern_file).items():
        if not label.startswith("_"):
            matcher.add(label, patterns)
    return nlp, matcher
