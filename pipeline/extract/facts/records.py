"""Rows of the facts table from parsed box rows: canonical name, group,
unit, qualifier and its scope, and the numbers printed in a value's note."""
from __future__ import annotations

import re

from .box import Row
from .scope import rate_basis, scope_of
from .values import Value, parse_value_token, strip_markers
from .vocabulary import Match, heading_info, match_label, pattern, slug, vocabulary


def to_dicts(rows: list[Row], report_id: str, section_name: str, service: dict | None = None) -> list[dict]:
    """`service`: the report's own service_name and area, which the scope
    of a qualifier is compared with."""
    out = []
    for row in rows:
        label = row.label
        if row.kind == "cell":
            name, group, qualifier = row.name or "unlabelled_value", row.group or "other", row.qualifier
            unit = row.value.unit or "count"
        elif row.kind == "list":
            heading = heading_info(row.heading)
            name = heading.get("prefix", "") + slug(label)
            group = heading.get("group", "other")
            unit = row.value.unit or heading.get("unit", "count")
            label = f"{strip_markers(row.heading)}: {label}" if row.heading else label
            qualifier = row.qualifier
        else:
            match = match_label(label) if label else Match(None)
            if match.entry:
                name, group = match.entry.name, match.entry.group
                unit = row.value.unit or match.entry.unit
                qualifier = match.qualifier or row.qualifier
            else:
                name, group = (slug(label) if label else "unlabelled_value"), "other"
                unit = row.value.unit or "count"
                qualifier = row.qualifier
        unit = vocabulary()["unit_words"].get(row.value.note.lower()) or unit
        base = {"report_id": report_id, "group": group, "qualifier": qualifier, "page": row.value.page,
                "section": section_name, "scope": scope_of(qualifier, service or {})}
        out.append({**base, "name": name, "label": label or None, "value": row.value.value, "unit": unit,
                    "rate_basis": rate_basis(label, unit)})
        out.extend({**base, **extra, "rate_basis": rate_basis(extra["label"], extra["unit"])}
                   for extra in note_rows(row.value, name, label or ""))
    return out


def note_rows(value: Value, name: str, label: str) -> list[dict]:
    """Numbers printed in a value's note: '(5 custodial orders, 1 secure
    remand)' -> name_custodial_orders 5, name_secure_remand 1; '= 1 post' or
    '(2)' -> name_count; '(YJB Good Practice Grant £341,351)' -> name_yjb_...
    """
    note = value.note.strip()
    if not note:
        return []
    inner = note[1:-1] if note.startswith("(") and note.endswith(")") else note.lstrip("= ")
    out = []
    if note.startswith("=") or re.fullmatch(r"\d+(?:\.\d+)?", inner.strip()):
        tokens = inner.split()
        parsed = parse_value_token(tokens[0]) if tokens else None
        if parsed:
            out.append({"name": f"{name}_count", "label": f"{label} {note}".strip(), "value": parsed[0],
                        "unit": parsed[1] or "count"})
        return out
    for item in pattern("note_items").split(inner):
        tokens = item.split()
        if not tokens:
            continue
        lead = parse_value_token(tokens[0])
        tail = parse_value_token(tokens[-1]) if len(tokens) > 1 else None
        if lead and len(tokens) > 1:
            words, parsed = " ".join(tokens[1:]), lead
        elif tail:
            words, parsed = " ".join(tokens[:-1]), tail
        else:
            continue
        out.append({"name": f"{name}_{slug(words)}", "label": f"{label}: {item}", "value": parsed[0],
                    "unit": parsed[1] or "count"})
    return out

