"""Whose figure a fact is (`scope`, from the printed qualifier) and what a
rate is per (`rate_basis`, from the printed label); vocabularies in
patterns/facts.json.

The report's own service is recognised by comparing the qualifier with the
report's service name and area (the service words YOS/YOT/YJS set aside),
never by a list of services: blank, "Anyshire" and "Anyshire YOS" are all
scope `service`.
"""
from __future__ import annotations

from typing import Any

import re
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline.core.records import ServiceIdentity
from pipeline.core.patterns import load
from pipeline.extract.identity import service_words

SERVICE = "service"


@lru_cache(maxsize=1)
def _vocab() -> dict[str, Any]:
    data = load("facts")
    return {
        "scopes": [(entry["scope"], re.compile(entry["regex"], re.I)) for entry in data["scopes"]["before_service"]],
        "after": [(entry["scope"], re.compile(entry["regex"], re.I)) for entry in data["scopes"]["after_service"]],
        "other": data["scopes"]["other"],
        # one vocabulary of service names for the whole pipeline (identity.py)
        "service_words": service_words(),
        "place_words": re.compile(r"\b(?:" + "|".join(re.escape(w) for w in data["scopes"]["place_words"]) + r")\b",
                                  re.I),
        "rate_bases": [(basis, re.compile(regex, re.I)) for basis, regex in data["rate_bases"].items()
                       if not basis.startswith("_")],
    }


def _place(text: str) -> str:
    """Lower-case words of a name without the service and place words and
    punctuation."""
    text = _vocab()["place_words"].sub(" ", _vocab()["service_words"].sub(" ", text))
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("&", " and ")))


def is_own_service(qualifier: str, service: ServiceIdentity) -> bool:
    place = _place(qualifier)
    if not place:
        return True  # 'the YOS', 'YJS': only service words
    for name in (service.area, service.service_name):
        own = _place(name or "")
        if own and (place == own or fuzz.ratio(place, own) >= 90):
            return True
    if not (service.area or service.service_name):
        # the service is unknown: a name with a service word is the inspected one
        return bool(_vocab()["service_words"].search(qualifier))
    return False


def scope_of(qualifier: str | None, service: ServiceIdentity) -> str:
    """service, service_subgroup, local_population, national, regional,
    england_and_wales, england, wales, comparator or other."""
    if not qualifier or not qualifier.strip():
        return SERVICE  # nothing printed: the inspected service's own figure
    vocab = _vocab()
    for scope, regex in vocab["scopes"]:
        if regex.search(qualifier):
            return str(scope)
    if is_own_service(qualifier, service):
        return SERVICE
    for scope, regex in vocab["after"]:
        if regex.search(qualifier):
            return str(scope)
    return str(vocab["other"])


def rate_basis(label: str | None, unit: str) -> str | None:
    """per_100000, per_1000, per_case_manager, ... when the unit is a rate
    and its label prints what it is per; else None."""
    if unit != "rate" or not label:
        return None
    for basis, regex in _vocab()["rate_bases"]:
        if regex.search(label):
            return str(basis)
    return None
