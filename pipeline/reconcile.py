"""The reconciliation report: where published ratings and the published rules
disagree, built only from rows of the output tables.

`build_reconciliation(tables)` turns the tables into a plain summary model (a
dict of lists of dicts); `render_markdown`, `render_html` render that model;
`findings_csv` is the findings table as CSV with the report's name beside each
row; `write_reconciliation(parsed_dir)` writes all three next to the Parquet
files. Output is deterministic: the same tables give byte-identical files.
"""
from __future__ import annotations

import csv
import html
import io
import math
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa

from pipeline import store

LEVEL_ORDER = {"report": 0, "standard": 1, "source": 2, "score": 3, "overall": 4}

KIND_LABELS = {
    "rating_differs_from_rule": "Published rating differs from the banding rule",
    "rounding_sensitive": "A rounding step could flip the band",
    "key_question_conflict": "Key question values disagree between sources",
    "rating_conflict": "Rating disagrees between sources",
    "printed_score_differs_from_published_sum": "Printed score differs from the sum of published ratings",
    "overall_outside_score_band": "Published overall rating is outside the band of the printed score",
    "overall_differs_from_rule": "Published overall rating differs from the overall recomputed from the rules",
    "missing_section": "Missing section",
}

DIVERGENCE = "rating_differs_from_rule"
ROUNDING = "rounding_sensitive"
MISSING = "missing_section"
NOT_EXPLAINED = "not explained in the report"
MAX_SCORE = 36
# Score bands (0-6, 7-18, 19-30, 31-36), drawn on the chart.
SCORE_BANDS = [(0, 6, "Inadequate"), (7, 18, "Requires improvement"),
               (19, 30, "Good"), (31, 36, "Outstanding")]


# --------------------------------------------------------------------------
# reading tables (pyarrow or pandas) into plain rows
# --------------------------------------------------------------------------

def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:  # pandas.NA / NaT
        import pandas as pd
        return v is pd.NA or v is pd.NaT
    except Exception:  # pragma: no cover - pandas is a dependency
        return False


def _rows(tables: dict, name: str) -> list[dict]:
    """Rows of one table as dicts with every schema column (nulls as None),
    values typed per the schema, whether the table is pyarrow or pandas."""
    schema = store.SCHEMAS[name]
    t = tables.get(name)
    if t is None:
        return []
    if isinstance(t, pa.Table):
        raw = t.to_pylist()
    else:  # pandas.DataFrame
        raw = t.to_dict("records")
    out = []
    for r in raw:
        row = {}
        for f in schema:
            v = r.get(f.name)
            if _is_missing(v):
                v = None
            elif pa.types.is_integer(f.type):
                v = int(v)
            elif pa.types.is_floating(f.type):
                v = float(v)
            elif pa.types.is_boolean(f.type):
                v = bool(v)
            elif pa.types.is_string(f.type):
                v = str(v)
            row[f.name] = v
        # keep extra columns a caller may have added
        for k, v in r.items():
            if k not in row:
                row[k] = None if _is_missing(v) else v
        out.append(row)
    return out


def _std_key(s: str | None) -> tuple:
    if not s:
        return (999,)
    parts = []
    for p in str(s).split("."):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return tuple(parts)


def _s(v: Any) -> str:
    return "" if v is None else str(v)


def fmt_num(v: float | int | None, suffix: str = "") -> str:
    """62.0 -> '62', 61.9047 -> '61.9'; None -> ''."""
    if v is None:
        return ""
    if isinstance(v, int):
        return f"{v}{suffix}"
    txt = f"{v:.1f}"
    if txt.endswith(".0"):
        txt = txt[:-2]
    return f"{txt}{suffix}"


def fmt_pct(v: float | None) -> str:
    return fmt_num(v, "%")


def fmt_page(p: int | None) -> str:
    return f"p. {p}" if p is not None else "page unknown"


# --------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------

def _lowest_question(kqs: list[dict], lowest_pct: float | None) -> dict | None:
    """The key question whose value is the lowest % (the one the rule bands on)."""
    if not kqs:
        return None

    def val(k):
        return k["pct_exact"] if k["pct_exact"] is not None else k["pct_yes"]

    if lowest_pct is not None:
        for k in kqs:
            for v in (k["pct_exact"], k["pct_yes"]):
                if v is not None and abs(v - lowest_pct) < 0.05:
                    return k
        for k in kqs:
            for v in (k["pct_exact"], k["pct_yes"]):
                if v is not None and abs(v - lowest_pct) <= 0.5:
                    return k
    with_values = [k for k in kqs if val(k) is not None]
    if not with_values:
        return None
    return min(with_values, key=lambda k: (val(k), k["index"] or 0))


def build_reconciliation(tables: dict) -> dict:
    """A plain model of the reconciliation: counts, per-report divergences,
    source conflicts, score/overall disagreements, rounding-sensitive results,
    missing sections, unreadable files and the score chart data."""
    reports = _rows(tables, "reports")
    ratings = _rows(tables, "ratings")
    kqs = _rows(tables, "key_questions")
    findings = _rows(tables, "findings")
    errors = _rows(tables, "errors")

    reports.sort(key=lambda r: (_s(r["service_name"]).lower(), _s(r["report_id"]),
                                _s(r["source_file"])))
    by_id = {r["report_id"]: r for r in reports}

    def report_info(rid: str | None) -> dict:
        r = by_id.get(rid) or {}
        return {
            "report_id": rid,
            "service_name": r.get("service_name") or (f"report {rid}" if rid else "unknown report"),
            "source_file": r.get("source_file"),
        }

    std_names = {(r["report_id"], r["standard"]): r["standard_name"] for r in ratings}
    kq_by_std: dict[tuple, list[dict]] = {}
    for k in kqs:
        kq_by_std.setdefault((k["report_id"], k["standard"]), []).append(k)
    for v in kq_by_std.values():
        v.sort(key=lambda k: (k["index"] is None, k["index"] or 0))

    report_rank = {r["report_id"]: i for i, r in enumerate(reports)}

    def fkey(f: dict) -> tuple:
        info = report_info(f["report_id"])
        return (report_rank.get(f["report_id"], len(reports)),
                _s(info["service_name"]).lower(), _s(f["report_id"]),
                LEVEL_ORDER.get(f["level"] or "", 9), _std_key(f["standard"]),
                _s(f["kind"]), _s(f["detail"]), _s(f["published"]), _s(f["recomputed"]),
                _s(f["value_a"]), _s(f["value_b"]))

    findings.sort(key=fkey)

    divergences, conflicts, score_overall, rounding, missing, other = [], [], [], [], [], []
    for f in findings:
        base = {**report_info(f["report_id"]),
                "level": f["level"], "kind": f["kind"],
                "kind_label": KIND_LABELS.get(f["kind"] or "", f["kind"] or ""),
                "standard": f["standard"],
                "standard_name": std_names.get((f["report_id"], f["standard"])),
                "detail": f["detail"], "page": f["page"]}
        kind = f["kind"]
        if kind == DIVERGENCE:
            q = _lowest_question(kq_by_std.get((f["report_id"], f["standard"]), []),
                                 f["lowest_pct"])
            lowest_q = None
            if q is not None:
                lowest_q = {
                    "code": f"{f['standard']}.{q['index']}" if q["index"] is not None else f["standard"],
                    "question": q["question"],
                    "pct": q["pct_yes"] if q["pct_yes"] is not None else q["pct_exact"],
                    "page": q["page"],
                }
            divergences.append({**base,
                                "published": f["published"], "recomputed": f["recomputed"],
                                "lowest_pct": f["lowest_pct"], "lowest_question": lowest_q,
                                "points_to_band_edge": f["points_to_band_edge"],
                                "explained": bool(f["explained"]),
                                "explanation": f["explanation"],
                                "explanation_page": f["explanation_page"]})
        elif f["level"] == "source":
            conflicts.append({**base,
                              "source_a": f["source_a"], "value_a": f["value_a"], "page_a": f["page_a"],
                              "source_b": f["source_b"], "value_b": f["value_b"], "page_b": f["page_b"]})
        elif f["level"] in ("score", "overall"):
            score_overall.append({**base, "published": f["published"], "recomputed": f["recomputed"]})
        elif kind == ROUNDING:
            rounding.append({**base, "published": f["published"], "recomputed": f["recomputed"],
                             "lowest_pct": f["lowest_pct"]})
        elif kind == MISSING:
            missing.append(base)
        else:
            other.append({**base, "published": f["published"], "recomputed": f["recomputed"],
                          "explanation": f["explanation"]})

    # A partial report whose missing parts are only in reports.missing.
    reported_missing_rows = list(missing)
    reported_missing = {m["report_id"] for m in missing}
    for r in reports:
        if r.get("missing") and r["report_id"] not in reported_missing:
            missing.append({**report_info(r["report_id"]), "level": "report", "kind": MISSING,
                            "kind_label": KIND_LABELS[MISSING], "standard": None,
                            "standard_name": None, "detail": f"missing: {r['missing']}",
                            "page": None})

    def entry(rid: str, r: dict) -> dict:
        """One report's block; `r` is its reports row ({} for findings whose
        report_id is not in the reports table: they stay visible)."""
        return {
            "report_id": rid,
            "service_name": report_info(rid)["service_name"],
            **{k: r.get(k) for k in ("source_file", "framework", "status", "overall_rating",
                                     "overall_recomputed", "score", "score_recomputed",
                                     "score_published_sum")},
            "divergences": [d for d in divergences if d["report_id"] == rid],
            "counts": {name: sum(c["report_id"] == rid for c in rows)
                       for name, rows in (("source_conflicts", conflicts), ("score_overall", score_overall),
                                          ("rounding", rounding), ("missing", missing), ("other", other))},
        }

    per_report = [entry(r["report_id"], r) for r in reports]
    orphan_ids = sorted({f["report_id"] for f in findings if f["report_id"] not in by_id},
                        key=lambda x: _s(x))
    per_report += [entry(rid, {}) for rid in orphan_ids]
    for r in per_report:
        r["findings"] = len(r["divergences"]) + sum(r["counts"].values())

    chart = []
    for r in reports:
        if r["score"] is not None:
            published, source = r["score"], "printed"
        elif r["score_published_sum"] is not None:
            published, source = r["score_published_sum"], "sum"
        else:
            published, source = None, None
        if published is None and r["score_recomputed"] is None:
            continue
        chart.append({"report_id": r["report_id"], "service_name": report_info(r["report_id"])["service_name"],
                      "published": published, "published_source": source,
                      "recomputed": r["score_recomputed"]})

    status_counts = {"ok": 0, "partial": 0, "failed": 0}
    for r in reports:
        st = r["status"] or "unknown"
        status_counts[st] = status_counts.get(st, 0) + 1

    errors.sort(key=lambda e: (_s(e["source_file"]), _s(e["stage"]), _s(e["error"]), _s(e["message"])))

    checked = sum(1 for r in ratings if r["quantitative"] and r["rating_recomputed"] is not None)
    summary = {
        "reports": len(reports),
        "status": status_counts,
        "files_with_errors": len({e["source_file"] for e in errors}),
        "standards_checked": checked,
        "divergences": len(divergences),
        "explained": sum(d["explained"] for d in divergences),
        "not_explained": sum(not d["explained"] for d in divergences),
        "source_conflicts": len(conflicts),
        "score_disagreements": sum(1 for s in score_overall if s["level"] == "score"),
        "overall_disagreements": sum(1 for s in score_overall if s["level"] == "overall"),
        "rounding_sensitive": len(rounding),
        "missing_sections": len(missing),
        "other_findings": len(other),
        # everything listed: finding rows plus missing parts named only in reports.missing
        "findings": len(findings) + len(missing) - len(reported_missing_rows),
    }
    return {
        "summary": summary,
        "reports": per_report,
        "divergences": divergences,
        "source_conflicts": conflicts,
        "score_overall": score_overall,
        "rounding": rounding,
        "missing": missing,
        "other": other,
        "errors": errors,
        "chart": chart,
    }


# --------------------------------------------------------------------------
# shared wording
# --------------------------------------------------------------------------

def _summary_lines(s: dict) -> list[str]:
    st = s["status"]
    extra = "".join(f", {k} {v}" for k, v in sorted(st.items()) if k not in ("ok", "partial", "failed"))
    lines = [
        f"Reports: {s['reports']} (ok {st.get('ok', 0)}, partial {st.get('partial', 0)}, "
        f"failed {st.get('failed', 0)}{extra})",
        f"Standards checked against the banding rule: {s['standards_checked']}",
        f"Divergences from the rule: {s['divergences']} "
        f"(explained in the report: {s['explained']}; not explained: {s['not_explained']})",
        f"Source conflicts (section or summary against annex): {s['source_conflicts']}",
        f"Printed score disagreements: {s['score_disagreements']}",
        f"Overall rating disagreements: {s['overall_disagreements']}",
        f"Rounding-sensitive results: {s['rounding_sensitive']}",
        f"Missing sections: {s['missing_sections']}",
    ]
    if s["other_findings"]:
        lines.append(f"Other findings: {s['other_findings']}")
    if s["files_with_errors"]:
        lines.append(f"Files with errors: {s['files_with_errors']}")
    return lines


def _rating_or_dash(v: Any) -> str:
    return "—" if v is None else str(v)


def _report_facts(r: dict) -> str:
    parts = []
    if r["framework"]:
        parts.append(f"framework {r['framework']}")
    if r["status"]:
        parts.append(f"status {r['status']}")
    parts.append(f"overall published {_rating_or_dash(r['overall_rating'])}, "
                 f"recomputed {_rating_or_dash(r['overall_recomputed'])}")
    score = f"score printed {_rating_or_dash(r['score'])}"
    score += f", sum of published ratings {_rating_or_dash(r['score_published_sum'])}"
    score += f", recomputed {_rating_or_dash(r['score_recomputed'])}"
    parts.append(score)
    return "; ".join(parts)


def _other_counts(r: dict) -> str:
    c = r["counts"]
    bits = []
    for key, label in (("source_conflicts", "source conflict"), ("score_overall", "score/overall disagreement"),
                       ("rounding", "rounding-sensitive result"), ("missing", "missing section"),
                       ("other", "other finding")):
        if c[key]:
            bits.append(f"{c[key]} {label}{'s' if c[key] != 1 else ''}")
    return ", ".join(bits)


def _explanation_text(d: dict) -> str:
    if d["explanation"]:
        return f"\u201c{d['explanation']}\u201d ({fmt_page(d['explanation_page'])})"
    if d["explained"]:
        return f"explained in the report ({fmt_page(d['explanation_page'])}; no quote extracted)"
    return NOT_EXPLAINED


def _lowest_text(d: dict) -> str:
    q = d["lowest_question"]
    if q is None:
        return fmt_pct(d["lowest_pct"]) if d["lowest_pct"] is not None else "—"
    txt = q["code"]
    if q["question"]:
        txt += f" {q['question']}"
    return txt


def _std_label(d: dict) -> str:
    if d.get("standard_name"):
        return f"{d['standard']} {d['standard_name']}"
    return _s(d.get("standard")) or "—"


def _side(source: Any, value: Any, page: Any) -> str:
    return f"{_s(source) or 'source'}: {_s(value) or '—'} ({fmt_page(page)})"


def _score_source_label(c: dict) -> str:
    return "printed score" if c["published_source"] == "printed" else (
        "sum of published ratings (no printed score)" if c["published_source"] == "sum" else "none")


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------

def _md_cell(v: Any) -> str:
    return _s(v).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()


def _md_table(headers: list[str], rows: Iterable[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(_md_cell(h) for h in headers) + " |",
           "|" + "|".join(" --- " for _ in headers) + "|"]
    for row in rows:
        out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
    return out


def render_markdown(model: dict) -> str:
    s = model["summary"]
    L: list[str] = ["# Reconciliation of published ratings against the rules", ""]
    L += ["## Summary", ""]
    L += [f"- {line}" for line in _summary_lines(s)]
    L.append("")
    if s["findings"] == 0:
        L += ["No findings: every published rating, score and overall rating agrees with the rules "
              "and every source agrees with the others.", ""]

    L += ["## Divergent ratings, by report", ""]
    if not model["reports"]:
        L += ["No reports.", ""]
    for r in model["reports"]:
        L.append(f"### {_md_cell(r['service_name'])}")
        L.append("")
        ident = f"report_id `{r['report_id']}`"
        if r["source_file"]:
            ident += f", source file `{r['source_file']}`"
        L.append(ident)
        L.append("")
        L.append(_md_cell(_report_facts(r)))
        L.append("")
        if r["divergences"]:
            L += _md_table(
                ["Standard", "Published", "Recomputed", "Lowest key question", "Lowest %",
                 "Points to band edge", "Section page", "Report's explanation"],
                [[_std_label(d), d["published"], d["recomputed"], _lowest_text(d),
                  fmt_pct(d["lowest_pct"]), fmt_num(d["points_to_band_edge"]),
                  _s(d["page"]), _explanation_text(d)] for d in r["divergences"]])
            L.append("")
        elif r["findings"] == 0:
            L += ["No findings for this report.", ""]
        else:
            L += ["No divergent standards.", ""]
        others = _other_counts(r)
        if others:
            L += [f"Also: {others} (listed below).", ""]

    L += ["## Source conflicts", ""]
    if model["source_conflicts"]:
        L += _md_table(["Report", "Standard", "Kind", "Side A", "Side B", "Detail"],
                       [[c["service_name"], _std_label(c), c["kind"],
                         _side(c["source_a"], c["value_a"], c["page_a"]),
                         _side(c["source_b"], c["value_b"], c["page_b"]), c["detail"]]
                        for c in model["source_conflicts"]])
    else:
        L.append("No source conflicts.")
    L.append("")

    L += ["## Score and overall rating disagreements", ""]
    if model["score_overall"]:
        L += _md_table(["Report", "Finding", "Published", "Recomputed", "Detail"],
                       [[c["service_name"], c["kind_label"], c["published"], c["recomputed"], c["detail"]]
                        for c in model["score_overall"]])
    else:
        L.append("No score or overall rating disagreements.")
    L.append("")

    L += ["## Scores: published against recomputed", ""]
    if model["chart"]:
        L += _md_table(["Report", "Published score", "Published from", "Recomputed score"],
                       [[c["service_name"], _rating_or_dash(c["published"]), _score_source_label(c),
                         _rating_or_dash(c["recomputed"])] for c in model["chart"]])
    else:
        L.append("No scores.")
    L.append("")

    L += ["## Rounding-sensitive results", ""]
    if model["rounding"]:
        L += [f"- {_md_cell(c['service_name'])}, {_md_cell(_std_label(c))}: {_md_cell(c['detail'])}"
              + (f" ({fmt_page(c['page'])})" if c["page"] is not None else "")
              for c in model["rounding"]]
    else:
        L.append("None.")
    L.append("")

    L += ["## Missing sections (partial reports)", ""]
    if model["missing"]:
        L += [f"- {_md_cell(c['service_name'])}: {_md_cell(c['detail'])}" for c in model["missing"]]
    else:
        L.append("None.")
    L.append("")

    if model["other"]:
        L += ["## Other findings", ""]
        L += _md_table(["Report", "Level", "Kind", "Standard", "Published", "Recomputed", "Detail"],
                       [[c["service_name"], c["level"], c["kind"], c["standard"], c["published"],
                         c["recomputed"], c["detail"]] for c in model["other"]])
        L.append("")

    if model["errors"]:
        L += ["## Files that could not be read", ""]
        L += _md_table(["Source file", "Stage", "Error", "Message"],
                       [[e["source_file"], e["stage"], e["error"], e["message"]] for e in model["errors"]])
        L.append("")
    return "\n".join(L).rstrip("\n") + "\n"


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
margin:2rem auto;max-width:1150px;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.5rem}h2{font-size:1.25rem;margin-top:2rem;
border-bottom:2px solid #ddd;padding-bottom:.2rem}h3{font-size:1.05rem;margin:1.4rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f1f3f5}td.num{text-align:right;white-space:nowrap}
.ident{color:#555;font-size:.85rem}.ident code{background:#f4f4f4;padding:0 .2rem}
.none{color:#555;font-style:italic}.unexplained{color:#a4260b;font-weight:600}
blockquote{margin:0;font-style:italic}.page{color:#555;font-style:normal;white-space:nowrap}
ul.summary li{margin:.1rem 0}.chart{overflow-x:auto}
""".strip()

C_PUBLISHED = "#1f5fa8"
C_RECOMPUTED = "#e07b00"


def _e(v: Any) -> str:
    return html.escape(_s(v), quote=True)


def _h_table(headers: list[str], rows: list[list[str]], num_cols: set[int] = frozenset(),
             cls: str = "") -> str:
    """rows are already-escaped HTML snippets."""
    cls_attr = f' class="{cls}"' if cls else ""
    out = [f"<table{cls_attr}>",
           "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in headers) + "</tr></thead>",
           "<tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(
            f'<td class="num">{c}</td>' if i in num_cols else f"<td>{c}</td>"
            for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _h_explanation(d: dict) -> str:
    if d["explanation"]:
        return (f"<blockquote>\u201c{_e(d['explanation'])}\u201d</blockquote>"
                f'<span class="page">({_e(fmt_page(d["explanation_page"]))})</span>')
    if d["explained"]:
        return _e(f"explained in the report ({fmt_page(d['explanation_page'])}; no quote extracted)")
    return f'<span class="unexplained">{_e(NOT_EXPLAINED)}</span>'


def _truncate(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def render_chart_svg(chart: list[dict]) -> str:
    """Grouped horizontal bars: published score (printed, or the sum of the
    published ratings, hatched, where no score is printed) and recomputed
    score per report, on a 0-36 axis with the score bands shaded."""
    left, right, top = 290, 40, 30
    plot_w = 600
    bar_h, gap_in, gap_out = 14, 2, 14
    group_h = 2 * bar_h + gap_in + gap_out
    n = max(len(chart), 1)
    plot_h = n * group_h
    axis_y = top + plot_h
    width = left + plot_w + right
    height = axis_y + 52 + 18 * 3 + 4

    def x(v: float) -> float:
        return left + plot_w * v / MAX_SCORE

    def f(v: float) -> str:
        return f"{v:.1f}".rstrip("0").rstrip(".")

    band_fill = {"Inadequate": "#fbe3e1", "Requires improvement": "#fdf0d8",
                 "Good": "#e3f2e1", "Outstanding": "#dfeaf7"}
    o: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title" '
        f'font-family="system-ui,Helvetica,Arial,sans-serif" font-size="12">',
        '<title id="chart-title">Published score against recomputed score, per report</title>',
        '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#9db8db"/>'
        f'<rect width="3" height="6" fill="{C_PUBLISHED}"/></pattern></defs>',
    ]
    # bands
    for lo, hi, name in SCORE_BANDS:
        x0 = x(max(lo - 0.5, 0))
        x1 = x(min(hi + 0.5, MAX_SCORE))
        o.append(f'<rect x="{f(x0)}" y="{top}" width="{f(x1 - x0)}" height="{plot_h}" '
                 f'fill="{band_fill[name]}"/>')
        o.append(f'<text x="{f((x0 + x1) / 2)}" y="{top - 8}" text-anchor="middle" '
                 f'font-size="11" fill="#444">{_e(name)} ({lo}\u2013{hi})</text>')
    # grid and ticks
    for t in range(0, MAX_SCORE + 1, 6):
        o.append(f'<line x1="{f(x(t))}" y1="{top}" x2="{f(x(t))}" y2="{axis_y}" '
                 f'stroke="#bbb" stroke-width="0.5"/>')
        o.append(f'<line x1="{f(x(t))}" y1="{axis_y}" x2="{f(x(t))}" y2="{axis_y + 5}" stroke="#333"/>')
        o.append(f'<text x="{f(x(t))}" y="{axis_y + 18}" text-anchor="middle">{t}</text>')
    o.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}" stroke="#333"/>')
    o.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{axis_y}" stroke="#333"/>')
    o.append(f'<text x="{f(left + plot_w / 2)}" y="{axis_y + 38}" text-anchor="middle" '
             f'font-weight="600">Score (0\u201336)</text>')
    o.append(f'<text transform="translate(16 {f(top + plot_h / 2)}) rotate(-90)" '
             f'text-anchor="middle" font-weight="600">Report</text>')
    if not chart:
        o.append(f'<text x="{f(left + plot_w / 2)}" y="{f(top + plot_h / 2 + 4)}" '
                 f'text-anchor="middle" fill="#555">No scores</text>')
    for i, c in enumerate(chart):
        gy = top + gap_out / 2 + i * group_h
        name = _s(c["service_name"])
        o.append(f'<text x="{left - 8}" y="{f(gy + bar_h + gap_in / 2 + 4)}" text-anchor="end">'
                 f'<title>{_e(name)} ({_e(c["report_id"])})</title>{_e(_truncate(name, 42))}</text>')
        for j, (key, fill, label) in enumerate((
                ("published", "url(#hatch)" if c["published_source"] == "sum" else C_PUBLISHED,
                 "sum of published ratings" if c["published_source"] == "sum" else "published (printed)"),
                ("recomputed", C_RECOMPUTED, "recomputed"))):
            v = c[key]
            y = gy + j * (bar_h + gap_in)
            if v is None:
                o.append(f'<text x="{left + 4}" y="{f(y + bar_h - 3)}" font-size="11" fill="#555">'
                         f'{_e(label)}: no value</text>')
                continue
            w = x(v) - left
            o.append(f'<rect x="{left}" y="{f(y)}" width="{f(max(w, 1))}" height="{bar_h}" fill="{fill}">'
                     f'<title>{_e(name)}: {_e(label)} {v}</title></rect>')
            mark = "\u2020" if key == "published" and c["published_source"] == "sum" else ""
            o.append(f'<text x="{f(left + max(w, 1) + 4)}" y="{f(y + bar_h - 3)}" font-size="11">'
                     f'{v}{mark}</text>')
    # legend, one entry a line so nothing can run off the edge
    for k, (fill, label) in enumerate(((C_PUBLISHED, "Published score (printed)"),
                                       ("url(#hatch)", "\u2020 Published: sum of published ratings (no printed score)"),
                                       (C_RECOMPUTED, "Recomputed score (from recomputed ratings)"))):
        ly = axis_y + 52 + 18 * k
        o.append(f'<rect x="{left}" y="{ly}" width="14" height="12" fill="{fill}"/>')
        o.append(f'<text x="{left + 20}" y="{ly + 10}">{_e(label)}</text>')
    o.append("</svg>")
    return "\n".join(o)


def render_html(model: dict) -> str:
    s = model["summary"]
    P: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Reconciliation of published ratings against the rules</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<h1>Reconciliation of published ratings against the rules</h1>",
        '<section id="summary">',
        "<h2>Summary</h2>",
        '<ul class="summary">' + "".join(f"<li>{_e(line)}</li>" for line in _summary_lines(s)) + "</ul>",
    ]
    if s["findings"] == 0:
        P.append('<p class="none">No findings: every published rating, score and overall rating agrees '
                 "with the rules and every source agrees with the others.</p>")
    P.append("</section>")

    P += ['<section id="scores">', "<h2>Scores: published against recomputed</h2>",
          f'<div class="chart">{render_chart_svg(model["chart"])}</div>']
    if model["chart"]:
        P.append(_h_table(["Report", "Published score", "Published from", "Recomputed score"],
                          [[_e(c["service_name"]), _e(_rating_or_dash(c["published"])),
                            _e(_score_source_label(c)), _e(_rating_or_dash(c["recomputed"]))]
                           for c in model["chart"]], num_cols={1, 3}, cls="scores"))
    P.append("</section>")

    P += ['<section id="divergences">', "<h2>Divergent ratings, by report</h2>"]
    if not model["reports"]:
        P.append('<p class="none">No reports.</p>')
    for r in model["reports"]:
        P.append(f'<h3 id="r-{_e(r["report_id"])}">{_e(r["service_name"])}</h3>')
        ident = f'report_id <code>{_e(r["report_id"])}</code>'
        if r["source_file"]:
            ident += f', source file <code>{_e(r["source_file"])}</code>'
        P.append(f'<p class="ident">{ident}<br>{_e(_report_facts(r))}</p>')
        if r["divergences"]:
            P.append(_h_table(
                ["Standard", "Published", "Recomputed", "Lowest key question", "Lowest %",
                 "Points to band edge", "Section page", "Report's explanation"],
                [[_e(_std_label(d)), _e(d["published"]), _e(d["recomputed"]), _e(_lowest_text(d)),
                  _e(fmt_pct(d["lowest_pct"])), _e(fmt_num(d["points_to_band_edge"])),
                  _e(d["page"]), _h_explanation(d)] for d in r["divergences"]],
                num_cols={4, 5, 6}, cls="divergences"))
        elif r["findings"] == 0:
            P.append('<p class="none">No findings for this report.</p>')
        else:
            P.append('<p class="none">No divergent standards.</p>')
        others = _other_counts(r)
        if others:
            P.append(f"<p>Also: {_e(others)} (listed below).</p>")
    P.append("</section>")

    P += ['<section id="conflicts">', "<h2>Source conflicts</h2>"]
    if model["source_conflicts"]:
        P.append(_h_table(["Report", "Standard", "Kind", "Side A", "Side B", "Detail"],
                          [[_e(c["service_name"]), _e(_std_label(c)), _e(c["kind"]),
                            _e(_side(c["source_a"], c["value_a"], c["page_a"])),
                            _e(_side(c["source_b"], c["value_b"], c["page_b"])), _e(c["detail"])]
                           for c in model["source_conflicts"]], cls="conflicts"))
    else:
        P.append('<p class="none">No source conflicts.</p>')
    P.append("</section>")

    P += ['<section id="score-overall">', "<h2>Score and overall rating disagreements</h2>"]
    if model["score_overall"]:
        P.append(_h_table(["Report", "Finding", "Published", "Recomputed", "Detail"],
                          [[_e(c["service_name"]), _e(c["kind_label"]), _e(c["published"]),
                            _e(c["recomputed"]), _e(c["detail"])] for c in model["score_overall"]],
                          cls="score-overall"))
    else:
        P.append('<p class="none">No score or overall rating disagreements.</p>')
    P.append("</section>")

    P += ['<section id="rounding">', "<h2>Rounding-sensitive results</h2>"]
    if model["rounding"]:
        P.append(_h_table(["Report", "Standard", "Detail", "Page"],
                          [[_e(c["service_name"]), _e(_std_label(c)), _e(c["detail"]), _e(c["page"])]
                           for c in model["rounding"]], num_cols={3}, cls="rounding"))
    else:
        P.append('<p class="none">None.</p>')
    P.append("</section>")

    P += ['<section id="missing">', "<h2>Missing sections (partial reports)</h2>"]
    if model["missing"]:
        P.append(_h_table(["Report", "Detail"],
                          [[_e(c["service_name"]), _e(c["detail"])] for c in model["missing"]],
                          cls="missing"))
    else:
        P.append('<p class="none">None.</p>')
    P.append("</section>")

    if model["other"]:
        P += ['<section id="other">', "<h2>Other findings</h2>",
              _h_table(["Report", "Level", "Kind", "Standard", "Published", "Recomputed", "Detail"],
                       [[_e(c["service_name"]), _e(c["level"]), _e(c["kind"]), _e(c["standard"]),
                         _e(c["published"]), _e(c["recomputed"]), _e(c["detail"])] for c in model["other"]]),
              "</section>"]
    if model["errors"]:
        P += ['<section id="errors">', "<h2>Files that could not be read</h2>",
              _h_table(["Source file", "Stage", "Error", "Message"],
                       [[_e(e["source_file"]), _e(e["stage"]), _e(e["error"]), _e(e["message"])]
                        for e in model["errors"]]),
              "</section>"]
    P += ["</body>", "</html>"]
    return "\n".join(P) + "\n"


# --------------------------------------------------------------------------
# CSV and writing
# --------------------------------------------------------------------------

def _csv_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def findings_csv(tables: dict) -> str:
    """Every findings row, with the report's service name and source file
    beside its report_id, in a stable order."""
    reports = {r["report_id"]: r for r in _rows(tables, "reports")}
    findings = _rows(tables, "findings")
    cols = list(store.SCHEMAS["findings"].names)
    header = cols[:1] + ["service_name", "source_file"] + cols[1:]

    def key(f):
        r = reports.get(f["report_id"], {})
        return (_s(r.get("service_name")).lower(), _s(f["report_id"]),
                LEVEL_ORDER.get(f["level"] or "", 9), _std_key(f["standard"]),
                tuple(_csv_value(f[c]) for c in cols))

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for f in sorted(findings, key=key):
        r = reports.get(f["report_id"], {})
        row = {**f, "service_name": r.get("service_name"), "source_file": r.get("source_file")}
        w.writerow([_csv_value(row[c]) for c in header])
    return buf.getvalue()


def write_reconciliation(parsed_dir: Path) -> dict[str, Path]:
    """Read the tables in `parsed_dir` and write reconciliation.md,
    reconciliation.html and findings.csv there, each atomically."""
    parsed_dir = Path(parsed_dir)
    tables = store.read_tables(parsed_dir)
    model = build_reconciliation(tables)
    out = {
        "markdown": parsed_dir / "reconciliation.md",
        "html": parsed_dir / "reconciliation.html",
        "csv": parsed_dir / "findings.csv",
    }
    store.write_text_atomic(render_markdown(model), out["markdown"])
    store.write_text_atomic(render_html(model), out["html"])
    store.write_text_atomic(findings_csv(tables), out["csv"])
    return out
