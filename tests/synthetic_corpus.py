"""A synthetic corpus for the reconciliation report: N reports built from the
rows the sample reports' extraction gives (no re-extraction), each with its
own id, an invented service name (some hostile), and shifted key-question
values whose ratings, divergences, scores and findings follow the rules the
way validate would write them. A few extra reports are copies (duplicate_of
set) that every count must skip."""
from __future__ import annotations

import hashlib
import random

import pyarrow as pa

from pipeline.core import rules
from pipeline.output import store

PLACES = ["Ashby", "Barrowden", "Carrick", "Dunmere", "Elmsford", "Fenwick", "Glanford",
          "Harrowgate", "Ilsworth", "Jarrow Vale", "Kestrel", "Langholm", "Morwen", "Netherby",
          "Oakridge", "Penmore", "Quarrendon", "Rushmere", "Stowbridge", "Thornbury"]
QUALIFIERS = ["", "North ", "South ", "East ", "West ", "Upper ", "Greater ", "Mid "]
SERVICES = ["Youth Offending Service", "Youth Justice Service", "YOT", "YJS"]
HOSTILE = [
    "<script>document.title='pwned'</script> YJS",
    '=HYPERLINK("http://example.invalid","x") Youth Offending Service',
    "Pipes | and [brackets](javascript:alert(1)) `code` *stars* YJS",
    "&lt;b&gt; Entity & Co <b>bold</b> YOS",
]
RATINGS = ["Inadequate", "Requires improvement", "Good", "Outstanding"]  # by points
QUOTE = ("The ratings panel used professional discretion: the lowest score was within five "
         "percentage points of the next band.")


def _service_name(i: int) -> str:
    if i % 50 == 7:
        return HOSTILE[(i // 50) % len(HOSTILE)]
    place = PLACES[i % len(PLACES)]
    return f"{QUALIFIERS[(i // len(PLACES)) % len(QUALIFIERS)]}{place} {SERVICES[i % len(SERVICES)]}"


def _report_id(i: int) -> str:
    return hashlib.sha256(f"synthetic {i}".encode()).hexdigest()[:16]


def _one_report(sample: dict[str, list[dict]], i: int, rng: random.Random) -> dict[str, list[dict]]:
    rid = _report_id(i)
    report = dict(sample["reports"][0], report_id=rid, service_name=_service_name(i),
                  source_file=f"synthetic-{i:03d}.pdf", sha256=None)
    framework = report["framework"]
    shift = rng.uniform(-25, 25)
    published: dict[str, str] = {}
    recomputed: dict[str, str] = {}
    ratings, findings = [], []
    for r in sample["ratings"]:
        row = dict(r, report_id=rid)
        if row["quantitative"]:
            lowest = round(min(100.0, max(0.0, (row["lowest_pct"] or 50.0) + shift + rng.uniform(-8, 8))))
            rule = rules.band_for_pct(lowest)
            rating = rule
            if rng.random() < 0.2:  # a published rating off the rule, mostly upwards
                step = 1 if rng.random() < 0.8 else -1
                rating = RATINGS[min(3, max(0, RATINGS.index(rule) + step))]
            row.update(lowest_pct=float(lowest), rating_recomputed=rule, rating=rating)
            if rating != rule:
                explained = rng.random() < 0.5
                findings.append({
                    "report_id": rid, "level": "standard", "standard": row["standard"],
                    "kind": "rating_differs_from_rule", "published": rating, "recomputed": rule,
                    "lowest_pct": float(lowest), "points_to_band_edge": rules.band_edge_distance(lowest, rating),
                    "explained": explained, "explanation": QUOTE if explained else None,
                    "explanation_page": row["page"] if explained else None, "page": row["page"],
                    "detail": f"Lowest key question {lowest}% is in the {rule} band."})
        else:
            row["rating"] = RATINGS[rng.randrange(4)]
        published[row["standard"]] = row["rating"]
        recomputed[row["standard"]] = row["rating_recomputed"] or row["rating"]
        ratings.append(row)
    published_sum = rules.score(published, framework)
    score_recomputed = rules.score(recomputed, framework)
    limiting = rules.limiting_standard(framework)
    printed = published_sum
    if framework == "2018" and rng.random() < 0.4:
        printed = None  # older reports print no score
    elif rng.random() < 0.08:
        printed = published_sum + 1
        findings.append({"report_id": rid, "level": "score", "standard": None,
                         "kind": "printed_score_differs_from_published_sum",
                         "published": str(printed), "recomputed": str(published_sum),
                         "explained": False, "detail": "printed score differs from the sum"})
    overall = rules.overall(printed if printed is not None else published_sum, published.get(limiting))
    overall_recomputed = rules.overall(score_recomputed, recomputed.get(limiting))
    if overall != overall_recomputed:
        findings.append({"report_id": rid, "level": "overall", "standard": None,
                         "kind": "overall_differs_from_rule", "published": overall,
                         "recomputed": overall_recomputed, "explained": False,
                         "detail": f"recomputed ratings score {score_recomputed}"})
    report.update(score=printed, score_published_sum=published_sum, score_recomputed=score_recomputed,
                  overall_rating=overall, overall_recomputed=overall_recomputed)
    # findings that do not depend on the values (source conflicts, missing parts) carry over
    findings += [dict(f, report_id=rid) for f in sample["findings"]
                 if f["kind"] not in ("rating_differs_from_rule", "rounding_sensitive",
                                      "printed_score_differs_from_published_sum",
                                      "overall_differs_from_rule", "overall_outside_score_band")]
    kq_shift = {r["standard"]: r["lowest_pct"] for r in ratings}
    key_questions = [dict(k, report_id=rid) for k in sample["key_questions"]]
    for k in key_questions:  # the lowest question now reads the new lowest value
        if k["standard"] in kq_shift and kq_shift[k["standard"]] is not None:
            k.update(pct_exact=None, pct_yes=min(100.0, (k["pct_yes"] or 0) + 20))
    for std, low in kq_shift.items():
        qs = [k for k in key_questions if k["standard"] == std]
        if qs and low is not None:
            qs[-1]["pct_yes"] = low
    return {"reports": [report], "ratings": ratings, "findings": findings,
            "key_questions": key_questions}


def synthetic_tables(extracted: dict[str, dict[str, list[dict]]], n: int = 200, copies: int = 4,
                     seed: int = 12) -> dict[str, pa.Table]:
    """n distinct inspections, then `copies` further reports that repeat one
    of them under another file (reports.duplicate_of = the primary's id)."""
    rng = random.Random(seed)
    samples = [extracted[k] for k in sorted(extracted)]
    rows: dict[str, list[dict]] = {name: [] for name in store.TABLES}
    duplicate_of: list[str | None] = []
    built = []
    for i in range(n):
        one = _one_report(samples[i % len(samples)], i, rng)
        built.append(one)
        for name, table_rows in one.items():
            rows[name] += table_rows
        duplicate_of.append(None)
    for c in range(copies):
        primary = built[(c * 37) % n]
        rid = _report_id(n + c)
        for name, table_rows in primary.items():
            rows[name] += [dict(r, report_id=rid) for r in table_rows]
        rows["reports"][-1]["source_file"] = f"copy-{c}-{primary['reports'][0]['source_file']}"
        duplicate_of.append(primary["reports"][0]["report_id"])
    tables = {name: store.to_table(name, rows[name]) for name in store.TABLES}
    tables["reports"] = tables["reports"].append_column("duplicate_of", pa.array(duplicate_of, pa.string()))
    return tables
