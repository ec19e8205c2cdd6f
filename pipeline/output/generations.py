"""The output folder holds exactly one whole run at a time.

A run writes a complete *generation* (every Parquet table, then every artifact
writer's files, then a manifest of content hashes) into a staging folder
`OUT/.generations/<id>.tmp`, renames it to `OUT/.generations/<id>` and then
switches `OUT/current` (a symlink) to it with one atomic rename. The contract
paths (`OUT/reports.parquet`, `OUT/reconciliation.html`, ...) are symlinks
through `current`, so a file opened by name is always from one whole run, and
a run killed at any point leaves the previous generation in place.

Code that reads several files resolves the generation once
(`current_generation`) so that a switch in between cannot mix two runs. The
generation before the current one is kept for readers that resolved it just
before a switch; older ones are removed.

`OutputLock` serialises runs into one folder; `verify` re-hashes the current
generation against its manifest so a damaged file is rewritten by the next
run.
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.output.artifacts import Writer, writers
from pipeline.core.errors import describe_os_error
from pipeline.core.files import sha256_of

GENERATIONS = ".generations"
CURRENT = "current"
MANIFEST = "manifest.json"
LOCK = ".lock"
STAGING_SUFFIX = ".tmp"

if TYPE_CHECKING:  # pyarrow is imported where tables are written: an up-to-date run never loads it
    import pyarrow as pa


class OutputError(Exception):
    """The output folder cannot be used; the message is one line for a person."""


def artifact_writers(csv: bool = False, xlsx: bool = False) -> list[Writer]:
    """Everything written beside the tables, in order: the reconciliation
    report, inspections.duckdb, csv/ (with --csv), inspections.xlsx (with
    --xlsx) and datapackage.json (last: it lists the CSV files when they are
    there)."""
    # imported when asked for: the report loads pyarrow and Jinja2
    from pipeline.output.reconciliation import write_reconciliation

    return [write_reconciliation, *writers(csv, xlsx)]


def warm_up() -> None:
    """Load what writing a generation needs (pyarrow's pandas layer, duckdb,
    the compiled report templates) ahead of time: the CLI does it while the
    workers' fork server starts, when this process would only wait."""
    import duckdb  # noqa: F401

    from pipeline.reconcile.render import compile_templates
    from pipeline.output.store import to_table

    to_table("errors", [])  # pyarrow imports pandas on its first array
    compile_templates()


def current_generation(out_dir: Path) -> Path:
    """The folder holding the current run's files, resolved once. A folder
    written by an older version (plain files, no `current`) is itself."""
    out_dir = Path(out_dir)
    try:
        target = os.readlink(out_dir / CURRENT)
    except OSError:
        return out_dir
    return out_dir / target


def read_manifest(generation: Path) -> dict:
    try:
        manifest = json.loads((Path(generation) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def verify(out_dir: Path) -> list[str]:
    """Files of the current generation that are missing or whose content no
    longer matches the manifest (and contract links that are broken).
    ["manifest.json"] when there is no readable manifest."""
    out_dir = Path(out_dir)
    generation = current_generation(out_dir)
    files = read_manifest(generation).get("files")
    if generation == out_dir or not isinstance(files, dict):
        return [MANIFEST]
    damaged = []
    for rel, recorded in sorted(files.items()):
        try:
            digest = sha256_of(generation / rel)
        except OSError:
            digest = None
        if not isinstance(recorded, dict) or digest != recorded.get("sha256"):
            damaged.append(rel)
    for name in _top_level(files):
        if os.path.realpath(out_dir / name) != os.path.realpath(generation / name):
            damaged.append(name)
    return damaged


def up_to_date(out_dir: Path, inputs_key: str) -> bool:
    """The current generation is from exactly these inputs and is undamaged."""
    manifest = read_manifest(current_generation(out_dir))
    return manifest.get("inputs_key") == inputs_key and not verify(out_dir)


# ----------------------------------------------------------------- writing

def write_generation(tables: dict[str, pa.Table], out_dir: Path, *, writers: list[Writer] | None = None,
                     inputs_key: str | None = None) -> Path:
    """Write every table and artifact as a new generation and switch to it.
    Any failure leaves the previous generation current. The caller holds
    the OutputLock."""
    import pyarrow.parquet as parquet

    out_dir = Path(out_dir)
    generations = out_dir / GENERATIONS
    generations.mkdir(parents=True, exist_ok=True)
    _remove_staging(out_dir)
    gen_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
    staging = generations / (gen_id + STAGING_SUFFIX)
    staging.mkdir()
    try:
        *independent, last = artifact_writers() if writers is None else writers or [_write_nothing]
        # the writers before the last write files of their own from the same
        # tables: run together (DuckDB and Parquet work outside the GIL while
        # the report renders); the last, the data package, lists what they wrote
        with ThreadPoolExecutor(max_workers=len(independent) + 1) as pool:
            futures = [pool.submit(writer, tables, staging) for writer in independent]
            for name, table in tables.items():
                parquet.write_table(table, staging / f"{name}.parquet")
            for future in futures:
                future.result()
        last(tables, staging)
        files = {rel: {"sha256": sha256_of(staging / rel), "bytes": (staging / rel).stat().st_size}
                 for rel in _files_under(staging)}
        manifest = {"generation": gen_id, "inputs_key": inputs_key, "files": files}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        _fsync_tree(staging)
        final = generations / gen_id
        os.rename(staging, final)
        _fsync_dir(generations)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = current_generation(out_dir)
    _symlink_atomic(f"{GENERATIONS}/{gen_id}", out_dir / CURRENT)  # the one step that switches
    _link_contract_paths(out_dir, _top_level(files))
    _fsync_dir(out_dir)
    _remove_old_generations(out_dir, keep={final.name, previous.name})
    return final


def _write_nothing(tables: dict, folder: Path) -> None:
    pass


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _top_level(files: dict) -> list[str]:
    return sorted({rel.split("/", 1)[0] for rel in files if rel != MANIFEST})


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
        else:
            _fsync_dir(path)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _symlink_atomic(target: str, link: Path) -> None:
    tmp = link.parent / f".{link.name}.{os.getpid()}{STAGING_SUFFIX}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _link_contract_paths(out_dir: Path, names: list[str]) -> None:
    """OUT/<name> -> current/<name> for every top-level output; links to
    outputs the new generation no longer has are removed."""
    for name in names:
        link, target = out_dir / name, f"{CURRENT}/{name}"
        if link.is_symlink() and os.readlink(link) == target:
            continue
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)  # a folder written by an older version
        _symlink_atomic(target, link)
    for path in out_dir.iterdir():
        if path.is_symlink() and os.readlink(path).startswith(f"{CURRENT}/") and path.name not in names:
            path.unlink()


def _remove_staging(out_dir: Path) -> None:
    """What a killed run left behind: staging generations and temporary files."""
    for path in [*(out_dir / GENERATIONS).glob(f"*{STAGING_SUFFIX}"), *out_dir.glob(f".*{STAGING_SUFFIX}")]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _remove_old_generations(out_dir: Path, keep: set[str]) -> None:
    for path in (out_dir / GENERATIONS).iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


# ----------------------------------------------------------------- the lock

class OutputLock:
    """An exclusive lock on OUT/.lock, held while a run writes. A second run
    waits up to `wait` seconds, then OutputError. The kernel releases the
    lock when its holder dies, so a killed run never leaves the folder locked."""

    def __init__(self, out_dir: Path, wait: float = 60.0):
        self.out_dir, self.wait = Path(out_dir), wait
        self.fd = -1

    def __enter__(self) -> OutputLock:
        prepare(self.out_dir)
        self.fd = os.open(self.out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        deadline = time.monotonic() + max(0.0, self.wait)
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(self.fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    os.close(self.fd)
                    raise OutputError(
                        f"another extraction (pid {holder}) is writing to {self.out_dir}; waited "
                        f"{self.wait:g} s (--lock-wait): try again when it has finished") from None
                time.sleep(0.05)
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)  # closing releases the flock


def prepare(out_dir: Path) -> None:
    """Create the output folder, or say in one line why it cannot be used."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {out_dir} is a file, not a folder: give a folder for the outputs")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder --out {out_dir}: {describe_os_error(exc)}") from None
    try:  # the lock file is the first thing a run writes: try it now
        os.close(os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o666))
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder --out {out_dir}: {describe_os_error(exc)}") from None
