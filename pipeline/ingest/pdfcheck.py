"""Decompression bombs caught before PDFium inflates them.

Reading text makes PDFium inflate every content stream, object stream and
font it needs. A few MB of Flate data can inflate to GBs, and PDFium builds
objects from all of it. This walks the file's Flate streams (images are never
decoded for text, so they are skipped), inflates each one incrementally
into a small buffer that is thrown away, and stops as soon as the total
passes a budget no real report comes near. What this misses the worker's
memory cap stops (workers.py).
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
_DICT_WINDOW = 2048  # bytes before `stream` searched for the stream's dictionary

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")


def check_inflated_size(data: bytes) -> None:
    """Raise IngestError(`decompression_bomb`) when the Flate streams PDFium
    would inflate to read text exceed the budget."""
    total = 0
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - _DICT_WINDOW):m.start()]
        starts = [o.end() for o in _OBJ.finditer(head)]
        head = head[starts[-1]:] if starts else head
        if b"/FlateDecode" not in head or b"/Image" in head:
            continue
        size = _inflated_size(data, m.end(), MAX_INFLATED_STREAM + 1)
        total += size
        if size > MAX_INFLATED_STREAM or total > MAX_INFLATED_TOTAL:
            raise IngestError(
                f"the PDF's compressed data inflates to over {max(size, total) // (1024 * 1024)} MB, far beyond "
                "any report (a decompression bomb?); it was not read", error="decompression_bomb")


def _inflated_size(data: bytes, start: int, limit: int) -> int:
    """Bytes the Flate stream at `start` inflates to, counting no further
    than `limit`; a damaged stream counts what inflated before the damage."""
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
