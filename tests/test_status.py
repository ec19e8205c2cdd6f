"""Status: `partial` means something the report's own framework requires is
missing; a report from before scores were printed is not partial for that."""
from conftest import SAMPLES, write_report


def extract_text(tmp_path, text):
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file

    path = write_report(tmp_path, text)
    return extract_file(str(path), sha256_of(path), Options())


def test_no_printed_score_is_not_partial(tmp_path):
    text = SAMPLES["luton"].read_text(encoding="utf-8")
    assert text.count("Luton Youth Offending Service Score 16/36") == 1
    tables = extract_text(tmp_path, text.replace("Luton Youth Offending Service Score 16/36",
                                                 "Luton Youth Offending Service"))
    (row,) = tables["reports"]
    assert row["score"] is None and row["score_page"] is None
    assert row["status"] == "ok" and row["missing"] is None
    assert row["score_published_sum"] == 16 and row["overall_rating"] == "Requires improvement"
    assert not [f for f in tables["findings"] if f["kind"] == "missing_section"]
