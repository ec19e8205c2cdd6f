"""Attacks from the hostile review (issue 20): odd file names, links and
foreign files in the output folder, files that change under us, dead
parents, full disks, bombs, terminal escapes and injected standards. Each
test reproduces one attack."""
from __future__ import annotations

import codecs
import zlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLES, one_page_pdf
from pipeline.output.names import GENERATION_ID
from pipeline.output.ownership import OutputError

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


# ------------------------------------- 2, 3, 6. links and files in OUT that are not ours

def empty_tables():
    from pipeline.output import store

    return {name: store.to_table(name, []) for name in store.TABLES}


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in lines[0]
    return lines[0]


def test_a_lock_that_is_a_symlink_is_refused_and_its_target_untouched(tmp_path):
    folder, out, victim = one_sample(tmp_path / "in", "luton"), tmp_path / "out", tmp_path / "precious.txt"
    victim.write_text("keep me")
    out.mkdir()
    (out / ".lock").symlink_to(victim)
    result = extract(folder, out)
    assert result.returncode == 2
    assert ".lock" in one_line(result) and "symbolic link" in one_line(result)
    assert victim.read_text() == "keep me"
    (out / ".lock").unlink()
    (out / ".lock").symlink_to(tmp_path / "absent")  # a dangling link: nothing is created at its target
    assert extract(folder, out).returncode == 2
    assert not (tmp_path / "absent").exists()
    (out / ".lock").unlink()
    os.link(victim, out / ".lock")  # a hard link to a file elsewhere
    assert extract(folder, out).returncode == 2
    assert victim.read_text() == "keep me"


def test_generations_that_is_a_symlink_is_refused_and_nothing_is_deleted(tmp_path):
    from pipeline.output import generations as output

    folder, out = one_sample(tmp_path / "in", "luton"), tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    for name in ["20240101T000000-1-abcdef", "20240101T000000-2-abcdef.tmp", "photos"]:
        (elsewhere / name).mkdir(parents=True)
        (elsewhere / name / "keep.txt").write_text("keep")
    out.mkdir()
    (out / ".generations").symlink_to(elsewhere)
    result = extract(folder, out)
    assert result.returncode == 2
    assert ".generations" in one_line(result)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["20240101T000000-1-abcdef",
                                                           "20240101T000000-2-abcdef.tmp", "photos"]
    try:
        output.write_generation(empty_tables(), out, writers=[])
    except OutputError:
        pass
    else:
        raise AssertionError("write_generation followed a foreign .generations link")
    assert all((elsewhere / name / "keep.txt").exists() for name in os.listdir(elsewhere))


def test_clean_up_removes_only_generations_and_temporary_links_of_ours(tmp_path):
    from pipeline.output import generations as output

    out = tmp_path / "out"
    for _ in range(3):
        output.write_generation(empty_tables(), out, writers=[])
    (out / ".generations" / "notes").mkdir()          # not named like a generation
    (out / "mine.tmp").write_text("mine")              # the user's temporary files
    (out / ".draft.tmp").write_text("draft")
    (out / ".link.tmp").symlink_to(tmp_path)
    output.write_generation(empty_tables(), out, writers=[])
    assert (out / ".generations" / "notes").is_dir()
    assert (out / "mine.tmp").read_text() == "mine" and (out / ".draft.tmp").read_text() == "draft"
    assert (out / ".link.tmp").is_symlink()
    assert len([p for p in (out / ".generations").iterdir() if GENERATION_ID.fullmatch(p.name)]) == 2


def test_the_users_own_files_at_our_names_are_refused_not_replaced(tmp_path):
    folder, out = one_sample(tmp_path / "in", "luton"), tmp_path / "out"
    out.mkdir()
    (out / "csv").mkdir()
    (out / "csv" / "budget.xlsx").write_text("the user's")
    result = extract(folder, out, "--csv")
    assert result.returncode == 2
    assert "csv" in one_line(result)
    assert (out / "csv" / "budget.xlsx").read_text() == "the user's"
    shutil.rmtree(out / "csv")
    pd.DataFrame({"x": [1]}).to_parquet(out / "reports.parquet")  # a Parquet file, but not our table
    result = extract(folder, out)
    assert result.returncode == 2 and "reports.parquet" in one_line(result)
    assert list(pd.read_parquet(out / "reports.parquet").columns) == ["x"]
    (out / "reports.parquet").unlink()
    (out / "current").write_text("my notes")
    result = extract(folder, out)
    assert result.returncode == 2 and "current" in one_line(result)
    assert (out / "current").read_text() == "my notes"
    (out / "current").unlink()
    assert extract(folder, out, "--csv").returncode == 0  # with nothing in the way, it is written
    assert (out / "csv" / "reports.csv").is_file()


def test_a_folder_an_older_version_wrote_is_taken_over(tmp_path):
    from pipeline.output import generations as output

    out = tmp_path / "out"
    out.mkdir()
    pd.DataFrame({"report_id": ["a"], "source_file": ["a.txt"]}).to_parquet(out / "reports.parquet")
    (out / "reconciliation.md").write_text("old")
    output.write_generation(empty_tables(), out, writers=[])
    assert (out / "reports.parquet").is_symlink()


def test_a_cache_folder_that_is_a_symlink_is_not_used(tmp_path):
    folder, out, elsewhere = one_sample(tmp_path / "in", "luton"), tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    (out / ".cache").symlink_to(elsewhere)
    result = extract(folder, out)
    assert result.returncode == 0 and "without the cache" in result.stderr
    assert list(elsewhere.iterdir()) == []


# --------------------------------- 4, 5. the cache holds only what the bytes gave

def test_a_file_rewritten_after_hashing_is_cached_under_the_bytes_parsed(tmp_path, monkeypatch):
    """The race: the run hashes a file holding Bedfordshire, the file is then
    rewritten with Luton before the worker reads it. Luton's rows must never
    be cached under Bedfordshire's hash."""
    from pipeline.core.files import sha256_of
    from pipeline.core.limits import Options
    from pipeline.execution import run as run_module

    bedford, luton = SAMPLES["bedfordshire"], SAMPLES["luton"]
    folder, out = one_sample(tmp_path / "in", "luton", "report.txt"), tmp_path / "out"
    monkeypatch.setattr(run_module, "_hash", lambda path: sha256_of(bedford))  # hashed before the rewrite
    result = run_module.run([folder / "report.txt"], out, Options(), workers=1)
    (report,) = result.tables["reports"]
    assert report["report_id"] == sha256_of(luton)[:16]  # the rows are those of the bytes parsed
    monkeypatch.undo()
    entries = sorted(p.name.split("-")[0] for p in (out / ".cache").glob("*.json"))
    assert entries == [sha256_of(luton)]
    # Bedfordshire itself is extracted, not served Luton from the cache
    other = one_sample(tmp_path / "in2", "bedfordshire")
    result = run_module.run([other / bedford.name], out, Options(), workers=1)
    assert result.extracted == 1
    assert result.tables["reports"][0]["report_id"] == sha256_of(bedford)[:16]


def test_no_cache_drops_the_entries_it_would_have_written(tmp_path):
    from pipeline.core.files import sha256_of

    folder, out = one_sample(tmp_path / "in", "luton"), tmp_path / "out"
    assert extract(folder, out).returncode == 0
    (entry,) = (out / ".cache").glob("*.json")
    assert entry.name.startswith(sha256_of(SAMPLES["luton"]))
    # a poisoned entry: another report's rows under Luton's hash
    bad = tmp_path / "bad"
    assert extract(one_sample(tmp_path / "b", "north_somerset"), bad).returncode == 0
    (poison,) = (bad / ".cache").glob("*.json")
    shutil.copy(poison, entry)
    assert extract(folder, out, "--no-cache").returncode == 0
    assert not entry.exists()
    assert extract(folder, out).returncode == 0
    assert "Luton" in pd.read_parquet(out / "reports.parquet").service_name[0]


def test_a_file_that_vanished_is_not_cached(tmp_path):
    from pipeline.core.limits import Options
    from pipeline.execution.workers import process_one

    rows, key = process_one(str(tmp_path / "gone.txt"), "ab" * 32, Options())
    assert rows["errors"][0]["error"] == "missing_file"
    assert key is None
    rows, key = process_one(str(tmp_path), "ab" * 32, Options())  # could not be read as a file
    assert key is None
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    rows, key = process_one(str(empty), "cd" * 32, Options())  # a property of the bytes: cached
    assert rows["errors"][0]["error"] == "empty_file" and key is not None


# ------------------------------------------- 7. nothing outlives a killed run

def _descendants(pid: int) -> set[int]:
    pairs = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    pairs.append((int(entry), int(fh.read().rsplit(b")", 1)[1].split()[1])))
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in pairs if parent in frontier} - found
        found |= frontier
    return found


def _running(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[1].split()[0] != b"Z":
                    alive.add(pid)
        except OSError:
            pass
    return alive


def test_kill_9_of_the_run_takes_the_fork_server_and_workers_with_it(tmp_path):
    """Killed while the fork server loads, and while workers extract: half a
    second later nothing the run started is left (the fork server used to go
    on loading for a second or more, longer on a busy machine)."""
    import signal
    import time

    folder = tmp_path / "in"
    for i in range(8):
        one_sample(folder, "luton", f"l{i}.txt")
        with open(folder / f"l{i}.txt", "a") as fh:
            fh.write(f"\ncopy {i}\n")
    leftovers = {}
    for wanted in (1, 3):  # 1: the fork server alone; 3: it and two workers
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(folder), "--out",
                                 str(tmp_path / f"out{wanted}"), "--no-progress", "--no-cache", "--workers", "2"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen: set[int] = set()
        deadline = time.monotonic() + 60
        while len(seen) < wanted and time.monotonic() < deadline and proc.poll() is None:
            seen = _descendants(proc.pid)
            time.sleep(0.01)
        assert len(seen) >= wanted, "the run finished before it could be killed"
        proc.kill()
        proc.wait()
        time.sleep(0.5)
        leftovers[wanted] = _running(seen)
        for pid in leftovers[wanted]:
            os.kill(pid, signal.SIGKILL)
    assert leftovers == {1: set(), 3: set()}


# ------------------------------------------------------- 8. a full disk

def _small_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True)
    return done.returncode == 0


def test_disk_full_while_duckdb_writes_is_one_line_exit_2_and_the_previous_run_stays(tmp_path):
    import warnings

    disk = tmp_path / "disk"
    if not _small_tmpfs(disk, "8m"):
        warnings.warn("NOT TESTED ON A REAL FULL DISK: could not mount a tmpfs (not root?); "
                      "test_a_writer_failing_on_a_full_disk_is_one_line still simulates it", stacklevel=1)
        print("\n*** could not mount a tmpfs: the real full-disk test did not run ***", file=sys.stderr)
        return
    try:
        folder, out = one_sample(tmp_path / "in", "luton"), disk / "out"
        assert extract(folder, out).returncode == 0
        before = (out / "current").readlink()
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        with open(disk / "filler", "wb") as fh:  # leave room for the tables, not for the database
            fh.write(b"\0" * (free - 600 * 1024))
        result = extract(folder, out, "--no-cache")
        assert result.returncode == 2
        line = one_line(result)
        assert "disk is full" in line and str(disk) in line
        assert (out / "current").readlink() == before
        assert len(pd.read_parquet(out / "reports.parquet")) == 1
        assert [p.name for p in (out / ".generations").iterdir()] == [before.name]
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_a_writer_failing_on_a_full_disk_is_one_line(tmp_path):
    from pipeline.output import generations as output

    out = tmp_path / "out"
    output.write_generation(empty_tables(), out, writers=[])

    def duckdb_like(tables, folder):  # DuckDB's FatalException says it only in its message
        raise RuntimeError('FATAL Error: Could not write file "x.duckdb": No space left on device')

    try:
        output.write_generation(empty_tables(), out, writers=[duckdb_like])
    except OutputError as exc:
        assert "disk is full" in str(exc) and "mounted at" in str(exc) and "\n" not in str(exc)
    else:
        raise AssertionError("no error")


# ------------------------------------------- 9. the bomb check parses what it checks

def _deflated(mb: int) -> bytes:
    deflate = zlib.compressobj(9)
    chunk = b"BT /F1 12 Tf 72 712 Td (A) Tj ET\n" * 1000
    return b"".join(deflate.compress(chunk) for _ in range(mb * 1024 * 1024 // len(chunk))) + deflate.flush()


def test_the_bomb_check_is_not_fooled_by_padding_or_an_image_label():
    from pipeline.core.errors import IngestError
    from pipeline.ingest.pdfcheck import check_inflated_size

    bomb = _deflated(100)  # one content stream of 100 MB: over the 64 MB a stream may inflate to
    n = len(bomb)
    disguises = {
        "plain": b"<< /Length %d /Filter /FlateDecode >>" % n,
        "padded": b"<< /Filter /FlateDecode /Length %d" % n + b" " * 5000 + b">>",
        "padded string": b"<< /Filter /FlateDecode /Pad (" + b"x" * 5000 + b") /Length %d >>" % n,
        "image label": b"<< /Length %d /Filter /FlateDecode /Note (/Image) >>" % n,
        "image subtype": b"<< /Length %d /Filter /FlateDecode /Subtype /Image /Width 1 /Height 1 >>" % n,
        "filter hidden": b"<< /Length %d /Filter [/FlateDecode] /Type /XObject /Subtype /Image >>" % n,
    }
    for name, stream_dict in disguises.items():
        try:
            check_inflated_size(one_page_pdf(stream_dict, bomb))
        except IngestError as exc:
            assert exc.error == "decompression_bomb", name
        else:
            raise AssertionError(f"{name}: the bomb got through")
    # a real image inflates to its declared size and is not counted
    image = zlib.compress(b"\x80" * (3000 * 3000 * 3))
    check_inflated_size(one_page_pdf(b"<< /Type /XObject /Subtype /Image /Width 3000 /Height 3000 "
                                      b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode "
                                      b"/Length %d >>" % len(image), image))


# ------------------------------------------- 10. terminal escapes and bidi controls

HOSTILE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_terminal_escapes_and_bidi_controls_never_reach_an_output(tmp_path):
    text = SAMPLES["luton"].read_text(encoding="utf-8")
    hostile = "\n".join(
        (line.replace("Luton", "Lu\x1b[31mton\x1b[0m\u202e", 1) + "\x07\u2066\u2069\x1b]0;owned\x07")
        if i % 40 == 0 else line for i, line in enumerate(text.split("\n")))  # under 1% of the characters
    clean_dir, bad_dir = tmp_path / "clean", tmp_path / "bad"
    clean_dir.mkdir()
    bad_dir.mkdir()
    (clean_dir / "luton.txt").write_text(text, encoding="utf-8")
    (bad_dir / "luton.txt").write_text(hostile, encoding="utf-8")
    assert extract(clean_dir, tmp_path / "out_clean", "--csv").returncode == 0
    result = extract(bad_dir, tmp_path / "out_bad", "--csv")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out_bad"
    for path in [*out.glob("*.md"), *out.glob("*.html"), *out.glob("*.csv"), *(out / "csv").glob("*.csv")]:
        found = HOSTILE_CHARS.findall(path.read_text(encoding="utf-8"))
        assert not found, (path.name, found[:5])
    # and the values are those of the clean report
    for table in ["reports", "ratings", "key_questions", "recommendations", "facts", "findings"]:
        clean = pd.read_parquet(tmp_path / "out_clean" / f"{table}.parquet")
        bad = pd.read_parquet(out / f"{table}.parquet")
        dropped = [c for c in ("report_id", "sha256", "inspection_id") if c in clean.columns]
        pd.testing.assert_frame_equal(clean.drop(columns=dropped), bad.drop(columns=dropped), obj=table)


# --------------------------- 11. injected standards cannot reshape the framework

def test_injected_lines_that_look_like_standards_make_the_report_partial_not_2021(tmp_path, extracted):
    from pipeline.core.limits import Options
    from pipeline.execution.one_file import extract_file

    lines = SAMPLES["luton"].read_text(encoding="utf-8").split("\n")  # a 2018 report
    block = ["4.1 Resettlement policy and provision", "Good", "1.5 Extra standard Outstanding"]
    injected = (block * 3334)[:10000]
    path = tmp_path / "luton.txt"
    path.write_text("\n".join(lines[:len(lines) // 2] + injected + lines[len(lines) // 2:]), encoding="utf-8")
    rows = extract_file(str(path), None, Options())
    clean = extracted["luton"]
    (report,) = rows["reports"]
    assert clean["reports"][0]["framework"] == "2018" and clean["reports"][0]["status"] == "ok"
    assert report["framework"] == "2018"
    assert report["status"] == "partial"
    assert [f for f in rows["findings"] if f["kind"] == "framework_shape"]
    published = {(r["standard"], r["rating"]) for r in rows["ratings"]}
    assert published == {(r["standard"], r["rating"]) for r in clean["ratings"]}


def test_the_umask_is_read_once_and_never_set_while_writers_run(tmp_path, monkeypatch):
    """Issue 20 item 12: reading the umask by setting it to 0 (and back) raced
    with writer threads, which then created world-writable files."""
    import os
    import stat
    import threading

    from pipeline.output import store

    calls: list[int] = []
    monkeypatch.setattr(os, "umask", lambda mask: calls.append(mask) or 0o022)
    files = {tmp_path / f"t{i}.txt": f"text {i}" for i in range(40)}
    threads = [threading.Thread(target=store.write_text_atomic, args=(text, path)) for path, text in files.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == []  # the umask was read at import, never set during the writes
    real = store.UMASK
    for path in files:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == 0o666 & ~real and not mode & stat.S_IWOTH


# ---------------------------------- hidden text's medium and low items: parsers, encodings, outputs

@pytest.fixture(scope="module")
def luton_page(tmp_path_factory) -> bytes:
    from render_html import render_html_report

    out = tmp_path_factory.mktemp("page") / "luton.html"
    render_html_report(SAMPLES["luton"], out)
    return out.read_bytes()


def _run_file(path: Path):
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file

    rows = extract_file(str(path), sha256_of(path), Options())
    return rows["reports"][0], [str(f["kind"]) for f in rows["findings"]]


def test_a_12_mb_attribute_mid_page_is_a_truncated_parse_with_its_offset(tmp_path, luton_page):
    heads = [m.start() for m in re.finditer(rb"<h2", luton_page)]
    at = heads[len(heads) // 2]
    path = tmp_path / "huge.html"
    path.write_bytes(luton_page[:at] + b'<div title="' + b"x" * (12 * 1024 * 1024) + b'">a</div>' + luton_page[at:])
    report, kinds = _run_file(path)
    assert kinds.count("truncated_parse") == 1 and str(report["status"]) == "partial"
    assert report["missing"].startswith("the file was not read to its end")


def test_a_50_mb_attribute_on_body_says_the_parse_stopped_not_no_text(tmp_path, luton_page):
    from pipeline.core.errors import IngestError
    from pipeline.ingest.read import read_document

    at = luton_page.index(b"<body") + len(b"<body")
    path = tmp_path / "huge.html"
    path.write_bytes(luton_page[:at] + b' data-x="' + b"y" * (50 * 1024 * 1024) + b'"' + luton_page[at:])
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error == "truncated_parse"
    assert re.search(r"stopped at byte [\d,]+", str(caught.value)) and "no text" not in str(caught.value)


def test_a_utf16_page_with_a_bom_is_read(tmp_path, luton_page):
    path = tmp_path / "unicode.htm"
    text = luton_page.decode("utf-8").replace('<meta charset="utf-8">', '<meta charset="utf-16">')
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    report, _ = _run_file(path)
    assert report["overall_rating"] == "Requires improvement" and str(report["status"]) == "ok"


def test_a_meta_charset_browsers_ignore_is_ignored(tmp_path, luton_page):
    path = tmp_path / "utf7.html"
    path.write_bytes(luton_page.replace(b'<meta charset="utf-8">', b'<meta charset="utf-7">'))
    report, _ = _run_file(path)
    assert report["overall_rating"] == "Requires improvement" and report["service_name"].startswith("Luton")


def test_a_bom_wins_over_the_meta_charset(tmp_path, luton_page):
    from pipeline.ingest.page_encoding import page_encoding

    page = codecs.BOM_UTF8 + luton_page.replace(b'<meta charset="utf-8">', b'<meta charset="windows-1252">')
    assert page_encoding(page) == ("utf-8", 3)
    path = tmp_path / "bom.html"
    path.write_bytes(page)
    report, _ = _run_file(path)
    assert report["service_name"] == "Luton Youth Offending Service"


@pytest.mark.parametrize("part", ["numbering", "styles"])
def test_a_docx_with_an_external_part_names_the_cause(tmp_path, part):
    import zipfile

    from click.testing import CliRunner
    from render_docx import render_docx_report

    from pipeline.app.cli import main

    docx = render_docx_report(SAMPLES["luton"], tmp_path / "src.docx") or tmp_path / "src.docx"
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(folder / "external.docx", "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'(Type="[^"]*/' + part.encode() + rb'") Target="[^"]*"',
                              rb'\1 Target="http://example.invalid/x.xml" TargetMode="External"', data)
            dst.writestr(info, data)
    result = CliRunner().invoke(main, ["extract", str(folder), "--out", str(tmp_path / "out"), "--no-progress",
                                       "--workers", "1"])
    assert "ValueError" not in result.output and "unexpected error" not in result.output
    errors = pd.read_parquet(tmp_path / "out" / "errors.parquet")
    assert list(errors.error) == ["external_part"]
    assert "from outside the file" in errors.message[0] and "external relationship" in errors.message[0]


def test_the_smallest_memory_cap_allowed_extracts_a_normal_report(tmp_path):
    from pipeline.app.cli import main

    option = next(p for p in main.commands["extract"].params if p.name == "max_memory_mb")
    smallest = option.type.min  # what the CLI itself accepts
    folder = one_sample(tmp_path / "in", "north_somerset")  # 78 KB of text
    result = extract(folder, tmp_path / "out", "--max-memory-mb", str(smallest), "--timeout", "60", timeout=150)
    assert result.returncode == 0, result.stderr
    assert list(pd.read_parquet(tmp_path / "out" / "reports.parquet").status) == ["ok"]


def test_excel_text_starting_with_a_formula_sign_is_a_string_with_no_quote(tmp_path):
    import openpyxl
    import pyarrow as pa

    from pipeline.output.workbook import write_workbook

    names = ["=HYPERLINK(\"x\")", "+44 text", "-minus", "@at"]
    write_workbook({"errors": pa.table({"source_file": names})}, tmp_path / "book.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "book.xlsx")["errors"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == names
    assert all(c.data_type == "s" for c in cells)


@pytest.fixture(scope="module")
def newline_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    shutil.copy(SAMPLES["luton"], folder / "lu\nton.txt")
    out = tmp_path_factory.mktemp("out")
    result = extract(folder, out)
    assert result.returncode == 0, result.stderr
    return out


def test_findings_csv_has_one_service_name_column(newline_run):
    header = (newline_run / "findings.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header.count("service_name") == 1 and header.count("source_file") == 1


def test_show_prints_a_file_names_newline_as_list_does(newline_run):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", *args, "--parsed", str(newline_run)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)

    listed, shown = cli("list"), cli("show", "luton")
    assert listed.returncode == 0 and shown.returncode == 0, shown.stderr
    assert "lu ton.txt" in listed.stdout and "lu ton.txt" in shown.stdout
    assert not any(line.strip() == "ton.txt" for line in shown.stdout.splitlines())


@pytest.mark.parametrize("styles, cause", [(None, "missing from the zip: word/styles.xml"),
                                           (b"<w:styles", "not well-formed XML")])
def test_a_damaged_docx_names_the_cause_not_an_exception_class(tmp_path, styles, cause):
    import zipfile

    from render_docx import render_docx_report

    from pipeline.core.errors import IngestError
    from pipeline.ingest.read import read_document

    docx = render_docx_report(SAMPLES["luton"], tmp_path / "src.docx") or tmp_path / "src.docx"
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            if info.filename == "word/styles.xml":
                if styles is not None:
                    dst.writestr(info, styles)
                continue
            dst.writestr(info, src.read(info.filename))
    with pytest.raises(IngestError) as caught:
        read_document(damaged)
    assert cause in str(caught.value)
    assert not re.search(r"\b(?:KeyError|XMLSyntaxError|ValueError)\b", str(caught.value))
