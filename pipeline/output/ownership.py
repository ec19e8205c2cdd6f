"""The output folder is the user's: what in it is provably ours, and the one
line that says so when something there is not (OutputError). A run never
follows a link it did not make and never replaces what it did not write."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from pipeline.output.names import CURRENT, GENERATION_ID, GENERATIONS


class OutputError(Exception):
    """The output folder cannot be used; the message is one line for a person."""


class DiskFullError(OSError, OutputError):
    """The disk filled while a generation was written (whichever writer hit
    it); the message names the disk. Still an OSError, as the writer's was."""


def foreign(path: Path, what: str) -> OutputError:
    return OutputError(f"{path} is {what}, not something this program made; it is left as it is: "
                       "move it away or choose another --out")


def lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def kind(st: os.stat_result) -> str:
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link"
    if stat.S_ISDIR(st.st_mode):
        return "a folder"
    return "a file" if stat.S_ISREG(st.st_mode) else "a special file"


def check_folder(out_dir: Path) -> None:
    """OutputError unless `.generations` and `current` are absent or ours:
    a real folder, and a link to one of its generations."""
    out_dir = Path(out_dir)
    st = lstat(out_dir / GENERATIONS)
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise foreign(out_dir / GENERATIONS, kind(st))
    st = lstat(out_dir / CURRENT)
    if st is not None and not (stat.S_ISLNK(st.st_mode) and is_generation_link(os.readlink(out_dir / CURRENT))):
        raise foreign(out_dir / CURRENT, kind(st) if not stat.S_ISLNK(st.st_mode) else
                       f"a symbolic link to {os.readlink(out_dir / CURRENT)!r}")


def is_generation_link(target: str) -> bool:
    head, _, name = target.partition("/")
    return head == GENERATIONS and bool(GENERATION_ID.fullmatch(name))


def ours_by_link(path: Path, name: str) -> bool:
    try:
        return os.readlink(path) == f"{CURRENT}/{name}"
    except OSError:
        return False


def check_contract_paths(out_dir: Path, names: list[str]) -> None:
    """OutputError if any OUT/<name> is there and is not ours: our link
    through `current`, or a plain file or folder that an older version (one
    without generations) provably wrote."""
    legacy = _legacy_folder(out_dir)
    for name in names:
        path = out_dir / name
        st = lstat(path)
        if st is None or ours_by_link(path, name):
            continue
        if stat.S_ISLNK(st.st_mode):
            raise foreign(path, f"a symbolic link to {os.readlink(path)!r}")
        if not (legacy and _legacy_output(path, st)):
            raise foreign(path, kind(st))


def _legacy_folder(out_dir: Path) -> bool:
    """A folder an older version wrote its outputs into as plain files: no
    `current` yet, and a reports.parquet with the reports table's columns."""
    return lstat(out_dir / CURRENT) is None and _our_parquet(out_dir / "reports.parquet")


def _our_parquet(path: Path) -> bool:
    """A plain Parquet file whose columns are all columns of the table it is
    named after (older versions wrote fewer columns, never others)."""
    from pipeline.core.schema import TABLE_DEFS

    st = lstat(path)
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
