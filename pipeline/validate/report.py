"""Recompute each report's ratings from its own numbers under the published
rules, cross-check the sources, and say what disagrees.

Pure: takes the extracted records (an `Extraction`) and returns the rows of
every table for the report. It never looks at the text again. Each step is a
small function with its own tests; `validate` runs them in order. The checks
of one standard (its rating sources, key questions, rounding, divergence) are
in validate_standard.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.core import rules
from pipeline.validate.findings import Findings
from pipeline.core.records import Extraction, FindingKind as K, KeyQuestion, Level, Row, Sourced, Status
from pipeline.validate.standard import checked_key_questions, checked_prompts, key_question_conflicts, standard_row

__all__ = ["Extraction", "validate"]


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


def checked_scores(sources: list[Sourced], found: Findings, framework: str | None = None) -> list[Sourced]:
    """Printed scores within the limits; the rest become findings."""
    kept = []
    for s in sources:
        problem = rules.score_problem(int(s.value), s.out_of, framework)
        if problem:
            found.add(Level.SOURCE, K.VALUE_OUT_OF_RANGE, published=s.quote, page=s.page,
                      detail=f"the {s.source} prints '{s.quote}': {problem}; stored as null")
        else:
            kept.append(s)
    return kept


# ------------------------------------------------------------ score and overall

def score_findings(printed: Sourced | None, published_sum: int | None, found: Findings,
                   framework: str | None = None) -> None:
    if printed is not None and published_sum is not None and printed.value != published_sum:
        found.add(Level.SCORE, K.PRINTED_SCORE_DIFFERS_FROM_PUBLISHED_SUM, published=str(printed.value),
                  recomputed=str(published_sum), page=printed.page,
                  detail=(f"printed score {printed.value}/{rules.score_max(framework)}; the published standard "
                          f"ratings sum to {published_sum}"))


def overall_findings(overall: Sourced | None, basis: int | None, limiting: str | None,
                     overall_recomputed: str | None, score_recomputed: int | None,
                     found: Findings, framework: str | None = None) -> None:
    """The published overall against the band of the printed score (else the
    published ratings' sum), and against the recomputed overall."""
    if overall is None:
        return
    band = rules.overall(basis, limiting, framework)
    if band and overall.value != band:
        found.add(Level.OVERALL, K.OVERALL_OUTSIDE_SCORE_BAND, published=overall.value, recomputed=band,
                  page=overall.page, detail=f"overall {overall.value}, but a score of {basis} is in the {band} band")
    if overall_recomputed and overall.value != overall_recomputed:
        divergent = [f for f in found.rows if f["kind"] == K.RATING_DIFFERS_FROM_RULE]
        found.add(Level.OVERALL, K.OVERALL_DIFFERS_FROM_RULE, published=overall.value,
                  recomputed=overall_recomputed, page=overall.page,
                  explained=bool(divergent) and all(f["explained"] for f in divergent),
                  detail=f"recomputed ratings score {score_recomputed}, which bands to {overall_recomputed}")


# reports.missing's words for what reading the file found about it
_FILE_NOTES = {K.HIDDEN_TEXT: "hidden text that the visible text does not bear out",
               K.TRUNCATED_PARSE: "the file was not read to its end"}


def note_findings(ex: Extraction, found: Findings) -> None:
    """What the extractors saw and could not read, as source findings."""
    for note in ex.notes:
        if note.kind in (K.UNREADABLE_VALUE, K.UNANCHORED_QUESTION):
            found.missing.append(note.detail)  # printed, but not stored: the report is partial
        elif note.kind in _FILE_NOTES:
            found.doubts.append(_FILE_NOTES[note.kind])  # shown but contradicted, or not read to the end
        found.add(Level.SOURCE, note.kind, note.standard, published=note.printed, page=note.page,
                  detail=note.detail)


def chosen_cases(ex: Extraction, found: Findings) -> dict[str, Sourced | None]:
    order = rules.precedence("cases")
    return {kind: report_value(sources, order, K.CASES_CONFLICT, f"{kind.replace('_', '-')} cases inspected",
                               found)
            for kind, sources in ex.cases.items()}


def framework_of(ex: Extraction) -> tuple[str | None, dict[str, str]]:
    """The framework whose cues the report prints (title form, rated areas,
    standards only it has), else the one its standards' names tell; and the
    standards' printed names."""
    names = dict(ex.section_names)
    if ex.summary:
        for code, r in ex.summary.standards.items():
            names.setdefault(code, r.name)
    return rules.framework_of_cues(ex.framework_cues) or rules.detect_framework(names), names


def fitted_framework(ex: Extraction, framework: str | None, names: dict[str, str],
                     found: Findings) -> str | None:
    """The framework whose shape fits what the report prints, and a
    `framework_shape` finding (the report is then partial) for every way it
    does not: a standard 3.4 whose printed name is the other framework's
    (text injected to look like a 4.1 heading cannot switch a 2018 report to
    2021: the name 3.4 prints decides; a framework recognised by its cues is
    kept), or standards the framework does not have (their lines are not
    taken as ratings; see unlisted_standards for a framework the data knows
    only in part)."""
    cued = framework is not None and rules.framework_of_cues(ex.framework_cues) == framework
    by_name = rules.detect_framework({"3.4": names["3.4"]}) if names.get("3.4") and not cued else None
    if framework and by_name and by_name != framework:
        found.add(Level.REPORT, K.FRAMEWORK_SHAPE, page=None,
                  detail=f"standard 3.4 is printed as '{names['3.4']}', the {by_name} framework's, but the report "
                         f"also prints standards only the {framework} framework has; read as {by_name}")
        found.missing.append(f"the standards printed do not fit the {by_name} framework")
        framework = by_name
    if framework is None:
        return None
    extra = sorted(printed_standards(ex, names) - set(rules.framework_standards(framework)), key=rules.code_order)
    if extra and not rules.standards_complete(framework):
        unlisted_standards(ex, framework, extra, names, found)
    elif extra:
        shown = ", ".join(extra[:8]) + (f" and {len(extra) - 8} more" if len(extra) > 8 else "")
        found.add(Level.REPORT, K.FRAMEWORK_SHAPE, page=None,
                  detail=f"the report prints standards the {framework} framework does not have ({shown}); "
                         "they are not taken as ratings")
        found.missing.append(f"standards outside the {framework} framework")
    return framework


def printed_standards(ex: Extraction, names: dict[str, str]) -> set[str]:
    return set(names) | set(ex.section_ratings) | set(ex.summary.standards if ex.summary else {})


def unlisted_standards(ex: Extraction, framework: str, codes: list[str], names: dict[str, str],
                       found: Findings) -> None:
    """A framework the data knows only in part: each printed standard it
    does not list is kept under its printed code and name, with a finding."""
    for code in codes:
        printed = (ex.summary.standards.get(code) if ex.summary else None) or ex.section_ratings.get(code)
        name = f" '{names[code]}'" if names.get(code) else ""
        found.add(Level.STANDARD, K.FRAMEWORK_SHAPE, code, page=printed.page if printed else None,
                  detail=f"standard {code}{name} is printed, but patterns/standards.json does not list it for "
                         f"the {framework} framework; kept under the code and name printed")


# ------------------------------------------------------------ the report

def standards_rows(ex: Extraction, framework: str | None, names: dict[str, str], kqs: list[KeyQuestion],
                   cases: dict[str, int | None], found: Findings) -> list[Row]:
    """The ratings rows: with a framework, its standards only (fitted_framework
    noted any other); without one, every standard the report rates."""
    standards = rules.framework_standards(framework) if framework else {}
    printed = set(ex.section_ratings) | set(ex.summary.standards if ex.summary else {})
    codes = set(standards) or printed
    if framework and not rules.standards_complete(framework):
        codes |= printed  # kept as printed (unlisted_standards said so)
    return [standard_row(ex, code, standards.get(code, {}), names.get(code),
                         [kq for kq in kqs if kq.standard == code], cases, found, framework)
            for code in sorted(codes, key=rules.code_order)]


@dataclass
class ReportValues:
    """The report-level values: the score and overall rating as printed (by
    precedence), and as recomputed from the standards' ratings."""
    score: Sourced | None
    overall: Sourced | None
    published_sum: int | None  # the score the published standards' ratings add up to
    score_recomputed: int | None
    overall_recomputed: str | None
    resettlement_rating: str | None  # the limiting standard's published rating


def report_values(ex: Extraction, framework: str | None, rating_rows: list[Row], found: Findings) -> ReportValues:
    """The score and overall rating, printed and recomputed, with their findings."""
    published = {r["standard"]: r["rating"] for r in rating_rows}
    recomputed = {r["standard"]: r["rating_recomputed"] or r["rating"] for r in rating_rows}
    score = report_value(checked_scores(ex.score_sources, found, framework), rules.precedence("score"),
                         K.SCORE_CONFLICT, "the score", found)
    overall = report_value(ex.overall_sources, rules.precedence("overall"), K.OVERALL_CONFLICT,
                           "the overall rating", found)
    # no printed score is not missing: reports from before scores were printed
    # have none; `partial` is for what the report's own framework requires (a
    # score printed but unreadable is uncertain, so it counts)
    if score is None and ex.score_sources:
        found.missing.append("printed score out of range")
    if overall is None:
        found.missing.append("no overall rating printed")
    if framework and not rules.rules_modelled(framework):
        return ReportValues(score, overall, None, None, None, None)  # printed values only
    published_sum = rules.score(published, framework) if framework else None
    score_recomputed = rules.score(recomputed, framework) if framework else None
    limiting = rules.limiting_standard(framework) if framework else None
    overall_recomputed = rules.overall(score_recomputed, recomputed.get(limiting) if limiting else None, framework)
    score_findings(score, published_sum, found, framework)
    basis = int(score.value) if score is not None else published_sum
    overall_findings(overall, basis, published.get(limiting) if limiting else None, overall_recomputed,
                     score_recomputed, found, framework)
    return ReportValues(score, overall, published_sum, score_recomputed, overall_recomputed,
                        published.get(limiting) if limiting else None)


def report_row(ex: Extraction, framework: str | None, values: ReportValues,
               cases_sourced: dict[str, Sourced | None], found: Findings) -> Row:
    """The report's row of the `reports` table."""
    score, overall = values.score, values.overall
    cases = {k: int(v.value) if v else None for k, v in cases_sourced.items()}
    return {
        "report_id": ex.report_id, "source_file": ex.source_file,
        "service_name": ex.identity.service_name, "area": ex.identity.area,
        "service_type": ex.identity.service_type, "framework": framework,
        "overall_rating": overall.value if overall else None,
        "score": int(score.value) if score else None,
        "score_recomputed": values.score_recomputed, "overall_recomputed": values.overall_recomputed,
        "cases_court": cases.get("court"), "cases_out_of_court": cases.get("out_of_court"),
        "cases_resettlement": cases.get("resettlement"), "pages": ex.pages,
        "status": Status.PARTIAL if found.partial else Status.OK,
        "score_published_sum": values.published_sum,
        "resettlement_rating": values.resettlement_rating,
        "overall_page": overall.page if overall else None, "score_page": score.page if score else None,
        "sha256": ex.sha256, "missing": found.missing_text(),
        "overall_source": overall.source if overall else None,
        **{f"cases_{kind}_page": source.page if source else None for kind, source in cases_sourced.items()},
        # inspection_id and duplicate_of are set over the whole run (inspections.py)
        "service_key": ex.identity.service_key, **ex.dates.as_columns(),
        **area_columns(ex), "framework_cues": "; ".join(ex.framework_cues.get(framework or "", [])) or None,
    }


def area_columns(ex: Extraction) -> Row:
    """Each rated area's published rating and its page (null where the report
    prints none: every report of a framework without rated areas)."""
    out: Row = {}
    for key in rules.rated_areas():
        printed = ex.area_ratings.get(key)
        out[f"{key}_rating"] = printed.rating if printed else None
        out[f"{key}_rating_page"] = printed.page if printed and printed.rating else None
    return out


def validate(ex: Extraction) -> dict[str, list[Row]]:
    """Every table's rows for one report."""
    found = Findings(ex.report_id)
    framework, names = framework_of(ex)
    if ex.summary is None:
        found.missing.append("no ratings summary")
    framework = fitted_framework(ex, framework, names, found)
    if framework is None:
        found.missing.append("framework not recognised (no standard 3.4 or 4.1 found)")
    note_findings(ex, found)
    cases_sourced = chosen_cases(ex, found)
    cases = {k: int(v.value) if v else None for k, v in cases_sourced.items()}
    if not rules.rules_modelled(framework):
        cases = {}  # no sample split is known to hold its key questions' counts
    kqs = checked_key_questions(ex, framework, cases, found)
    prompts = checked_prompts(ex.prompts, cases, found)
    rating_rows = standards_rows(ex, framework, names, kqs, cases, found)
    key_question_conflicts(kqs, found)
    values = report_values(ex, framework, rating_rows, found)
    for what in found.missing:
        found.add(Level.REPORT, K.MISSING_SECTION, detail=what, page=None)
    if framework and not rules.rules_modelled(framework):
        found.not_recomputed(framework)
    report = report_row(ex, framework, values, cases_sourced, found)
    found.date_conflicts(ex.dates)
    return {"reports": [report], "ratings": rating_rows, "findings": found.rows,
            "key_questions": [kq.as_row(ex.report_id) for kq in kqs],
            "facts": [fact.as_row(ex.report_id) for fact in ex.facts],
            "recommendations": [item.as_row(ex.report_id) for item in ex.recommendations],
            "prompts": [prompt.as_row(ex.report_id) for prompt in prompts]}
