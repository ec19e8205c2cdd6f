"""The output folder always holds one whole run: generations, the manifest,
repair of damaged files, the lock (issue 13 items 1, 6, 7)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet  # noqa: F401 - pa.parquet
import pytest

from pipeline.output.names import GENERATIONS

from conftest import SAMPLES
from pipeline.output.reading import read_tables

ROOT = Path(__file__).resolve().parent.parent
TABLES = ["reports", "ratings", "key_questions", "prompts", "facts", "recommendations", "findings", "errors"]


def extract(in_dir, out_dir, *args, timeout=300):
    return subprocess.run([sys.executable, "-m", "pipeline", "extract", str(in_dir), "--out", str(out_dir),
                           "--no-progress", "--workers", "1", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def one_sample(folder: Path, key: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLES[key], folder / SAMPLES[key].name)
    return folder


def sources(out: Path) -> list[str]:
    return sorted(pd.read_parquet(out / "reports.parquet").source_file)


def test_no_cache_run_then_normal_run_on_other_input_writes_the_new_tables(tmp_path):
    luton, somerset, out = one_sample(tmp_path / "a", "luton"), one_sample(tmp_path / "b", "north_somerset"), \
        tmp_path / "out"
    assert extract(luton, out).returncode == 0          # caches luton
    assert extract(somerset, out, "--no-cache").returncode == 0
    assert sources(out) == ["north-somerset-yos.txt"]
    assert extract(luton, out).returncode == 0          # luton again, all from the cache
    assert sources(out) == ["luton-yos.txt"]
    assert "luton" in (out / "reconciliation.md").read_text(encoding="utf-8").lower()


def test_truncated_table_is_repaired_by_a_rerun(tmp_path):
    folder, out = one_sample(tmp_path / "in", "luton"), tmp_path / "out"
    assert extract(folder, out).returncode == 0
    whole = (out / "ratings.parquet").read_bytes()
    with open(out / "ratings.parquet", "r+b") as fh:   # damage in place, as a full disk would
        fh.truncate(100)
    with pytest.raises(Exception):  # noqa: B017 - whichever error pyarrow raises on a truncated file
        pd.read_parquet(out / "ratings.parquet")
    assert extract(folder, out).returncode == 0
    assert (out / "ratings.parquet").read_bytes() == whole
    assert len(pd.read_parquet(out / "ratings.parquet")) == 12


def test_contract_paths_and_one_generation_per_run(tmp_path):
    from pipeline.output.generations import current_generation, read_manifest

    folder, out = one_sample(tmp_path / "in", "luton"), tmp_path / "out"
    for _ in range(3):
        assert extract(folder, out, "--no-cache").returncode == 0
    for name in [f"{t}.parquet" for t in TABLES] + ["reconciliation.md", "reconciliation.html", "findings.csv"]:
        assert (out / name).is_file(), name
    current = current_generation(out)
    manifest = read_manifest(current)
    assert set(manifest["files"]) >= {"reports.parquet", "reconciliation.html"}
    # old generations are cleaned up: the current one and the one before it stay
    assert len(list((out / GENERATIONS).iterdir())) == 2
    assert not [p for p in out.rglob("*.tmp")]


def test_generation_is_written_whole_or_not_at_all(tmp_path):
    from pipeline.output import generations as output, store

    out = tmp_path / "out"
    first = {name: store.to_table(name, []) for name in store.TABLES}
    first["errors"] = store.to_table("errors", [{"source_file": "a.txt", "stage": "ingest", "error": "x",
                                                 "message": "first"}])
    output.write_generation(first, out, writers=[])
    second = {**first, "errors": store.to_table("errors", [])}

    def failing_writer(tables, folder):
        (folder / "partial.txt").write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        output.write_generation(second, out, writers=[failing_writer])
    tables = read_tables(out)
    assert tables["errors"].column("message").to_pylist() == ["first"]
    assert not (out / "partial.txt").exists()


def test_writers_get_tables_and_the_staging_folder(tmp_path):
    from pipeline.output import generations as output, store

    seen = {}

    def write_extra(tables, folder):
        seen["rows"] = tables["reports"].num_rows
        (folder / "extra").mkdir()
        (folder / "extra" / "a.csv").write_text("x\n")

    tables = {name: store.to_table(name, []) for name in store.TABLES}
    output.write_generation(tables, tmp_path / "out", writers=[write_extra])
    assert seen == {"rows": 0}
    assert (tmp_path / "out" / "extra" / "a.csv").read_text() == "x\n"
    assert output.verify(tmp_path / "out") == []
    (tmp_path / "out" / "extra" / "a.csv").write_text("changed")
    assert output.verify(tmp_path / "out") == ["extra/a.csv"]


def test_a_plain_file_left_by_an_older_version_is_replaced(tmp_path):
    from pipeline.output import generations as output, store

    out = tmp_path / "out"
    out.mkdir()
    tables = {name: store.to_table(name, []) for name in store.TABLES}
    # an older version's table: plain, with fewer columns (a user's own file is refused: test_hostile)
    pa.parquet.write_table(tables["reports"].select(["report_id", "source_file", "status"]),
                           out / "reports.parquet")
    output.write_generation(tables, out, writers=[])
    assert (out / "reports.parquet").is_symlink()
    assert read_tables(out)["reports"].num_rows == 0


def test_second_run_into_a_locked_folder_refuses_with_one_line(tmp_path):
    from pipeline.output.lock import OutputLock

    folder, out = one_sample(tmp_path / "in", "north_somerset"), tmp_path / "out"
    with OutputLock(out, wait=0):
        result = extract(folder, out, "--lock-wait", "0.5")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "another extraction" in line and "Traceback" not in line
    assert extract(folder, out).returncode == 0


def test_readers_resolve_the_generation_once(tmp_path):
    from pipeline.output import generations as output, store

    out = tmp_path / "out"
    rows = {name: [] for name in store.TABLES}
    output.write_generation({n: store.to_table(n, r) for n, r in rows.items()}, out, writers=[])
    gen = output.current_generation(out)
    assert gen.parent.name == GENERATIONS and gen.is_dir()
    # a legacy folder with plain files is read as it is
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    assert output.current_generation(legacy) == legacy
    assert isinstance(read_tables(legacy)["reports"], pa.Table)


# A child that writes generations A, B, A, ... as fast as it can, with an
# artifact writer, so that a kill lands in the write phase.
_WRITER_LOOP = r"""
import sys
from pathlib import Path
from pipeline.output import generations as output, store

out = Path(sys.argv[1])

def tagged(tag, n):
    rows = {name: [] for name in store.TABLES}
    rows["errors"] = [{"source_file": f"{tag}-{i}.txt", "stage": "ingest", "error": tag, "message": tag * 50}
                      for i in range(n)]
    rows["reports"] = [{"report_id": f"{tag}{i:015d}", "source_file": tag, "status": "failed"} for i in range(n)]
    return {name: store.to_table(name, r) for name, r in rows.items()}

def note(tables, folder):
    (folder / "tag.txt").write_text(tables["errors"].column("error")[0].as_py())

generations = [tagged("A", 5000), tagged("B", 7000)]
print("ready", flush=True)
i = 0
while True:
    output.write_generation(generations[i % 2], out, writers=[note])
    i += 1
"""


def assert_one_whole_run(out: Path) -> str:
    """Every file a reader can open belongs to one generation; its tag."""
    from pipeline.output import generations as output

    tables = read_tables(out)
    tags = {*tables["errors"].column("error").to_pylist(), *tables["reports"].column("source_file").to_pylist()}
    by_path = {pd.read_parquet(out / f"{t}.parquet").shape[0] for t in ("reports", "errors")}
    assert len(tags) == 1 and len(by_path) == 1, (tags, by_path)
    assert (out / "tag.txt").read_text() == tags.pop()
    assert output.verify(out) == []
    return (out / "tag.txt").read_text()


def test_kill_during_the_write_phase_never_leaves_a_mixed_set(tmp_path):
    import random
    import signal
    import time

    out = tmp_path / "out"
    mid_write = 0
    rng = random.Random(13)
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER_LOOP, str(out)], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        mid_write += bool(list((out / ".generations").glob("*.tmp")))
        if (out / "current").exists():
            assert_one_whole_run(out)
    assert mid_write  # some kills landed while a generation was being written


def test_killed_extraction_leaves_the_previous_run(tmp_path):
    import signal
    import time

    luton, somerset, out = one_sample(tmp_path / "a", "luton"), one_sample(tmp_path / "b", "north_somerset"), \
        tmp_path / "out"
    assert extract(luton, out).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(somerset), "--out", str(out),
                             "--no-progress", "--workers", "1"], cwd=ROOT, stderr=subprocess.DEVNULL)
    time.sleep(0.8)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert sources(out) in (["luton-yos.txt"], ["north-somerset-yos.txt"])
    assert extract(somerset, out).returncode == 0
    assert sources(out) == ["north-somerset-yos.txt"]
    assert not list((out / ".generations").glob("*.tmp"))


def test_two_runs_into_one_folder_never_leave_a_mixed_set(tmp_path):
    """20 pairs of concurrent runs on different inputs, with a reader reading
    all the while: every state anyone sees is one whole run."""
    import threading


    inputs = {"luton-yos.txt": one_sample(tmp_path / "a", "luton"),
              "north-somerset-yos.txt": one_sample(tmp_path / "b", "north_somerset")}
    out = tmp_path / "out"
    for folder in inputs.values():  # warm the cache: the pairs then race on writing
        assert extract(folder, out).returncode == 0
    stop, problems, reads = threading.Event(), [], [0]

    def reader():
        while not stop.is_set():
            tables = read_tables(out)
            ids = set(tables["reports"].column("report_id").to_pylist())
            names = tables["reports"].column("source_file").to_pylist()
            if len(names) != 1 or not set(tables["ratings"].column("report_id").to_pylist()) <= ids:
                problems.append((names, ids))
            reads[0] += 1

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(20):
            runs = [subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(folder), "--out", str(out),
                                      "--no-progress", "--workers", "1"], cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                    for folder in inputs.values()]
            for run in runs:
                _, err = run.communicate(timeout=120)
                assert run.returncode == 0, err
            (name,) = sources(out)
            service = "luton" if name.startswith("luton") else "north somerset"
            assert service in (out / "reconciliation.md").read_text(encoding="utf-8").lower()
            csv_ids = set(pd.read_csv(out / "findings.csv").report_id)
            assert csv_ids <= set(pd.read_parquet(out / "reports.parquet").report_id)
    finally:
        stop.set()
        thread.join()
    assert not problems and reads[0] > 20


def test_reconcile_and_show_work_on_the_current_run(tmp_path):
    from pipeline.output.generations import current_generation, verify

    folder, out = one_sample(tmp_path / "in", "luton"), tmp_path / "out"
    assert extract(folder, out).returncode == 0
    before = current_generation(out)
    (out / "reconciliation.md").unlink()  # through the link: the generation's own file
    done = subprocess.run([sys.executable, "-m", "pipeline", "reconcile", str(out)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert current_generation(out) != before and verify(out) == []
    assert "luton" in (out / "reconciliation.md").read_text(encoding="utf-8").lower()
    shown = subprocess.run([sys.executable, "-m", "pipeline", "show", "luton-yos.txt", "--parsed", str(out)],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert shown.returncode == 0 and shown.stdout.startswith("Luton Youth Offending Service")


def test_writers_run_together_and_the_last_sees_what_they_wrote(tmp_path):
    """The writers before the last run side by side; the last (the data
    package) runs after them all and lists their files; a failure in any
    leaves the previous generation current."""
    from pipeline.output import generations as output, store

    out = tmp_path / "out"
    tables = {name: store.to_table(name, []) for name in store.TABLES}
    seen_by_last: list[str] = []

    def write_a(tables, folder):
        (folder / "a.txt").write_text("a")

    def write_b(tables, folder):
        (folder / "b.txt").write_text("b")

    def write_last(tables, folder):
        seen_by_last.extend(sorted(p.name for p in folder.glob("*.txt")))

    output.write_generation(tables, out, writers=[write_a, write_b, write_last])
    assert seen_by_last == ["a.txt", "b.txt"]
    assert (out / "a.txt").read_text() == "a"

    def failing(tables, folder):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        output.write_generation(tables, out, writers=[failing, write_b, write_last])
    assert (out / "a.txt").read_text() == "a"  # the first generation is still the current one
