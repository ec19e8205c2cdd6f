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


def test_duckdb_examples(parsed):
    duckdb = pytest.importorskip("duckdb")
    queries = [q.replace("data/parsed", str(parsed)) for q in blocks("sql")]
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
