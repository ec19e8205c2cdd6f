"""Decompression bombs caught before PDFium inflates them.

Reading text makes PDFium inflate every content stream, object stream and
font it needs. A few MB of Flate data can inflate to GBs, and PDFium builds
objects from all of it. This inflates every stream in the file that is Flate
data, whatever its dictionary says (so a dictionary padded past any window,
or one that hides its /Filter, cannot hide the stream), incrementally into a
small buffer that is thrown away, and stops as soon as the total passes a
budget no real report comes near.

Images are never decoded for text, but "/Image" in a dictionary proves
nothing: a stream is an image only when its parsed dictionary says
/Subtype /Image, and then only the bytes it inflates to beyond its declared
size (width x height x components x bits) are counted. What this misses the
worker's memory cap stops (workers.py).
"""
from __future__ import annotations

import re
import zlib

from pipeline.core.errors import IngestError

# A real report's non-image streams inflate to a few MB (the samples: under
# 5 MB); a content stream of this size is already an unusual chart.
MAX_INFLATED_TOTAL = 256 * 1024 * 1024
MAX_INFLATED_STREAM = 64 * 1024 * 1024
_CHUNK = 1 << 16
_MAX_DICT = 1 << 20  # a stream dictionary longer than this is not parsed (its stream is counted whole)

# the keyword and the end of line before the stream's data (PDFium also takes a bare CR)
_STREAM = re.compile(rb"(?<!end)stream[ \t]*(?:\r\n|\r|\n)")
_DELIMITERS = b"()<>[]{}/%"
_WHITESPACE = b" \t\r\n\f\x00"
_COMPONENTS = {b"DeviceGray": 1, b"CalGray": 1, b"Indexed": 1, b"DeviceRGB": 3, b"CalRGB": 3, b"Lab": 3}


def check_inflated_size(data: bytes) -> None:
    """Raise IngestError(`decompression_bomb`) when the Flate streams PDFium
    would inflate to read text exceed the budget."""
    total = 0
    for m in _STREAM.finditer(data):
        allowance = _image_allowance(data, m)
        inflated = _inflated_size(data, m.end(), allowance + MAX_INFLATED_STREAM + 1)
        size = max(0, inflated - allowance)
        total += size
        if size > MAX_INFLATED_STREAM or total > MAX_INFLATED_TOTAL:
            raise IngestError(
                f"the PDF's compressed data inflates to over {max(size, total) // (1024 * 1024)} MB, far beyond "
                "any report (a decompression bomb?); it was not read", error="decompression_bomb")


def _image_allowance(data: bytes, stream: re.Match[bytes]) -> int:
    """The bytes the stream may inflate to uncounted: for an image XObject
    (its parsed dictionary, from its `obj`, says /Subtype /Image at the top
    level and ends at this stream), its declared size capped at
    MAX_INFLATED_STREAM; for anything else 0."""
    start = data.rfind(b"obj", max(0, stream.start() - _MAX_DICT), stream.start())
    if start < 0 or b"/Image" not in data[start:stream.start()]:
        return 0  # the common case, without parsing
    parsed = _parse_dict(data, _skip_space(data, start + 3))
    if parsed is None:
        return 0
    entries, end = parsed
    if _skip_space(data, end) != stream.start() or entries.get(b"Subtype") != b"/Image":
        return 0
    return min(_declared_size(entries), MAX_INFLATED_STREAM)


def _declared_size(entries: dict[bytes, object]) -> int:
    def number(key: bytes, default: int) -> int:
        value = entries.get(key)
        return int(value) if isinstance(value, bytes) and value.isdigit() else default

    space = entries.get(b"ColorSpace")
    if isinstance(space, list) and space:
        space = space[0]
    name = space.lstrip(b"/") if isinstance(space, bytes) else b""
    components = _COMPONENTS.get(name, 4)  # CMYK, ICC-based or unknown: the most there can be
    return number(b"Width", 0) * number(b"Height", 0) * components * number(b"BitsPerComponent", 8) // 8 + 1024


def _skip_space(data: bytes, pos: int) -> int:
    """Past whitespace and comments."""
    while pos < len(data):
        if data[pos] in _WHITESPACE:
            pos += 1
        elif data[pos] == ord("%"):
            while pos < len(data) and data[pos] not in b"\r\n":
                pos += 1
        else:
            break
    return pos


def _parse_dict(data: bytes, pos: int) -> tuple[dict[bytes, object], int] | None:
    """The dictionary at `pos`: its top-level entries (a name's value as
    b"/Name", a number as its digits, an array as a list of its tokens,
    anything else as None) and where it ends; None if there is none."""
    if data[pos:pos + 2] != b"<<":
        return None
    limit = min(len(data), pos + _MAX_DICT)
    pos += 2
    depth = 1
    entries: dict[bytes, object] = {}
    key: bytes | None = None
    while pos < limit:
        pos = _skip_space(data, pos)
        if pos >= limit:
            return None
        if data.startswith(b">>", pos):
            pos, depth = pos + 2, depth - 1
            if depth == 0:
                return entries, pos
            continue
        token, pos, value = _token(data, pos, limit)
        if token is None:
            return None
        if token == b"<<":
            if depth == 1 and key is not None:
                entries[key], key = None, None
            depth += 1
        elif depth == 1:
            if key is None:
                key = token[1:] if token.startswith(b"/") else None
            else:
                entries[key], key = value, None
    return None


def _token(data: bytes, pos: int, limit: int) -> tuple[bytes | None, int, object]:
    """One token at `pos`: (its text, the position after it, its value)."""
    c = data[pos:pos + 1]
    if data.startswith(b"<<", pos):
        return b"<<", pos + 2, None
    if c == b"(":  # a string, with nested parentheses and escapes
        depth, i = 0, pos
        while i < limit:
            ch = data[i]
            if ch == ord("\\"):
                i += 2
                continue
            depth += (ch == ord("(")) - (ch == ord(")"))
            i += 1
            if depth == 0:
                return b"()", i, None
        return None, limit, None
    if c == b"<":
        end = data.find(b">", pos, limit)
        return (b"<>", end + 1, None) if end >= 0 else (None, limit, None)
    if c == b"[":  # an array: its tokens, flat (enough for /Filter and /ColorSpace)
        items: list[bytes] = []
        i = pos + 1
        while i < limit:
            i = _skip_space(data, i)
            if data.startswith(b"]", i):
                return b"[]", i + 1, items
            if data.startswith(b"<<", i):  # a dictionary inside: skip it whole
                inner = _parse_dict(data, i)
                if inner is None:
                    return None, limit, None
                i = inner[1]
                continue
            token, i, _ = _token(data, i, limit)
            if token is None:
                return None, limit, None
            items.append(token)
        return None, limit, None
    i = pos + 1
    while i < limit and data[i] not in _WHITESPACE and data[i] not in _DELIMITERS:
        i += 1
    token = data[pos:i]
    return token, i, token


def _inflated_size(data: bytes, start: int, limit: int) -> int:
    """Bytes the Flate stream at `start` inflates to, counting no further
    than `limit`; a damaged stream (or data that is not Flate at all) counts
    what inflated before the damage."""
    inflater = zlib.decompressobj()
    size, pos = 0, start
    try:
        while pos < len(data) and size < limit and not inflater.eof:
            pending = data[pos:pos + _CHUNK]
            pos += _CHUNK
            while pending and size < limit and not inflater.eof:
                size += len(inflater.decompress(pending, _CHUNK * 16))
                pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return size
