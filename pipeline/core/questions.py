"""Each framework's own key questions and prompts (patterns/questions.json),
and the anchoring of a printed row to them.

A printed key-question or prompt row is anchored by its printed code
("2.1.1", a prompt's "a") or by its text, matched with rapidfuzz to the
framework's wordings at the threshold and margin the data file states, and
is numbered by the framework, never by its position in a table. A code
whose text reads as another question is a Conflict, never trusted; a text
that matches nothing, or two questions nearly alike, gives None, so that the
caller records a finding instead of a shifted number.

Pure functions over the data file; core.rules stays the one owner of
patterns/standards.json.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import fuzz

from pipeline.core.patterns import load
from pipeline.core.text import strip_markers

PATTERN_FILE = "questions"
CODE = "code"
TEXT = "text"


@dataclass(frozen=True)
class FrameworkQuestion:
    """One key question (code '2.1.1', theme) or prompt (code 'a', no theme)
    of a framework; `forms` are its normalised wordings (canonical first)."""
    code: str
    text: str | None
    theme: str | None
    forms: tuple[str, ...]
    prompts: tuple[FrameworkQuestion, ...] = ()


@dataclass(frozen=True)
class Anchor:
    """A printed row placed in the framework: `index` is the question's
    1-based place in the framework's list (key question n of the standard,
    prompt n of the key question), `code` its code ('2.1.1') or letter ('a'),
    `text` and `theme` the framework's. `score` is the printed text's
    similarity (0-100) to it, None when no text was printed; `how` is 'code'
    (the printed code, consistent with the text) or 'text'."""
    framework: str
    standard: str
    key_question: int | None  # a prompt's key question (its index); None for a key question
    index: int
    code: str
    text: str | None
    theme: str | None
    score: float | None
    how: str


@dataclass(frozen=True)
class Conflict:
    """A printed code the text does not bear out: `by_code` is the question
    the code names (None: not a code of the standard), `by_text` the one the
    text matches (None: none clearly). `reason` is one line for a finding."""
    printed_code: str
    by_code: Anchor | None
    by_text: Anchor | None
    reason: str


@dataclass(frozen=True)
class _Settings:
    threshold: float
    margin: float
    prefix_min_words: int
    replacements: tuple[tuple[re.Pattern[str], str], ...]
    label: re.Pattern[str]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return load(PATTERN_FILE)


@lru_cache(maxsize=1)
def _settings() -> _Settings:
    match = _data()["match"]
    rules = _data()["normalise"]["replacements"]
    return _Settings(threshold=float(match["threshold"]), margin=float(match["margin"]),
                     prefix_min_words=int(match["prefix_min_words"]),
                     replacements=tuple((re.compile(pattern), repl) for pattern, repl in rules),
                     label=re.compile(_data()["normalise"]["label"], re.IGNORECASE))


def normalise_question(text: str) -> str:
    """The form texts are compared in: glued footnote markers removed,
    lower-case, then the data file's replacements in order (quotes straight,
    a leading code or letter dropped, the wording families made one)."""
    text = strip_markers(text).lower()
    for pattern, replacement in _settings().replacements:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _question(entry: dict[str, Any], theme: bool) -> FrameworkQuestion:
    text = entry.get("text")
    wordings = [text] if text else []
    wordings += [variant["text"] for variant in entry.get("variants", [])]
    prompts = tuple(_question(prompt, theme=False) for prompt in entry.get("prompts", []))
    return FrameworkQuestion(code=entry.get("code") or entry["letter"], text=text,
                             theme=entry.get("theme") if theme else None,
                             forms=tuple(dict.fromkeys(normalise_question(w) for w in wordings)), prompts=prompts)


@cache
def _standards(framework: str) -> dict[str, tuple[FrameworkQuestion, ...]]:
    standards = _data()["frameworks"].get(framework, {}).get("standards", {})
    return {code: tuple(_question(entry, theme=True) for entry in entries)
            for code, entries in standards.items()}


def question_frameworks() -> list[str]:
    """The frameworks the data file knows (some with codes only)."""
    return [name for name in _data()["frameworks"] if not name.startswith("_")]


def key_questions(framework: str, standard: str) -> tuple[FrameworkQuestion, ...]:
    """The standard's key questions in the framework's order; empty when the
    data file has none for it (a qualitative standard, an unknown one)."""
    return _standards(framework).get(standard, ())


def prompts(framework: str, standard: str, key_question_index: int) -> tuple[FrameworkQuestion, ...]:
    """The prompts of key question `key_question_index` (1-based) of the standard."""
    questions = key_questions(framework, standard)
    if not 1 <= key_question_index <= len(questions):
        return ()
    return questions[key_question_index - 1].prompts


def _truncated(text: str) -> bool:
    """A question whose '?' is not printed was cut (at a page break, a cell
    edge): normalising keeps the '?'."""
    return "?" not in text


def similarity(printed: str, question: FrameworkQuestion) -> float:
    """The best rapidfuzz ratio of a normalised printed text to any wording of
    the question. A truncated text is also compared word by word (a cut
    'keep other' is not 'keep the': as characters they are alike) with the
    same number of words from each wording's beginning, if it holds at least
    prefix_min_words (the same for every wording, so that a beginning many
    questions share scores alike for all of them)."""
    best = 0.0
    words = printed.split() if _truncated(printed) else []
    if len(words) < _settings().prefix_min_words:
        words = []
    for form in question.forms:
        best = max(best, fuzz.ratio(printed, form))
        if words:
            best = max(best, fuzz.ratio(words, form.split()[:len(words)]))
    return best


@dataclass(frozen=True)
class _Place:
    """Where a question sits in its framework: the standard, for a prompt its
    key question's index, and its own 1-based index."""
    standard: str
    key_question: int | None
    index: int
    question: FrameworkQuestion


@cache
def _key_question_places(framework: str) -> tuple[_Place, ...]:
    return tuple(_Place(standard, None, i, question) for standard, questions in _standards(framework).items()
                 for i, question in enumerate(questions, 1))


@cache
def _prompt_places(framework: str) -> tuple[_Place, ...]:
    return tuple(_Place(kq.standard, kq.index, i, prompt) for kq in _key_question_places(framework)
                 for i, prompt in enumerate(kq.question.prompts, 1))


@cache
def _openings(framework: str) -> frozenset[str]:
    """The words the framework's wordings open with ('does', 'is', 'are', 'do')."""
    places = _key_question_places(framework) + _prompt_places(framework)
    return frozenset(form.split()[0] for place in places for form in place.question.forms if form)


def reads_as_question(framework: str, printed_text: str) -> bool:
    """Whether a text opens as the framework's questions do. The reports'
    prose paraphrases them ('Assessments focus on the child's strengths and
    protective factors' is 95 alike to a prompt) but does not open with
    'does' or 'is'."""
    text = normalise_question(printed_text)
    return bool(text) and text.split()[0] in _openings(framework)


def _anchor(framework: str, place: _Place, score: float | None, how: str) -> Anchor:
    question = place.question
    return Anchor(framework=framework, standard=place.standard, key_question=place.key_question,
                  index=place.index, code=question.code, text=question.text, theme=question.theme,
                  score=score, how=how)


def _rivals(place: _Place, pool: tuple[_Place, ...]) -> list[_Place]:
    """The framework's other questions, less those worded as this one (2.1.1
    and 3.1.1 are the same words: neither is the other's rival)."""
    own = set(place.question.forms)
    return [other for other in pool if other is not place and not own.intersection(other.question.forms)]


def _lead(place: _Place, scores: dict[int, float], pool: tuple[_Place, ...]) -> float:
    """How far the text's score for `place` is ahead of its best rival's."""
    return scores[id(place)] - max((scores[id(other)] for other in _rivals(place, pool)), default=0.0)


def _by_text(framework: str, targets: list[_Place], pool: tuple[_Place, ...],
             scores: dict[int, float]) -> Anchor | None:
    """The target the text is: at least the threshold, and ahead of every
    rival in the framework by the margin."""
    best = max(targets, key=lambda place: scores[id(place)])
    settings = _settings()
    if scores[id(best)] >= settings.threshold and _lead(best, scores, pool) >= settings.margin:
        return _anchor(framework, best, scores[id(best)], TEXT)
    return None


def _borne_out(framework: str, coded: _Place, pool: tuple[_Place, ...], scores: dict[int, float],
               by_text: Anchor | None, printed_code: str) -> Anchor | Conflict:
    """The question a printed code names, if its text reads as it: no other
    question matches clearly better, and it reaches the threshold."""
    settings = _settings()
    by_code = _anchor(framework, coded, scores[id(coded)], CODE)
    if by_text is not None and by_text.code != coded.question.code:
        return Conflict(printed_code, by_code, by_text, f"printed code {printed_code} but the text reads as"
                        f" {by_text.code} ({by_text.score:.0f} against {scores[id(coded)]:.0f})")
    rival = max(_rivals(coded, pool), key=lambda place: scores[id(place)], default=None)
    if rival is not None and scores[id(rival)] - scores[id(coded)] >= settings.margin:
        clear = scores[id(rival)] >= settings.threshold
        return Conflict(printed_code, by_code, _anchor(framework, rival, scores[id(rival)], TEXT) if clear else None,
                        f"the text under printed code {printed_code} reads as {rival.standard}"
                        f" {rival.question.code} ({scores[id(rival)]:.0f} against {scores[id(coded)]:.0f})")
    if scores[id(coded)] < settings.threshold:
        return Conflict(printed_code, by_code, None, f"the text under printed code {printed_code} does not read"
                        f" as it ({scores[id(coded)]:.0f})")
    return by_code


def _place(framework: str, targets: list[_Place], pool: tuple[_Place, ...], printed_code: str | None,
           printed_text: str | None) -> Anchor | Conflict | None:
    """Anchor a printed row to one of `targets` (the standard's key questions,
    or a key question's prompts): by its code when the text bears it out,
    else by its text alone."""
    text = normalise_question(printed_text) if printed_text else ""
    question = bool(text) and text.split()[0] in _openings(framework)
    scores = {id(place): similarity(text, place.question) for place in pool} if question else {}
    by_text = _by_text(framework, targets, pool, scores) if question else None
    if not printed_code:
        return by_text
    coded = next((place for place in targets if place.question.code.lower() == printed_code.lower()), None)
    if coded is None:
        return Conflict(printed_code, None, by_text, f"printed code {printed_code} is not one of {_where(targets)}")
    if not text or not coded.question.forms:  # nothing printed, or no wording known to check it by
        return _anchor(framework, coded, None, CODE)
    if not question:
        return Conflict(printed_code, _anchor(framework, coded, None, CODE), None,
                        f"the text under printed code {printed_code} is not a question")
    return _borne_out(framework, coded, pool, scores, by_text, printed_code)


def _where(targets: list[_Place]) -> str:
    first = targets[0]
    return f"{first.standard}'s" if first.key_question is None else (
        f"the prompts of {first.standard} key question {first.key_question}")


def _code_of(printed_code: str | None) -> str | None:
    """'2.1.1.' -> '2.1.1'; 'a)' / '(a)' / 'a.' -> 'a'."""
    if not printed_code:
        return None
    m = _settings().label.match(printed_code.strip())
    return m.group("code") if m else printed_code.strip()


def anchor_key_question(framework: str, standard: str, printed_code: str | None,
                        printed_text: str | None) -> Anchor | Conflict | None:
    """A printed key-question row of `standard` placed among the framework's
    key questions; None when the framework has none for the standard, or
    when no code is printed and the text matches none (or two nearly alike)."""
    pool = _key_question_places(framework)
    targets = [place for place in pool if place.standard == standard]
    if not targets:
        return None
    return _place(framework, targets, pool, _code_of(printed_code), printed_text)


def anchor_prompt(framework: str, standard: str, key_question_index: int, printed_label: str | None,
                  printed_text: str | None) -> Anchor | Conflict | None:
    """A printed prompt row under key question `key_question_index` (the
    framework's 1-based index, from anchor_key_question) placed among that
    key question's prompts; the anchor's `code` is the prompt's letter."""
    pool = _prompt_places(framework)
    targets = [place for place in pool if place.standard == standard and place.key_question == key_question_index]
    if not targets:
        return None
    return _place(framework, targets, pool, _code_of(printed_label), printed_text)


def key_questions_matching(framework: str, printed_text: str) -> list[Anchor]:
    """Every standard's key question the text anchors to, in the framework's
    order: tells a row printed under the wrong standard (which reads as a
    question of another) from one that is nobody's."""
    found = []
    for standard in _standards(framework):
        placed = anchor_key_question(framework, standard, None, printed_text)
        if isinstance(placed, Anchor):
            found.append(placed)
    return found


def _anchors_in(framework: str, standard: str, printed_text: str) -> bool:
    if isinstance(anchor_key_question(framework, standard, None, printed_text), Anchor):
        return True
    return any(isinstance(anchor_prompt(framework, standard, index, None, printed_text), Anchor)
               for index in range(1, len(key_questions(framework, standard)) + 1))


def identify_framework_from_questions(rows: Iterable[tuple[str, str]]) -> str | None:
    """The framework whose wordings the printed rows ((standard, text) of key
    questions and prompts) are: each row that anchors in exactly one
    framework is a vote; the framework with the most votes, None on a tie or
    when no row tells the frameworks apart."""
    names = [name for name in question_frameworks() if _standards(name)]
    votes: Counter[str] = Counter()
    for standard, text in rows:
        fits = [name for name in names if _anchors_in(name, standard, text)]
        if len(fits) == 1:
            votes[fits[0]] += 1
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]
