"""A web page's bytes to text, the way browsers decide the encoding (the
WHATWG encoding sniffing, cut to what saved pages need):

1. a byte-order mark wins (UTF-8, UTF-16 LE or BE: Word's "Unicode" web
   page is UTF-16 with a BOM);
2. else a <meta charset> or <meta http-equiv="Content-Type"> in the first
   1,024 bytes, if it names an encoding browsers support: a UTF-16 label
   there means UTF-8 (the bytes could not have been read to find it
   otherwise), and one browsers do not support (UTF-7) is ignored;
3. else UTF-8 if the bytes are UTF-8, else windows-1252.
"""
from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
PRESCAN_BYTES = 1024
_META = re.compile(rb"<meta\b[^>]*>", re.I)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
# the encodings browsers support, by Python's name for them; iso-8859-1 and
# ascii labels mean windows-1252 to a browser
_WHATWG = {"utf-8", "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
           "cp874", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7",
           "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u",
           "mac-roman", "gbk", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr"}
_AS_1252 = {"iso8859-1", "ascii", "latin-1"}


def page_encoding(data: bytes) -> tuple[str, int]:
    """(Python codec, bytes of BOM to skip) for a web page's bytes."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    declared = declared_encoding(data[:PRESCAN_BYTES])
    if declared:
        return declared, 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252", 0
    return "utf-8", 0


def declared_encoding(head: bytes) -> str | None:
    """The encoding the page's first <meta> naming a supported one declares
    (a label browsers do not know is passed over, as they pass it over)."""
    for meta in _META.finditer(head):
        m = _CHARSET.search(meta.group())
        if not m:
            continue
        label = m.group(1).decode("ascii", errors="ignore").lower()
        if label.startswith(("utf-16", "utf16", "unicode")):
            return "utf-8"
        if label == "x-user-defined":
            return "cp1252"
        try:
            name = codecs.lookup(label).name
        except LookupError:
            continue
        if name in _AS_1252:
            return "cp1252"
        if name in _WHATWG:
            return name
    return None


def page_text(data: bytes) -> str:
    """The page's text, decoded as a browser decodes it (a byte the encoding
    cannot decode costs one character)."""
    codec, skip = page_encoding(data)
    return data[skip:].decode(codec, errors="replace")
