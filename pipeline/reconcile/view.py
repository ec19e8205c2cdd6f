"""The view model of the reconciliation report: a pure function of the output
tables (plain dicts and lists of display-ready text), which the HTML and the
Markdown templates both render. Each inspection is counted once: copies
(reports.duplicate_of set) are listed in a note and nowhere else."""
from __future__ import annotations

from typing import Any

import re

from pipeline.core.records import Row
from pipeline.core import rules

from pipeline.reconcile import headlines
from pipeline.reconcile.matrix import build_matrix
from pipeline.reconcile.rows import Corpus, read_corpus, std_key, text
from pipeline.reconcile.scores import chart, score_rows
from pipeline.reconcile.wording import (
    DASH,
    LEVEL_ORDER,
    explanation_text,
    fmt_num,
    fmt_page,
    fmt_pct,
    kind_label,
    lowest_text,
    other_counts,
    report_facts,
    side,
    std_label,
)

DIVERGENCE = "rating_differs_from_rule"
ROUNDING = "rounding_sensitive"
MISSING = "missing_section"
NOT_RECOMPUTED = "rules_not_modelled"
NOT_RECOMPUTED_MISSING = "not recomputed: rules not modelled"  # its words in reports.missing
TITLE = "Reconciliation of published ratings against the rules"


def _anchor(report_id: str | None) -> str:
    return "r-" + re.sub(r"[^A-Za-z0-9_-]", "-", text(report_id) or "unknown")


def _lowest_question(kqs: list[Row], lowest_pct: float | None) -> Row | None:
    """The key question whose value is the lowest % (the one the rule bands on)."""
    def val(k: Row) -> float | None:
        value: float | None = k["pct_exact"] if k["pct_exact"] is not None else k["pct_yes"]
        return value

    if lowest_pct is not None:
        for tolerance in (0.05, 0.5):
            for k in kqs:
                if any(v is not None and abs(v - lowest_pct) <= tolerance
                       for v in (k["pct_exact"], k["pct_yes"])):
                    return k
    with_values = [k for k in kqs if val(k) is not None]
    if not with_values:
        return None
    return min(with_values, key=lambda k: (val(k), k["index"] or 0))


def _question_ref(standard: str | None, q: Row | None) -> dict[str, Any] | None:
    if q is None:
        return None
    return {"code": f"{standard}.{q['index']}" if q["index"] is not None else text(standard),
            "question": q["question"], "page": q["page"],
            "pct": q["pct_yes"] if q["pct_yes"] is not None else q["pct_exact"]}


def _score_band_change(f: Row) -> str:
    """'yes'/'no' for a score-level finding whose two sides are whole numbers."""
    try:
        a, b = int(text(f["published"])), int(text(f["recomputed"]))
    except ValueError:
        return ""
    return "yes" if rules.band_for_score(a) != rules.band_for_score(b) else "no"


def _sorted_findings(corpus: Corpus, names: dict[str, str]) -> list[Row]:
    rank = {r["report_id"]: i for i, r in enumerate(corpus.reports)}
    return sorted(corpus.findings, key=lambda f: (
        rank.get(f["report_id"], len(rank)), names[f["report_id"]].lower(), text(f["report_id"]),
        LEVEL_ORDER.get(f["level"] or "", 9), std_key(f["standard"]), text(f["kind"]),
        text(f["detail"]), text(f["published"]), text(f["recomputed"]), text(f["value_a"]),
        text(f["value_b"])))


def _group_findings(corpus: Corpus, names: dict[str, str], frameworks: dict[str, str | None],
                    anchors: dict[str, str]) -> dict[str, list[Row]]:
    by_id = {r["report_id"]: r for r in corpus.reports}
    std_names = {(r["report_id"], r["standard"]): r["standard_name"] for r in corpus.ratings}
    kq_by_std: dict[tuple[str, str | None], list[Row]] = {}
    for k in corpus.key_questions:
        kq_by_std.setdefault((k["report_id"], k["standard"]), []).append(k)
    for v in kq_by_std.values():
        v.sort(key=lambda k: (k["index"] is None, k["index"] or 0))

    groups: dict[str, list[Row]] = {g: [] for g in
                                     ("divergences", "source_conflicts", "score_overall",
                                      "rounding", "missing", "not_recomputed", "other")}
    for f in _sorted_findings(corpus, names):
        rid = f["report_id"]
        base = {"report_id": rid, "anchor": anchors[rid], "service_name": names[rid],
                "framework": frameworks.get(rid), "level": f["level"], "kind": f["kind"],
                "kind_label": kind_label(f["kind"]), "standard": f["standard"],
                "standard_label": std_label(f["standard"], std_names.get((rid, f["standard"]))),
                "detail": f["detail"], "page": f["page"], "page_text": fmt_page(f["page"]),
                "published": f["published"], "recomputed": f["recomputed"]}
        if f["kind"] == DIVERGENCE:
            q = _question_ref(f["standard"], _lowest_question(kq_by_std.get((rid, f["standard"]), []),
                                                               f["lowest_pct"]))
            d = {**base, "lowest_pct": f["lowest_pct"], "lowest_pct_text": fmt_pct(f["lowest_pct"]),
                 "lowest_question": q, "lowest_text": lowest_text(q, f["lowest_pct"]),
                 "points_to_band_edge": f["points_to_band_edge"],
                 "points_text": fmt_num(f["points_to_band_edge"]),
                 "explained": bool(f["explained"]), "explanation": f["explanation"],
                 "explanation_page": f["explanation_page"],
                 "explanation_page_text": fmt_page(f["explanation_page"])}
            d["explanation_text"] = explanation_text(d)
            d["explained_text"] = "explained" if d["explained"] else "not explained"
            groups["divergences"].append(d)
        elif f["level"] == "source":
            groups["source_conflicts"].append({
                **base, "side_a": side(f["source_a"], f["value_a"], f["page_a"]),
                "side_b": side(f["source_b"], f["value_b"], f["page_b"])})
        elif f["level"] in ("score", "overall"):
            groups["score_overall"].append({**base, "band_change": (
                _score_band_change(f) if f["level"] == "score" else "")})
        elif f["kind"] == ROUNDING:
            groups["rounding"].append(base)
        elif f["kind"] == MISSING:
            groups["missing"].append(base)
        elif f["kind"] == NOT_RECOMPUTED:
            overall = by_id.get(rid, {}).get("overall_rating") or DASH
            groups["not_recomputed"].append({**base, "overall_rating": overall})
        else:
            groups["other"].append(base)
    _missing_named_only_in_reports(corpus, groups["missing"], names, anchors)
    return groups


def _missing_named_only_in_reports(corpus: Corpus, missing: list[Row], names: dict[str, str],
                                   anchors: dict[str, str]) -> None:
    """A partial report whose missing parts are named only in reports.missing."""
    named = {m["report_id"] for m in missing}
    for r in corpus.reports:
        # nothing recomputed is counted apart (not_recomputed), not as a missing part
        parts = [p for p in text(r.get("missing")).split("; ") if p and p != NOT_RECOMPUTED_MISSING]
        if parts and r["report_id"] not in named:
            rid = r["report_id"]
            missing.append({
                "report_id": rid, "anchor": anchors[rid], "service_name": names[rid],
                "level": "report", "kind": MISSING, "kind_label": kind_label(MISSING),
                "standard": None, "standard_label": DASH, "detail": f"missing: {'; '.join(parts)}",
                "page": None, "page_text": fmt_page(None), "published": None, "recomputed": None})


def _report_blocks(corpus: Corpus, groups: dict[str, list[Row]], names: dict[str, str],
                   anchors: dict[str, str]) -> list[Row]:
    """One block per counted report, then one per report_id that has findings
    but no reports row (kept visible)."""
    known = {r["report_id"] for r in corpus.reports}
    orphans = sorted({f["report_id"] for f in corpus.findings if f["report_id"] not in known},
                     key=text)
    blocks = []
    for rid, r in [(r["report_id"], r) for r in corpus.reports] + [(o, {}) for o in orphans]:
        divergences = [d for d in groups["divergences"] if d["report_id"] == rid]
        counts = {g: sum(c["report_id"] == rid for c in groups[g])
                  for g in ("source_conflicts", "score_overall", "rounding", "missing", "not_recomputed", "other")}
        total = len(divergences) + sum(counts.values())
        unexplained = sum(not d["explained"] for d in divergences)
        blocks.append({
            "report_id": rid, "anchor": anchors[rid], "service_name": names[rid],
            "source_file": r.get("source_file"), "framework": r.get("framework"),
            "facts": report_facts(r), "divergences": divergences, "counts": counts,
            "other_counts": other_counts(counts), "findings": total,
            "headline": (f"{total} finding{'s' if total != 1 else ''}"
                         + (f", {len(divergences)} divergent "
                            f"({unexplained} not explained)" if divergences else "")),
        })
    return blocks


def _copies(corpus: Corpus) -> list[Row]:
    out = []
    for c in corpus.copies:
        primary = corpus.all_reports.get(c["duplicate_of"], {})
        out.append({"report_id": c["report_id"], "source_file": c["source_file"],
                    "service_name": c["service_name"], "duplicate_of": c["duplicate_of"],
                    "primary_file": primary.get("source_file"),
                    "primary_anchor": _anchor(c["duplicate_of"]) if primary else None})
    for e in corpus.copied_files:
        out.append({"report_id": None, "source_file": e["source_file"], "service_name": None,
                    "duplicate_of": None, "primary_file": None, "primary_anchor": None,
                    "message": e["message"]})
    return out


def build_view(tables: dict[str, Any]) -> dict[str, Any]:
    """Everything the report shows, from the tables alone."""
    corpus = read_corpus(tables)
    ids = [r["report_id"] for r in corpus.reports] + [f["report_id"] for f in corpus.findings]
    by_id = {r["report_id"]: r for r in corpus.reports}
    names = {rid: (by_id.get(rid, {}).get("service_name")
                   or (f"report {rid}" if rid else "unknown report")) for rid in ids}
    anchors = {rid: _anchor(rid) for rid in ids}
    for r in corpus.reports:
        r["service_name"] = names[r["report_id"]]
    frameworks = {rid: r.get("framework") for rid, r in by_id.items()}

    groups = _group_findings(corpus, names, frameworks, anchors)
    # a report whose framework's rules are not modelled has nothing to set
    # against the rules: it is listed apart (not_recomputed), never as agreeing
    recomputed = [r for r in corpus.reports if rules.rules_modelled(r.get("framework"))]
    kept = {r["report_id"] for r in recomputed}
    scores = score_rows(recomputed, anchors)
    matrix = build_matrix(recomputed, [g for g in corpus.ratings if g["report_id"] in kept], corpus.findings,
                          anchors)
    summary = headlines.summary_counts(corpus, groups, scores)
    divergences = groups["divergences"]
    return {
        "title": TITLE,
        "summary": summary,
        "summary_lines": headlines.summary_lines(summary),
        "headlines": headlines.headlines(summary),
        "matrix": matrix,
        "divergence_filters": {
            "frameworks": sorted({text(d["framework"]) or "unknown" for d in divergences}),
            "standards": sorted({text(d["standard"]) for d in divergences if d["standard"]}, key=std_key),
        },
        "scores": sorted(scores, key=lambda c: (text(c["service_name"]).lower(), c["report_id"])),
        "scores_headline": headlines.scores_headline(summary),
        "score_overall_headline": headlines.score_overall_headline(summary),
        "chart": chart(scores),
        "reports": _report_blocks(corpus, groups, names, anchors),
        **groups,
        "errors": corpus.errors,
        "copies": _copies(corpus),
    }
