"""The README's worked examples run against a real extraction and say what
the sample reports say."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    import shutil

    raw = tmp_path_factory.mktemp("raw")
    for path in SAMPLES.values():
        shutil.copy(path, raw / path.name)
    out = tmp_path_factory.mktemp("parsed")
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--no-progress"],
                   cwd=ROOT, check=True, capture_output=True)
    return out


def blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def over_inspections(query):
    return "inspections.parquet" in query or "rating_changes.parquet" in query


def test_duckdb_examples(parsed):
    duckdb = pytest.importorskip("duckdb")
    queries = [q.replace("data/parsed", str(parsed)) for q in blocks("sql") if not over_inspections(q)]
    assert len(queries) == 3
    by_framework = duckdb.sql(queries[0]).fetchall()
    # 2018: Luton 8 and North Somerset 8 quantitative standards, 3 diverging; 2021: Bedfordshire 7, none
    assert by_framework == [("2018", 16, 3), ("2021", 7, 0)]
    assert duckdb.sql(queries[1]).fetchall() == []  # every divergence in the samples is explained
    lowest = duckdb.sql(queries[2]).fetchall()
    luton_21 = next(r for r in lowest if r[0] == "Luton Youth Offending Service" and r[1] == "2.1")
    assert luton_21[2:] == (3, "Does assessment sufficiently analyse how to keep other people safe?", 62.0, 21)


def test_pandas_example(parsed, capsys):
    (code,) = blocks("python")
    exec(code.replace("data/parsed", str(parsed)), {})
    printed = capsys.readouterr().out
    assert "Luton Youth Offending Service" in printed and "North Somerset Youth Offending Service" in printed
    assert printed.count("Requires improvement") == 3


def test_inspection_examples(tmp_path):
    """The examples over inspections, on the samples plus a synthetic
    re-inspection of North Somerset and a second download of Luton."""
    duckdb = pytest.importorskip("duckdb")
    import shutil

    from test_inspections import synthetic_reinspection

    raw = tmp_path / "raw"
    raw.mkdir()
    for path in SAMPLES.values():
        shutil.copy(path, raw / path.name)
    (raw / "luton-yos-download-2.txt").write_text(SAMPLES["luton"].read_text(encoding="utf-8") + "\n",
                                                  encoding="utf-8")
    synthetic_reinspection(raw)
    out = tmp_path / "parsed"
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--no-progress"],
                   cwd=ROOT, check=True, capture_output=True)
    history, changes = [q.replace("data/parsed", str(out)) for q in blocks("sql") if over_inspections(q)]
    rows = duckdb.sql(history).fetchall()
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        ("bedfordshire", "2021-08", "Requires improvement", 14),
        ("luton", None, "Requires improvement", 16),  # two files, one inspection, no date printed
        ("north-somerset", "2020-09", "Good", 26),
        ("north-somerset", "2023-10", "Good", 26),  # 1.1 up a point, 2.1 down one
    ]
    assert rows[3][-1] == "north-somerset-2020-09" and rows[2][-1] is None
    assert duckdb.sql(changes).fetchall() == [
        ("north-somerset", "2020-09", "2023-10", "1.1", "Requires improvement", "Good", "improved"),
        ("north-somerset", "2020-09", "2023-10", "2.1", "Outstanding", "Good", "declined"),
    ]
