"""Bytes of a text export to text: the encoding found from a byte-order
mark, a UTF-16 NUL pattern or a strict decode (UTF-8 with stray cp1252
bytes mended), binary junk refused, and the control characters a report's
text never holds (terminal escapes, bidi overrides) removed."""
from __future__ import annotations

import codecs
import re

from pipeline.core.errors import IngestError

_ODD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")  # control bytes other than tab, newlines, form feed


# (BOM, codec), longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes UTF-8 could not decode (surrogateescape)
_BINARY = "this .txt file is not readable text (control or undecodable bytes); give the PDF or a plain-text export"


def decode_text(data: bytes) -> str:
    """Bytes of a text export to str; binary content is refused, not guessed at.

    A byte-order mark names the encoding (UTF-8, UTF-16, UTF-32); without one,
    ASCII text with a NUL byte in every other position is UTF-16. Otherwise
    the text is UTF-8, and a byte UTF-8 cannot decode is read as cp1252 on
    its own, so one stray byte costs one character, not the file; a file
    whose non-ASCII bytes are mostly not UTF-8 is cp1252 throughout.
    """
    bom, codec = next(((b, c) for b, c in _BOMS if data.startswith(b)), (b"", None))
    if codec == "utf-8":
        text = _utf8_with_cp1252_bytes(data[len(bom):])
    elif codec:
        text = _decode_strict(data[len(bom):], codec)
    elif (codec := _utf16_by_nul_pattern(data[:65536])):
        text = _decode_strict(data, codec)
    elif b"\x00" in data[:65536]:
        raise IngestError("this .txt file contains binary data (NUL bytes), not text; "
                          "give the PDF or a plain-text export", error="binary_text")
    else:
        text = _utf8_with_cp1252_bytes(data)
    head = text[:65536]
    odd = len(_ODD_CHARS.findall(head))
    if odd > 0.01 * max(1, len(head)):
        raise IngestError(_BINARY, error="binary_text")
    return text if text.isprintable() else strip_controls(text, keep_page_breaks=True)


def _decode_strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise IngestError(f"this .txt file says it is {codec.upper()} but is not valid {codec.upper()}; "
                          "give the PDF or a plain-text export", error="binary_text") from None


def _utf16_by_nul_pattern(sample: bytes) -> str | None:
    """'utf-16-le' or '-be' when NULs fill one byte of (nearly) every pair and
    never the other, as in UTF-16 of mostly-ASCII text; None otherwise."""
    pairs = len(sample) // 2
    if pairs < 16:
        return None
    even, odd = sample[0:pairs * 2:2].count(0), sample[1:pairs * 2:2].count(0)
    if odd >= 0.7 * pairs and even == 0:
        return "utf-16-le"
    if even >= 0.7 * pairs and odd == 0:
        return "utf-16-be"
    return None


def _utf8_with_cp1252_bytes(data: bytes) -> str:
    text = data.decode("utf-8", errors="surrogateescape")
    stray = sum(len(m) for m in _ESCAPED.findall(text))
    if not stray:
        return text.removeprefix("\ufeff")
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - stray
    if stray > valid:
        return data.decode("cp1252", errors="replace")
    return _ESCAPED.sub(lambda m: bytes(ord(c) - 0xDC00 for c in m.group()).decode("cp1252", errors="replace"),
                        text)


_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]?")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# the same for a whole text, keeping its form feeds and carriage returns
_CONTROLS_IN_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str, keep_page_breaks: bool = False) -> str:
    """Text without terminal escape sequences, control characters (tab and
    newline kept; form feed and carriage return too with `keep_page_breaks`)
    or bidirectional controls."""
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return (_CONTROLS_IN_TEXT if keep_page_breaks else _CONTROLS).sub("", text)
