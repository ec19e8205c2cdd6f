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

`OutputLock` (lock.py) serialises runs into one folder; `verify` re-hashes the current
generation against its manifest so a damaged file is rewritten by the next
run.

The folder is the user's: a run never follows a link it did not make (the
lock is opened with O_NOFOLLOW, `.generations` and `current` are checked with
lstat) and removes only what is provably its own: generations and staging
folders named by its id pattern inside a real `.generations` folder, its
temporary links (TMP_PREFIX), and links that point through `current`. A
foreign object where one of ours should be (a link as `.lock` or
`.generations`, a user's own `reports.parquet` or `csv/`) stops the run with
one line (OutputError), and nothing is deleted (the checks: ownership.py).
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.output.artifacts import Writer, writers
from pipeline.core.errors import disk_of, is_disk_full
from pipeline.core.files import sha256_of
from pipeline.output.names import CURRENT, GENERATION_ID, GENERATIONS, MANIFEST, STAGING_SUFFIX, TMP_PREFIX
from pipeline.output.ownership import (DiskFullError, check_contract_paths, check_folder, is_generation_link, lstat,
                                       ours_by_link)

if TYPE_CHECKING:  # pyarrow is imported where tables are written: an up-to-date run never loads it
    import pyarrow as pa




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


def read_manifest(generation: Path) -> dict[str, Any]:
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
        check_contract_paths(out_dir, _top_level(files))  # before the switch: refuse, delete nothing
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


def _write_nothing(tables: dict[str, Any], folder: Path) -> None:
    pass


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _top_level(files: dict[str, Any]) -> list[str]:
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




def _link_contract_paths(out_dir: Path, names: list[str]) -> None:
    """OUT/<name> -> current/<name> for every top-level output (the caller
    checked that each is absent or ours); links to outputs the new
    generation no longer has are removed."""
    for name in names:
        link, target = out_dir / name, f"{CURRENT}/{name}"
        if ours_by_link(link, name):
            continue
        st = lstat(link)
        if st is not None and stat.S_ISDIR(st.st_mode):
            shutil.rmtree(link)  # a folder an older version wrote (checked: _legacy_output)
        _symlink_atomic(target, link)
    for path in out_dir.iterdir():
        if path.is_symlink() and ours_by_link(path, path.name) and path.name not in names:
            path.unlink()


def _remove_staging(out_dir: Path) -> None:
    """What a killed run left behind: staging generations, and temporary
    links in OUT with our prefix (or an older version's `.<name>.<pid>.tmp`
    link into `current` or `.generations`). Nothing else is touched."""
    for path in (out_dir / GENERATIONS).iterdir():
        if path.name.endswith(STAGING_SUFFIX) and GENERATION_ID.fullmatch(path.name[:-len(STAGING_SUFFIX)]):
            st = lstat(path)
            if st is not None and stat.S_ISDIR(st.st_mode):
                shutil.rmtree(path, ignore_errors=True)
    for path in out_dir.iterdir():
        if not path.is_symlink():
            continue
        if path.name.startswith(TMP_PREFIX) or (
                _older_tmp_name(path.name) and
                (os.readlink(path).startswith(f"{CURRENT}/") or is_generation_link(os.readlink(path)))):
            path.unlink(missing_ok=True)


def _older_tmp_name(name: str) -> bool:
    """`.<name>.<pid>.tmp`, the temporary link name of older versions."""
    stem, _, pid = name.removesuffix(STAGING_SUFFIX).rpartition(".")
    return name.startswith(".") and name.endswith(STAGING_SUFFIX) and len(stem) > 1 and pid.isdigit()


def _remove_old_generations(out_dir: Path, keep: set[str]) -> None:
    """Generations (folders named by GENERATION_ID) but the ones kept."""
    for path in (out_dir / GENERATIONS).iterdir():
        st = lstat(path)
        if path.name not in keep and GENERATION_ID.fullmatch(path.name) and st and stat.S_ISDIR(st.st_mode):
            shutil.rmtree(path, ignore_errors=True)


