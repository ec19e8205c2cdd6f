"""A web page's bytes to lxml's tree: decoded as browsers decode it
(page_encoding.py), refused when nested past what the parser can hold, and
a parse that stopped early said so (lxml stops without raising at a text
or attribute over its 10 MB limit, and what follows is lost)."""
from __future__ import annotations

from typing import Any

from pipeline.core.errors import IngestError
from pipeline.core.limits import MAX_HTML_TAGS
from pipeline.core.records import FindingKind, Note
from pipeline.ingest.page_encoding import page_text

Element = Any  # an lxml.html element (lxml has no type hints)


def parse_page(data: bytes) -> tuple[Element, list[Note]]:
    """The page's tree, and a `truncated_parse` note when the parser stopped
    before the end."""
    import lxml.html  # imported when a web page comes

    tags = data.count(b"<")
    if tags > MAX_HTML_TAGS:
        raise IngestError(f"this web page has {tags:,} tags, over the {MAX_HTML_TAGS:,} limit (a report page has "
                          "some 20,000); refused", error="too_many_tags")
    encoded = page_text(data).encode("utf-8")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        document = lxml.html.document_fromstring(encoded, parser=parser)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise IngestError(f"this web page could not be parsed ({exc})", error="bad_html") from None
    if any("depth" in entry.message.lower() for entry in parser.error_log):
        raise IngestError("this web page nests its elements over 256 deep, which no report does; refused "
                          "(it could not be read whole)", error="nested_too_deep")
    stop = next((e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"
                 or "limit exceeded" in e.message.lower()), None)
    if stop is None:
        return document, []
    offset = line_offset(encoded, stop.line) + max(0, stop.column - 1)
    detail = (f"the web page's parser stopped at byte {offset:,} of {len(encoded):,} (line {stop.line}: a text or "
              "attribute there is over the parser's 10 MB limit); nothing after it was read")
    return document, [Note(FindingKind.TRUNCATED_PARSE, detail, None)]


def line_offset(data: bytes, line: int) -> int:
    """The byte offset where 1-based `line` starts."""
    at = 0
    for _ in range(max(0, line - 1)):
        found = data.find(b"\n", at)
        if found < 0:
            return len(data)
        at = found + 1
    return at
