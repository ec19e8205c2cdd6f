"""Command-line conventions: --version, exit codes, one-line usage errors,
--json, -q/-v, the summary line, and file names relative to the input."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from pipeline.execution import run as run_module
from pipeline.app.cli import main

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("yj-inspections ")


@pytest.mark.parametrize("option,value", [("--max-mb", "nan"), ("--max-mb", "inf"), ("--max-mb", "0"),
                                          ("--max-mb", "-1"), ("--max-pages", "inf"), ("--max-pages", "0"),
                                          ("--max-pages", "nan"), ("--workers", "0"), ("--workers", "-2")])
def test_limits_must_be_finite_and_positive(tmp_path, monkeypatch, option, value):
    monkeypatch.setattr(run_module, "run", lambda *a, **k: pytest.fail("extraction started"))
    result = invoke("extract", SAMPLES["luton"].parent, "--out", tmp_path / "out", option, value)
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert line.startswith("error: ") and option in line


def test_unusable_out_is_refused_before_any_extraction(tmp_path, monkeypatch):
    monkeypatch.setattr(run_module, "run", lambda *a, **k: pytest.fail("extraction started"))
    existing = tmp_path / "tables.parquet"
    existing.write_text("not a folder")
    for out in (existing, existing / "below"):
        result = invoke("extract", SAMPLES["luton"].parent, "--out", out)
        assert result.exit_code == 2
        (line,) = error_lines(result)
        assert "--out" in line and str(existing) in line
    assert existing.read_text() == "not a folder"


def test_no_input_files_is_a_usage_error(tmp_path):
    (tmp_path / "in").mkdir()
    result = invoke("extract", tmp_path / "in", "--out", tmp_path / "out")
    assert result.exit_code == 2 and error_lines(result) == [f"error: no report files (.pdf, .docx, .html, .md, .txt) in {tmp_path / 'in'}"]


@pytest.fixture(scope="module")
def failing_folder(tmp_path_factory):
    """One good report and five files that are not reports, two of them both
    named bad.txt in different sub-folders."""
    folder = tmp_path_factory.mktemp("in")
    shutil.copy(SAMPLES["north_somerset"], folder / SAMPLES["north_somerset"].name)
    for name in ("a/bad.txt", "b/bad.txt", "c.txt", "d.txt", "e.txt"):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(f"Minutes of the meeting held on Tuesday, item {name}.\n", encoding="utf-8")
    return folder


def test_summary_json_and_relative_names(failing_folder, tmp_path):
    result = invoke("extract", failing_folder, "--out", tmp_path / "out", "--json", "--workers", "1",
                    "--no-progress")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["failed_files"] == ["a/bad.txt", "b/bad.txt", "c.txt", "d.txt", "e.txt"]
    assert (summary["files"], summary["ok"], summary["failed"], summary["exit_code"]) == (6, 1, 5, 1)
    assert summary["rows"]["errors"] == 5 and "inspections.duckdb" in summary["outputs"]
    lines = error_lines(result)
    assert [l.split(":")[1].strip() for l in lines[:5]] == summary["failed_files"]
    assert lines[-1].startswith("6 files: 1 ok, 0 partial, 5 failed, 0 duplicate | 1 inspection | "
                                "failed: a/bad.txt, b/bad.txt, c.txt "
                                "and 2 more | rows:")


def test_quiet_and_verbose(failing_folder, tmp_path):
    quiet = invoke("extract", failing_folder, "--out", tmp_path / "q", "-q", "--workers", "1")
    assert quiet.exit_code == 1
    assert all(line.startswith("error: ") for line in error_lines(quiet)) and len(error_lines(quiet)) == 5
    verbose = invoke("extract", failing_folder, "--out", tmp_path / "v", "-v", "--workers", "1", "--no-progress")
    lines = error_lines(verbose)
    assert "ok: north-somerset-yos.txt (North Somerset Youth Offending Service, 2018, overall Good)" in lines
    assert any(line.startswith("wrote: ") and "datapackage.json" in line for line in lines)
    both = invoke("extract", failing_folder, "--out", tmp_path / "x", "-q", "-v")
    assert both.exit_code == 2 and len(error_lines(both)) == 1


def test_interrupt_has_its_own_exit_code(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run_module, "run", interrupted)
    result = invoke("extract", SAMPLES["luton"].parent, "--out", tmp_path / "out")
    assert result.exit_code == 130 and error_lines(result) == ["interrupted"]
    assert not list((tmp_path / "out").glob("*.parquet"))


def test_a_run_with_nothing_new_reads_the_cache_without_loading_pyarrow(tmp_path):
    """A warm run (same files, same code) rewrites nothing, so it never
    imports pyarrow, pandas or duckdb (about 0.15 s of a 0.15 s run)."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES["north_somerset"], folder)
    command = [sys.executable, "-X", "importtime", "-m", "pipeline", "extract", str(folder),
               "--out", str(tmp_path / "out"), "-q"]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(command, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    imported = {line.split("|")[-1].strip() for line in second.stderr.splitlines() if line.startswith("import time:")}
    assert "pipeline.app.cli" in imported
    assert not imported & {"pyarrow", "pandas", "duckdb", "spacy"}


@pytest.mark.parametrize("args, says", [
    (["extract", "tests/fixtures", "--workers", "0"], "Invalid value for '--workers'"),
    (["extract", "tests/fixtures", "--max-mb", "nan"], "Invalid value for '--max-mb'"),
    (["extract", "no/such/folder"], "Invalid value for 'IN_DIR'"),
    (["extract", "tests/fixtures", "--out", "README.md"], "--out README.md is a file"),
    (["extract", "tests/fixtures", "-q", "-v"], "-q and -v cannot be used together"),
])
def test_a_usage_error_with_json_still_prints_json(args, says):
    """Issue 21.11: a script that asked for --json gets JSON on stdout, exit 2,
    and the one error line on stderr as always."""
    result = subprocess.run([sys.executable, "-m", "pipeline", *args, "--json"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2
    payload = json.loads(result.stdout)
    assert payload["exit_code"] == 2 and says in payload["error"]
    assert result.stderr.startswith("error: ") and says in result.stderr
