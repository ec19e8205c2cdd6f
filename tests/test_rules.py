import pytest

from pipeline.core import rules


@pytest.mark.parametrize("pct, band", [
    (0, "Inadequate"), (49, "Inadequate"), (49.99, "Inadequate"),
    (50, "Requires improvement"), (64, "Requires improvement"), (64.7, "Requires improvement"),
    (65, "Good"), (79, "Good"), (79.5, "Good"),
    (80, "Outstanding"), (100, "Outstanding"),
])
def test_key_question_band_edges(pct, band):
    assert rules.band_for_pct(pct) == band


@pytest.mark.parametrize("score, band", [
    (0, "Inadequate"), (6, "Inadequate"), (7, "Requires improvement"), (18, "Requires improvement"),
    (19, "Good"), (30, "Good"), (31, "Outstanding"), (36, "Outstanding"),
])
def test_score_band_edges(score, band):
    assert rules.band_for_score(score) == band


def test_standard_rating_is_band_of_lowest_key_question():
    assert rules.standard_rating_from_key_questions([95, 71, 62]) == ("Requires improvement", 62)
    assert rules.standard_rating_from_key_questions([None, 80]) == ("Outstanding", 80)
    assert rules.standard_rating_from_key_questions([None, None]) == (None, None)


def test_exact_fraction_and_rounding():
    # 2 of 3 is 66.67%: Good; 9 of 14 is 64.29%: Requires improvement, and
    # 11 of 17 is 64.7%, printed as 65% (Good): rounding flips it
    assert rules.band_for_pct(100 * 2 / 3) == "Good"
    assert rules.band_for_pct(100 * 9 / 14) == "Requires improvement"
    assert rules.rounding_could_flip(100 * 11 / 17)
    assert not rules.rounding_could_flip(100 * 9 / 14)
    assert not rules.rounding_could_flip(50.0)


def test_score_sums_the_twelve_core_standards_and_leaves_out_resettlement():
    ratings = {c: "Good" for c in rules.framework_standards("2021")}
    ratings["4.1"] = "Inadequate"
    assert rules.score(ratings, "2021") == 24
    del ratings["2.2"]
    assert rules.score(ratings, "2021") is None  # a partial sum would be a guess


def test_resettlement_inadequate_limits_outstanding():
    assert rules.overall(33, "Inadequate") == "Good"
    assert rules.overall(33, "Good") == "Outstanding"
    assert rules.overall(20, "Inadequate") == "Good"


def test_band_edge_distance():
    assert rules.band_edge_distance(62, "Good") == 3      # Luton 2.1: 62% published Good
    assert rules.band_edge_distance(50, "Good") == 15     # North Somerset 3.2: 1 of 2
    assert rules.band_edge_distance(70, "Good") == 0
    assert rules.band_edge_distance(85, "Good") == 6      # 85 is 6 above the top of Good (79)


def test_framework_detected_from_standards_not_dates():
    assert rules.detect_framework({"3.4": "Joint working"}) == "2018"
    assert rules.detect_framework({"3.4": "Out-of-court disposal policy and provision"}) == "2021"
    assert rules.detect_framework({"3.4": "Joint working", "4.1": "Resettlement policy and provision"}) == "2021"
    assert rules.detect_framework({}) is None


def test_normalise_rating():
    assert rules.normalise_rating("Requires Improvement") == "Requires improvement"
    assert rules.normalise_rating("Good22") == "Good"
    assert rules.normalise_rating("Requires\nimprovement") == "Requires improvement"
    assert rules.normalise_rating("Fine") is None


def test_fractions_behind_a_printed_percentage():
    assert rules.fractions_printed_as(65, 17) == [(11, 17)]
    assert rules.rounding_alternatives(65, 17) == [(11, 17, "Requires improvement")]
    assert rules.rounding_alternatives(65, 20) == [(11, 17, "Requires improvement")]  # 13/20 is Good
    assert rules.rounding_alternatives(50, 6) == []      # 3/6 is exactly 50
    assert rules.rounding_alternatives(80, 40) == []     # 79.5% needs 200 cases; 32/40 = 80
    assert rules.rounding_alternatives(62, 21) == []     # not at an edge


def test_score_bands_and_maximum_come_from_standards_json():
    assert rules.score_max() == 36
    assert rules.score_bands() == [(0, 6, "Inadequate"), (7, 18, "Requires improvement"),
                                   (19, 30, "Good"), (31, 36, "Outstanding")]
    assert [rules.band_for_score(high) for _, high, _ in rules.score_bands()] == [
        "Inadequate", "Requires improvement", "Good", "Outstanding"]


def test_sanity_limits():
    assert rules.pct_problem(0.0) is None and rules.pct_problem(100.0) is None
    assert rules.pct_problem(100.5) and rules.pct_problem(-5.0)
    assert rules.counts_problem(8, 8, 8) is None and rules.counts_problem(None, None, 3) is None
    assert "cannot exceed the relevant" in rules.counts_problem(8, 10, 21)
    assert "cannot exceed the cases inspected" in rules.counts_problem(9, 5, 8)
    assert rules.score_problem(36, 36) is None and rules.score_problem(14, None) is None
    assert rules.score_problem(40, 36) and rules.score_problem(20, 30)
    assert (rules.key_questions_max("2018", "3.4"), rules.key_questions_max("2021", "3.4")) == (2, None)
    assert rules.key_questions_max("2021", "2.1") == 3 and rules.key_questions_max(None, "2.1") is None
