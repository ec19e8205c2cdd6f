"""Issue 21.6: each key question's theme (desistance / child_safety /
others_safety / other) from its printed text, in both frameworks: Bedfordshire
is a 2021-framework report, Luton and North Somerset 2018."""
import pytest

from pipeline.extract.themes import theme_of

CASE_LEVEL = ("2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3")


@pytest.mark.parametrize("name", ["bedfordshire", "luton", "north_somerset"])
def test_every_case_level_standard_asks_one_question_of_each_theme(extracted, name):
    rows = extracted[name]["key_questions"]
    by_standard: dict[str, list[str]] = {}
    for row in rows:
        by_standard.setdefault(row["standard"], []).append(row["theme"])
    for code in CASE_LEVEL:
        assert sorted(by_standard[code]) == ["child_safety", "desistance", "others_safety"], (name, code)
    # printed order: desistance, the child, other people
    assert by_standard["2.1"] == ["desistance", "child_safety", "others_safety"]


def test_joint_working_questions_of_2018_are_other(extracted):
    rows = [r for r in extracted["luton"]["key_questions"] if r["standard"] == "3.4"]
    assert [r["theme"] for r in rows] == ["other", "other"]
    assert rows[1]["question"] == "Does the YOT work effectively with the police in implementing the out-of-court disposal?"


@pytest.mark.parametrize("question, theme", [
    ("Does assessment sufficiently analyse how to support the child’s desistance?", "desistance"),
    ("Does planning focus on supporting the child's desistance?", "desistance"),
    ("Does service delivery effectively support the safety of the child?", "child_safety"),
    ("Does the implementation and delivery of services effectively support the safety of the child safe?",
     "child_safety"),
    ("Does reviewing focus sufficiently on keeping the child safe?", "child_safety"),
    ("Does assessment sufficiently analyse how to keep the young person safe?", "child_safety"),
    ("Does service delivery effectively support the safety of other people?", "others_safety"),
    ("Does planning focus sufficiently on keeping other people safe?", "others_safety"),
    ("Does assessment sufficiently analyse the risk of harm to others?", "others_safety"),
    ("Are the YOT's recommendations sufficiently well-informed, analytical and personalised to the child, "
     "supporting joint decision making?", "other"),
    (None, None),
])
def test_theme_of(question, theme):
    assert theme_of(question) == theme
