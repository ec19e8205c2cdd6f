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

The folder is the user's: a run never follows a link it did not make (the
lock is opened with O_NOFOLLOW, `.generations` and `current` are checked with
lstat) and removes only what is provably its own: generations and staging
folders named by its id pattern inside a real `.generations` folder, its
temporary links (TMP_PREFIX), and links that point through `current`. A
foreign object where one of ours should be (a link as `.lock` or
`.generations`, a user's own `reports.parquet` or `csv/`) stops the run with
one line (OutputError), and nothing is deleted.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.output.artifacts import Writer, writers
from pipeline.core.errors import describe_os_error, disk_of, is_disk_full
from pipeline.core.files import sha256_of

GENERATIONS = ".generations"
CURRENT = "current"
MANIFEST = "manifest.json"
LOCK = ".lock"
STAGING_SUFFIX = ".tmp"
# a temporary link in OUT: the prefix says it is ours (a user's *.tmp is not)
TMP_PREFIX = ".yj-inspections-tmp."
# a generation's folder name: <time>-<pid>-<random>; nothing else in
# .generations is ever removed
GENERATION_ID = re.compile(r"\d{8}T\d{6}-\d+-[0-9a-f]{6}")

if TYPE_CHECKING:  # pyarrow is imported where tables are written: an up-to-date run never loads it
    import pyarrow as pa


class OutputError(Exception):
    """The output folder cannot be used; the message is one line for a person."""


class DiskFullError(OSError, OutputError):
    """The disk filled while a generation was written (whichever writer hit
    it); the message names the disk. Still an OSError, as the writer's was."""


def _foreign(path: Path, what: str) -> OutputError:
    return OutputError(f"{path} is {what}, not something this program made; it is left as it is: "
                       "move it away or choose another --out")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _kind(st: os.stat_result) -> str:
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link"
    if stat.S_ISDIR(st.st_mode):
        return "a folder"
    return "a file" if stat.S_ISREG(st.st_mode) else "a special file"


def check_folder(out_dir: Path) -> None:
    """OutputError unless `.generations` and `current` are absent or ours:
    a real folder, and a link to one of its generations."""
    out_dir = Path(out_dir)
    st = _lstat(out_dir / GENERATIONS)
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise _foreign(out_dir / GENERATIONS, _kind(st))
    st = _lstat(out_dir / CURRENT)
    if st is not None and not (stat.S_ISLNK(st.st_mode) and _is_generation_link(os.readlink(out_dir / CURRENT))):
        raise _foreign(out_dir / CURRENT, _kind(st) if not stat.S_ISLNK(st.st_mode) else
                       f"a symbolic link to {os.readlink(out_dir / CURRENT)!r}")


def _is_generation_link(target: str) -> bool:
    head, _, name = target.partition("/")
    return head == GENERATIONS and bool(GENERATION_ID.fullmatch(name))


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
    check_folder(out_dir)
    generations.mkdir(parents=True, exist_ok=True)
    check_folder(out_dir)  # made just now, or already there: a real folder either way
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
        _check_contract_paths(out_dir, _top_level(files))  # before the switch: refuse, delete nothing
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(generations / gen_id, ignore_errors=True)
        if isinstance(exc, Exception) and is_disk_full(exc):  # DuckDB's says so only in its message
            raise DiskFullError(f"cannot write to {out_dir}: the disk is full ({disk_of(str(out_dir))}); "
                                "the previous run's outputs are unchanged") from None
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
    tmp = link.parent / f"{TMP_PREFIX}{link.name}.{os.getpid()}"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _ours_by_link(path: Path, name: str) -> bool:
    try:
        return os.readlink(path) == f"{CURRENT}/{name}"
    except OSError:
        return False


def _check_contract_paths(out_dir: Path, names: list[str]) -> None:
    """OutputError if any OUT/<name> is there and is not ours: our link
    through `current`, or a plain file or folder that an older version (one
    without generations) provably wrote."""
    legacy = _legacy_folder(out_dir)
    for name in names:
        path = out_dir / name
        st = _lstat(path)
        if st is None or _ours_by_link(path, name):
            continue
        if stat.S_ISLNK(st.st_mode):
            raise _foreign(path, f"a symbolic link to {os.readlink(path)!r}")
        if not (legacy and _legacy_output(path, st)):
            raise _foreign(path, _kind(st))


def _legacy_folder(out_dir: Path) -> bool:
    """A folder an older version wrote its outputs into as plain files: no
    `current` yet, and a reports.parquet with the reports table's columns."""
    return _lstat(out_dir / CURRENT) is None and _our_parquet(out_dir / "reports.parquet")


def _our_parquet(path: Path) -> bool:
    """A plain Parquet file whose columns are all columns of the table it is
    named after (older versions wrote fewer columns, never others)."""
    from pipeline.core.schema import TABLE_DEFS

    st = _lstat(path)
    table = TABLE_DEFS.get(path.name.removesuffix(".parquet"))
    if st is None or not stat.S_ISREG(st.st_mode) or table is None or not path.name.endswith(".parquet"):
        return False
    import pyarrow.parquet as parquet

    try:
        columns = set(parquet.read_schema(path).names)
    except Exception:  # noqa: BLE001 - whatever pyarrow raises on a file that is not Parquet
        return False
    return bool(columns) and columns <= {c.name for c in table.columns}


def _legacy_output(path: Path, st: os.stat_result) -> bool:
    """An older version's plain output: a table with its table's columns, a
    csv/ folder of nothing but <table>.csv files, or one of the other files
    it wrote beside them."""
    from pipeline.core.schema import TABLE_DEFS
    from pipeline.output.names import CSV_DIR

    if path.name.endswith(".parquet"):
        return _our_parquet(path)
    if path.name == CSV_DIR and stat.S_ISDIR(st.st_mode):
        tables = {f"{name}.csv" for name in TABLE_DEFS}
        return all(entry.name in tables and entry.is_file(follow_symlinks=False) for entry in os.scandir(path))
    return stat.S_ISREG(st.st_mode)


def _link_contract_paths(out_dir: Path, names: list[str]) -> None:
    """OUT/<name> -> current/<name> for every top-level output (the caller
    checked that each is absent or ours); links to outputs the new
    generation no longer has are removed."""
    for name in names:
        link, target = out_dir / name, f"{CURRENT}/{name}"
        if _ours_by_link(link, name):
            continue
        st = _lstat(link)
        if st is not None and stat.S_ISDIR(st.st_mode):
            shutil.rmtree(link)  # a folder an older version wrote (checked: _legacy_output)
        _symlink_atomic(target, link)
    for path in out_dir.iterdir():
        if path.is_symlink() and _ours_by_link(path, path.name) and path.name not in names:
            path.unlink()


def _remove_staging(out_dir: Path) -> None:
    """What a killed run left behind: staging generations, and temporary
    links in OUT with our prefix (or an older version's `.<name>.<pid>.tmp`
    link into `current` or `.generations`). Nothing else is touched."""
    for path in (out_dir / GENERATIONS).iterdir():
        if path.name.endswith(STAGING_SUFFIX) and GENERATION_ID.fullmatch(path.name[:-len(STAGING_SUFFIX)]):
            st = _lstat(path)
            if st is not None and stat.S_ISDIR(st.st_mode):
                shutil.rmtree(path, ignore_errors=True)
    for path in out_dir.iterdir():
        if not path.is_symlink():
            continue
        if path.name.startswith(TMP_PREFIX) or (
                _older_tmp_name(path.name) and
                (os.readlink(path).startswith(f"{CURRENT}/") or _is_generation_link(os.readlink(path)))):
            path.unlink(missing_ok=True)


def _older_tmp_name(name: str) -> bool:
    """`.<name>.<pid>.tmp`, the temporary link name of older versions."""
    stem, _, pid = name.removesuffix(STAGING_SUFFIX).rpartition(".")
    return name.startswith(".") and name.endswith(STAGING_SUFFIX) and len(stem) > 1 and pid.isdigit()


def _remove_old_generations(out_dir: Path, keep: set[str]) -> None:
    """Generations (folders named by GENERATION_ID) but the ones kept."""
    for path in (out_dir / GENERATIONS).iterdir():
        st = _lstat(path)
        if path.name not in keep and GENERATION_ID.fullmatch(path.name) and st and stat.S_ISDIR(st.st_mode):
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
        self.fd = open_lock(self.out_dir)
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


def open_lock(out_dir: Path) -> int:
    """OUT/.lock, opened without following a link (O_NOFOLLOW) and refused
    unless it is a plain file of ours: one name for it (not a hard link to
    another file) holding nothing but a pid."""
    path = Path(out_dir) / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _foreign(path, f"a symbolic link to {os.readlink(path)!r}") from None
        if exc.errno == errno.ENXIO:  # a FIFO with no reader
            raise _foreign(path, "a special file") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _foreign(path, _kind(st))
        if st.st_nlink != 1:
            raise _foreign(path, "a hard link to another file")
        if not re.fullmatch(rb"\s*\d*\s*", os.pread(fd, 64, 0)) or st.st_size > 64:
            raise _foreign(path, "a file holding something other than a pid")
    except BaseException:
        os.close(fd)
        raise
    return fd


def prepare(out_dir: Path) -> None:
    """Create the output folder, or say in one line why it cannot be used."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {out_dir} is a file, not a folder: give a folder for the outputs")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder --out {out_dir}: {describe_os_error(exc)}") from None
    check_folder(out_dir)
    try:  # the lock file is the first thing a run writes: try it now
        os.close(open_lock(out_dir))
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder --out {out_dir}: {describe_os_error(exc)}") from None
