"""Every README example (Python and SQL) runs verbatim against a real
extraction of the samples, from a folder where `data/parsed` is that
extraction, and says what the sample reports say."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder holding data/raw (the samples) and data/parsed (their extraction)."""
    work = tmp_path_factory.mktemp("work")
    raw = work / "data" / "raw"
    raw.mkdir(parents=True)
    for path in SAMPLES.values():
        shutil.copy(path, raw / path.name)
    subprocess.run([sys.executable, "-m", "pipeline", "extract", "data/raw", "--out", "data/parsed",
                    "--no-progress", "--csv"], cwd=work, check=True, capture_output=True)
    return work


def blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def over_inspections(query):
    return "inspections.parquet" in query or "rating_changes.parquet" in query


def run_python(code, workdir, monkeypatch, capsys) -> str:
    monkeypatch.chdir(workdir)
    exec(code, {})
    return capsys.readouterr().out


def test_every_example_is_checked():
    sql = blocks("sql")
    assert len(blocks("python")) == 5 and len(sql) == 5
    assert sum(map(over_inspections, sql)) == 2


def test_duckdb_sql_examples(workdir, monkeypatch):
    duckdb = pytest.importorskip("duckdb")
    monkeypatch.chdir(workdir)
    queries = [q for q in blocks("sql") if not over_inspections(q)]
    by_framework = duckdb.sql(queries[0]).fetchall()
    # 2018: Luton 8 and North Somerset 8 quantitative standards, 3 diverging; 2021: Bedfordshire 7, none
    assert by_framework == [("2018", 16, 3), ("2021", 7, 0)]
    assert duckdb.sql(queries[1]).fetchall() == []  # every divergence in the samples is explained
    lowest = duckdb.sql(queries[2]).fetchall()
    luton_21 = next(r for r in lowest if r[0] == "Luton Youth Offending Service" and r[1] == "2.1")
    assert luton_21[2:] == (3, "Does assessment sufficiently analyse how to keep other people safe?", 62.0, 21)


def test_pandas_example(workdir, monkeypatch, capsys):
    printed = run_python(blocks("python")[0], workdir, monkeypatch, capsys)
    assert "Luton Youth Offending Service" in printed and "North Somerset Youth Offending Service" in printed
    assert printed.count("Requires improvement") == 3


def test_polars_example(workdir, monkeypatch, capsys):
    pytest.importorskip("polars")
    printed = run_python(blocks("python")[1], workdir, monkeypatch, capsys)
    # the three divergences of the samples: Luton 2.1, North Somerset 3.2 and 3.3, each Good for Requires improvement
    assert printed.count("Requires improvement") == 3 and printed.count("Good") == 3
    assert "Luton Youth Offending Service" in printed and "North Somerset Youth Offending Service" in printed


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


def test_loader_example(workdir, monkeypatch, capsys):
    printed = run_python(blocks("python")[2], workdir, monkeypatch, capsys)
    rating = r"(Inadequate|Requires improvement|Good|Outstanding)"
    luton = [re.search(rf"Service\s+(\d\.\d)\s+{rating}\s+(\d)", line).groups()
             for line in printed.splitlines() if line.strip().startswith("Luton")]
    # sorted by merit, not alphabet: Luton's Inadequate standards (2.2, 3.1, 3.2) first, 1.4 Outstanding last
    assert [r[0] for r in luton[:3]] == ["2.2", "3.1", "3.2"] and luton[-1] == ("1.4", "Outstanding", "3")
    assert len(luton) == 12
    assert re.search(r"Luton Youth Offending Service\s+2\.1\s+Good\s+2\s+Requires improvement\s+1\n", printed)


def test_database_example(workdir, monkeypatch, capsys):
    printed = run_python(blocks("python")[3], workdir, monkeypatch, capsys)
    lines = printed.splitlines()
    assert len(lines) == 4  # header and the three divergences
    assert re.fullmatch(r"\s*Luton Youth Offending Service\s+2\.1\s+Good\s+Requires improvement\s+62\.0\s+True\s+21",
                        lines[1])
    assert [line.split()[5:7] for line in lines[2:]] == [["3.2", "Good"], ["3.3", "Good"]]


def test_facts_scope_example(workdir, monkeypatch, capsys):
    printed = run_python(blocks("python")[4], workdir, monkeypatch, capsys)
    rows = [line.split() for line in printed.splitlines()[1:]]
    # first-time entrant rates of the service itself, printed 'in Luton YOS' and 'in Bedfordshire YOS';
    # the England and Wales figures beside them are another scope
    assert sorted((r[1], r[2], r[4], r[5], r[6]) for r in rows) == [
        ("Bedfordshire", "YOS", "rate", "per_100000", "12"), ("Luton", "YOS", "rate", "per_100000", "9")]
    assert sorted(float(r[3]) for r in rows) == [117.0, 184.0]
