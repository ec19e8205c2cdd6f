"""One inspection, counted once: which files hold the same inspection, the
`inspections` table (one row per inspection) and `rating_changes` between
successive inspections of a service.

Pure functions over the rows of a whole run. Files are recognised as one
inspection from what they print (service, dates, ratings, key-question
values), never from their bytes: the PDF and a text export of one report, or
a second download, are one inspection.
"""
from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

from pipeline.core.records import Row
from pipeline.extract.dates import DATE_COLUMNS, INSPECTION_MONTH_PRECEDENCE
from pipeline.core.rules import has_inspections_columns, rated_areas, rating_column, rating_points, standard_codes
from pipeline.core.schema import COPIES_SUFFIX, IDENTITY_COLUMNS, PER_REPORT_TABLES

# report values that differ between two different inspections of one service
EVIDENCE_COLUMNS = ("framework", "overall_rating", "score", "cases_court", "cases_out_of_court",
                    "cases_resettlement")
STATUS_RANK = {"ok": 0, "partial": 1}
AREA_COLUMNS = tuple(f"{key}_rating" for key in rated_areas())
# values needed to call two undated files one inspection (e.g. the framework,
# the overall rating and three standards' ratings agree, and nothing disagrees)
MIN_AGREEING = 5


def evidence(report: Row, ratings: list[Row], key_questions: list[Row]) -> dict[str, object]:
    """What a file prints about its inspection, by name: report values, each
    standard's published rating and each key question's value."""
    values: dict[str, object] = {c: report.get(c) for c in EVIDENCE_COLUMNS}
    values.update({f"rating {r['standard']}": r.get("rating") for r in ratings})
    for k in key_questions:
        value = k.get("pct_exact") if k.get("pct_exact") is not None else k.get("pct_yes")
        values[f"key question {k['standard']}.{k['index']}"] = value
    return {name: value for name, value in values.items() if value is not None}


def _dates_agree(a: str, b: str) -> bool:
    """'2018-09' and '2018-09-10' agree: one is printed more precisely."""
    return a.startswith(b) or b.startswith(a)


def compare(a: Row, b: Row) -> tuple[bool, list[str]]:
    """(same inspection?, names of values the two files print differently).

    a and b: {"report": row, "evidence": evidence(...)}. Same service, and no
    printed date disagrees; then a shared date identifies the inspection (a
    service is not inspected twice in one fieldwork week or month), and
    without one, at least MIN_AGREEING values agree and none disagree."""
    ra, rb = a["report"], b["report"]
    if not ra.get("service_key") or ra.get("service_key") != rb.get("service_key"):
        return False, []
    if ra.get("framework") and rb.get("framework") and ra["framework"] != rb["framework"]:
        return False, []  # one inspection is under one framework
    shared_dates = [c for c in DATE_COLUMNS if ra.get(c) and rb.get(c)]
    if any(not _dates_agree(ra[c], rb[c]) for c in shared_dates):
        return False, []
    ea, eb = a["evidence"], b["evidence"]
    shared = [name for name in ea if name in eb]
    differ = sorted(name for name in shared if ea[name] != eb[name])
    if shared_dates:
        return True, differ
    return (not differ and len(shared) >= MIN_AGREEING), differ


def _rank(file: Row) -> tuple[int, int, bool, str]:
    """Primary file first: ok before partial, then the file that prints the
    most values, then the PDF (the inspectorate's own document) before a text
    export, then the smaller report_id. Independent of input order."""
    r = file["report"]
    filled = len(file["evidence"]) + sum(1 for c in DATE_COLUMNS if r.get(c))
    is_pdf = str(r.get("source_file") or "").lower().endswith(".pdf")
    return STATUS_RANK.get(r.get("status"), 2), -filled, not is_pdf, r["report_id"]


def group_files(files: list[Row]) -> list[list[Row]]:
    """Files in inspections, each list primary first. A file joins the first
    group whose every file it matches (see compare)."""
    groups: list[list[Row]] = []
    for file in sorted(files, key=_rank):
        home = next((g for g in groups if all(compare(file, other)[0] for other in g)), None)
        if home is None:
            groups.append([file])
        else:
            home.append(file)
    return groups


def _date(group: list[Row], column: str) -> str | None:
    """The most precise printing of a date among the group's files (their
    dates agree: see compare), the primary's first."""
    values = [f["report"][column] for f in group if f["report"].get(column)]
    return max(values, key=len) if values else None


def _month_of(group: list[Row]) -> tuple[str | None, str | None]:
    for column in INSPECTION_MONTH_PRECEDENCE:
        value = _date(group, column)
        if value:
            return value[:7], column
    return None, None


# a suffix for the less well-dated of two inspections of a service whose
# months read alike (DATE_COLUMNS' month sources, by inspection_month_source)
SOURCE_SUFFIX = {"fieldwork_start": "fieldwork", "announced_month": "announced", "published_month": "published"}


def fingerprint(group: list[Row]) -> str:
    """Eight hex digits from the values the inspection's own files print
    (`evidence`: framework, overall rating, score, cases, each standard's
    rating and each key question's value; where one file prints a value the
    others do not read, the value printed), so the same report gives the
    same fingerprint whatever else is in the folder."""
    values: dict[str, object] = {}
    for file in group:
        for name, value in file["evidence"].items():
            values.setdefault(name, value)
    text = json.dumps(sorted((k, str(v)) for k, v in values.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _ids(groups: list[list[Row]]) -> list[str]:
    """service_key-YYYY-MM; `service_key-undated-<fingerprint>` when no month
    is printed; the primary's report_id when no service is named (such a file
    joins no other, so its id is its own). Each depends only on what the
    inspection's own files print. Two inspections of one service whose
    months read alike (fieldwork in one, publication in the other): the
    better-dated keeps the plain id, the other gets its month's source
    appended (`-published`), then its fingerprint if that is not enough."""
    proposals = []
    for group in groups:
        month, source = _month_of(group)
        key = group[0]["report"].get("service_key")
        if key and month:
            base = f"{key}-{month}"
        elif key:
            base = f"{key}-undated-{fingerprint(group)}"
        else:
            base = group[0]["report"]["report_id"]
        precedence = INSPECTION_MONTH_PRECEDENCE.index(source) if source else len(INSPECTION_MONTH_PRECEDENCE)
        proposals.append((base, precedence, source, group))
    ids = []
    for base, precedence, source, group in proposals:
        rivals = [p for b, p, _, _ in proposals if b == base]
        alone = rivals.count(precedence) == 1
        if alone and precedence == min(rivals):
            ids.append(base)
        elif alone and source:
            ids.append(f"{base}-{SOURCE_SUFFIX.get(source, source)}")
        else:
            ids.append(f"{base}-{fingerprint(group)}")
    # the same values under one base can only be files that print too little
    # to be grouped: the primary's own id tells them apart
    seen = [i for i in ids if ids.count(i) > 1]
    return [f"{i}-{group[0]['report']['report_id']}" if i in seen else i
            for i, (_, _, _, group) in zip(ids, proposals, strict=True)]


def _inspection_row(inspection_id: str, group: list[Row]) -> Row:
    primary = group[0]["report"]
    month, source = _month_of(group)
    row: Row = {"inspection_id": inspection_id, "inspection_month": month, "inspection_month_source": source}
    for column in ("service_key", "service_name", "area", "service_type", "framework", "overall_rating",
                   "overall_recomputed", "score", "score_recomputed", "score_published_sum",
                   "cases_court", "cases_out_of_court", "cases_resettlement", "status", *AREA_COLUMNS):
        row[column] = primary.get(column)
    for column in DATE_COLUMNS:
        row[column] = _date(group, column)
    # a standard's column holds that code's standard of the 2018 and 2021
    # frameworks only: another framework's 2.1 is another standard
    wide = has_inspections_columns(primary.get("framework"))
    for rating in group[0]["ratings"] if wide else []:
        if rating["standard"] in standard_codes():
            row[rating_column(rating["standard"])] = rating.get("rating")
            row[rating_column(rating["standard"], recomputed=True)] = rating.get("rating_recomputed")
    differ = sorted({name for f in group[1:] for name in compare(group[0], f)[1]})
    row.update(primary_report_id=primary["report_id"],
               report_ids="; ".join(f["report"]["report_id"] for f in group),
               source_files="; ".join(str(f["report"].get("source_file")) for f in group),
               files=len(group), files_disagree_on="; ".join(differ) or None)
    return row


def _link_previous(rows: list[Row]) -> None:
    """previous_inspection_id: the service's latest earlier dated inspection."""
    by_service: dict[str, list[Row]] = {}
    for row in rows:
        row["previous_inspection_id"] = None
        if row["service_key"] and row["inspection_month"]:
            by_service.setdefault(row["service_key"], []).append(row)
    for dated in by_service.values():
        dated.sort(key=lambda r: (r["inspection_month"], r["inspection_id"]))
        for earlier, later in itertools.pairwise(dated):
            later["previous_inspection_id"] = earlier["inspection_id"]


def compared_columns(row: Row, before: Row) -> list[tuple[str, str]]:
    """(standard, inspections column) pairs two successive inspections are
    compared on: the overall rating always; the rated areas and each
    standard only when both inspections are of one framework (3.4 names a
    different standard in 2018 and 2021, and the 2025 framework's standards
    and areas are its own)."""
    pairs = [("overall", "overall_rating")]
    same = row["framework"] == before["framework"]
    if same:
        pairs += [(key, f"{key}_rating") for key in rated_areas()]
    if any(fw and not has_inspections_columns(fw) for fw in (row["framework"], before["framework"])):
        return pairs  # standards that live only in the ratings table
    return pairs + [(c, rating_column(c)) for c in standard_codes() if c != "3.4" or same]


def rating_changes(inspections: list[Row]) -> list[Row]:
    """The overall rating, each rated area and each standard rated at both of
    two successive inspections of a service (see compared_columns)."""
    by_id = {row["inspection_id"]: row for row in inspections}
    out = []
    for row in inspections:
        before = by_id.get(row["previous_inspection_id"])
        if before is None:
            continue
        for standard, column in compared_columns(row, before):
            old, new = before.get(column), row.get(column)
            if old is None or new is None:
                continue
            new_points, old_points = rating_points(new), rating_points(old)
            if new_points is None or old_points is None:
                continue
            change = new_points - old_points
            out.append({
                "service_key": row["service_key"], "inspection_id": row["inspection_id"],
                "previous_inspection_id": before["inspection_id"],
                "inspection_month": row["inspection_month"],
                "previous_inspection_month": before["inspection_month"],
                "standard": standard, "previous_rating": old, "rating": new, "change": change,
                "direction": "improved" if change > 0 else "declined" if change < 0 else "unchanged",
                "framework": row["framework"], "previous_framework": before["framework"]})
    return out


def link_inspections(tables: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """Set inspection_id and duplicate_of on every `reports` row (a failed
    file holds no inspection: both stay null) and build `inspections` and
    `rating_changes`. Returns a new Row; the other tables are shared."""
    by_report: dict[str, dict[str, list[Row]]] = {}
    for table in ("ratings", "key_questions"):
        for row in [*tables.get(table, []), *tables.get(table + COPIES_SUFFIX, [])]:
            by_report.setdefault(row["report_id"], {}).setdefault(table, []).append(row)
    files = []
    reports = [dict(row) for row in tables.get("reports", [])]
    for report in reports:
        report["inspection_id"] = report["duplicate_of"] = None
        if report.get("status") in STATUS_RANK:
            rows = by_report.get(report["report_id"], {})
            files.append({"report": report, "ratings": rows.get("ratings", []),
                          "evidence": evidence(report, rows.get("ratings", []), rows.get("key_questions", []))})
    groups = group_files(files)
    inspections = []
    for inspection_id, group in zip(_ids(groups), groups, strict=True):
        for file in group:
            file["report"]["inspection_id"] = inspection_id
            if file is not group[0]:
                file["report"]["duplicate_of"] = group[0]["report"]["report_id"]
        inspections.append(_inspection_row(inspection_id, group))
    inspections.sort(key=lambda r: (r["service_key"] or "", r["inspection_month"] or "", r["inspection_id"]))
    _link_previous(inspections)
    return {**tables, **split_copies(tables, reports), "reports": reports, "inspections": inspections,
            "rating_changes": rating_changes(inspections)}


def split_copies(tables: dict[str, list[Row]], reports: list[Row]) -> dict[str, list[Row]]:
    """Each per-report table's rows, with the file's inspection_id,
    service_name and service_key: the primary files' rows in `<table>`, the
    rows of files whose duplicate_of is set in `<table>_copies` (so a count
    over a base table counts each inspection once)."""
    by_id = {r["report_id"]: r for r in reports}
    copies = {r["report_id"] for r in reports if r.get("duplicate_of")}
    out: dict[str, list[Row]] = {}
    for name in PER_REPORT_TABLES:
        kept: list[Row] = []
        copied: list[Row] = []
        rows = [*tables.get(name, []), *tables.get(name + COPIES_SUFFIX, [])]
        for row in rows:
            report = by_id.get(row["report_id"], {})
            row = {**row, **{c.name: report.get(c.name) for c in IDENTITY_COLUMNS}}
            (copied if row["report_id"] in copies else kept).append(row)
        out[name], out[name + COPIES_SUFFIX] = kept, copied
    return out


def run_counts(tables: dict[str, list[Row]]) -> dict[str, Any]:
    """Counts for the run summary, each inspection once: files whose
    duplicate_of is set, and their findings, are left out (a missing
    duplicate_of column counts as null). `partial_files` names the partial
    ones that are counted."""
    reports = tables.get("reports", [])
    duplicates = {r["report_id"] for r in reports if r.get("duplicate_of")}
    primary = [r for r in reports if r["report_id"] not in duplicates]
    findings = [*tables.get("findings", []), *tables.get("findings" + COPIES_SUFFIX, [])]
    divergences = [f for f in findings
                   if f["kind"] == "rating_differs_from_rule" and f["report_id"] not in duplicates]
    statuses = [r.get("status") for r in primary]
    return {"files": len(reports), "inspections": len(tables.get("inspections") or []),
            "ok": statuses.count("ok"), "partial": statuses.count("partial"),
            "partial_files": sorted(r["source_file"] for r in primary if r.get("status") == "partial"),
            "duplicates": len(duplicates), "divergences": len(divergences),
            "explained": sum(1 for f in divergences if f.get("explained"))}
