"""Every user-facing error is one line, never a traceback or a hang
(issue 13 items 5, 8, 10)."""
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent


def extract(in_dir, out_dir, *args, timeout=120):
    return subprocess.run([sys.executable, "-m", "pipeline", "extract", str(in_dir), "--out", str(out_dir),
                           "--no-progress", "--workers", "1", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def one_line_error(result) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def luton_dir(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES["luton"], folder / "luton-yos.txt")
    return folder


def test_regular_file_as_out(tmp_path, luton_dir):
    (tmp_path / "taken").write_text("mine")
    result = extract(luton_dir, tmp_path / "taken")
    assert result.returncode == 2
    assert "is a file, not a folder" in one_line_error(result)
    assert (tmp_path / "taken").read_text() == "mine"


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_non_regular_input_is_refused_not_read(tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "report.txt"
        os.mkfifo(target)
    else:
        target = Path("/dev/zero")
    result = extract(target, tmp_path / "out", timeout=30)
    assert result.returncode == 2
    assert "not a regular file" in one_line_error(result)


def test_control_characters_in_file_names_never_reach_stderr(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\x1b]0;owned\x07\x1b[2J.txt").write_text("not a report at all\n" * 5)
    (folder / "bidi\u202egnp.txt").write_text("")
    result = extract(folder, tmp_path / "out")
    assert result.returncode == 1
    for char in ("\x1b", "\x07", "\u202e"):
        assert char not in result.stderr
    assert "evil\\x1b]0;owned\\x07" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 3  # two errors and the summary


def test_cache_entry_of_the_wrong_shape_is_re_extracted_with_a_warning(tmp_path, luton_dir):
    out = tmp_path / "out"
    assert extract(luton_dir, out).returncode == 0
    expected = pd.read_parquet(out / "ratings.parquet")
    (entry,) = (out / ".cache").glob("*.json")
    entry.write_text(json.dumps({"reports": [{"score": "twelve"}]}))
    result = extract(luton_dir, out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "warning: cache entry for luton-yos.txt is not usable (reports.score holds str)" in result.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(out / "ratings.parquet"), expected)


@pytest.mark.parametrize("wrong", [{"reports": "oops"}, [1, 2, 3], {"nonsense": []}, {"errors": []},
                                   {"reports": [{"report_id": "x", "pages": True}]},
                                   {"reports": [{"report_id": "x", "colour": "red"}]}, "text", None])
def test_cache_shapes_that_do_not_fit_are_misses(tmp_path, wrong):
    from pipeline.execution.cache import Cache

    warnings = []
    cache = Cache(tmp_path, (1, 2), warnings.append)
    cache.path("ab" * 32).write_text(json.dumps(wrong))
    assert cache.get("ab" * 32, "a.txt") is None
    assert len(warnings) == 1 and warnings[0].startswith("cache entry for a.txt is not usable")


def test_failed_cache_write_is_a_warning(tmp_path, luton_dir, monkeypatch):
    from pipeline.core.limits import Options
    from pipeline.execution.run import run
    from pipeline.core.limits import Limits

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full_disk)
    result = run([luton_dir / "luton-yos.txt", SAMPLES["north_somerset"]], tmp_path / "out", Options(),
                 workers=1, limits=Limits())
    assert [r["status"] for r in result.tables["reports"]] == ["ok", "ok"]
    assert len(result.warnings) == 1 and "the disk is full" in result.warnings[0]


def test_full_disk_while_writing_outputs_is_one_line_and_keeps_the_previous_run(tmp_path, luton_dir, monkeypatch):
    from click.testing import CliRunner

    import pyarrow.parquet as pq
    from pipeline.app.cli import main

    out = tmp_path / "out"
    assert extract(luton_dir, out).returncode == 0
    before = (out / "reports.parquet").read_bytes()
    somerset = tmp_path / "other"
    somerset.mkdir()
    shutil.copy(SAMPLES["north_somerset"], somerset)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq, "write_table", full_disk)
    result = CliRunner().invoke(main, ["extract", str(somerset), "--out", str(out),
                                                       "--no-progress", "--workers", "1"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: cannot write to {out}: the disk is full (")  # names the disk
    assert (out / "reports.parquet").read_bytes() == before
    assert not list((out / ".generations").glob("*.tmp"))


def _small_filesystem_cli(tmp_path: Path, options: str, prepare: str, out: str, in_dir: Path):
    """Run the CLI with a tmpfs mounted (in a private mount namespace) at
    tmp_path/mnt; skip where mounting is not allowed."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = (f"mount -t tmpfs -o {options} tmpfs {mnt} || exit 97; {prepare}"
              f"{sys.executable} -m pipeline extract {in_dir} --out {out} --no-progress --workers 1")
    for unshare in (["unshare", "-m"], ["unshare", "-rm"]):
        if not shutil.which("unshare"):
            break
        try:
            result = subprocess.run([*unshare, "sh", "-c", script], capture_output=True, text=True, cwd=ROOT,
                                    timeout=120)
        except OSError:
            break
        if result.returncode != 97 and "unshare:" not in result.stderr:
            return result
    pytest.skip("cannot mount a small file system here (needs unshare and mount rights)")


def test_real_full_disk(tmp_path, luton_dir):
    out = tmp_path / "mnt" / "out"
    result = _small_filesystem_cli(tmp_path, "size=48k", "", str(out), luton_dir)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"error: cannot write to {out}: the disk is full (")  # names the disk
    assert all(l.startswith(("warning: ", "error: ")) for l in lines)


def test_read_only_output_folder(tmp_path, luton_dir):
    out = tmp_path / "mnt" / "out"
    result = _small_filesystem_cli(tmp_path, "size=1m", f"mkdir {out} && mount -o remount,ro {tmp_path / 'mnt'} && ",
                                   str(out), luton_dir)
    assert result.returncode == 2, result.stderr
    assert "read-only" in one_line_error(result)


def test_unexpected_error_is_one_line(tmp_path, luton_dir):
    result = extract(luton_dir, tmp_path / "out", "--max-mb", "nan")
    assert result.returncode != 0
    one_line_error(result)


def test_cache_key_is_the_extraction_code_and_patterns_only():
    from pipeline.execution.cache import extraction_sources

    names = {str(p.relative_to(ROOT)) for p in extraction_sources()}
    assert {"pipeline/segment/sections.py", "pipeline/ingest/text.py", "pipeline/execution/one_file.py",
            "pipeline/validate/report.py", "pipeline/core/rules.py", "patterns/report.json"} <= names
    assert any(n.startswith("pipeline/extract/") for n in names)
    # editing the report, the CLI or the output writers keeps every cached extraction
    assert not any(n.startswith(("pipeline/reconcile/", "pipeline/app/", "pipeline/output/")) for n in names)
    assert not names & {"pipeline/execution/cache.py", "pipeline/execution/workers.py", "pipeline/execution/run.py"}
