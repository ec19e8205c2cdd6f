"""One report's extraction as plain-text tables for a terminal.

`render_report(tables, key)` finds the report by report_id prefix, by the
source file's name (with or without folder or extension), or by its service
(name or key, fuzzy: `match_service`), and lays out its
header facts, ratings (published against recomputed), key questions per
standard, findings, and how many facts, recommendations and prompts it has.
"""
from __future__ import annotations

import itertools
import os
import textwrap
from collections.abc import Callable
from typing import Any

from pipeline.core.records import Row
from pipeline.core.schema import COPIES_SUFFIX, PER_REPORT_TABLES
from pipeline.reconcile.rows import std_key as _std_key
from pipeline.reconcile.rows import table_rows as _rows
from pipeline.reconcile.wording import KIND_LABELS, LEVEL_ORDER, fmt_num, fmt_page, fmt_pct

WIDTH = 100


def _v(v: Any, none: str = "-") -> str:
    if v is None:
        return none
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return fmt_num(v)
    return str(v)


def _table(headers: list[str], rows: list[list[Any]], right: frozenset[int] | set[int] = frozenset(),
           max_width: dict[int, int] | None = None) -> list[str]:
    """Padded columns; a cell longer than max_width[i] wraps onto more lines."""
    max_width = max_width or {}
    wrapped = []
    for r in rows:
        cols = []
        for i, c in enumerate(r):
            text = " ".join(_v(c).split()) or ""
            cols.append(textwrap.wrap(text, max_width[i]) or [""] if i in max_width else [text])
        wrapped.append(cols)
    widths = [len(h) for h in headers]
    for cols in wrapped:
        for i, lines in enumerate(cols):
            widths[i] = max(widths[i], *(len(x) for x in lines))

    def line(values: list[str]) -> str:
        parts = [(v.rjust(widths[i]) if i in right else v.ljust(widths[i])) for i, v in enumerate(values)]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    for cols in wrapped:
        for k in range(max(len(x) for x in cols)):
            out.append(line([x[k] if k < len(x) else "" for x in cols]))
    return out


def _heading(text: str, ch: str = "-") -> list[str]:
    return ["", text, ch * len(text)]


def _basename(path: str | None) -> str:
    return os.path.basename(path or "").lower()


def _stem(path: str | None) -> str:
    return os.path.splitext(_basename(path))[0]


def find_report(reports: list[Row], key: str) -> Row:
    """The one report whose report_id starts with `key`, or whose source file
    has the same name as `key` (folder and, failing an exact match, extension
    ignored). LookupError, listing the reports, when none or several match."""
    k = (key or "").strip()
    by_id = [r for r in reports if k and _s(r["report_id"]).lower().startswith(k.lower())]
    base = _basename(k)
    by_name = [r for r in reports if base and _basename(r["source_file"]) == base]
    if not by_name and base:
        by_name = [r for r in reports if _stem(r["source_file"]) == _stem(k)]
    matches = {id(r): r for r in by_id + by_name}
    if len(matches) == 1:
        return next(iter(matches.values()))
    if not matches:
        by_service = match_service(reports, k)
        if len(by_service) == 1:
            return by_service[0]
        if by_service:
            raise NotOneReport(f"{key!r} matches {len(by_service)} inspections; give one of these "
                               f"(a report_id prefix or a file name):\n{_listing(by_service)}", by_service)
    listing = "\n".join(
        f"  {_s(r['report_id'])}  {_s(r['source_file'])}  ({_s(r['service_name'])})"
        for r in sorted(reports, key=lambda r: (_s(r["source_file"]), _s(r["report_id"]))))
    if not reports:
        raise LookupError(f"no report matches {key!r}: the reports table is empty")
    if not matches:
        raise NotOneReport(f"no report matches {key!r} (give a service name or key, a report_id prefix or a "
                           f"source file name). Available reports:\n{listing}", reports)
    several = "\n".join(f"  {_s(r['report_id'])}  {_s(r['source_file'])}"
                        for r in sorted(matches.values(), key=lambda r: _s(r["report_id"])))
    raise NotOneReport(f"{key!r} matches {len(matches)} reports; give more of the report_id:\n{several}",
                       list(matches.values()))


class NotOneReport(LookupError):
    """No report, or several, match what was asked for; `choices` are the
    reports a user can pick from."""

    def __init__(self, message: str, choices: list[Row]) -> None:
        super().__init__(message)
        self.choices = [{c: r.get(c) for c in CHOICE_COLUMNS} for r in choices]


CHOICE_COLUMNS = ("report_id", "source_file", "service_name", "service_key", "inspection_id", "inspection_month",
                  "duplicate_of")
FUZZY_MIN = 80  # rapidfuzz WRatio (0-100) a service name must reach
FUZZY_TIE = 5  # names scoring within this of the best are all choices


def _slug(text: str) -> str:
    return "-".join(text.lower().replace("_", " ").split())


def match_service(reports: list[Row], key: str) -> list[Row]:
    """The inspections (primary files; a copy only when no primary matches)
    whose service matches `key`: its service_key or area exactly, else a
    service name or key containing it, else the names rapidfuzz scores at
    least FUZZY_MIN (every one within FUZZY_TIE of the best)."""
    from rapidfuzz import fuzz

    query = " ".join(key.lower().split())
    if not query:
        return []
    held = [r for r in reports if r.get("service_name") or r.get("service_key")]
    primaries = [r for r in held if not r.get("duplicate_of")] or held

    def key_of(r: Row) -> str:
        return _s(r.get("service_key"))

    tests: tuple[Callable[[Row], bool], ...] = (
        lambda r: _slug(query) in (key_of(r), _slug(_s(r.get("area")))),
        lambda r: query in _s(r.get("service_name")).lower() or _slug(query) in key_of(r))
    for test in tests:
        found = [r for r in primaries if test(r)]
        if found:
            return _sorted(found)
    scores = [(max(fuzz.WRatio(query, _s(r.get("service_name")).lower()),
                   fuzz.ratio(_slug(query), key_of(r))), r) for r in primaries]
    best = max((score for score, _ in scores), default=0)
    if best < FUZZY_MIN:
        return []
    return _sorted([r for score, r in scores if score >= best - FUZZY_TIE])


def _sorted(reports: list[Row]) -> list[Row]:
    return sorted(reports, key=lambda r: (_s(r.get("service_name")), _s(r.get("inspection_month")),
                                          _s(r.get("report_id"))))


def _listing(reports: list[Row]) -> str:
    return "\n".join(f"  {_s(r['report_id'])}  {_s(r['source_file'])}  ({_s(r.get('service_name'))}"
                     + (f", {r['inspection_month']}" if r.get("inspection_month") else "") + ")"
                     for r in reports)


def _s(v: Any) -> str:
    """A value on one line, as `list` prints it (a newline in a file's name is a space)."""
    return "" if v is None else " ".join(str(v).split())


def _report_rows(tables: dict[str, Any], key: str) -> tuple[Row, dict[str, list[Row]]]:
    """The report `key` names and its rows of each per-report table."""
    r = find_report(_rows(tables, "reports"), key)
    rid = r["report_id"]
    # a copy's rows (duplicate_of set) are in <table>_copies
    return r, {name: [row for table in (name, name + COPIES_SUFFIX) for row in _rows(tables, table)
                      if row["report_id"] == rid] for name in PER_REPORT_TABLES}


def report_json(tables: dict[str, Any], key: str) -> dict[str, Any]:
    """`show --json`: the report's row and its rows of every per-report table."""
    r, rows = _report_rows(tables, key)
    return {"report": _plain(r), **{name: [_plain(row) for row in table] for name, table in rows.items()}}


def _plain(row: Row) -> Row:
    """A row with JSON values (dates as ISO text)."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


LIST_COLUMNS = ("service_name", "service_key", "inspection_month", "overall_rating", "status", "files",
                "source_files", "inspection_id")


def list_inspections(tables: dict[str, Any]) -> list[Row]:
    """`list`: one row per inspection, by service then month."""
    rows = [{c: row.get(c) for c in LIST_COLUMNS} for row in _rows(tables, "inspections")]
    return sorted(rows, key=lambda r: (_s(r["service_name"]).lower(), _s(r["inspection_month"]),
                                       _s(r["inspection_id"])))


def render_list(rows: list[Row]) -> str:
    if not rows:
        return "(no inspections)\n"
    body = [[r["service_name"], r["inspection_month"], r["overall_rating"], r["status"],
             r["source_files"]] for r in rows]
    lines = _table(["service", "month", "overall", "status", "files"], body, max_width={4: 60})
    return "\n".join(lines) + f"\n{len(rows)} inspection{'' if len(rows) == 1 else 's'}\n"


def render_report(tables: dict[str, Any], report_id_or_source_file: str) -> str:
    """One report as plain text: its header facts, ratings, key questions per
    standard, findings, and how many rows of each table it has."""
    r, per_table = _report_rows(tables, report_id_or_source_file)
    ratings = sorted(per_table["ratings"], key=lambda x: _std_key(x["standard"]))
    kqs = sorted(per_table["key_questions"], key=lambda x: (_std_key(x["standard"]), x["index"] or 0))
    findings = per_table["findings"]
    out = _header_lines(r)
    out += _heading("Ratings") + _rating_lines(ratings)
    names = {x["standard"]: x["standard_name"] for x in ratings}
    out += _heading("Key questions") + _key_question_lines(kqs, names)
    out += _heading("Findings") + _finding_lines(findings)
    out += _heading("Rows")
    out += _table(["table", "rows"], [["ratings", len(ratings)], ["key_questions", len(kqs)],
                                      ["prompts", len(per_table["prompts"])], ["facts", len(per_table["facts"])],
                                      ["recommendations", len(per_table["recommendations"])],
                                      ["findings", len(findings)]],
                  right={1})
    return "\n".join(out) + "\n"


def _header_lines(r: Row) -> list[str]:
    """The title, then the report's facts: file, framework, status, overall
    rating and score (published and recomputed), cases."""
    rid = r["report_id"]
    title = _s(r["service_name"]) or f"report {rid}"
    out = [title, "=" * len(title)]
    head = [
        ("report_id", rid), ("source file", r["source_file"]), ("area", r["area"]),
        ("service type", r["service_type"]), ("framework", r["framework"]),
        ("status", r["status"]), ("pages", r["pages"]),
        ("overall rating", f"{_v(r['overall_rating'])} (published"
                           + (f", {fmt_page(r['overall_page'])}" if r.get("overall_page") else "")
                           + f"); recomputed {_v(r['overall_recomputed'])}"),
        ("score", f"printed {_v(r['score'])}"
                  + (f" ({fmt_page(r['score_page'])})" if r.get("score_page") else "")
                  + f"; sum of published ratings {_v(r['score_published_sum'])}"
                  + f"; recomputed {_v(r['score_recomputed'])}"),
        ("cases", f"court {_v(r['cases_court'])}, out of court {_v(r['cases_out_of_court'])}, "
                  f"resettlement {_v(r['cases_resettlement'])}"),
    ]
    if r.get("resettlement_rating"):
        head.append(("resettlement rating", r["resettlement_rating"]))
    if r.get("missing"):
        head.append(("missing", r["missing"]))
    w = max(len(k) for k, _ in head)
    return out + [f"{k.ljust(w)}  {' '.join(_v(v).split())}" for k, v in head]


def _rating_lines(ratings: list[Row]) -> list[str]:
    """The standards' ratings, published against recomputed."""
    if not ratings:
        return ["(no ratings)"]
    rows = []
    for x in ratings:
        differs = (x["rating_recomputed"] is not None and x["rating"] is not None
                   and x["rating_recomputed"] != x["rating"])
        rows.append([x["standard"], x["standard_name"], x["rating"],
                     x["rating_recomputed"] if x["quantitative"] else "(qualitative)",
                     fmt_pct(x["lowest_pct"]) or None, "*" if differs else "", x["page"]])
    return _table(["std", "name", "published", "recomputed", "lowest", "differs", "page"], rows,
                  right={4, 6}, max_width={1: 34})


def _key_question_lines(kqs: list[Row], names: dict[str, str | None]) -> list[str]:
    """The key questions, one table per standard (in order; a key question
    with no standard is not shown)."""
    if not kqs:
        return ["(no key questions)"]
    out: list[str] = []
    for standard, questions in itertools.groupby(kqs, key=lambda q: q["standard"]):
        if standard is None:
            continue
        block: list[list[Any]] = []
        for q in questions:
            frac = f"{q['yes']}/{q['relevant']}" if q["yes"] is not None and q["relevant"] is not None else None
            annex = fmt_pct(q.get("annex_pct_yes")) or None
            if annex and q.get("annex_page"):
                annex += f" p{q['annex_page']}"
            block.append([q["index"], q["question"], fmt_pct(q["pct_yes"]) or None, frac,
                          fmt_pct(q["pct_exact"]) or None, annex, q["page"]])
        label = f"{standard} {names.get(standard) or ''}".strip()
        out.extend(["", label])
        out.extend("  " + line for line in _table(
            ["#", "question", "% yes", "yes/relevant", "exact", "annex %", "page"], block,
            right={0, 2, 3, 4, 5, 6}, max_width={1: 58}))
    return out


def _finding_lines(findings: list[Row]) -> list[str]:
    """The findings, by level, standard and kind."""
    if not findings:
        return ["(no findings)"]
    out: list[str] = []
    for f in sorted(findings, key=lambda f: (LEVEL_ORDER.get(f["level"] or "", 9), _std_key(f["standard"]),
                                             _s(f["kind"]), _s(f["detail"]))):
        out += _finding(f)
    return out


def _finding(f: Row) -> list[str]:
    """One finding: what, where, the values on either side, its detail and,
    for a rating that differs from the rule, whether the report explains it."""
    label = KIND_LABELS.get(f["kind"] or "", f["kind"] or "finding")
    where = f" {f['standard']}" if f["standard"] else ""
    line = f"- [{f['level']}]{where} {label}"
    if f["published"] is not None or f["recomputed"] is not None:
        line += f": published {_v(f['published'])}, recomputed {_v(f['recomputed'])}"
    if f["lowest_pct"] is not None:
        line += f"; lowest {fmt_pct(f['lowest_pct'])}"
    if f["points_to_band_edge"] is not None:
        line += f", {fmt_num(f['points_to_band_edge'])} points from the band edge"
    if f["page"] is not None:
        line += f" ({fmt_page(f['page'])})"
    out = textwrap.wrap(line, WIDTH, subsequent_indent="  ")
    if f["level"] == "source":
        out.append(f"  {_v(f['source_a'])}: {_v(f['value_a'])} ({fmt_page(f['page_a'])})"
                   f"  vs  {_v(f['source_b'])}: {_v(f['value_b'])} ({fmt_page(f['page_b'])})")
    if f["detail"]:
        out += textwrap.wrap(f["detail"], WIDTH, initial_indent="  ", subsequent_indent="  ")
    if f["kind"] == "rating_differs_from_rule":
        if f["explanation"]:
            out += textwrap.wrap(f"explained ({fmt_page(f['explanation_page'])}): "
                                 f"\u201c{f['explanation']}\u201d", WIDTH,
                                 initial_indent="  ", subsequent_indent="    ")
        elif f["explained"]:
            out.append(f"  explained in the report ({fmt_page(f['explanation_page'])})")
        else:
            out.append("  not explained in the report")
    return out
