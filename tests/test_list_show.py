"""Issue 21.7: `show` finds a service, not a file (fuzzy on the service's
name or key, listing the choices when several match); `list` prints the
inspections; both with --json. On an extraction of the three samples plus a
second download of Luton."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for path in SAMPLES.values():
        shutil.copy(path, raw / path.name)
    (raw / "luton-download-2.txt").write_text(SAMPLES["luton"].read_text(encoding="utf-8") + "\n",
                                              encoding="utf-8")
    folder = tmp_path_factory.mktemp("out")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(folder),
                             "--no-progress", "--workers", "1"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return folder


def cli(out, *args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args, "--parsed", str(out)], cwd=ROOT,
                          capture_output=True, text=True)


@pytest.mark.parametrize("query, service", [
    ("luton", "Luton Youth Offending Service"),
    ("LUTON", "Luton Youth Offending Service"),
    ("north somerset", "North Somerset Youth Offending Service"),
    ("north-somerset", "North Somerset Youth Offending Service"),
    ("norht somerst", "North Somerset Youth Offending Service"),  # typos: rapidfuzz
    ("bedford", "Bedfordshire Youth Offending Service"),
    ("Bedfordshire Youth Offending Service", "Bedfordshire Youth Offending Service"),
    ("bedfordshire-yos.txt", "Bedfordshire Youth Offending Service"),
])
def test_show_finds_a_service(out, query, service):
    result = cli(out, "show", query)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == service


def test_show_json(out):
    result = cli(out, "show", "north somerset", "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["report"]["service_key"] == "north-somerset"
    assert shown["report"]["fieldwork_start"] == "2020-09-14"
    ratings = {r["standard"]: r["rating"] for r in shown["ratings"]}
    assert (ratings["2.1"], ratings["1.1"], len(ratings)) == ("Outstanding", "Requires improvement", 12)
    assert all(r["inspection_id"] == "north-somerset-2020-09" for r in shown["key_questions"])


def test_show_lists_the_choices_when_ambiguous(out):
    result = cli(out, "show", "youth offending")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "'youth offending' matches 3 inspections; give one of these (a report_id prefix or a file name):"
    # each inspection once: the primary file of Luton, not its copy
    assert [line.split("(")[1].split(",")[0].rstrip(")") for line in lines[1:]] == [
        "Bedfordshire Youth Offending Service", "Luton Youth Offending Service",
        "North Somerset Youth Offending Service"]
    as_json = cli(out, "show", "youth offending", "--json")
    assert as_json.returncode == 2
    choices = json.loads(as_json.stdout)["choices"]
    assert [c["service_key"] for c in choices] == ["bedfordshire", "luton", "north-somerset"]
    assert [c["inspection_id"] for c in choices][::2] == ["bedfordshire-2021-08", "north-somerset-2020-09"]
    missing = cli(out, "show", "manchester", "--json")
    assert missing.returncode == 2 and json.loads(missing.stdout)["error"].startswith("no report matches 'manchester'")


def test_list_prints_each_inspection_once(out):
    result = cli(out, "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["service", "month", "overall", "status", "files"]
    assert lines[2].split()[:6] == ["Bedfordshire", "Youth", "Offending", "Service", "2021-08", "Requires"]
    luton = next(line for line in lines if line.startswith("Luton"))
    assert " -  " in luton and "Requires improvement" in luton  # Luton prints no date
    assert "luton-download-2.txt; luton-yos.txt" in luton or "luton-yos.txt; luton-download-2.txt" in luton
    assert lines[-1] == "3 inspections"
    rows = json.loads(cli(out, "list", "--json").stdout)
    assert [(r["service_key"], r["inspection_month"], r["overall_rating"], r["status"], r["files"]) for r in rows] == [
        ("bedfordshire", "2021-08", "Requires improvement", "ok", 2 - 1),
        ("luton", None, "Requires improvement", "ok", 2),
        ("north-somerset", "2020-09", "Good", "ok", 1)]
