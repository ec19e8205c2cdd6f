"""A .docx is a zip of parts that point at each other: the checks made
before any part is read, each refusing the file in one line that names the
cause.

- a zip bomb: the members' sizes are checked before anything is inflated;
- a zip whose member names repeat (two word/document.xml), or a document
  that names two parts of one kind (two footnotes parts): readers disagree
  on which one to read, so what one shows is not what another reads;
- a part the document takes from outside the file (TargetMode="External"
  on its styles, numbering, footnotes or settings): it cannot be read
  without fetching it, and it is never fetched.
"""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from pipeline.core.errors import IngestError
from pipeline.core.limits import MAX_UNZIPPED_MB, MAX_ZIP_RATIO

MAX_MEMBERS = 10_000
_RELS = "word/_rels/document.xml.rels"
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>", re.I)
_ATTR = re.compile(rb"""\b(Type|TargetMode|Target)\s*=\s*["']([^"']*)["']""", re.I)
# the parts the reader takes from the document's relationships, by what the user would call them
_READ_PARTS = {"styles": "its styles", "numbering": "its list numbering", "footnotes": "its footnotes",
               "endnotes": "its endnotes", "settings": "its settings", "stylesWithEffects": "its styles",
               "fontTable": "its font table", "theme": "its theme", "webSettings": "its web settings"}


def check_zip(path: Path | BinaryIO) -> None:
    """Refuse a .docx that is not a zip, that would inflate past the
    limits (in total, or in one member), whose member names repeat, or
    that takes a part it needs from outside the file, before any of it is read."""
    limit = MAX_UNZIPPED_MB * 1024 * 1024
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _refuse_repeated_names(members)
            _check_sizes(members, limit)
            rels = archive.read(_RELS) if _RELS in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(f"this .docx is not a Word document (not a readable zip archive: {exc})",
                          error="not_a_docx") from None
    _refuse_external_parts(rels)


def _check_sizes(members: list[zipfile.ZipInfo], limit: int) -> None:
    if len(members) > MAX_MEMBERS:
        raise IngestError(f"this .docx holds {len(members):,} files, over {MAX_MEMBERS:,}: refused as a zip bomb",
                          error="zip_bomb")
    total = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    biggest = max((m.file_size for m in members), default=0)
    if total > limit or biggest > limit or (total > limit // 10 and total > MAX_ZIP_RATIO * packed):
        raise IngestError(f"this .docx would unpack to {total / 1e6:,.0f} MB from {packed / 1e6:,.1f} MB "
                          f"(limit {MAX_UNZIPPED_MB} MB, {MAX_ZIP_RATIO}x): refused as a zip bomb", error="zip_bomb")


def _refuse_repeated_names(members: list[zipfile.ZipInfo]) -> None:
    counts = Counter(m.filename for m in members)
    repeated = sorted(name for name, n in counts.items() if n > 1)
    if repeated:
        name = repeated[0]
        raise IngestError(f"this .docx holds {counts[name]} files named {name!r}: Word and other readers may each "
                          "read a different one, so what they show is not sure to be what is read; refused",
                          error="ambiguous_docx")


def _refuse_external_parts(rels: bytes) -> None:
    """A relationship to a part the reader needs whose target is outside the
    file, or two relationships to such parts of one kind (two footnotes
    parts: which one a reader takes is not sure)."""
    seen: dict[str, str] = {}
    for m in _RELATIONSHIP.finditer(rels):
        attrs = {k.decode().lower(): v.decode(errors="replace") for k, v in _ATTR.findall(m.group())}
        kind = attrs.get("type", "").rsplit("/", 1)[-1]
        if kind in _READ_PARTS and kind in seen and seen[kind] != attrs.get("target", ""):
            raise IngestError(f"this .docx names two parts for {_READ_PARTS[kind]} ({seen[kind]!r} and "
                              f"{attrs.get('target', '')[:80]!r}): readers may each take a different one; refused",
                              error="ambiguous_docx")
        seen.setdefault(kind, attrs.get("target", ""))
        if attrs.get("targetmode", "").lower() != "external":
            continue
        if kind in _READ_PARTS:
            target = attrs.get("target", "")[:80]
            raise IngestError(f"this .docx takes {_READ_PARTS[kind]} from outside the file ({target!r}, an "
                              "external relationship), which is never fetched; refused: save the document with "
                              "its parts inside it", error="external_part")
