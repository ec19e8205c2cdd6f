"""Memory and time per file are bounded, and a file that overruns costs only
itself (issue 13 items 2 and 4)."""
import hashlib
import shutil
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pandas as pd

from conftest import SAMPLES, one_page_pdf

ROOT = Path(__file__).resolve().parent.parent


def bomb_pdf(inflated_mb: int) -> bytes:
    """A valid one-page PDF whose content stream (thousands of tiny text
    objects) inflates to `inflated_mb` MB."""
    chunk = b"BT /F1 12 Tf 72 712 Td (A) Tj ET\n" * 1000
    deflate = zlib.compressobj(9)
    stream = b"".join(deflate.compress(chunk) for _ in range(inflated_mb * 1024 * 1024 // len(chunk)))
    stream += deflate.flush()
    return one_page_pdf(b"<< /Length %d /Filter /FlateDecode >>" % len(stream), stream)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            status = Path(f"/proc/{p}/status").read_text().splitlines()
            total += next(int(l.split()[1]) for l in status if l.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total


def extract_measured(in_dir: Path, out_dir: Path, *args) -> tuple[subprocess.CompletedProcess, int]:
    """Run the CLI; return its result and the peak RSS (MiB) of its process tree."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(in_dir), "--out", str(out_dir),
                             "--no-progress", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    peak = [0]

    def poll():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=poll)
    watcher.start()
    out, err = proc.communicate(timeout=300)
    watcher.join()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), peak[0] // 1024


def with_samples(folder: Path, *keys: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for key in keys:
        shutil.copy(SAMPLES[key], folder / SAMPLES[key].name)
    return folder


def errors_of(out: Path) -> dict[str, str]:
    errors = pd.read_parquet(out / "errors.parquet")
    return dict(zip(errors.source_file, errors.error))


def test_bomb_is_refused_before_inflating_and_good_files_are_written(tmp_path):
    folder = with_samples(tmp_path / "in", "luton", "north_somerset")
    (folder / "bomb.pdf").write_bytes(bomb_pdf(1000))  # 3 MB; 16 GB and 4 minutes unchecked
    result, peak_mb = extract_measured(folder, tmp_path / "out", "--workers", "2")
    assert result.returncode == 1, result.stderr
    assert errors_of(tmp_path / "out") == {"bomb.pdf": "decompression_bomb"}
    reports = pd.read_parquet(tmp_path / "out" / "reports.parquet")
    assert sorted(reports[reports.status == "ok"].source_file) == ["luton-yos.txt", "north-somerset-yos.txt"]
    assert peak_mb < 1500, peak_mb


def test_file_over_the_memory_cap_costs_only_itself(tmp_path):
    # 180 KB that passes the inflation check but makes PDFium build ~1 GB of objects
    folder = with_samples(tmp_path / "in", "luton", "north_somerset")
    (folder / "hungry.pdf").write_bytes(bomb_pdf(60))
    result, peak_mb = extract_measured(folder, tmp_path / "out", "--workers", "2", "--max-memory-mb", "1024")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert errors_of(tmp_path / "out") == {"hungry.pdf": "memory_limit"}
    reports = pd.read_parquet(tmp_path / "out" / "reports.parquet")
    assert sorted(reports[reports.status == "ok"].source_file) == ["luton-yos.txt", "north-somerset-yos.txt"]
    assert len(pd.read_parquet(tmp_path / "out" / "ratings.parquet")) == 24
    assert peak_mb < 2500, peak_mb
    line = next(l for l in result.stderr.splitlines() if "hungry.pdf" in l)
    assert "memory limit of 1024 MB" in line
    # a failure from a limit is not cached: a larger cap tries the file again
    digest = hashlib.sha256((folder / "hungry.pdf").read_bytes()).hexdigest()
    assert not list((tmp_path / "out" / ".cache").glob(f"{digest}*"))
    assert len(list((tmp_path / "out" / ".cache").glob("*.json"))) == 2


def test_file_over_the_time_limit_costs_only_itself(tmp_path):
    folder = with_samples(tmp_path / "in", "north_somerset")
    # ~5500 pages: several seconds of work however fast extraction gets (8.5 s
    # before the November 2026 speed-ups, about 4 s after), against a 2 s limit
    # that a one-report file meets even on a loaded machine (about 0.1 s)
    long_text = SAMPLES["luton"].read_text(encoding="utf-8") * 120
    (folder / "long.txt").write_text(long_text, encoding="utf-8")
    started = time.monotonic()
    result, _ = extract_measured(folder, tmp_path / "out", "--workers", "1", "--timeout", "2",
                                 "--max-pages", "100000", "--max-mb", "1000")
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stderr
    assert errors_of(tmp_path / "out") == {"long.txt": "time_limit"}
    reports = pd.read_parquet(tmp_path / "out" / "reports.parquet")
    assert list(reports[reports.status == "ok"].source_file) == ["north-somerset-yos.txt"]


def test_workers_start_with_the_stages_and_spacy_loaded_but_not_pyarrow():
    """A worker is a fork of the server that preloaded the extraction stages
    and spaCy's Matchers (worker_preload.py): it does not import them again.
    The stages never need pyarrow, so the workers never load it."""
    from worker_probe import loaded_modules

    from pipeline.execution.workers import start_fork_server

    ctx = start_fork_server()
    queue = ctx.SimpleQueue()
    names = ("spacy", "pipeline.extract.facts", "pipeline.segment.sections", "pyarrow")
    process = ctx.Process(target=loaded_modules, args=(queue, names))
    process.start()
    process.join(60)
    assert queue.get() == ["pipeline.extract.facts", "pipeline.segment.sections", "spacy"]
