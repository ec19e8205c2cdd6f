"""Explicit pyarrow schemas for every output table (generated from the
definitions in schema.py), and atomic writes.

The column names are the output contract (docs/data-dictionary.md): add columns, never
rename or drop one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from collections.abc import Callable

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.records import Row
from pipeline.core.derived import derived_values
from pipeline.core.schema import TABLE_DEFS, table_schema

# the definitions (types, descriptions, keys) live in schema.py
SCHEMAS: dict[str, pa.Schema] = {name: table_schema(name) for name in TABLE_DEFS}

TABLES = list(SCHEMAS)


def to_table(name: str, rows: list[Row]) -> pa.Table:
    """Rows (dicts) to a typed table; missing keys become nulls, extra keys are
    an error so a typo cannot silently drop a column."""
    schema = SCHEMAS[name]
    names = set(schema.names)
    for row in rows:
        extra = set(row) - names
        if extra:
            raise KeyError(f"{name}: unknown columns {sorted(extra)}")
    # rating points and typed dates, from the columns they derive from
    return pa.Table.from_pylist([derived_values(name, row) for row in rows], schema=schema)


def _read_umask() -> int:
    """The process umask, read without changing it where Linux shows it
    (/proc/self/status); elsewhere by the set-and-restore trick, once, at
    import, before any writer thread runs."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# read once: setting the umask to read it, while other threads create files,
# let those files be created world-writable
UMASK = _read_umask()


def current_umask() -> int:
    return UMASK


def _stage(path: Path, write: Callable[[str], None]) -> Path:
    """Write through `write(tmp_name)` to a hidden temporary file beside
    `path` and fsync it; the caller moves it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        # mkstemp makes the file private (0600); outputs get the usual mode
        os.chmod(tmp, 0o666 & ~current_umask())
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def _replace_all(files: dict[Path, Callable[[str], None]]) -> None:
    """Stage every file first, then rename each into place: a reader never
    sees a half-written file, and a run killed before the renames leaves the
    previous files whole."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, write in files.items():
            staged.append((_stage(path, write), Path(path)))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()


def write_atomic_with(path: Path, write: Callable[[str], None]) -> None:
    """Write `path` through `write(tmp_name)`, then move it into place."""
    _replace_all({Path(path): write})


def write_atomic(table: pa.Table, path: Path) -> None:
    _replace_all({Path(path): lambda tmp: pq.write_table(table, tmp)})


def write_text_atomic(text: str, path: Path) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)

    _replace_all({Path(path): write})
