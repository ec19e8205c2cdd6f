"""Bad input, interruption, re-runs and duplicates, through the real CLI."""
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLES


TABLES = ["reports", "ratings", "key_questions", "prompts", "facts", "recommendations", "findings", "errors"]
ROOT = Path(__file__).resolve().parent.parent


def extract(in_dir, out_dir, *args, timeout=600):
    return subprocess.run([sys.executable, "-m", "pipeline", "extract", str(in_dir), "--out", str(out_dir),
                           "--no-progress", *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def read(out_dir):
    return {t: pd.read_parquet(Path(out_dir) / f"{t}.parquet") for t in TABLES}


def copy_samples(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in SAMPLES.values():
        shutil.copy(path, folder / path.name)


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    from make_bad_files import make_bad_files

    folder = tmp_path_factory.mktemp("mixed")
    copy_samples(folder)
    bad = make_bad_files(folder / "bad")
    (folder / "adult-probation.txt").write_text(
        "Inspection of probation services: Anytown PDU\nRatings\n"
        "Anytown probation delivery unit Score 20/36\nOverall rating Good\n"
        "1.1 Leadership Good\n2.1 Assessment Good\n2.2 Planning Good\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    result = extract(folder, out)
    return folder, bad, out, result


def test_mixed_folder_extracts_good_files_and_reports_each_bad_one(mixed_run):
    folder, bad, out, result = mixed_run
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    tables = read(out)
    ok = tables["reports"][tables["reports"].status == "ok"]
    assert sorted(ok.source_file) == ["bedfordshire-yos.txt", "luton-yos.txt", "north-somerset-yos.txt"]
    errors = dict(zip(tables["errors"].source_file, tables["errors"].error))
    # files are named by their path relative to the input folder
    assert errors == {
        "bad/empty.pdf": "empty_file", "bad/junk.pdf": "not_pdf", "bad/webpage.pdf": "not_pdf",
        "bad/truncated.pdf": "corrupt_pdf", "bad/garbled.pdf": "corrupt_pdf", "bad/encrypted.pdf": "encrypted_pdf",
        "bad/image_only.pdf": "no_text_layer", "bad/invoice.pdf": "not_a_report",
        "bad/owner_only.pdf": "not_a_report", "bad/binary.txt": "binary_text", "bad/empty.txt": "empty_file",
        "bad/minutes.txt": "not_a_report", "adult-probation.txt": "not_a_youth_justice_report",
    }
    # one line on stderr per bad file, each naming it
    error_lines = [l for l in result.stderr.splitlines() if l.startswith("error: ")]
    assert len(error_lines) == len(errors)
    assert any("image_only.pdf" in l and "run OCR first" in l for l in error_lines)
    assert any("encrypted.pdf" in l and "password" in l for l in error_lines)
    # failed files are listed in reports with status failed, no invented values
    failed = tables["reports"][tables["reports"].status == "failed"]
    assert len(failed) == len(errors)
    assert failed.service_name.isna().all() and failed.score.isna().all()
    # the good files' rows are all there
    assert len(tables["ratings"]) == 12 + 13 + 12
    assert result.stderr.strip().splitlines()[-1].startswith("16 files: 3 ok, 0 partial, 13 failed")


def test_rerun_gives_identical_tables_and_uses_the_cache(mixed_run, tmp_path):
    folder, _, out, _ = mixed_run
    before = {t: (out / f"{t}.parquet").read_bytes() for t in TABLES}
    again = extract(folder, out)
    assert again.returncode == 1
    assert {t: (out / f"{t}.parquet").read_bytes() for t in TABLES} == before
    cold = tmp_path / "cold"
    extract(folder, cold, "--no-cache", "--workers", "1")
    for t in TABLES:
        pd.testing.assert_frame_equal(read(cold)[t], read(out)[t])


def test_duplicate_file_extracted_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES["luton"], folder / "luton-yos.txt")
    shutil.copy(SAMPLES["luton"], folder / "luton-copy.txt")
    result = extract(folder, tmp_path / "out")
    assert result.returncode == 0  # a duplicate is noted, not a failure
    tables = read(tmp_path / "out")
    assert list(tables["reports"].source_file) == ["luton-copy.txt"]
    assert tables["errors"].to_dict("records") == [{
        "source_file": "luton-yos.txt", "stage": "ingest", "error": "duplicate_file",
        "message": "same content (sha256) as luton-copy.txt: extracted once, under that name"}]


def test_size_limit_refuses_before_loading(tmp_path):
    folder = tmp_path / "in"
    copy_samples(folder)
    result = extract(folder, tmp_path / "out", "--max-mb", "0.05")
    assert result.returncode == 1
    errors = read(tmp_path / "out")["errors"]
    assert set(errors.error) == {"too_large"}
    # the limit and each file's size in the one unit --max-mb means (1 MB = 1024 x 1024 bytes)
    sizes = {p.name: p.stat().st_size / (1024 * 1024) for p in folder.iterdir()}
    for name, message in zip(errors.source_file, errors.message):
        assert f"the file is {sizes[name]:.2f}".rstrip("0").rstrip(".") + " MB, over the 0.05 MB limit" in message


def test_page_limit(tmp_path):
    folder = tmp_path / "in"
    copy_samples(folder)
    extract(folder, tmp_path / "out", "--max-pages", "40")
    errors = read(tmp_path / "out")["errors"]
    assert sorted(errors.source_file) == ["bedfordshire-yos.txt", "luton-yos.txt"]  # 65 and 46 pages
    assert set(errors.error) == {"too_many_pages"}


def test_report_without_ratings_summary_is_partial(tmp_path):
    text = SAMPLES["luton"].read_text(encoding="utf-8")
    start = text.index(" Ratings \n")
    end = text.index(" Executive summary")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "no-summary.txt").write_text(text[:start] + text[end:], encoding="utf-8")
    result = extract(folder, tmp_path / "out")
    assert result.returncode == 0
    tables = read(tmp_path / "out")
    (row,) = tables["reports"].to_dict("records")
    assert row["status"] == "partial"
    assert pd.isna(row["score"])  # printed only on the summary page, so null
    # the overall is still printed in the executive summary ('Overall, Luton YOS
    # is rated as: Requires Improvement', page 2 once the ratings page is cut out)
    assert (row["overall_rating"], row["overall_page"]) == ("Requires improvement", 2)
    missing = tables["findings"][tables["findings"].kind == "missing_section"]
    assert "no ratings summary" in set(missing.detail)
    # the ratings still come from the sections and annex
    assert dict(zip(tables["ratings"].standard, tables["ratings"].rating_source))["2.1"] == "section"


def test_cache_follows_content_name_and_limits(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES["luton"], folder / "luton-yos.txt")
    out = tmp_path / "out"
    assert extract(folder, out).returncode == 0
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")}
    # a warm re-run over unchanged input leaves the outputs as they are
    assert extract(folder, out).returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")} == first
    # a renamed file: the cached result is used, under the new name
    (folder / "luton-yos.txt").rename(folder / "luton-2020.txt")
    assert extract(folder, out).returncode == 0
    assert list(read(out)["reports"].source_file) == ["luton-2020.txt"]
    # a tighter limit is not answered from the cache
    result = extract(folder, out, "--max-pages", "10")
    assert result.returncode == 1
    assert list(read(out)["errors"].error) == ["too_many_pages"]
