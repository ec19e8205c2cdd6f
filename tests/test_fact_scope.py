"""facts.scope (whose figure) and facts.rate_basis (what a rate is per), on
the samples, on a sample whose service is renamed, and on printed variants."""
from collections import Counter

import pytest
from conftest import SAMPLES, write_report

from pipeline.extract.facts.box import LabelBuffer
from pipeline.extract.facts.scope import rate_basis, scope_of
from pipeline.core.files import sha256_of
from pipeline.core.records import ServiceIdentity
from pipeline.execution.one_file import Options, extract_file


def facts_of(path):
    return extract_file(str(path), sha256_of(path), Options())["facts"]


def test_luton_service_is_one_scope_however_printed(extracted):
    rows = extracted["luton"]["facts"]
    scopes = Counter((r["qualifier"], r["scope"]) for r in rows)
    # blank, the area and the area with its service word: all the service
    assert {q: s for q, s in scopes} == {
        None: "service", "Luton": "service", "Luton YOS": "service", "National average": "national",
        "England and Wales": "england_and_wales", "children subject to court disposals": "service_subgroup"}
    total = next(r for r in rows if r["name"] == "total_population")
    assert (total["qualifier"], total["scope"], total["value"]) == ("Luton", "service", 214109)


def test_bedfordshire_local_population(extracted):
    rows = extracted["bedfordshire"]["facts"]
    local = [r for r in rows if r["qualifier"] == "Local area age 10-17"]
    assert [(r["name"], r["value"], r["scope"]) for r in local] == [
        ("ethnicity_white", 85, "local_population"), ("ethnicity_bme", 15, "local_population")]


def test_a_renamed_service_is_still_the_service(tmp_path):
    """Nothing keys on a service's name: the same report about another place."""
    text = SAMPLES["luton"].read_text(encoding="utf-8").replace("Luton", "Castleford Vale")
    rows = facts_of(write_report(tmp_path, text, "renamed.txt"))
    qualifiers = {r["qualifier"]: r["scope"] for r in rows}
    assert qualifiers["Castleford Vale"] == qualifiers["Castleford Vale YOS"] == qualifiers[None] == "service"
    assert "other" not in qualifiers.values()


@pytest.mark.parametrize("qualifier,scope", [
    (None, "service"), ("", "service"), ("Anyshire", "service"), ("Anyshire YOS", "service"),
    ("Anyshire Youth Justice Service", "service"), ("the YOS", "service"), ("anyshire yot", "service"),
    ("Anyshire Borough Council", "service"), ("Anyshire local authority", "service"),
    ("National average", "national"), ("national", "national"), ("England and Wales", "england_and_wales"),
    ("England & Wales", "england_and_wales"), ("England", "england"), ("Wales", "wales"),
    ("South West region", "regional"), ("Regional average", "regional"), ("YOT family average", "comparator"),
    ("Local area age 10-17", "local_population"), ("children subject to court disposals", "service_subgroup"),
    ("Otherton YOS", "other"), ("Borsetshire", "other"),
])
def test_scope_vocabulary(qualifier, scope):
    service = ServiceIdentity(service_name="Anyshire Youth Offending Service", area="Anyshire")
    assert scope_of(qualifier, service) == scope


def test_scope_when_the_service_is_unknown():
    assert scope_of("Someplace YJS", ServiceIdentity()) == "service"
    assert scope_of("Someplace", ServiceIdentity()) == "other"


def test_rate_basis(extracted):
    rows = extracted["luton"]["facts"] + extracted["bedfordshire"]["facts"] + extracted["north_somerset"]["facts"]
    bases = {(r["name"], r["label"]): r["rate_basis"] for r in rows if r["unit"] == "rate"}
    assert bases[("first_time_entrant_rate", "First-time entrant rate per 100,000 in Luton YOS")] == "per_100000"
    assert bases[("average_caseload_per_case_manager_fte", "Average caseload: case managers (FTE)")] == \
        "per_case_manager"
    assert bases[("average_caseload_per_case_manager_fte", "Average caseload case managers (FTE equivalent)")] == \
        "per_case_manager"
    assert bases[("average_caseload_per_case_manager_fte", "Average caseload per case manager (FTE)")] == \
        "per_case_manager"
    assert all(r["rate_basis"] is None for r in rows if r["unit"] != "rate")
    assert rate_basis("Custody rate per 1,000 in Anyshire", "rate") == "per_1000"
    assert rate_basis("First-time entrant rate", "rate") is None  # not printed: not guessed


def test_label_buffer_has_one_reset():
    label = LabelBuffer()
    label.add("Total spend in previous financial", 3)
    label.add("year - 2019/2020", 3)
    label.close()
    label.add("continued", 4)  # lower case: the label goes on across a blank line
    assert (label.parts, label.page, label.closed) == (
        ["Total spend in previous financial", "year - 2019/2020", "continued"], 3, False)
    label.close()
    assert label.take(include_closed=False) == ([], 3)
    assert (label.parts, label.page, label.closed) == ([], None, False)
    label.add("A sentence.", 5)
    label.add("New label", 5)  # after a sentence end a new label starts
    assert (label.parts, label.page) == (["New label"], 5)
