"""The services x standards matrix: each cell compares a published rating with
the rating the rules give, as a state that every renderer shows with both a
colour and a symbol."""
from __future__ import annotations

from typing import Any

from pipeline.core.records import Row
from pipeline.core import rules

from pipeline.reconcile.rows import std_key
from pipeline.reconcile.wording import abbreviation

# state: (symbol, what it means); the order is the legend's
STATES: dict[str, tuple[str, str]] = {
    "agree": ("\u2713", "published rating is the rating the rule gives"),
    "above": ("\u25b2", "published above the rule, with no explanation in the report"),
    "above_explained": ("\u25b3", "published above the rule, explained in the report"),
    "below": ("\u25bc", "published below the rule, with no explanation in the report"),
    "below_explained": ("\u25bd", "published below the rule, explained in the report"),
    "qualitative": ("\u25cb", "judged, not banded (qualitative): the published rating stands"),
    "unchecked": ("?", "the rule could not be applied: a rating or a key question value is missing"),
    "absent": ("\u2013", "no rating: not in this report or not part of its framework"),
}
DIVERGING = {"above", "above_explained", "below", "below_explained"}


def legend() -> list[Row]:
    return [{"state": s, "symbol": sym, "label": label} for s, (sym, label) in STATES.items()]


def cell_state(published: str | None, recomputed: str | None, quantitative: bool,
               explained: bool) -> str:
    if not quantitative:
        return "qualitative" if published is not None else "unchecked"
    if published is None or recomputed is None:
        return "unchecked"
    if published == recomputed:
        return "agree"
    higher = (rules.rating_points(published) or 0) > (rules.rating_points(recomputed) or 0)
    return ("above" if higher else "below") + ("_explained" if explained else "")


def cell(label: str, published: str | None, recomputed: str | None, quantitative: bool,
         explained: bool, present: bool = True) -> dict[str, Any]:
    state = cell_state(published, recomputed, quantitative, explained) if present else "absent"
    symbol = STATES[state][0]
    shown = [abbreviation(published), symbol]
    if state in DIVERGING or (state == "unchecked" and recomputed is not None):
        shown.append(abbreviation(recomputed))
    # cells whose symbol says it all carry no tooltip (3,000 of them at 200 reports)
    if state in ("absent", "qualitative", "agree"):
        title = ""
    else:
        title = (f"{label}: published {published or 'not found'}, "
                 f"the rule gives {recomputed or 'no rating'}")
        if state in DIVERGING:
            title += "; explained in the report" if explained else "; no explanation in the report"
    return {"state": state, "symbol": symbol, "text": " ".join(s for s in shown if s),
            "title": title, "published": published, "recomputed": recomputed}


def standard_columns(ratings: list[Row]) -> list[str]:
    """Every standard of every framework whose rules are modelled, plus any
    other code the ratings hold, in numeric order."""
    codes = {code for fw in rules.frameworks() if rules.rules_modelled(fw) for code in rules.framework_standards(fw)}
    codes |= {r["standard"] for r in ratings if r["standard"]}
    return sorted(codes, key=std_key)


def build_matrix(reports: list[Row], ratings: list[Row], findings: list[Row],
                 anchors: dict[str, str]) -> dict[str, Any]:
    """One row per counted report (in the order given) with a cell for each
    standard and one for the overall rating."""
    columns = standard_columns(ratings)
    by_cell = {(r["report_id"], r["standard"]): r for r in ratings}
    explained = {(f["report_id"], f["standard"] if f["level"] == "standard" else f["level"])
                 for f in findings
                 if f["explained"] and f["kind"] in ("rating_differs_from_rule", "overall_differs_from_rule")}
    rows = []
    for rep in reports:
        rid = rep["report_id"]
        cells = []
        for code in columns:
            r = by_cell.get((rid, code))
            if r is None:
                cells.append({**cell(code, None, None, True, False, present=False), "standard": code})
                continue
            cells.append({**cell(code, r["rating"], r["rating_recomputed"], bool(r["quantitative"]),
                                 (rid, code) in explained), "standard": code})
        overall = cell("overall", rep.get("overall_rating"), rep.get("overall_recomputed"), True,
                       (rid, "overall") in explained)
        rows.append({"report_id": rid, "anchor": anchors[rid], "service_name": rep["service_name"],
                     "framework": rep.get("framework"), "cells": cells, "overall": overall})
    return {"columns": columns, "rows": rows, "legend": legend(),
            "counts": {s: sum(c["state"] == s for row in rows for c in row["cells"]) for s in STATES}}
