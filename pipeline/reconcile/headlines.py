"""The counts at the top of the report and the sentences that say what they
mean: a count of score differences always says whether any changes a band."""
from __future__ import annotations

from typing import Any

from pipeline.core.records import Row
from pipeline.reconcile.rows import Corpus
from pipeline.reconcile.wording import plural


def summary_counts(corpus: Corpus, groups: dict[str, list[Row]], scores: list[Row]) -> dict[str, Any]:
    status = {"ok": 0, "partial": 0, "failed": 0}
    for r in corpus.reports:
        st = r["status"] or "unknown"
        status[st] = status.get(st, 0) + 1
    divergences = groups["divergences"]
    score_overall = groups["score_overall"]
    printed_vs_sum = [s for s in score_overall if s["level"] == "score"]
    return {
        "reports": len(corpus.reports),
        "status": status,
        "copies": len(corpus.copies) + len(corpus.copied_files),
        "files_with_errors": len({e["source_file"] for e in corpus.errors}),
        "standards_checked": sum(1 for r in corpus.ratings
                                 if r["quantitative"] and r["rating_recomputed"] is not None),
        "divergences": len(divergences),
        "explained": sum(d["explained"] for d in divergences),
        "not_explained": sum(not d["explained"] for d in divergences),
        "source_conflicts": len(groups["source_conflicts"]),
        "score_disagreements": len(printed_vs_sum),
        "score_disagreements_changing_band": sum(s["band_change"] == "yes" for s in printed_vs_sum),
        "overall_disagreements": sum(1 for s in score_overall if s["level"] == "overall"),
        "scores_compared": sum(1 for s in scores
                               if s["published"] is not None and s["recomputed"] is not None),
        "scores_differing": sum(s["differs"] for s in scores),
        "scores_changing_band": sum(s["band_changes"] for s in scores),
        "rounding_sensitive": len(groups["rounding"]),
        "missing_sections": len(groups["missing"]),
        "not_recomputed": len(groups["not_recomputed"]),
        "not_recomputed_frameworks": sorted({str(g["framework"]) for g in groups["not_recomputed"]}),
        "other_findings": len(groups["other"]),
        # everything listed: findings rows plus parts named only in reports.missing
        "findings": sum(len(g) for g in groups.values()),
    }


def summary_lines(s: dict[str, Any]) -> list[str]:
    st = s["status"]
    extra = "".join(f", {k} {v}" for k, v in sorted(st.items()) if k not in ("ok", "partial", "failed"))
    lines = [
        (f"Reports: {s['reports']} (ok {st.get('ok', 0)}, partial {st.get('partial', 0)}, "
         f"failed {st.get('failed', 0)}{extra})"),
        f"Standards checked against the banding rule: {s['standards_checked']}",
        (f"Divergences from the rule: {s['divergences']} "
         f"(explained in the report: {s['explained']}; not explained: {s['not_explained']})"),
        f"Source conflicts (section or summary against annex): {s['source_conflicts']}",
        f"Printed score disagreements: {s['score_disagreements']}",
        f"Overall rating disagreements: {s['overall_disagreements']}",
        f"Rounding-sensitive results: {s['rounding_sensitive']}",
        f"Missing sections: {s['missing_sections']}",
    ]
    if s["not_recomputed"]:
        lines.append(f"Not recomputed: rules not modelled: {s['not_recomputed']} "
                     f"(framework {', '.join(s['not_recomputed_frameworks'])})")
    if s["other_findings"]:
        lines.append(f"Other findings: {s['other_findings']}")
    if s["files_with_errors"]:
        lines.append(f"Files with errors: {s['files_with_errors']}")
    if s["copies"]:
        lines.append(f"Copies of a counted inspection, not counted: {s['copies']}")
    return lines


def _band_clause(changing: int, total: int) -> str:
    if changing == 0:
        return ("none of them changes the score band" if total > 1
                else "it does not change the score band")
    if changing == total:
        return ("each of them moves the score into another band" if total > 1
                else "it moves the score into another band")
    return f"{changing} of them {'moves' if changing == 1 else 'move'} the score into another band"


def scores_headline(s: dict[str, Any]) -> str:
    if not s["scores_compared"]:
        return "No report has both a published and a recomputed score."
    if not s["scores_differing"]:
        return (f"In all {plural(s['scores_compared'], 'report')} with both scores, the recomputed "
                "score equals the published one.")
    return (f"The recomputed score differs from the published one in {s['scores_differing']} of "
            f"{plural(s['scores_compared'], 'report')}; "
            f"{_band_clause(s['scores_changing_band'], s['scores_differing'])}.")


def _overall_sentence(s: dict[str, Any]) -> str:
    n = s["overall_disagreements"]
    if not n:
        return "No published overall rating differs from the rules"
    return f"{plural(n, 'published overall rating')} {'differs' if n == 1 else 'differ'} from the rules"


def _printed_score_sentence(s: dict[str, Any]) -> str:
    n = s["score_disagreements"]
    return (f"{plural(n, 'report')} {'prints' if n == 1 else 'print'} a score other than the sum of "
            f"{'its' if n == 1 else 'their'} published ratings; "
            f"{_band_clause(s['score_disagreements_changing_band'], n)}.")


def score_overall_headline(s: dict[str, Any]) -> str:
    """Above the score and overall table: what its rows change."""
    if not s["score_disagreements"] and not s["overall_disagreements"]:
        return "No score or overall rating disagreements."
    printed = (_printed_score_sentence(s) if s["score_disagreements"]
               else "Every printed score is the sum of its report's published ratings.")
    return f"{printed} {_overall_sentence(s)}."


def headlines(s: dict[str, Any]) -> list[str]:
    """Sentences for the top of the report, each saying what a count means."""
    out = []
    st = s["status"]
    reports = f"{plural(s['reports'], 'inspection report')} read"
    if st.get("partial") or st.get("failed"):
        reports += f" ({st.get('partial', 0)} partial, {st.get('failed', 0)} failed)"
    if s["copies"]:
        reports += (f"; {plural(s['copies'], 'further file')} "
                    f"{'is a copy' if s['copies'] == 1 else 'are copies'} of one of these "
                    "inspections and counted once (see Copies)")
    out.append(reports + ".")
    if not s["standards_checked"]:
        out.append("No standard could be checked against the banding rule.")
    elif not s["divergences"]:
        out.append(f"All {plural(s['standards_checked'], 'standard rating')} checked against the "
                   "banding rule agree with it.")
    else:
        out.append(f"{s['divergences']} of {plural(s['standards_checked'], 'standard rating')} "
                   f"checked against the banding rule differ from it: {s['explained']} explained in "
                   f"the report, {s['not_explained']} not explained.")
    differing, changing = s["scores_differing"], s["scores_changing_band"]
    overall = _overall_sentence(s)
    if differing:
        overall += (f"; the recomputed score differs from the published one in {differing} of "
                    f"{plural(s['scores_compared'], 'report')}"
                    + (", but " if not changing else ", and ") + _band_clause(changing, differing))
    out.append(overall + ".")
    if s["score_disagreements"]:
        out.append(_printed_score_sentence(s))
    if s["source_conflicts"]:
        out.append(f"{plural(s['source_conflicts'], 'value')} "
                   f"{'disagrees' if s['source_conflicts'] == 1 else 'disagree'} between two places in the "
                   "same report (section, summary or annex).")
    if s["not_recomputed"]:
        n = s["not_recomputed"]
        out.append(f"{plural(n, 'report')} of the {', '.join(s['not_recomputed_frameworks'])} framework "
                   f"{'is' if n == 1 else 'are'} not recomputed: rules not modelled. "
                   f"{'It is' if n == 1 else 'They are'} read for what {'it prints' if n == 1 else 'they print'} "
                   "and counted apart, never as agreeing with the rules.")
    if s["findings"] == 0:
        out.append("No findings: every published rating, score and overall rating agrees with the "
                   "rules and every source agrees with the others.")
    return out
