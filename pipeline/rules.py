"""The inspectorate's published rating rules, as data (patterns/standards.json)
and pure functions: key-question bands, standard ratings, score and overall."""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .patterns import load

RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")


@lru_cache(maxsize=1)
def _rules() -> dict:
    return load("standards")


def frameworks() -> list[str]:
    return list(_rules()["frameworks"])


def framework_standards(framework: str) -> dict[str, dict]:
    return _rules()["frameworks"][framework]


def normalise_rating(text: str | None) -> str | None:
    """'Requires Improvement', 'requires\\nimprovement', 'Good22' -> canonical label."""
    if not text:
        return None
    t = re.sub(r"[\s\d]+", " ", text).strip().lower()
    for label in RATINGS:
        if t == label.lower():
            return label
    return None


def rating_points(rating: str | None) -> int | None:
    return None if rating is None else _rules()["ratings"][rating]


def band_for_pct(pct: float | None) -> str | None:
    """Band of a key-question % yes: <50 Inadequate, 50-64 Requires
    improvement, 65-79 Good, 80+ Outstanding. Exact fractions are compared
    against the edges as they are (64.7 is below 65)."""
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return None
    for band in _rules()["key_question_bands"]:
        if pct >= band["min"]:
            return band["rating"]
    return RATINGS[-1]


def band_for_score(score: int | None) -> str | None:
    if score is None:
        return None
    for band in _rules()["score_bands"]:
        if score >= band["min"]:
            return band["rating"]
    return RATINGS[-1]


def band_edge_distance(pct: float, rating: str) -> float | None:
    """Points between `pct` and the nearest edge of the band that gives
    `rating` (0 when pct is inside that band): how far the published rating
    sits from what the rule allows."""
    bands = _rules()["key_question_bands"]
    for i, band in enumerate(bands):
        if band["rating"] != rating:
            continue
        low = band["min"]
        high = bands[i - 1]["min"] if i > 0 else math.inf
        if pct < low:
            return round(low - pct, 2)
        if pct >= high:
            return round(pct - high + 1, 2) if pct == int(pct) else round(pct - high, 2)
        return 0.0
    return None


def rounding_could_flip(pct_exact: float) -> bool:
    """True when the exact fraction and its printed (rounded) whole % fall in
    different bands: e.g. 64.7% is Requires improvement, printed 65% is Good."""
    printed = math.floor(pct_exact + 0.5)
    return band_for_pct(pct_exact) != band_for_pct(printed)


def standard_rating_from_key_questions(values: list[float | None]) -> tuple[str | None, float | None]:
    """The standard's rating is the band of its LOWEST key question."""
    present = [v for v in values if v is not None and not math.isnan(v)]
    if not present:
        return None, None
    lowest = min(present)
    return band_for_pct(lowest), lowest


def score(ratings: dict[str, str | None], framework: str) -> int | None:
    """Sum of points over the framework's scored standards; None if any is
    missing (a partial sum would be a guess)."""
    total = 0
    for code, info in framework_standards(framework).items():
        if not info.get("counts_in_score", True):
            continue
        points = rating_points(ratings.get(code))
        if points is None:
            return None
        total += points
    return total


def overall(score_value: int | None, limiting: str | None = None) -> str | None:
    """Band of the score; an Inadequate limiting judgement (resettlement,
    2021 framework) caps the overall below Outstanding."""
    band = band_for_score(score_value)
    if band == "Outstanding" and limiting == "Inadequate":
        return "Good"
    return band


def limiting_standard(framework: str) -> str | None:
    return next((c for c, i in framework_standards(framework).items() if i.get("limiting")), None)


def detect_framework(standard_names: dict[str, str]) -> str | None:
    """'2021' when the report has a resettlement standard or 3.4 is the
    qualitative out-of-court policy standard; '2018' when 3.4 is joint working."""
    from rapidfuzz import fuzz

    if "4.1" in standard_names:
        return "2021"
    name = (standard_names.get("3.4") or "").lower()
    if not name:
        return None
    scores = {fw: fuzz.token_set_ratio(name, framework_standards(fw)["3.4"]["name"].lower())
              for fw in _rules()["frameworks"]}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 70 else None


def fractions_printed_as(pct: float, max_denominator: int) -> list[tuple[int, int]]:
    """Every yes/relevant with relevant <= max_denominator that a report would
    print (rounded half up) as `pct`."""
    out = []
    for d in range(1, max_denominator + 1):
        for k in range(d + 1):
            if math.floor(100 * k / d + 0.5) == pct:
                out.append((k, d))
    return out


def rounding_alternatives(pct: float, max_denominator: int) -> list[tuple[int, int, str]]:
    """For a printed whole % and the most cases it can be out of: the exact
    fractions behind it whose band differs from the printed figure's band.
    Empty when rounding cannot change the band (or no fraction fits)."""
    printed_band = band_for_pct(pct)
    seen, out = set(), []
    for k, d in fractions_printed_as(pct, max_denominator):
        value = round(100 * k / d, 4)
        band = band_for_pct(100 * k / d)
        if band != printed_band and value not in seen:
            seen.add(value)
            out.append((k, d, band))
    return out


def ratings_ascending() -> list[str]:
    """The four ratings from the lowest points to the highest."""
    points = _rules()["ratings"]
    return sorted(points, key=points.get)


def standard_codes() -> list[str]:
    """Every standard code of every framework, in code order."""
    codes = {code for standards in _rules()["frameworks"].values() for code in standards}
    return sorted(codes, key=lambda c: tuple(int(p) for p in c.split(".")))


def rating_column(code: str, recomputed: bool = False) -> str:
    """'2.1' -> 'rating_2_1' (or 'rating_2_1_recomputed'): the inspections
    table's column for a standard."""
    return f"rating_{code.replace('.', '_')}" + ("_recomputed" if recomputed else "")


def score_max() -> int:
    """The highest score a report can have (the sum of every scored
    standard's top points)."""
    return int(_rules()["score_max"])


def score_band_ranges() -> list[tuple[int, int, str]]:
    """The score bands as (lowest, highest, rating), lowest band first, from
    the rules data: the chart draws these, so it cannot drift from them."""
    bands = sorted(_rules()["score_bands"], key=lambda b: b["min"])
    out = []
    for i, band in enumerate(bands):
        high = bands[i + 1]["min"] - 1 if i + 1 < len(bands) else score_max()
        out.append((int(band["min"]), int(high), band["rating"]))
    return out
