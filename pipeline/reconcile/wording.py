"""Display text shared by every renderer: number formats, finding labels and
the short phrases a row of the report is made of. Plain text only: escaping
is the templates' job."""
from __future__ import annotations

from typing import Any

from pipeline.core.records import Rating, Row
from pipeline.reconcile.rows import text

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
    "rules_not_modelled": "Not recomputed: rules not modelled",
    "hidden_text": "Hidden text that the visible text does not bear out (not read)",
    "truncated_parse": "The file was not read to its end",
}

RATING_ABBREVIATIONS = {r.value: r.abbreviation for r in Rating}
NOT_EXPLAINED = "not explained in the report"
DASH = "\u2014"


def kind_label(kind: str | None) -> str:
    """An unknown kind (added by another stage) shows its raw name."""
    return KIND_LABELS.get(kind or "", kind or "")


def fmt_num(v: float | None, suffix: str = "") -> str:
    """62.0 -> '62', 61.9047 -> '61.9'; None -> ''."""
    if v is None:
        return ""
    if isinstance(v, int):
        return f"{v}{suffix}"
    return f"{v:.1f}".removesuffix(".0") + suffix


def fmt_pct(v: float | None) -> str:
    return fmt_num(v, "%")


def fmt_page(p: int | None) -> str:
    return f"p. {p}" if p is not None else "page unknown"


def or_dash(v: Any) -> str:
    return DASH if v is None else str(v)


def abbreviation(rating: str | None) -> str:
    return RATING_ABBREVIATIONS.get(rating or "", rating or "")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def std_label(code: str | None, name: str | None) -> str:
    if name:
        return f"{code} {name}"
    return text(code) or DASH


def side(source: Any, value: Any, page: Any) -> str:
    return f"{text(source) or 'source'}: {text(value) or DASH} ({fmt_page(page)})"


def explanation_text(d: Row) -> str:
    if d["explanation"]:
        return f"\u201c{d['explanation']}\u201d ({fmt_page(d['explanation_page'])})"
    if d["explained"]:
        return f"explained in the report ({fmt_page(d['explanation_page'])}; no quote extracted)"
    return NOT_EXPLAINED


def lowest_text(question: Row | None, lowest_pct: float | None) -> str:
    if question is None:
        return fmt_pct(lowest_pct) if lowest_pct is not None else DASH
    return f"{question['code']} {question['question']}" if question["question"] else question["code"]


def score_source_label(source: str | None) -> str:
    return {"printed": "printed score",
            "sum": "sum of published ratings (no printed score)"}.get(source or "", "none")


def report_facts(r: Row) -> str:
    parts = []
    if r.get("framework"):
        parts.append(f"framework {r['framework']}")
    if r.get("status"):
        parts.append(f"status {r['status']}")
    parts.append(f"overall published {or_dash(r.get('overall_rating'))}, "
                 f"recomputed {or_dash(r.get('overall_recomputed'))}")
    parts.append(f"score printed {or_dash(r.get('score'))}, "
                 f"sum of published ratings {or_dash(r.get('score_published_sum'))}, "
                 f"recomputed {or_dash(r.get('score_recomputed'))}")
    return "; ".join(parts)


OTHER_COUNT_LABELS = (("source_conflicts", "source conflict"),
                      ("score_overall", "score/overall disagreement"),
                      ("rounding", "rounding-sensitive result"), ("missing", "missing section"),
                      ("not_recomputed", "not recomputed: rules not modelled"), ("other", "other finding"))


def other_counts(counts: dict[str, int]) -> str:
    return ", ".join(plural(counts[key], label) for key, label in OTHER_COUNT_LABELS if counts[key])
