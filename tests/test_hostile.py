"""Attacks from the hostile review (issue 20): odd file names, links and
foreign files in the output folder, files that change under us, dead
parents, full disks, bombs, terminal escapes and injected standards. Each
test reproduces one attack."""
from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent


def extract(in_dir, out_dir, *args, timeout=300):
    return subprocess.run([sys.executable, "-m", "pipeline", "extract", str(in_dir), "--out", str(out_dir),
                           "--no-progress", "--workers", "1", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def one_sample(folder: Path, key: str, name: str | bytes | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = os.path.join(os.fsencode(folder), name) if isinstance(name, bytes) else folder / (name or SAMPLES[key].name)
    shutil.copy(SAMPLES[key], target)
    return folder


# ------------------------------------------------- 1. names that are not UTF-8

def test_a_name_that_is_not_utf8_is_extracted_under_a_lossless_printable_name(tmp_path):
    folder = one_sample(tmp_path / "in", "luton", b"caf\xe9 \\ yos.txt")
    one_sample(folder, "north_somerset")
    (folder / os.fsdecode(b"empty\xff.txt")).write_bytes(b"")  # unreadable as a report: an error row
    result = extract(folder, tmp_path / "out")
    assert result.returncode == 1, result.stderr
    reports = pd.read_parquet(tmp_path / "out" / "reports.parquet")
    names = sorted(reports.source_file)
    assert names == ["caf\\xe9 \\\\ yos.txt", "empty\\xff.txt", "north-somerset-yos.txt"]
    assert codecs.escape_decode(names[0].encode())[0] == b"caf\xe9 \\ yos.txt"  # lossless
    by_name = reports.set_index("source_file").status
    assert by_name["caf\\xe9 \\\\ yos.txt"] == "ok" and by_name["empty\\xff.txt"] == "failed"
    errors = pd.read_parquet(tmp_path / "out" / "errors.parquet")
    assert list(errors.source_file) == ["empty\\xff.txt"]
    assert "empty\\xff.txt" in result.stderr
