"""The inspectorate's published rating rules, as data (patterns/standards.json)
and pure functions: key-question bands, standard ratings, score and overall,
the sanity limits a printed value must meet, and the precedence between the
places a report states a value. The only owner of these constants: validate
and the chart read them from here."""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from pipeline.core.records import RATINGS, KeyQuestion, Rating, normalise_rating
from pipeline.core.patterns import load

__all__ = ["RATINGS", "Rating", "normalise_rating"]  # re-exported: the rating words live in records


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    return load("standards")


def frameworks() -> list[str]:
    return list(_rules()["frameworks"])


def framework_standards(framework: str) -> dict[str, dict[str, Any]]:
    standards: dict[str, dict[str, Any]] = _rules()["frameworks"][framework]
    return standards


def _details(framework: str | None) -> dict[str, Any]:
    """What standards.json's framework_details says of `framework` ({} for
    one it does not list: every default)."""
    details: dict[str, Any] = _rules()["framework_details"].get(framework or "", {})
    return details


def rules_modelled(framework: str | None) -> bool:
    """Whether ratings, score and overall are recomputed for `framework`'s
    reports (framework_details' rules.modelled; true unless it says not)."""
    return bool(_details(framework).get("rules", {}).get("modelled", True))


def rules_not_modelled_why(framework: str) -> str:
    """The data's sentence saying why `framework`'s reports are not recomputed."""
    return str(_details(framework).get("rules", {}).get("why") or f"the {framework} framework's rules are not modelled")


def _rule(name: str, framework: str | None) -> Any:
    """One rating rule (key_question_bands, score_bands, score_max,
    limiting_rule): the framework's own where its entry gives it, else the
    one at the top of standards.json."""
    own = _details(framework).get("rules", {})
    return own[name] if name in own else _rules()[name]


def standards_complete(framework: str) -> bool:
    """Every standard the framework has is listed (a printed one that is not
    is a shape error); false where the data knows only part of them."""
    return bool(_details(framework).get("standards_complete", True))


def has_inspections_columns(framework: str | None) -> bool:
    """Whether the framework's standards fill the inspections table's
    rating_1_1 ... columns (false: they live only in the ratings table)."""
    return framework in frameworks() and bool(_details(framework).get("inspections_columns", True))


def standard_domain(code: str, info: dict[str, Any]) -> str:
    """The printed domain of a standard: its entry's `domain`, else the code's first part."""
    return str(info.get("domain") or code.split(".")[0])


def framework_rated_areas(framework: str) -> dict[str, str]:
    """The framework's rated areas: column key -> the label its reports print."""
    areas: dict[str, str] = _details(framework).get("rated_areas", {})
    return areas


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def rated_area_label() -> re.Pattern[str] | None:
    """A rated area's label ('Work with victims') alone or before its value;
    not a label that runs on into prose ('Work with children and victims in ...')."""
    labels = "|".join(re.escape(label) for label in rated_areas().values())
    return re.compile(rf"^(?P<label>{labels})(?:\s*:?\s*(?P<rest>(?-i:[^\sa-z]).*))?$", re.I) if labels else None


def rated_areas() -> dict[str, str]:
    """Every framework's rated areas (between the overall rating and the
    standards): column key -> the label its reports print."""
    areas: dict[str, str] = {}
    for framework in frameworks():
        areas.update(framework_rated_areas(framework))
    return areas


def framework_cues() -> dict[str, dict[str, Any]]:
    """framework -> the cues that mark its reports (title form, rated areas,
    standards only it has), for the frameworks that have any."""
    return {fw: _details(fw)["cues"] for fw in frameworks() if _details(fw).get("cues")}


def framework_of_cues(cues: dict[str, list[str]]) -> str | None:
    """The framework whose cues a report prints (the one with the most, ties
    to the first listed); None when it prints none."""
    found = [(len(names), -i, fw) for i, (fw, names) in enumerate(cues.items()) if names]
    return max(found)[2] if found else None


def rating_points(rating: str | None) -> int | None:
    """The points of a rating word (records.Rating); None for None or a word
    that is not a rating."""
    member = Rating.of(rating)
    return None if member is None else member.points


def band_for_pct(pct: float | None, framework: str | None = None) -> str | None:
    """Band of a key-question % yes: <50 Inadequate, 50-64 Requires
    improvement, 65-79 Good, 80+ Outstanding (or the framework's own bands).
    Exact fractions are compared against the edges as they are (64.7 is
    below 65)."""
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return None
    for band in _rule("key_question_bands", framework):
        if pct >= band["min"]:
            rating: str = band["rating"]
            return rating
    return RATINGS[-1]


def band_for_score(score: int | None, framework: str | None = None) -> str | None:
    if score is None:
        return None
    for band in _rule("score_bands", framework):
        if score >= band["min"]:
            rating: str = band["rating"]
            return rating
    return RATINGS[-1]


def band_edge_distance(pct: float, rating: str, framework: str | None = None) -> float | None:
    """Points between `pct` and the nearest edge of the band that gives
    `rating` (0 when pct is inside that band): how far the published rating
    sits from what the rule allows."""
    bands = _rule("key_question_bands", framework)
    for i, band in enumerate(bands):
        if band["rating"] != rating:
            continue
        low: float = band["min"]
        high: float = bands[i - 1]["min"] if i > 0 else math.inf
        if pct < low:
            return round(low - pct, 2)
        if pct >= high:
            return round(pct - high + 1, 2) if pct == int(pct) else round(pct - high, 2)
        return 0.0
    return None


def rounding_could_flip(pct_exact: float, framework: str | None = None) -> bool:
    """True when the exact fraction and its printed (rounded) whole % fall in
    different bands: e.g. 64.7% is Requires improvement, printed 65% is Good."""
    printed = math.floor(pct_exact + 0.5)
    return band_for_pct(pct_exact, framework) != band_for_pct(printed, framework)


def standard_rating_from_key_questions(values: list[float | None],
                                       framework: str | None = None) -> tuple[str | None, float | None]:
    """The standard's rating is the band of its LOWEST key question."""
    present = [v for v in values if v is not None and not math.isnan(v)]
    if not present:
        return None, None
    lowest = min(present)
    return band_for_pct(lowest, framework), lowest


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


def overall(score_value: int | None, limiting: str | None = None, framework: str | None = None) -> str | None:
    """Band of the score; an Inadequate limiting judgement (resettlement,
    2021 framework) caps the overall below Outstanding."""
    band = band_for_score(score_value, framework)
    rule = _rule("limiting_rule", framework)
    if band == rule["capped"] and limiting == rule["when"]:
        return str(rule["instead"])
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
    scores = {fw: fuzz.token_set_ratio(name, (framework_standards(fw)["3.4"]["name"] or "").lower())
              for fw in _rules()["frameworks"] if "3.4" in framework_standards(fw)}
    best = max(scores, key=lambda fw: scores[fw])
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


def rounding_alternatives(pct: float, max_denominator: int,
                          framework: str | None = None) -> list[tuple[int, int, str]]:
    """For a printed whole % and the most cases it can be out of: the exact
    fractions behind it whose band differs from the printed figure's band.
    Empty when rounding cannot change the band (or no fraction fits)."""
    printed_band = band_for_pct(pct, framework)
    seen, out = set(), []
    for k, d in fractions_printed_as(pct, max_denominator):
        value = round(100 * k / d, 4)
        band = band_for_pct(100 * k / d, framework)
        if band is not None and band != printed_band and value not in seen:
            seen.add(value)
            out.append((k, d, band))
    return out


def ratings_ascending() -> list[str]:
    """The four ratings from the lowest points to the highest."""
    return Rating.ascending()


@lru_cache(maxsize=1)
def standard_names() -> dict[str, tuple[str, ...]]:
    """code -> every name the code has in any framework, lower case, sorted
    (a standard whose name the data does not know adds none)."""
    names: dict[str, set[str]] = {}
    for standards in _rules()["frameworks"].values():
        for code, info in standards.items():
            if info.get("name"):
                names.setdefault(code, set()).add(info["name"].lower())
    return {code: tuple(sorted(n)) for code, n in names.items()}


def code_order(code: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key of a printed code: numeric parts as numbers ('2.10' after
    '2.9'), others ('V1') after them."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def standard_codes() -> list[str]:
    """Every standard code of the frameworks whose standards have columns of
    their own in the inspections table (has_inspections_columns), in code
    order: rating_1_1 ... rating_4_1."""
    codes = {code for fw in frameworks() if has_inspections_columns(fw) for code in framework_standards(fw)}
    return sorted(codes, key=code_order)


def rating_column(code: str, recomputed: bool = False) -> str:
    """'2.1' -> 'rating_2_1' (or 'rating_2_1_recomputed'): the inspections
    table's column for a standard."""
    return f"rating_{code.replace('.', '_')}" + ("_recomputed" if recomputed else "")


# ------------------------------------------------------------ sanity limits

def score_max(framework: str | None = None) -> int:
    return int(_rule("score_max", framework))


def score_bands(framework: str | None = None) -> list[tuple[int, int, str]]:
    """(low, high, rating) for each score band, lowest first: 0-6 Inadequate ..."""
    bands = sorted(_rule("score_bands", framework), key=lambda b: b["min"])
    highs = [b["min"] - 1 for b in bands[1:]] + [score_max(framework)]
    return [(b["min"], high, b["rating"]) for b, high in zip(bands, highs, strict=True)]


def precedence(what: str) -> list[str]:
    """Source names for 'overall', 'score', 'cases', 'standard_rating', best first."""
    return list(_rules()["precedence"][what])


def key_questions_max(framework: str | None, code: str) -> int | None:
    if not framework:
        return None
    return framework_standards(framework).get(code, {}).get("key_questions")


def pct_problem(pct: float | None) -> str | None:
    """Why a printed % cannot be a share of cases, or None when it can."""
    limits = _rules()["limits"]
    if pct is not None and not limits["pct_min"] <= pct <= limits["pct_max"]:
        return f"a percentage must be within {limits['pct_min']}-{limits['pct_max']}"
    return None


def counts_problem(relevant: int | None, yes: int | None, cases: int | None) -> str | None:
    """yes <= relevant <= cases inspected, or why not."""
    if relevant is None:
        return None
    if yes is not None and yes > relevant:
        return f"'yes' ({yes}) cannot exceed the relevant cases ({relevant})"
    if cases is not None and relevant > cases:
        return f"relevant cases ({relevant}) cannot exceed the cases inspected ({cases})"
    return None


def key_question_problem(kq: KeyQuestion, framework: str | None, cases: int | None) -> str | None:
    """The first sanity limit a key question's printed values break, if any."""
    most = key_questions_max(framework, kq.standard)
    if most is not None and kq.index > most:
        return f"standard {kq.standard} has {most} key questions in the {framework} framework"
    return pct_problem(kq.pct_yes) or counts_problem(kq.relevant, kq.yes, cases)


def score_problem(score: int | None, out_of: int | None, framework: str | None = None) -> str | None:
    """Why a printed score cannot be one, or None. A framework whose rules
    are not modelled has no known maximum: its score need only be within
    what it is printed out of."""
    if score is None:
        return None
    if not rules_modelled(framework):
        most = out_of
    elif out_of is not None and out_of != score_max(framework):
        return f"the score is out of {score_max(framework)}, not {out_of}"
    else:
        most = score_max(framework)
    if most is not None and not 0 <= score <= most:
        return f"a score must be within 0-{most}"
    return None
