"""Recompute each report's ratings from its own numbers under the published
rules, cross-check the sources, and say what disagrees.

Pure: takes the extracted records (an `Extraction`) and returns the rows of
`reports`, `ratings` and `findings`. It never looks at the text again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import rules
from .extract.ratings import PublishedRating, RatingsSummary


@dataclass
class Extraction:
    report_id: str
    source_file: str
    sha256: str
    pages: int
    summary: RatingsSummary | None
    section_ratings: dict[str, PublishedRating]
    annex_ratings: dict[str, PublishedRating]
    section_names: dict[str, str]
    key_questions: list[dict]
    identity: dict
    cases: dict[str, tuple[int | None, int | None]]
    explanations: dict[str, dict] = field(default_factory=dict)


def _fmt_pct(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"


def _kq_value(row: dict) -> float | None:
    """The value the rule bands: the exact fraction where counts are printed."""
    return row["pct_exact"] if row.get("pct_exact") is not None else row.get("pct_yes")


def validate(ex: Extraction) -> dict[str, list[dict]]:
    summary = ex.summary
    names = dict(ex.section_names)
    if summary:
        for code, r in summary.standards.items():
            names.setdefault(code, r.name)
    framework = rules.detect_framework(names)
    findings: list[dict] = []
    missing: list[str] = []

    def finding(level, kind, standard=None, **kw):
        row = {"report_id": ex.report_id, "level": level, "standard": standard, "kind": kind,
               "explained": kw.pop("explained", False)}
        row.update(kw)
        findings.append(row)

    if summary is None:
        missing.append("no ratings summary")
    if framework is None:
        missing.append("framework not recognised (no standard 3.4 or 4.1 found)")
    standards = rules.framework_standards(framework) if framework else {}
    codes = sorted(set(standards) | set(ex.section_ratings) | set(summary.standards if summary else {}))

    kq_by_standard: dict[str, list[dict]] = {}
    for row in ex.key_questions:
        kq_by_standard.setdefault(row["standard"], []).append(row)

    rating_rows, published, recomputed = [], {}, {}
    for code in codes:
        info = standards.get(code, {})
        sources = {
            "summary": summary.standards.get(code) if summary else None,
            "section": ex.section_ratings.get(code),
            "annex": ex.annex_ratings.get(code),
        }
        chosen_source, chosen = next(((k, v) for k, v in sources.items() if v and v.rating), (None, None))
        rating = chosen.rating if chosen else None
        published[code] = rating
        if rating is None and info:
            missing.append(f"no published rating for standard {code}")
        _rating_conflicts(ex, code, sources, finding)

        quantitative = bool(info.get("quantitative"))
        kqs = kq_by_standard.get(code, [])
        values = [_kq_value(r) for r in kqs]
        for row in kqs:
            if row.get("value_problem"):
                missing.append(f"{code}.{row['index']}: value unreadable")
                finding("standard", "unreadable_value", code, page=row["page"],
                        detail=f"key question {code}.{row['index']}: {row['value_problem']}")
        rating_recomputed, lowest = (None, None)
        rounding = False
        if quantitative:
            rating_recomputed, lowest = rules.standard_rating_from_key_questions(values)
            if rating_recomputed is None:
                missing.append(f"standard {code} has no key-question values")
            lowest_row = next((r for r in kqs if _kq_value(r) == lowest), None)
            if lowest_row and lowest_row.get("pct_exact") is not None \
                    and rules.rounding_could_flip(lowest_row["pct_exact"]):
                rounding = True
                finding("standard", "rounding_sensitive", code, published=rating,
                        recomputed=rating_recomputed, lowest_pct=lowest, page=lowest_row["page"],
                        detail=(f"{code}: lowest key question is {lowest_row['yes']}/{lowest_row['relevant']}"
                                f" = {lowest:.2f}%, {rating_recomputed}; printed rounded it would be "
                                f"{round(lowest)}%, {rules.band_for_pct(round(lowest))}"))
            elif rating_recomputed:
                rounding = _printed_rounding_check(ex, code, kqs, rating_recomputed, rating, finding)
            if rating and rating_recomputed and rating != rating_recomputed:
                explanation = ex.explanations.get(code)
                edge = rules.band_edge_distance(lowest, rating)
                question = lowest_row["question"] if lowest_row else ""
                finding("standard", "rating_differs_from_rule", code, published=rating,
                        recomputed=rating_recomputed, lowest_pct=lowest, points_to_band_edge=edge,
                        explained=explanation is not None,
                        explanation=explanation["text"] if explanation else None,
                        explanation_page=explanation["page"] if explanation else None,
                        page=(sources["section"] or chosen).page,
                        detail=(f"{code} {names.get(code, '')}: lowest key question "
                                f"{_fmt_pct(lowest)} ('{question}') is {rating_recomputed} under the rule; "
                                f"published {rating} is {edge:g} points from that band"
                                + (f" (explained in {explanation['where']})" if explanation else
                                   " (no explanation found in the report)")))
        recomputed[code] = rating_recomputed if quantitative and rating_recomputed else rating
        rating_rows.append({
            "report_id": ex.report_id, "domain": code.split(".")[0], "standard": code,
            "standard_name": info.get("name") or names.get(code), "rating": rating,
            "quantitative": quantitative, "lowest_pct": lowest,
            "rating_recomputed": rating_recomputed if quantitative else None,
            "page": chosen.page if chosen else None, "rating_source": chosen_source,
            "counts_in_score": bool(info) and info.get("counts_in_score", True),
            "rounding_sensitive": rounding,
            "section_page": sources["section"].page if sources["section"] else None,
            "annex_rating": sources["annex"].rating if sources["annex"] else None,
            "annex_page": sources["annex"].page if sources["annex"] else None,
        })

    _key_question_conflicts(ex, finding)

    printed_score = summary.score if summary else None
    score_page = summary.score_page if summary else None
    published_sum = rules.score(published, framework) if framework else None
    score_recomputed = rules.score(recomputed, framework) if framework else None
    limiting_code = rules.limiting_standard(framework) if framework else None
    overall_published = summary.overall if summary else None
    overall_recomputed = rules.overall(score_recomputed, recomputed.get(limiting_code))
    if printed_score is None and summary is not None:
        missing.append("no score printed")
    if overall_published is None:
        missing.append("no overall rating printed")

    if printed_score is not None and published_sum is not None and printed_score != published_sum:
        finding("score", "printed_score_differs_from_published_sum", published=str(printed_score),
                recomputed=str(published_sum), page=score_page,
                detail=f"printed score {printed_score}/36; the published standard ratings sum to {published_sum}")
    basis = printed_score if printed_score is not None else published_sum
    band = rules.overall(basis, published.get(limiting_code))
    if overall_published and band and overall_published != band:
        finding("overall", "overall_outside_score_band", published=overall_published, recomputed=band,
                page=summary.overall_page if summary else None,
                detail=(f"overall {overall_published}, but a score of {basis} is in the {band} band"))
    if overall_published and overall_recomputed and overall_published != overall_recomputed:
        divergent = [f for f in findings if f["kind"] == "rating_differs_from_rule"]
        finding("overall", "overall_differs_from_rule", published=overall_published,
                recomputed=overall_recomputed, page=summary.overall_page if summary else None,
                explained=bool(divergent) and all(f["explained"] for f in divergent),
                detail=(f"recomputed ratings score {score_recomputed}, which bands to {overall_recomputed}"))
    for what in missing:
        finding("report", "missing_section", detail=what, page=None)

    cases = {k: v[0] for k, v in ex.cases.items()}
    report_row = {
        "report_id": ex.report_id, "source_file": ex.source_file,
        "service_name": ex.identity.get("service_name"), "area": ex.identity.get("area"),
        "service_type": ex.identity.get("service_type"), "framework": framework,
        "overall_rating": overall_published, "score": printed_score,
        "score_recomputed": score_recomputed, "overall_recomputed": overall_recomputed,
        "cases_court": cases.get("court"), "cases_out_of_court": cases.get("out_of_court"),
        "cases_resettlement": cases.get("resettlement"), "pages": ex.pages,
        "status": "partial" if missing else "ok",
        "score_published_sum": published_sum,
        "resettlement_rating": published.get(limiting_code) if limiting_code else None,
        "overall_page": summary.overall_page if summary else None, "score_page": score_page,
        "sha256": ex.sha256, "missing": "; ".join(missing) or None,
    }
    return {"reports": [report_row], "ratings": rating_rows, "findings": findings}


def _printed_rounding_check(ex: Extraction, code: str, kqs: list[dict], recomputed: str,
                            published: str | None, finding) -> bool:
    """A printed % at a band edge, with at most N cases inspected, may stand
    for fractions in another band (65% of at most 17 cases can only be 11/17 =
    64.7%). Flag it when that could lower the standard's rating."""
    domain_cases = {"2": "court", "3": "out_of_court"}.get(code.split(".")[0])
    cases = ex.cases.get(domain_cases, (None, None))[0] if domain_cases else None
    if not cases:
        return False
    flagged = False
    for row in kqs:
        pct = row.get("pct_yes")
        if pct is None or row.get("relevant") is not None or not float(pct).is_integer():
            continue
        alternatives = rules.rounding_alternatives(pct, cases)
        lower = [(k, d, b) for k, d, b in alternatives
                 if rules.rating_points(b) < rules.rating_points(recomputed)]
        if not lower:
            continue
        possible = rules.fractions_printed_as(pct, cases)
        only = len({round(k / d, 6) for k, d in possible}) == len({round(k / d, 6) for k, d, _ in lower})
        shown = ", ".join(f"{k}/{d} = {100 * k / d:.1f}% ({b})" for k, d, b in lower[:4])
        finding("standard", "rounding_sensitive", code, published=published, recomputed=lower[0][2],
                lowest_pct=pct, page=row["page"],
                detail=(f"{code} key question {row['index']} prints {pct:.0f}% "
                        f"({rules.band_for_pct(pct)}); with at most {cases} cases inspected it "
                        + ("can only be " if only else "could be ") + shown))
        flagged = True
    return flagged


def _rating_conflicts(ex: Extraction, code: str, sources: dict, finding) -> None:
    present = [(k, v) for k, v in sources.items() if v and v.rating]
    for (name_a, a), (name_b, b) in zip(present, present[1:]):
        if a.rating != b.rating:
            finding("source", "rating_conflict", code, published=a.rating, recomputed=None,
                    page=a.page, source_a=name_a, value_a=a.rating, page_a=a.page,
                    source_b=name_b, value_b=b.rating, page_b=b.page,
                    detail=f"{code}: the {name_a} prints {a.rating} (page {a.page}), "
                           f"the {name_b} prints {b.rating} (page {b.page})")


def _key_question_conflicts(ex: Extraction, finding) -> None:
    for row in ex.key_questions:
        if row.get("source") != "section" or row.get("annex_page") is None:
            continue
        section_value = row.get("pct_yes")
        if section_value is None and row.get("pct_exact") is not None:
            section_value = round(row["pct_exact"])
        annex_value = row.get("annex_pct_yes")
        if section_value is None or annex_value is None or section_value == annex_value:
            continue
        code = row["standard"]
        finding("source", "key_question_conflict", code, page=row["page"],
                source_a="section", value_a=_fmt_pct(section_value), page_a=row["page"],
                source_b="annex", value_b=_fmt_pct(annex_value), page_b=row["annex_page"],
                detail=(f"{code} key question {row['index']} ('{row['question']}'): the section table "
                        f"prints {_fmt_pct(section_value)} (page {row['page']}), the annex prints "
                        f"{_fmt_pct(annex_value)} (page {row['annex_page']})"))
