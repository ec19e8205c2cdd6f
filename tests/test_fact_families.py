"""Fact labels in the family of wordings the corpus prints map to one
canonical name (issue 19, class 9): each name is shown with at least three
wordings, including one no sample prints, and a misprint is matched by the
vocabulary's tolerance, not copied into it."""
from __future__ import annotations

import pytest

from pipeline.extract.facts import match_label

FAMILIES = {
    "projected_budget": [
        "Total projected budget for the current financial year",
        "Total projected budget current for financial year",  # Bedfordshire's misprint
        "Projected budget for the current financial year",
        "Total projected budget",
    ],
    "sickness_days": [
        "Average annual sickness days (all staff)",
        "Average annual working days sickness (all staff)",
        "Average annual sickness days",
    ],
    "average_caseload_per_case_manager_fte": [
        "Average caseload per case manager (FTE)",
        "Average caseload: case managers (FTE)",
        "Average caseload case managers (FTE equivalent)",
        "Average caseload per case manager",
    ],
    "youth_population_10_17": [
        "Total youth population (10-17 years)",
        "Youth population aged 10-17",
        "Total child population (10-17 years)",
    ],
}


@pytest.mark.parametrize(("name", "label"), [(n, label) for n, labels in FAMILIES.items() for label in labels])
def test_each_wording_maps_to_its_name(name, label):
    match = match_label(label)
    assert match.entry is not None and match.entry.name == name


@pytest.mark.parametrize("label", ["Total staff sickness policy review", "Projected number of first-time entrants"])
def test_a_different_label_is_not_pulled_in(label):
    match = match_label(label)
    assert match.entry is None or match.entry.name not in {"projected_budget", "sickness_days"}
