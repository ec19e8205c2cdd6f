"""The one footnote-marker pattern (patterns/footnotes.json), in each context
a stage uses it (pipeline/text.py). Examples are as the sample reports print
them (luton-yos.txt: 'rating13', 'data8', 'Luton YOS4', 'offended1.')."""
import pytest

from pipeline.core.text import footnote_markers, strip_markers, strip_trailing_marker


@pytest.mark.parametrize("text, markers", [
    ("Our rating13 for assessment is based on the following key questions:", [13]),
    ("work with children who have offended1. Published scoring rules generate the overall", [1]),
    ("YOS rating2. The findings", [2]),
    ("effectively support the safety of the child safe?15 7 7", [15]),
    ("184 First-time entrant rate per 100,000 in Luton YOS4", [4]),
    ("the caseload at the time of the inspection announcement.'3 Next", [3]),
    ("Justice Board. (2019)5 First", [5]),
    # content, never markers: codes, thousands, ranges, counts, years
    ("2.1.1. Does assessment sufficiently analyse 8 8", []),
    ("214,109 Total population (10-17 years) in 2019/20, Score 16/36", []),
    ("Covid-19 and 3.5 FTE", []),
])
def test_footnote_markers_found_in_running_text(text, markers):
    """segment (which notes a page cites) and explanations (notes near a rating)."""
    assert footnote_markers(text) == markers


def test_strip_markers_from_a_fact_label():
    """facts: every glued marker leaves the label; numbers that are content stay."""
    assert strip_markers("Reoffending rate for Luton YOS5") == "Reoffending rate for Luton YOS"
    assert strip_markers("Offence types9 %") == "Offence types %"
    assert strip_markers("Total youth population (10-17 years) in Luton") == \
        "Total youth population (10-17 years) in Luton"
    assert strip_markers("Bedfordshire YOS10 65% 33% 2%") == "Bedfordshire YOS 65% 33% 2%"


@pytest.mark.parametrize("text, clean", [
    ("Additional caseload data8", "Additional caseload data"),      # a heading (segment)
    ("Does assessment sufficiently analyse how to keep the child safe?22",
     "Does assessment sufficiently analyse how to keep the child safe?"),  # a row label (rows)
    ("Annexe 2", "Annexe 2"),
    ("2.1.1", "2.1.1"),
    ("Population information6 in Luton", "Population information6 in Luton"),  # only at the end
])
def test_strip_trailing_marker_from_a_heading_or_label(text, clean):
    assert strip_trailing_marker(text) == clean
