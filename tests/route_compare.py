"""Compare one route's extraction with the clean text's, field by field.

A field is one published value: the overall rating, the printed score, each
case count, each standard's published rating, each key question's printed
value (% yes, or relevant/yes counts) and its text, each prompt's value, each
recommendation (its addressee, and its text), and each contextual
fact (so a footnote read as a fact shows as a value the clean text lacks). Each field of a route is
- "right": the same value as the clean text;
- "null": no value, and the route's report says something is missing (status
  not "ok", with a finding): an honest null;
- "WRONG": a different value, a value the clean text does not have, or a
  null the report does not own up to (status "ok").
"""
from __future__ import annotations

from collections import Counter

from rapidfuzz import fuzz

RIGHT, NULL, WRONG = "right", "null", "WRONG"
REPORT_FIELDS = ("overall_rating", "score", "cases_court", "cases_out_of_court", "cases_resettlement")
# question texts that differ only by spacing, a hyphen or a dropped word are the same question
QUESTION_SIMILARITY = 90


def fields(tables: dict[str, list[dict]]) -> dict[tuple[str, str], object]:
    """(field group, key) -> value for every field of one extraction."""
    out: dict[tuple[str, str], object] = {}
    for row in tables["reports"][:1]:
        for name in REPORT_FIELDS:
            out[(name, "")] = row.get(name)
    for row in tables["ratings"]:
        out[("rating", row["standard"])] = row["rating"]
    for row in tables["key_questions"]:
        key = f"{row['standard']}.{row['index']}"
        out[("kq_value", key)] = (row["pct_yes"], row["relevant"], row["yes"])
        out[("kq_text", key)] = row["question"]
    for row in tables.get("prompts", []):
        key = f"{row['standard']}.{row['key_question']}{row['label']}"
        out[("prompt", key)] = (row["pct_yes"], row["relevant"], row["yes"])
    for row in tables.get("recommendations", []):
        out[("recommendation", str(row["number"]))] = (row["addressee"], row["text"])
    seen: Counter = Counter()
    for row in tables["facts"]:
        name = f"{row['name']}|{row['qualifier']}"
        seen[name] += 1
        out[("fact", f"{name}#{seen[name]}")] = row["value"]
    return out


def honest(tables: dict[str, list[dict]]) -> bool:
    report = tables["reports"][0] if tables["reports"] else {}
    return report.get("status") != "ok" and bool(tables.get("findings"))


Verdicts = dict[tuple[str, str], tuple[str, object, object]]


def compare(clean: dict[str, list[dict]], route: dict[str, list[dict]]) -> Verdicts:
    """(group, key) -> (verdict, clean value, route value) over the union of fields."""
    want, got = fields(clean), fields(route)
    owned = honest(route)
    result = {}
    for key in sorted(set(want) | set(got)):
        a, b = want.get(key), got.get(key)
        if key[0] == "kq_text" and a is not None and b is not None:
            same = fuzz.ratio(a.lower(), b.lower()) >= QUESTION_SIMILARITY
        elif key[0] == "recommendation" and a is not None and b is not None:
            same = a[0] == b[0] and fuzz.ratio(a[1].lower(), b[1].lower()) >= QUESTION_SIMILARITY
        else:
            same = a == b
        if same:
            verdict = RIGHT
        elif _is_null(b) and owned:
            verdict = NULL
        else:
            verdict = WRONG
        result[key] = (verdict, a, b)
    return result


def _is_null(value: object) -> bool:
    return value is None or (isinstance(value, tuple) and all(v is None for v in value))


def tally(result: dict) -> dict[str, Counter]:
    """field group -> Counter of verdicts."""
    out: dict[str, Counter] = {}
    for (group, _), (verdict, _, _) in result.items():
        out.setdefault(group, Counter())[verdict] += 1
    return out


def wrong(result: dict) -> list[str]:
    return [f"{g} {k}: clean={a!r} route={b!r}" for (g, k), (v, a, b) in result.items() if v == WRONG]
