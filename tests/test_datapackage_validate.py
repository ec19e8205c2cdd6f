"""Issue 21.4: `frictionless validate datapackage.json` exits 0 on a run over
the three samples plus a PDF of one of them, with and without --csv: the
Parquet files are validated as files (present, bytes, sha256), the CSV
resources in full (types, constraints, primary and foreign keys)."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    pytest.importorskip("fpdf")
    from render_pdf import render_text_report

    folder = tmp_path_factory.mktemp("raw")
    for path in SAMPLES.values():
        shutil.copy(path, folder / path.name)
    render_text_report(SAMPLES["north_somerset"], folder / "north-somerset-yos.pdf")
    return folder


def extract(raw, out, *flags):
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out),
                             "--no-progress", "--workers", "1", "--json", *flags], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def validate(folder: Path) -> subprocess.CompletedProcess:
    if not FRICTIONLESS.exists():
        pytest.skip("frictionless is not installed (pip install -e '.[dev]')")
    return subprocess.run([str(FRICTIONLESS), "validate", "--json", "datapackage.json"], cwd=folder,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("flags", [("--csv",), ()])
def test_frictionless_validate_exits_0(raw, tmp_path, flags):
    summary = extract(raw, tmp_path / "out", *flags)
    assert (summary["files"], summary["duplicates"], summary["inspections"]) == (4, 1, 3)
    result = validate(tmp_path / "out")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], [t["errors"][:2] for t in report["tasks"] if t["errors"]]
    checked = {t["name"]: t["type"] for t in report["tasks"]}
    assert checked["ratings"] == "file"
    if flags:
        assert checked["ratings-csv"] == "table" and checked["ratings_copies-csv"] == "table"
        # the PDF is the primary copy of North Somerset; the text's 12 ratings are in ratings_copies
        rows = next(t for t in report["tasks"] if t["name"] == "ratings_copies-csv")["stats"]["rows"]
        assert rows == 12
    else:
        assert not any(name.endswith("-csv") for name in checked)


def test_a_changed_parquet_file_fails_validation(raw, tmp_path):
    extract(raw, tmp_path / "out")
    generation = (tmp_path / "out" / "current").resolve()
    ratings = generation / "ratings.parquet"
    ratings.write_bytes(ratings.read_bytes() + b"\0")
    result = validate(tmp_path / "out")
    assert result.returncode != 0
    report = json.loads(result.stdout)
    failed = {t["name"] for t in report["tasks"] if not t["valid"]}
    assert failed == {"ratings"}
