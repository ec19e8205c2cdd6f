"""Resettlement case counts in the family of wordings reports use (issue 19,
class 9): each wording re-prints Bedfordshire's sentence ("we inspected two
cases managed by the YOS that had received a custodial sentence"), and the
count read must be the one the wording prints."""
from __future__ import annotations

import pytest

from conftest import SAMPLES
from pipeline.extract.report_meta import cases_inspected
from pipeline.ingest.read import read_document
from pipeline.segment.sections import segment

PRINTED = "inspected two cases managed by the YOS that had received a custodial sentence."


@pytest.mark.parametrize(("wording", "count"), [
    (PRINTED, 2),
    ("inspected three resettlement cases.", 3),
    ("reviewed 4 cases in which the child had received a custodial sentence.", 4),
    ("examined two cases where children had been sentenced to custody.", 2),
    ("looked at a further five resettlement cases.", 5),
    ("assessed 3 cases that had received detention and training orders.", 3),
])
def test_resettlement_cases_in_each_wording(tmp_path, wording, count):
    text = SAMPLES["bedfordshire"].read_text(encoding="utf-8")
    assert text.count(PRINTED) == 2  # the executive summary and the resettlement chapter
    path = tmp_path / "report.txt"
    path.write_text(text.replace(PRINTED, wording), encoding="utf-8")
    found = cases_inspected(segment(read_document(path)))["resettlement"]
    # the annex's own statement ('a further two cases to obtain data ...') is read too
    in_wording = [s.value for s in found if s.quote in wording]
    assert in_wording == [count]


def test_a_custodial_sentence_in_a_breakdown_is_not_a_count(tmp_path):
    # 'one custodial sentence, managed by ...' (a sample's split) is no statement of cases inspected
    text = SAMPLES["bedfordshire"].read_text(encoding="utf-8").replace(PRINTED, "inspected the work.")
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    found = cases_inspected(segment(read_document(path)))["resettlement"]
    assert sorted(s.quote.split()[0] for s in found) == ["examining", "further"]  # the annex's two statements
    assert {s.value for s in found} == {2}
