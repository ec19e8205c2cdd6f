"""Recompute each report's ratings from its own numbers under the published
rules, cross-check the sources, and say what disagrees.

Pure: takes the extracted records (an `Extraction`) and returns the rows of
every table for the report. It never looks at the text again. Each step is a
small function with its own tests; `validate` runs them in order.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from . import rules
from .model import (Extraction, FindingKind as K, KeyQuestion, Level, PublishedRating, Sourced,
                    Status)

__all__ = ["Extraction", "validate"]


@dataclass
class Findings:
    """The findings rows of one report, and what makes it partial."""
    report_id: str
    rows: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, level: Level, kind: K, standard: str | None = None, **kw) -> None:
        row = {"report_id": self.report_id, "level": level, "standard": standard, "kind": kind,
               "explained": kw.pop("explained", False)}
        row.update(kw)
        self.rows.append(row)

    def conflict(self, kind: K, standard: str | None, a: tuple[str, str, int | None],
                 b: tuple[str, str, int | None], what: str) -> None:
        """Two sources print different values: (source, value, page) each."""
        self.add(Level.SOURCE, kind, standard, published=a[1], recomputed=None, page=a[2],
                 source_a=a[0], value_a=a[1], page_a=a[2], source_b=b[0], value_b=b[1], page_b=b[2],
                 detail=f"{what}: the {a[0]} prints {a[1]} (page {a[2]}), the {b[0]} prints {b[1]} "
                        f"(page {b[2]})")


def _fmt_pct(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"


# ------------------------------------------------------------ report-level values

def choose_sourced(sources: list[Sourced], order: list[str]) -> Sourced | None:
    """The source first in `order` (unknown source names last), else None."""
    rank = {name: i for i, name in enumerate(order)}
    return min(sources, key=lambda s: rank.get(s.source, len(order)), default=None)


def report_value(sources: list[Sourced], order: list[str], kind: K, what: str,
                 found: Findings) -> Sourced | None:
    """The value by precedence; one conflict finding per source that disagrees."""
    chosen = choose_sourced(sources, order)
    if chosen is None:
        return None
    reported: set[tuple[str, str]] = set()
    for other in sources:
        if other.value != chosen.value and (other.source, str(other.value)) not in reported:
            reported.add((other.source, str(other.value)))
            found.conflict(kind, None, (chosen.source, str(chosen.value), chosen.page),
                           (other.source, str(other.value), other.page), what)
    return chosen


def checked_scores(sources: list[Sourced], found: Findings) -> list[Sourced]:
    """Printed scores within the limits; the rest become findings."""
    kept = []
    for s in sources:
        problem = rules.score_problem(int(s.value), s.out_of)
        if problem:
            found.add(Level.SOURCE, K.VALUE_OUT_OF_RANGE, published=s.quote, page=s.page,
                      detail=f"the {s.source} prints '{s.quote}': {problem}; stored as null")
        else:
            kept.append(s)
    return kept


# ------------------------------------------------------------ standards' ratings

def _unreadable(ex: Extraction, code: str) -> list:
    """The extractors' notes that a source printed something for `code` that is not a rating."""
    kinds = {K.UNRECOGNISED_RATING, K.MISSING_RATING, K.RATINGS_NOT_PAIRED}
    return [n for n in ex.notes if n.standard == code and n.kind in kinds]


def rating_sources(ex: Extraction, code: str) -> dict[str, PublishedRating | None]:
    return {"summary": ex.summary.standards.get(code) if ex.summary else None,
            "section": ex.section_ratings.get(code), "annex": ex.annex_ratings.get(code)}


def choose_rating(sources: dict[str, PublishedRating | None], unreadable: int
                  ) -> tuple[str | None, PublishedRating | None, bool]:
    """(source, rating, uncertain): the rating most sources print (ties go
    to the first in precedence). Uncertain when it has no more support than
    the sources that print something else, or something unreadable."""
    present = [(name, r) for name, r in sources.items() if r and r.rating]
    if not present:
        return None, None, unreadable > 0
    votes = Counter(r.rating for _, r in present)
    order = rules.precedence("standard_rating")
    name, chosen = max(present, key=lambda p: (votes[p[1].rating], -order.index(p[0])))
    against = len(present) - votes[chosen.rating] + unreadable
    return name, chosen, votes[chosen.rating] <= against


def rating_conflicts(code: str, chosen: tuple[str, PublishedRating],
                     sources: dict[str, PublishedRating | None], found: Findings) -> None:
    name, rating = chosen
    for other, r in sources.items():
        if r and r.rating and r.rating != rating.rating:
            found.conflict(K.RATING_CONFLICT, code, (name, rating.rating or "", rating.page),
                           (other, r.rating, r.page), code)


# ------------------------------------------------------------ key questions

def checked_key_questions(ex: Extraction, framework: str | None, cases: dict[str, int | None],
                          found: Findings) -> list[KeyQuestion]:
    """Key questions with values outside the sanity limits set to null (the
    row and its index stay), each with a finding quoting the printed value."""
    out = []
    for kq in ex.key_questions:
        domain_cases = cases.get({"2": "court", "3": "out_of_court"}.get(kq.standard[0], ""))
        problem = rules.key_question_problem(kq, framework, domain_cases)
        if problem:
            found.add(Level.SOURCE, K.VALUE_OUT_OF_RANGE, kq.standard, published=kq.printed or None,
                      page=kq.page, detail=(f"{kq.standard} key question {kq.index} prints "
                                            f"'{kq.printed}': {problem}; stored as null"))
            kq = dataclasses.replace(kq, pct_yes=None, relevant=None, yes=None)
        if rules.pct_problem(kq.annex_pct_yes):
            found.add(Level.SOURCE, K.VALUE_OUT_OF_RANGE, kq.standard, published=kq.annex_printed,
                      page=kq.annex_page, detail=(f"{kq.standard} key question {kq.index}: the annex prints "
                                                  f"'{kq.annex_printed}': {rules.pct_problem(kq.annex_pct_yes)}"))
            kq = dataclasses.replace(kq, annex_pct_yes=None)
        out.append(kq)
    return out


def key_question_conflicts(kqs: list[KeyQuestion], found: Findings) -> None:
    for kq in kqs:
        if kq.source != "section" or kq.annex_page is None:
            continue
        section_value = kq.pct_yes
        if section_value is None and kq.pct_exact is not None:
            section_value = round(kq.pct_exact)
        if section_value is None or kq.annex_pct_yes is None or section_value == kq.annex_pct_yes:
            continue
        found.conflict(K.KEY_QUESTION_CONFLICT, kq.standard,
                       ("section", _fmt_pct(section_value), kq.page),
                       ("annex", _fmt_pct(kq.annex_pct_yes), kq.annex_page),
                       f"{kq.standard} key question {kq.index} ('{kq.question}')")
        found.rows[-1]["published"] = None


# ------------------------------------------------------------ one standard

def printed_rounding_check(code: str, kqs: list[KeyQuestion], cases: int | None, recomputed: str,
                           published: str | None, found: Findings) -> bool:
    """A printed % at a band edge, with at most N cases inspected, may stand
    for fractions in another band (65% of at most 17 cases can only be 11/17 =
    64.7%). Flag it when that could lower the standard's rating."""
    if not cases:
        return False
    flagged = False
    for kq in kqs:
        pct = kq.pct_yes
        if pct is None or kq.relevant is not None or not float(pct).is_integer():
            continue
        lower = [(k, d, b) for k, d, b in rules.rounding_alternatives(pct, cases)
                 if (rules.rating_points(b) or 0) < (rules.rating_points(recomputed) or 0)]
        if not lower:
            continue
        possible = rules.fractions_printed_as(pct, cases)
        only = len({round(k / d, 6) for k, d in possible}) == len({round(k / d, 6) for k, d, _ in lower})
        shown = ", ".join(f"{k}/{d} = {100 * k / d:.1f}% ({b})" for k, d, b in lower[:4])
        found.add(Level.STANDARD, K.ROUNDING_SENSITIVE, code, published=published, recomputed=lower[0][2],
                  lowest_pct=pct, page=kq.page,
                  detail=(f"{code} key question {kq.index} prints {pct:.0f}% "
                          f"({rules.band_for_pct(pct)}); with at most {cases} cases inspected it "
                          + ("can only be " if only else "could be ") + shown))
        flagged = True
    return flagged


def exact_rounding_check(code: str, lowest_kq: KeyQuestion | None, recomputed: str | None,
                         published: str | None, found: Findings) -> bool:
    """Counts whose exact fraction and printed (rounded) % band differently."""
    exact = lowest_kq.pct_exact if lowest_kq else None
    if lowest_kq is None or exact is None or not rules.rounding_could_flip(exact):
        return False
    found.add(Level.STANDARD, K.ROUNDING_SENSITIVE, code, published=published, recomputed=recomputed,
              lowest_pct=exact, page=lowest_kq.page,
              detail=(f"{code}: lowest key question is {lowest_kq.yes}/{lowest_kq.relevant}"
                      f" = {exact:.2f}%, {recomputed}; printed rounded it would be "
                      f"{round(exact)}%, {rules.band_for_pct(round(exact))}"))
    return True


def divergence(ex: Extraction, code: str, name: str, rating: str, recomputed: str, lowest: float,
               lowest_kq: KeyQuestion | None, page: int | None, found: Findings) -> None:
    """A quantitative standard's published rating is not the band of its lowest key question."""
    explanation = ex.explanations.get(code)
    edge = rules.band_edge_distance(lowest, rating)
    question = lowest_kq.question if lowest_kq else ""
    found.add(Level.STANDARD, K.RATING_DIFFERS_FROM_RULE, code, published=rating, recomputed=recomputed,
              lowest_pct=lowest, points_to_band_edge=edge, explained=explanation is not None,
              explanation=explanation.text if explanation else None,
              explanation_page=explanation.page if explanation else None, page=page,
              detail=(f"{code} {name}: lowest key question {_fmt_pct(lowest)} ('{question}') is "
                      f"{recomputed} under the rule; published {rating} is {edge:g} points from that band"
                      + (f" (explained in {explanation.where})" if explanation else
                         " (no explanation found in the report)")))


def standard_row(ex: Extraction, code: str, info: dict, name: str | None, kqs: list[KeyQuestion],
                 cases: dict[str, int | None], found: Findings) -> dict:
    """The ratings row of one standard, with its findings."""
    sources = rating_sources(ex, code)
    chosen_source, chosen, uncertain = choose_rating(sources, len(_unreadable(ex, code)))
    if chosen_source and chosen:
        rating_conflicts(code, (chosen_source, chosen), sources, found)
    if uncertain:
        printed = ", ".join(f"{k} {v.rating}" for k, v in sources.items() if v and v.rating)
        found.missing.append(f"published rating for standard {code} is uncertain ({printed or 'none readable'})")
        chosen_source, chosen = None, None
    elif chosen is None and info:
        found.missing.append(f"no published rating for standard {code}")
    rating = chosen.rating if chosen else None
    quantitative = bool(info.get("quantitative"))
    recomputed, lowest, rounding = None, None, False
    if quantitative:
        recomputed, lowest = rules.standard_rating_from_key_questions([kq.value for kq in kqs])
        if recomputed is None:
            found.missing.append(f"standard {code} has no key-question values")
        lowest_kq = next((kq for kq in kqs if kq.value == lowest), None)
        rounding = exact_rounding_check(code, lowest_kq, recomputed, rating, found)
        if not rounding and recomputed:
            domain_cases = cases.get({"2": "court", "3": "out_of_court"}.get(code[0], ""))
            rounding = printed_rounding_check(code, kqs, domain_cases, recomputed, rating, found)
        if rating and recomputed and lowest is not None and rating != recomputed:
            page = (sources["section"] or chosen).page if chosen else None
            divergence(ex, code, name or "", rating, recomputed, lowest, lowest_kq, page, found)
    return {
        "report_id": ex.report_id, "domain": code.split(".")[0], "standard": code,
        "standard_name": info.get("name") or name, "rating": rating,
        "quantitative": quantitative, "lowest_pct": lowest,
        "rating_recomputed": recomputed if quantitative else None,
        "page": chosen.page if chosen else None, "rating_source": chosen_source,
        "counts_in_score": bool(info) and info.get("counts_in_score", True),
        "rounding_sensitive": rounding,
        "section_page": sources["section"].page if sources["section"] else None,
        "annex_rating": sources["annex"].rating if sources["annex"] else None,
        "annex_page": sources["annex"].page if sources["annex"] else None,
    }


# ------------------------------------------------------------ score and overall

def score_findings(printed: Sourced | None, published_sum: int | None, found: Findings) -> None:
    if printed is not None and published_sum is not None and printed.value != published_sum:
        found.add(Level.SCORE, K.PRINTED_SCORE_DIFFERS_FROM_PUBLISHED_SUM, published=str(printed.value),
                  recomputed=str(published_sum), page=printed.page,
                  detail=(f"printed score {printed.value}/{rules.score_max()}; the published standard "
                          f"ratings sum to {published_sum}"))


def overall_findings(overall: Sourced | None, basis: int | None, limiting: str | None,
                     overall_recomputed: str | None, score_recomputed: int | None,
                     found: Findings) -> None:
    """The published overall against the band of the printed score (else the
    published ratings' sum), and against the recomputed overall."""
    if overall is None:
        return
    band = rules.overall(basis, limiting)
    if band and overall.value != band:
        found.add(Level.OVERALL, K.OVERALL_OUTSIDE_SCORE_BAND, published=overall.value, recomputed=band,
                  page=overall.page, detail=f"overall {overall.value}, but a score of {basis} is in the {band} band")
    if overall_recomputed and overall.value != overall_recomputed:
        divergent = [f for f in found.rows if f["kind"] == K.RATING_DIFFERS_FROM_RULE]
        found.add(Level.OVERALL, K.OVERALL_DIFFERS_FROM_RULE, published=overall.value,
                  recomputed=overall_recomputed, page=overall.page,
                  explained=bool(divergent) and all(f["explained"] for f in divergent),
                  detail=f"recomputed ratings score {score_recomputed}, which bands to {overall_recomputed}")


def note_findings(ex: Extraction, found: Findings) -> None:
    """What the extractors saw and could not read, as source findings."""
    for note in ex.notes:
        found.add(Level.SOURCE, note.kind, note.standard, published=note.printed, page=note.page,
                  detail=note.detail)


def chosen_cases(ex: Extraction, found: Findings) -> dict[str, Sourced | None]:
    order = rules.precedence("cases")
    return {kind: report_value(sources, order, K.CASES_CONFLICT, f"{kind.replace('_', '-')} cases inspected",
                               found)
            for kind, sources in ex.cases.items()}


def framework_of(ex: Extraction) -> tuple[str | None, dict[str, str]]:
    names = dict(ex.section_names)
    if ex.summary:
        for code, r in ex.summary.standards.items():
            names.setdefault(code, r.name)
    return rules.detect_framework(names), names


# ------------------------------------------------------------ the report

def validate(ex: Extraction) -> dict[str, list[dict]]:
    """Every table's rows for one report."""
    found = Findings(ex.report_id)
    framework, names = framework_of(ex)
    if ex.summary is None:
        found.missing.append("no ratings summary")
    if framework is None:
        found.missing.append("framework not recognised (no standard 3.4 or 4.1 found)")
    note_findings(ex, found)
    cases_sourced = chosen_cases(ex, found)
    cases = {k: int(v.value) if v else None for k, v in cases_sourced.items()}
    kqs = checked_key_questions(ex, framework, cases, found)
    standards = rules.framework_standards(framework) if framework else {}
    codes = sorted(set(standards) | set(ex.section_ratings)
                   | set(ex.summary.standards if ex.summary else {}))
    rating_rows = [standard_row(ex, code, standards.get(code, {}), names.get(code),
                                [kq for kq in kqs if kq.standard == code], cases, found) for code in codes]
    key_question_conflicts(kqs, found)

    published = {r["standard"]: r["rating"] for r in rating_rows}
    recomputed = {r["standard"]: r["rating_recomputed"] or r["rating"] for r in rating_rows}
    score = report_value(checked_scores(ex.score_sources, found), rules.precedence("score"),
                         K.SCORE_CONFLICT, "the score", found)
    overall = report_value(ex.overall_sources, rules.precedence("overall"), K.OVERALL_CONFLICT,
                           "the overall rating", found)
    published_sum = rules.score(published, framework) if framework else None
    score_recomputed = rules.score(recomputed, framework) if framework else None
    limiting = rules.limiting_standard(framework) if framework else None
    overall_recomputed = rules.overall(score_recomputed, recomputed.get(limiting) if limiting else None)
    if score is None and ex.summary is not None:
        found.missing.append("no score printed" if not ex.score_sources else "printed score out of range")
    if overall is None:
        found.missing.append("no overall rating printed")
    score_findings(score, published_sum, found)
    basis = int(score.value) if score is not None else published_sum
    overall_findings(overall, basis, published.get(limiting) if limiting else None, overall_recomputed,
                     score_recomputed, found)
    for what in found.missing:
        found.add(Level.REPORT, K.MISSING_SECTION, detail=what, page=None)

    report_row = {
        "report_id": ex.report_id, "source_file": ex.source_file,
        "service_name": ex.identity.get("service_name"), "area": ex.identity.get("area"),
        "service_type": ex.identity.get("service_type"), "framework": framework,
        "overall_rating": overall.value if overall else None,
        "score": int(score.value) if score else None,
        "score_recomputed": score_recomputed, "overall_recomputed": overall_recomputed,
        "cases_court": cases.get("court"), "cases_out_of_court": cases.get("out_of_court"),
        "cases_resettlement": cases.get("resettlement"), "pages": ex.pages,
        "status": Status.PARTIAL if found.missing else Status.OK,
        "score_published_sum": published_sum,
        "resettlement_rating": published.get(limiting) if limiting else None,
        "overall_page": overall.page if overall else None, "score_page": score.page if score else None,
        "sha256": ex.sha256, "missing": "; ".join(found.missing) or None,
    }
    return {"reports": [report_row], "ratings": rating_rows, "findings": found.rows,
            "key_questions": [kq.as_row(ex.report_id) for kq in kqs],
            "facts": ex.facts, "recommendations": ex.recommendations, "prompts": ex.prompts}
