"""validate's checks of one standard: which published rating to keep (and
the conflicts), the sanity limits on its key questions and prompts, rounding
that could flip a band, and a rating that departs from the banding rule."""
from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from pipeline.core import rules
from pipeline.validate.findings import Findings, fmt_pct
from pipeline.core.records import Extraction, FindingKind as K, KeyQuestion, Level, Note, Prompt, PublishedRating, Row


# ------------------------------------------------------------ standards' ratings

def _unreadable(ex: Extraction, code: str) -> list[Note]:
    """The extractors' notes that a source printed a word for `code` that is
    not a rating: it may stand for another rating, so it counts against the
    readable sources. A label with no word, or a column-order page that could
    not be paired, says nothing either way."""
    return [n for n in ex.notes if n.standard == code and n.kind == K.UNRECOGNISED_RATING]


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
        if kq.value_problem:
            # printed, but not readable as a value (e.g. a count pair run together): null, and uncertain
            found.missing.append(f"{kq.standard}.{kq.index}: value unreadable")
            found.add(Level.SOURCE, K.UNREADABLE_VALUE, kq.standard, published=kq.printed or None, page=kq.page,
                      detail=f"key question {kq.standard}.{kq.index}: {kq.value_problem}")
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


def checked_prompts(prompts: list[Prompt], cases: dict[str, int | None], found: Findings) -> list[Prompt]:
    """Prompts with values outside the sanity limits set to null, with a
    finding each; and one finding a standard for prompts whose table could
    not be tied to a key question (key_question null: the report is partial)."""
    out = []
    unmatched = sorted({p.standard or "" for p in prompts if p.key_question is None})
    for standard in unmatched:
        rows = [p for p in prompts if (p.standard or "") == standard and p.key_question is None]
        found.missing.append(f"{standard}: prompts not tied to a key question")
        found.add(Level.SOURCE, K.UNMATCHED_PROMPTS, standard or None, page=rows[0].page,
                  detail=f"{len(rows)} prompt{'s' if len(rows) != 1 else ''} of {standard} printed under a heading "
                         "that names none of its key questions; key_question is null")
    for prompt in prompts:
        if prompt.value_problem:
            where = f"{prompt.standard} prompt {prompt.key_question}{prompt.label}"
            found.missing.append(f"{where}: value unreadable")
            found.add(Level.SOURCE, K.UNREADABLE_VALUE, prompt.standard, page=prompt.page,
                      detail=f"{where}: {prompt.value_problem}")
        domain_cases = cases.get({"2": "court", "3": "out_of_court"}.get((prompt.standard or " ")[0], ""))
        problem = rules.pct_problem(prompt.pct_yes) or \
            rules.counts_problem(prompt.relevant, prompt.yes, domain_cases)
        if problem:
            printed = (f"{prompt.pct_yes:g}%" if prompt.pct_yes is not None
                       else f"{prompt.relevant} {prompt.yes}")
            found.add(Level.SOURCE, K.VALUE_OUT_OF_RANGE, prompt.standard, published=printed,
                      page=prompt.page, detail=(f"{prompt.standard} prompt {prompt.key_question}"
                                                f"{prompt.label} prints '{printed}': {problem}; "
                                                "stored as null"))
            prompt = dataclasses.replace(prompt, pct_yes=None, relevant=None, yes=None)
        out.append(prompt)
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
                       ("section", fmt_pct(section_value), kq.page),
                       ("annex", fmt_pct(kq.annex_pct_yes), kq.annex_page),
                       f"{kq.standard} key question {kq.index} ('{kq.question}')")
        found.rows[-1]["published"] = None


# ------------------------------------------------------------ one standard

def printed_rounding_check(code: str, kqs: list[KeyQuestion], cases: int | None, recomputed: str,
                           published: str | None, found: Findings, framework: str | None = None) -> bool:
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
        lower = [(k, d, b) for k, d, b in rules.rounding_alternatives(pct, cases, framework)
                 if (rules.rating_points(b) or 0) < (rules.rating_points(recomputed) or 0)]
        if not lower:
            continue
        possible = rules.fractions_printed_as(pct, cases)
        only = len({round(k / d, 6) for k, d in possible}) == len({round(k / d, 6) for k, d, _ in lower})
        shown = ", ".join(f"{k}/{d} = {100 * k / d:.1f}% ({b})" for k, d, b in lower[:4])
        found.add(Level.STANDARD, K.ROUNDING_SENSITIVE, code, published=published, recomputed=lower[0][2],
                  lowest_pct=pct, page=kq.page,
                  detail=(f"{code} key question {kq.index} prints {pct:.0f}% "
                          f"({rules.band_for_pct(pct, framework)}); with at most {cases} cases inspected it "
                          + ("can only be " if only else "could be ") + shown))
        flagged = True
    return flagged


def exact_rounding_check(code: str, lowest_kq: KeyQuestion | None, recomputed: str | None,
                         published: str | None, found: Findings, framework: str | None = None) -> bool:
    """Counts whose exact fraction and printed (rounded) % band differently."""
    exact = lowest_kq.pct_exact if lowest_kq else None
    if lowest_kq is None or exact is None or not rules.rounding_could_flip(exact, framework):
        return False
    found.add(Level.STANDARD, K.ROUNDING_SENSITIVE, code, published=published, recomputed=recomputed,
              lowest_pct=exact, page=lowest_kq.page,
              detail=(f"{code}: lowest key question is {lowest_kq.yes}/{lowest_kq.relevant}"
                      f" = {exact:.2f}%, {recomputed}; printed rounded it would be "
                      f"{round(exact)}%, {rules.band_for_pct(round(exact), framework)}"))
    return True


def divergence(ex: Extraction, code: str, name: str, rating: str, recomputed: str, lowest: float,
               lowest_kq: KeyQuestion | None, page: int | None, found: Findings,
               framework: str | None = None) -> None:
    """A quantitative standard's published rating is not the band of its lowest key question."""
    explanation = ex.explanations.get(code)
    edge = rules.band_edge_distance(lowest, rating, framework)
    question = lowest_kq.question if lowest_kq else ""
    found.add(Level.STANDARD, K.RATING_DIFFERS_FROM_RULE, code, published=rating, recomputed=recomputed,
              lowest_pct=lowest, points_to_band_edge=edge, explained=explanation is not None,
              explanation=explanation.text if explanation else None,
              explanation_page=explanation.page if explanation else None, page=page,
              detail=(f"{code} {name}: lowest key question {fmt_pct(lowest)} ('{question}') is "
                      f"{recomputed} under the rule; published {rating} is {edge:g} points from that band"
                      + (f" (explained in {explanation.where})" if explanation else
                         " (no explanation found in the report)")))


def _recomputed(ex: Extraction, code: str, info: dict[str, Any], name: str | None, kqs: list[KeyQuestion],
                cases: dict[str, int | None], chosen: PublishedRating | None,
                sources: dict[str, PublishedRating | None], found: Findings,
                framework: str | None) -> tuple[str | None, float | None, bool]:
    """(rating under the rule, lowest key-question value, rounding
    sensitive) of a quantitative standard, with its findings."""
    rating = chosen.rating if chosen else None
    expected = info.get("key_questions")
    # the lowest of the questions read need not be the lowest of all: no rule is applied to a part
    incomplete = bool(expected and 0 < len(kqs) < expected)
    if incomplete:
        found.missing.append(f"standard {code}: {len(kqs)} of its {expected} key questions read")
    recomputed, lowest = rules.standard_rating_from_key_questions(
        [] if incomplete else [kq.value for kq in kqs], framework)
    if recomputed is None and not incomplete:
        found.missing.append(f"standard {code} has no key-question values")
    lowest_kq = next((kq for kq in kqs if kq.value == lowest), None)
    rounding = exact_rounding_check(code, lowest_kq, recomputed, rating, found, framework)
    if not rounding and recomputed:
        domain_cases = cases.get({"2": "court", "3": "out_of_court"}.get(code[0], ""))
        rounding = printed_rounding_check(code, kqs, domain_cases, recomputed, rating, found, framework)
    if rating and recomputed and lowest is not None and rating != recomputed:
        page = (sources["section"] or chosen).page if chosen else None
        divergence(ex, code, name or "", rating, recomputed, lowest, lowest_kq, page, found, framework)
    return recomputed, lowest, rounding


def _chosen(ex: Extraction, code: str, info: dict[str, Any], sources: dict[str, PublishedRating | None],
            found: Findings) -> tuple[str | None, PublishedRating | None]:
    """The published rating kept (by the sources' votes), with its conflicts;
    none when it is uncertain."""
    chosen_source, chosen, uncertain = choose_rating(sources, len(_unreadable(ex, code)))
    if chosen_source and chosen:
        rating_conflicts(code, (chosen_source, chosen), sources, found)
    if uncertain:
        printed = ", ".join(f"{k} {v.rating}" for k, v in sources.items() if v and v.rating)
        found.missing.append(f"published rating for standard {code} is uncertain ({printed or 'none readable'})")
        return None, None
    if chosen is None and info:
        found.missing.append(f"no published rating for standard {code}")
    return chosen_source, chosen


def standard_row(ex: Extraction, code: str, info: dict[str, Any], name: str | None, kqs: list[KeyQuestion],
                 cases: dict[str, int | None], found: Findings, framework: str | None = None) -> Row:
    """The ratings row of one standard, with its findings. Under a framework
    whose rules are not modelled nothing is recomputed: quantitative,
    lowest_pct, rating_recomputed and counts_in_score are null."""
    sources = rating_sources(ex, code)
    chosen_source, chosen = _chosen(ex, code, info, sources, found)
    modelled = rules.rules_modelled(framework)
    quantitative = bool(info.get("quantitative")) if modelled else None
    recomputed, lowest, rounding = None, None, False
    if quantitative:
        recomputed, lowest, rounding = _recomputed(ex, code, info, name, kqs, cases, chosen, sources, found,
                                                   framework)
    return {
        "report_id": ex.report_id, "domain": rules.standard_domain(code, info), "standard": code,
        "standard_name": info.get("name") or name, "rating": chosen.rating if chosen else None,
        "quantitative": quantitative, "lowest_pct": lowest,
        "rating_recomputed": recomputed if quantitative else None,
        "page": chosen.page if chosen else None, "rating_source": chosen_source,
        "counts_in_score": (bool(info) and info.get("counts_in_score", True)) if modelled else None,
        "rounding_sensitive": rounding, "area": info.get("area"),
        "section_page": sources["section"].page if sources["section"] else None,
        "annex_rating": sources["annex"].rating if sources["annex"] else None,
        "annex_page": sources["annex"].page if sources["annex"] else None,
    }
