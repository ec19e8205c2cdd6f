"""The overall rating as the prose prints it, in each wording of the family
(issue 19, class 7), and the ratings summary printed in column order with
the overall rating at its end (class 5). Each case re-prints the Bedfordshire
sample (published overall: Requires improvement; 3.3 Good, 3.4 Requires
improvement, 4.1 Good) in the wording under test."""
from __future__ import annotations

import re

import pytest

from conftest import SAMPLES
from pipeline.core.files import sha256_of
from pipeline.execution.one_file import Options, extract_file
from pipeline.extract.report_meta import overall_in_prose
from pipeline.ingest.read import read_document
from pipeline.segment.sections import segment

PRINTED = "Overall, Bedfordshire youth offending service (YOS) is rated as ‘Requires \nimprovement’."


def _reprinted(tmp_path, old: str, new: str, name: str = "report.txt"):
    text = SAMPLES["bedfordshire"].read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("sentence", [
    "We have given Bedfordshire youth offending service (YOS) an overall rating of ‘Requires \nimprovement’.",
    "We gave Bedfordshire YOS an overall rating of: Requires improvement.",
    "Bedfordshire Youth Offending Service has been given an overall rating of \n'Requires improvement'.",
    "Bedfordshire YOS was awarded an overall rating of “Requires improvement”.",
])
def test_given_an_overall_rating_of(tmp_path, sentence):
    report = segment(read_document(_reprinted(tmp_path, PRINTED, sentence)))
    found = {(s.value, s.source) for s in overall_in_prose(report)}
    assert ("Requires improvement", "overall_findings") in found


def test_another_inspections_rating_is_not_this_one(tmp_path):
    sentence = "At our last inspection, we gave Bedfordshire YOS an overall rating of ‘Good’."
    report = segment(read_document(_reprinted(tmp_path, PRINTED, sentence)))
    assert all(s.value != "Good" for s in overall_in_prose(report))


def test_summary_in_column_order_with_the_overall_rating_last(tmp_path):
    text = SAMPLES["bedfordshire"].read_text(encoding="utf-8")
    start = text.index("Bedfordshire Youth Offending Service Score 14/36")
    end = text.index(" Executive summary")
    labels, values = [], []
    for line in (ln.strip() for ln in text[start:end].split("\n") if ln.strip()):
        if line.startswith("Overall rating"):
            continue
        m = re.search(r"(Outstanding|Good|Requires improvement|Inadequate)$", line)
        if m and line == "policy and provision Requires improvement":
            labels[-1] += " policy and provision"
            values.append(m.group(1))
        elif m:
            labels.append(line[:m.start()].strip())
            values.append(m.group(1))
        else:
            labels.append(line)
    column_order = "\n".join(labels) + "\n\n" + "\n".join(values) + "\n\nOverall rating Requires improvement\n"
    # and no prose to fall back on: the summary alone must give the overall rating
    path = _reprinted(tmp_path, text[start:end], column_order)
    path.write_text(path.read_text(encoding="utf-8").replace(PRINTED, "We inspected three domains."),
                    encoding="utf-8")
    rows = extract_file(str(path), sha256_of(path), Options())
    report = rows["reports"][0]
    assert report["overall_rating"] == "Requires improvement"
    ratings = {r["standard"]: r["rating"] for r in rows["ratings"]}
    assert (ratings["1.1"], ratings["2.1"], ratings["3.3"], ratings["3.4"], ratings["4.1"]) == \
        ("Requires improvement", "Inadequate", "Good", "Requires improvement", "Good")
