"""Rows of the facts table from parsed box rows: canonical name, group,
unit, qualifier and its scope, and the numbers printed in a value's note."""
from __future__ import annotations

import re

from pipeline.core.records import Fact, ServiceIdentity
from pipeline.extract.facts.label_buffer import Row
from pipeline.extract.facts.scope import rate_basis, scope_of
from pipeline.core.text import strip_markers
from pipeline.extract.facts.values import Value, parse_value_token
from pipeline.extract.facts.vocabulary import Match, heading_info, match_label, pattern, slug, vocabulary


def to_facts(rows: list[Row], section_name: str, service: ServiceIdentity | None = None) -> list[Fact]:
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
        scope = scope_of(qualifier, service or ServiceIdentity())
        out.append(Fact(group, name, label or None, qualifier, row.value.value, unit, row.value.page, section_name,
                        scope, rate_basis(label, unit)))
        out.extend(Fact(group, extra_name, extra_label, qualifier, value, extra_unit, row.value.page, section_name,
                        scope, rate_basis(extra_label, extra_unit))
                   for extra_name, extra_label, value, extra_unit in note_values(row.value, name, label or ""))
    return out


def note_values(value: Value, name: str, label: str) -> list[tuple[str, str, float, str]]:
    """(name, label, value, unit) of the numbers printed in a value's note:
    '(5 custodial orders, 1 secure remand)' -> name_custodial_orders 5,
    name_secure_remand 1; '= 1 post' or '(2)' -> name_count; '(YJB Good
    Practice Grant £341,351)' -> name_yjb_...
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
            out.append((f"{name}_count", f"{label} {note}".strip(), parsed[0], parsed[1] or "count"))
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
        out.append((f"{name}_{slug(words)}", f"{label}: {item}", parsed[0], parsed[1] or "count"))
    return out
