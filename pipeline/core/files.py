"""Files as bytes: the content hash that names a report (report_id) and keys
the cache."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def printable_name(name: str) -> str:
    """A file name as text that any table, terminal or file can hold, without
    losing anything. A name that is valid UTF-8 is itself; in one that is not
    (Python hands its stray bytes over as surrogate escapes, which pyarrow,
    JSON and UTF-8 files refuse) each byte that is not UTF-8 is written as
    \\xNN and a backslash as \\\\, so the bytes can always be recovered:
    `codecs.escape_decode(name.encode())[0]` gives them back."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    raw = os.fsencode(name).replace(b"\\", b"\\\\")
    return raw.decode("utf-8", errors="backslashreplace")
