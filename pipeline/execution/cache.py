"""Per-file extraction results cached in OUT/.cache, keyed by the file's
sha256, the extraction code, the patterns and the file limits.

Only what changes an extraction is in the key: editing the reconciliation
report, the CLI or the output writers leaves every entry valid. An entry is
checked against the table schemas when read; one that does not fit (damaged,
or from code that wrote another shape) is a miss with a warning, never a
crash. A failed write (disk full, read-only folder) is a warning too: the run
goes on without the entry.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable

from pipeline.core.schema import TABLE_DEFS
from pipeline.core.errors import describe_os_error
from pipeline.core.patterns import PATTERNS_DIR

CACHE_DIR = ".cache"

# the stage packages whose code decides what is extracted from a file (and
# the one module that chains them); writers, the corpus step, the
# reconciliation report and the CLI are not in the key
EXTRACTION_PACKAGES = ("core", "ingest", "segment", "extract", "validate")
EXTRACTION_MODULES = ("execution/one_file.py",)

PACKAGE = Path(__file__).resolve().parent.parent  # pipeline/


def extraction_sources() -> list[Path]:
    """The files whose content decides what is extracted: the stage packages'
    modules, the module that chains them, and the patterns."""
    sources = [p for name in EXTRACTION_PACKAGES for p in (PACKAGE / name).rglob("*.py")]
    sources += [PACKAGE / name for name in EXTRACTION_MODULES]
    return sorted(sources) + sorted(PATTERNS_DIR.glob("*.json"))


def files_hash(paths: list[Path]) -> hashlib._Hash:
    """sha256 over each file's name and bytes, in a stable order. Patterns are
    named patterns/<file> whether they are the checkout's patterns/ or the
    installed copy inside the package (counted once either way)."""
    h = hashlib.sha256()
    named = {(f"patterns/{p.name}" if p.parent == PATTERNS_DIR else str(p.relative_to(PACKAGE))): p for p in paths}
    for name in sorted(named):
        h.update(name.encode())
        h.update(named[name].read_bytes())
    return h


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """Hash of the extraction code, the patterns and the table schemas."""
    h = files_hash(extraction_sources())
    h.update(repr({name: [(c.name, c.type) for c in table.columns] for name, table in TABLE_DEFS.items()}).encode())
    return h.hexdigest()[:12]


class Cache:
    """The cache of one output folder; `folder=None` is a cache that holds nothing."""

    def __init__(self, folder: Path | None, limits: tuple, warn: Callable[[str], None]):
        self.folder = Path(folder) if folder else None
        if self.folder is not None and (self.folder.is_symlink() or
                                        (self.folder.exists() and not self.folder.is_dir())):
            warn(f"{self.folder} is not a folder this program made (a link or a file); "
                 "it is left as it is and the run goes on without the cache")
            self.folder = None
        self.limits = "-".join(str(x) for x in limits)
        self.warn = warn
        self.write_failed = False

    def path(self, sha256: str | None) -> Path | None:
        if self.folder is None or not sha256:
            return None
        return self.folder / f"{sha256}-{extraction_version()}-{self.limits}.json"

    def get(self, sha256: str | None, source_file: str) -> dict | None:
        path = self.path(sha256)
        if path is None or not path.exists():
            return None
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
            problem = shape_problem(rows)
        except (OSError, ValueError) as exc:
            problem = f"unreadable ({exc.__class__.__name__})"
        if problem:
            self.warn(f"cache entry for {source_file} is not usable ({problem}); extracting it again")
            return None
        return rows

    def put(self, sha256: str | None, rows: dict) -> None:
        path = self.path(sha256)
        if path is None or self.write_failed:
            return
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:  # renamed into place (never half an entry); no fsync: a lost entry is only a miss
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(rows, default=str), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self.write_failed = True  # one warning, not one per file
            self.warn(f"cannot write the cache in {self.folder} ({describe_os_error(exc)}); "
                      "the run goes on without caching")


    def drop(self, sha256: str | None) -> None:
        """Remove the entry for these bytes, if there is one."""
        path = self.path(sha256)
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


def shape_problem(rows: object) -> str | None:
    """None when `rows` is {table: [row, ...]} that fits the table schemas."""
    if not isinstance(rows, dict) or not rows:
        return "not a table mapping"
    unknown = set(rows) - set(TABLE_DEFS)
    if unknown:
        return f"unknown tables {sorted(unknown)}"
    if not (rows.get("reports") or rows.get("errors")):
        return "no reports or errors row"
    for name, table_rows in rows.items():
        if not isinstance(table_rows, list) or not all(isinstance(r, dict) for r in table_rows):
            return f"{name} is not a list of rows"
        fields = {c.name: _PYTHON_TYPES.get(c.type) for c in TABLE_DEFS[name].columns}
        for row in table_rows:
            for column, value in row.items():
                if column not in fields:
                    return f"{name} has no column {column!r}"
                allowed = fields[column]
                if value is not None and allowed and (not isinstance(value, allowed) or
                                                      (isinstance(value, bool) and bool not in allowed)):
                    return f"{name}.{column} holds {type(value).__name__}"
    return None


# what a JSON value must be to fit each column type (checked in plain Python:
# building a pyarrow table here would import pandas, a second per warm run)
_PYTHON_TYPES = {"string": (str,), "date": (str,), "int8": (int,), "int32": (int,), "float64": (int, float),
                 "bool": (bool,)}
