"""Service identity: one service_key for a service however it is named, the
service type from the vocabulary, the printed name kept."""
import pytest

from conftest import SAMPLES, write_report


@pytest.mark.parametrize("name, key, service_type", [
    ("North Somerset Youth Offending Service", "north-somerset", "YOS"),
    ("North Somerset YOT", "north-somerset", "YOT"),
    ("North Somerset Youth Justice Service (YJS)", "north-somerset", "YJS"),
    ("the North Somerset YOS", "north-somerset", "YOS"),
    ("North Somerset Youth Offending Team", "north-somerset", "YOT"),
    ("North Somerset Youth Offending Service2", "north-somerset", "YOS"),  # a glued footnote marker
    ("Anyshire Youth Justice Team", "anyshire", "YJT"),
    ("Anyshire Youth Justice Partnership", "anyshire", "YJP"),
    ("Anyshire Combined Youth Justice Service", "anyshire", "YJS"),
    ("Upton & Downley Youth Offending Service", "upton-and-downley", "YOS"),
    ("Upton and Downley YJS", "upton-and-downley", "YJS"),
    ("St. Anne's-on-Wold, Smallton and Bigtown Youth Justice Service", "st-annes-on-wold-smallton-and-bigtown", "YJS"),
])
def test_name_variants_give_one_key(name, key, service_type):
    from pipeline.extract.identity import area_of, service_key, service_kind

    assert service_key(area_of(name)) == key
    assert service_kind(name)[0] == service_type


def test_name_in_full_has_a_type_but_no_area():
    from pipeline.extract.identity import area_of, service_kind

    name = "Young People's Engagement and Justice Service (YPE&JS)"
    assert service_kind(name)[0] == "YJS"
    assert area_of(name) is None


@pytest.mark.parametrize("name, key", [("bedfordshire", "bedfordshire"), ("luton", "luton"),
                                       ("north_somerset", "north-somerset")])
def test_samples(extracted, name, key):
    (row,) = extracted[name]["reports"]
    assert row["service_key"] == key and row["service_type"] == "YOS"
    assert row["service_name"].endswith("Youth Offending Service")  # as printed on the ratings page


def extract_text(tmp_path, text, name="report.txt"):
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file

    path = write_report(tmp_path, text, name)
    (row,) = extract_file(str(path), sha256_of(path), Options())["reports"]
    return row


RATINGS_LINE = "North Somerset Youth Offending Service Score 26/36"


def test_yot_in_the_body_of_a_yos_report(tmp_path):
    text = SAMPLES["north_somerset"].read_text(encoding="utf-8")
    head, rest = text.split(RATINGS_LINE)
    row = extract_text(tmp_path, head.replace("YOS", "YOT") + RATINGS_LINE + rest.replace("YOS", "YOT"))
    assert (row["service_type"], row["service_key"]) == ("YOS", "north-somerset")


def test_renamed_service_keeps_its_key(tmp_path):
    text = SAMPLES["north_somerset"].read_text(encoding="utf-8").replace(
        RATINGS_LINE, "North Somerset Youth Justice Service (YJS) Score 26/36").replace("YOS", "YJS")
    row = extract_text(tmp_path, text)
    assert row["service_name"] == "North Somerset Youth Justice Service (YJS)"
    assert (row["service_type"], row["area"], row["service_key"]) == ("YJS", "North Somerset", "north-somerset")


def test_name_in_full_takes_its_area_from_the_text(tmp_path):
    """The ratings page prints the service's full name with no area in it;
    the foreword's 'Overall, North Somerset YOS was rated' names the area."""
    full = "Young People's Engagement and Justice Service (YPE&JS)"
    text = SAMPLES["north_somerset"].read_text(encoding="utf-8").replace(RATINGS_LINE, f"{full} Score 26/36")
    row = extract_text(tmp_path, text)
    assert row["service_name"] == full
    assert (row["service_type"], row["area"], row["service_key"]) == ("YJS", "North Somerset", "north-somerset")
    nowhere = text.replace("North Somerset YOS", "the YPE&JS").replace("North Somerset Youth Offending Service", "YPE&JS")
    row = extract_text(tmp_path, nowhere, "no-area.txt")
    assert (row["service_type"], row["area"], row["service_key"]) == ("YJS", None, None)
