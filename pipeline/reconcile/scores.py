"""Published against recomputed scores: one comparison row per report, and
the geometry of the score chart. The score maximum and the score bands come
from pipeline.rules, so the chart follows the rules data."""
from __future__ import annotations

from typing import Any

from pipeline.core import rules
from pipeline.core.records import Row

from pipeline.reconcile.rows import text
from pipeline.reconcile.wording import DASH, or_dash, score_source_label

# Chart layout, in SVG user units (1:1 pixels at its full width, which fits an
# 800 px window; narrower windows scale it down).
WIDTH = 760
LABEL_WIDTH = 210
PLOT_WIDTH = 440
ROW_HEIGHT = 16
BAR_HEIGHT = 6
BAR_GAP = 1
TOP = 46
LABEL_CHARS = 31

PUBLISHED_COLOUR = "#1f5fa8"
RECOMPUTED_COLOUR = "#e07b00"
BAND_FILLS = ("#fbe3e1", "#fdf0d8", "#e3f2e1", "#dfeaf7", "#ece4f5", "#f0f0f0")


def _band(score: int | None) -> str | None:
    return rules.band_for_score(score) if score is not None else None


def score_rows(reports: list[Row], anchors: dict[str, str]) -> list[Row]:
    """Each report with a score on either side: the published score (printed,
    else the sum of its published ratings), the recomputed one, their bands."""
    out = []
    for r in reports:
        if r.get("score") is not None:
            published, source = r["score"], "printed"
        elif r.get("score_published_sum") is not None:
            published, source = r["score_published_sum"], "sum"
        else:
            published, source = None, None
        recomputed = r.get("score_recomputed")
        if published is None and recomputed is None:
            continue
        band_p, band_r = _band(published), _band(recomputed)
        comparable = published is not None and recomputed is not None
        out.append({
            "report_id": r["report_id"], "anchor": anchors[r["report_id"]],
            "service_name": r["service_name"], "published": published, "published_source": source,
            "published_from": score_source_label(source), "recomputed": recomputed,
            "band_published": band_p, "band_recomputed": band_r,
            "differs": comparable and published != recomputed,
            "band_changes": comparable and band_p != band_r,
            "published_text": or_dash(published), "recomputed_text": or_dash(recomputed),
            "band_published_text": or_dash(band_p), "band_recomputed_text": or_dash(band_r),
            "band_changes_text": ("yes" if band_p != band_r else "no") if comparable else DASH,
        })
    return out


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _truncate(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1].rstrip() + "\u2026"


def chart(rows: list[Row]) -> dict[str, Any]:
    """Geometry for the template: bands, ticks, one row of two bars per
    report (highest published score first), and the overall size."""
    top_score = rules.score_max()

    def x(v: float) -> float:
        return LABEL_WIDTH + PLOT_WIDTH * v / top_score

    ordered = sorted(rows, key=lambda c: (c["published"] is None, -(c["published"] or 0),
                                          -(c["recomputed"] or 0), text(c["service_name"]).lower()))
    plot_height = max(len(ordered), 1) * ROW_HEIGHT
    axis_y = TOP + plot_height
    bands, ticks = [], []
    for i, (low, high, name) in enumerate(rules.score_bands()):
        x0, x1 = x(max(low - 0.5, 0)), x(min(high + 0.5, top_score))
        bands.append({"x": _f(x0), "width": _f(x1 - x0), "centre": _f((x0 + x1) / 2), "name": name,
                      "range": f"{low}\u2013{high}", "fill": BAND_FILLS[i % len(BAND_FILLS)],
                      "low": low, "high": high})
        ticks.append({"x": _f(x(low)), "label": str(low)})
    ticks.append({"x": _f(x(top_score)), "label": str(top_score)})
    bars = []
    for i, c in enumerate(ordered):
        y = TOP + i * ROW_HEIGHT + (ROW_HEIGHT - 2 * BAR_HEIGHT - BAR_GAP) / 2
        sides = []
        for j, key in enumerate(("published", "recomputed")):
            v = c[key]
            if v is None:
                continue
            hatched = key == "published" and c["published_source"] == "sum"
            sides.append({
                "kind": key, "value": v, "x": LABEL_WIDTH, "y": _f(y + j * (BAR_HEIGHT + BAR_GAP)),
                "width": _f(max(x(v) - LABEL_WIDTH, 1)), "height": BAR_HEIGHT, "hatched": hatched,
                "fill": "url(#hatch)" if hatched else (PUBLISHED_COLOUR if key == "published"
                                                       else RECOMPUTED_COLOUR)})
        mark = "\u2020" if c["published_source"] == "sum" else ""
        published = DASH if c["published"] is None else f"{c['published']}{mark}"
        recomputed = DASH if c["recomputed"] is None else str(c["recomputed"])
        bars.append({
            "report_id": c["report_id"], "anchor": c["anchor"], "service_name": c["service_name"],
            "label": _truncate(text(c["service_name"]), LABEL_CHARS),
            "label_y": _f(TOP + i * ROW_HEIGHT + ROW_HEIGHT - 4),
            "row_y": TOP + i * ROW_HEIGHT, "shade": i % 2 == 1, "bars": sides,
            "value_text": f"{published} \u2192 {recomputed}" + (" *" if c["band_changes"] else ""),
            "band_changes": c["band_changes"]})
    return {
        "width": WIDTH, "height": axis_y + 40, "row_height": ROW_HEIGHT, "top": TOP, "axis_y": axis_y,
        "plot_left": LABEL_WIDTH, "plot_right": LABEL_WIDTH + PLOT_WIDTH, "plot_height": plot_height,
        "value_x": LABEL_WIDTH + PLOT_WIDTH + 8, "score_max": top_score,
        "bands": bands, "ticks": ticks, "rows": bars,
        "published_colour": PUBLISHED_COLOUR, "recomputed_colour": RECOMPUTED_COLOUR,
    }
