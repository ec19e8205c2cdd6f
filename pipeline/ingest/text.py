"""Pages of text into a Document's pages (text exports, and the PDF reader's lines).

Text exports mark a new page with a form feed or, in the exports we receive,
with a single leading space on the page's first line. Lines are normalised
(quotes, dashes, ligatures, spaces) and running headers/footers are removed,
keeping the printed page number on the Page.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from pipeline.core.document import Cell
from pipeline.core.patterns import load
from pipeline.ingest.decode import strip_controls
from pipeline.ingest.furniture import running_texts
from pipeline.ingest.raw import TextPage

_PAGE_START = re.compile(r"^ (?=\S)")


def split_text_pages(text: str) -> list[list[str]]:
    """Form feeds when present; otherwise a line starting with exactly one
    space opens a new page (that space is layout, not content). A text with
    neither (pypdf's, a viewer's copy) is cut at its running lines that
    print page numbers counting up one by one (the page marks such a text has)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        return [chunk.split("\n") for chunk in text.split("\f")]
    lines = text.split("\n")
    numbered = _page_sequence([(i, n) for i, line in enumerate(lines) if (n := _printed_page(line)) is not None])
    if len(numbered) >= 3:
        return _split_at_running_lines(lines, numbered)
    footers = _page_sequence(_numbers_under_running_lines(lines))
    if len(footers) >= 3:  # pdfminer's text with its form feeds taken out (markitdown's of a PDF)
        return _split_after(lines, set(footers))
    pages: list[list[str]] = [[]]
    for line in lines:
        starts_page = bool(_PAGE_START.match(line))
        if starts_page and any(ln.strip() for ln in pages[-1]):
            pages.append([])
        pages[-1].append(line[1:] if starts_page else line)
    return pages if _plausible_pages(pages) else [lines]


_TINY_PAGE = 3  # non-blank lines: fewer, and a "page" is a table's cell that a tool indented


_BARE_PAGE = re.compile(r"^\s*(\d{1,3})\s*$")


def _numbers_under_running_lines(lines: list[str]) -> list[tuple[int, int]]:
    """(index, number) of the numbers alone on their line whose nearest line
    above (blank lines skipped, at most two) is a running line: a footer that
    prints the page number under the report's title."""
    found = []
    for i, line in enumerate(lines):
        m = _BARE_PAGE.match(line)
        if m is None:
            continue
        above = [k for k in range(max(0, i - 3), i) if lines[k].strip()]
        if above and running_line(normalise_line(lines[above[-1]])) is not None:
            found.append((i, int(m.group(1))))
    return found


def _split_after(lines: list[str], ends: set[int]) -> list[list[str]]:
    """Pages cut after each line of `ends`."""
    pages: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        pages[-1].append(line)
        if i in ends:
            pages.append([])
    return pages


def _plausible_pages(pages: list[list[str]]) -> bool:
    """Pages cut at lines opening with one space are the export's pages only
    if hardly any is tiny: a tool that indents a table's cells by one space
    (pypdf's ' Number' under 'Relevant cases') would cut pages of a line or two."""
    tiny = sum(1 for page in pages[:-1] if sum(1 for ln in page if ln.strip()) < _TINY_PAGE)
    return tiny <= max(1, len(pages) // 10)


def _printed_page(line: str) -> int | None:
    """The page number a running line prints, if the line is one."""
    bare = line.strip()
    if not (bare[-1:].isdigit() or bare[:1].isdigit()):
        return None  # cheap test first (a page number ends or starts the line): runs on every line
    m = running_line(normalise_line(line))
    return int(m.group("page")) if m and m.groupdict().get("page") else None


def _page_sequence(found: list[tuple[int, int]]) -> list[int]:
    """Indexes of the running lines whose page numbers count up from the
    first, one by one (or skipping one page whose running line merged with
    other text); a running line quoted in the text, out of sequence, is not
    a page mark."""
    kept: list[int] = []
    expected = None
    for index, number in found:
        if expected is None or expected <= number <= expected + 1:
            kept.append(index)
            expected = number + 1
    return kept


def _split_at_running_lines(lines: list[str], numbered: list[int]) -> list[list[str]]:
    """Cut before each numbered running line (and the running line just above
    it) when the tool prints them at page tops, else after it (and the
    running line just below it)."""
    at_top = numbered[0] <= len(lines) - 1 - numbered[-1]
    is_running = [running_line(normalise_line(ln)) is not None for ln in lines]
    cuts = set()
    for i in numbered:
        if at_top:
            cuts.add(i - 1 if i > 0 and is_running[i - 1] else i)
        else:
            cuts.add(i + 2 if i + 1 < len(lines) and is_running[i + 1] else i + 1)
    pages: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if i in cuts and any(ln.strip() for ln in pages[-1]):
            pages.append([])
        pages[-1].append(line)
    return pages


@lru_cache(maxsize=1)
def _running_lines() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in load("layout")["running_lines"]]


@lru_cache(maxsize=1)
def _any_running_line() -> re.Pattern[str]:
    """All the running-line patterns in one (groups made plain): one test per
    line, the patterns themselves only for the few lines it passes."""
    return re.compile("|".join(f"(?:{re.sub(r'[(][?]P<[A-Za-z_]+>', '(?:', p)})"
                               for p in load("layout")["running_lines"]))


def running_line(line: str) -> re.Match[str] | None:
    """The running-line pattern's match for a normalised line, if it is one."""
    if not _any_running_line().match(line):
        return None
    return next((m for m in (r.match(line) for r in _running_lines()) if m), None)


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    return {ord(k): v for k, v in load("layout")["characters"].items()}


_BLANKS = re.compile(r"[ \t]+")


@lru_cache(maxsize=1)
def _maps_ascii() -> bool:
    return any(code < 128 for code in _char_table())


# what a report's text never legitimately holds, and a terminal, an editor or
# a browser would act on: escape sequences (CSI "ESC [ ... m", OSC "ESC ] ...
# BEL"), then any control character left (C0 but tab, DEL, C1) and the
# bidirectional controls (embeddings, overrides, isolates, marks) that can
# make text read in another order than it is stored


def normalise_line(line: str) -> str:
    # isprintable() is False for any control or format character: the common
    # line skips the search for them
    if not line.isprintable():
        line = strip_controls(line)
    # the character table maps only non-ASCII characters, and most lines
    # have no run of blanks: both tests are far cheaper than the work they skip
    if not line.isascii() or _maps_ascii():
        line = line.translate(_char_table())
        if not line.isascii():
            line = line.translate(_SUPERSCRIPTS)  # a footnote marker as a converter's plain text prints it
    if "  " in line or "\t" in line:
        line = _BLANKS.sub(" ", line)
    if "[" in line:
        # a web page's footnote reference '[10]' ('[footnote 10]') is the marker a PDF prints glued
        line = _BRACKET_MARKER.sub(r"\1", line)
    if "^" in line:  # pandoc's plain text 'YOS^(10)', 'YOS^([10])'; MultiMarkdown's 'YOS^10^'
        line = _CARET_MARKER.sub(lambda m: m.group(1) or m.group(2), line)
    if "Back to top" in line:
        line = _BACK_TO_TOP.sub("", line)  # a web page's link, printed with the page
    return line.strip()


_SUPERSCRIPTS = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789")
_CARET_MARKER = re.compile(r"(?<=\S)\^(?:\((\d{1,3})\)|(\d{1,3})\^)")
# "[10]", and GOV.UK's accessible "[footnote 10]"
_BRACKET_MARKER = re.compile(r"(?<=\S) ?\[(?:[Ff]ootnote\s+)?(\d{1,3})\](?=[\s.,;:)]|$)")
_BACK_TO_TOP = re.compile(r"\(?\s*Back to top\s*\)?", re.I)


def clean_pages(raw_pages: list[list[str]],
                tables: list[dict[int, tuple[int, tuple[Cell, ...]]]] | None = None) -> list[TextPage]:
    """Normalise lines, drop running headers/footers (by pattern, and any line
    that repeats at the top or bottom of many pages once digits are masked),
    and keep the printed page numbers.

    `tables` (from the PDF reader): for each page, raw line index -> (table
    number on the page, the cells of the table row that line is). Those
    lines keep their cells and their table's number; a text export's
    tab-separated rows get their cells from the tabs."""
    layout = load("layout")
    # escapes and bidi controls go first, before any test of a raw line (a PDF's lines come here raw)
    raw_pages = [[ln if ln.isprintable() else strip_controls(ln) for ln in lines] for lines in raw_pages]
    raw_pages = [_join_soft_hyphen_breaks(lines) for lines in raw_pages]
    rules = [_footnote_rule(lines) for lines in raw_pages]
    normalised = [[normalise_line(ln) for ln in lines] for lines in raw_pages]
    threshold = max(layout["min_pages_for_repeated_line"], len(normalised) // 3)
    repeated = _repeated_edges(normalised, threshold)
    numbers = _bare_page_numbers(normalised, threshold)
    counted = _counted_furniture(normalised)
    pages = []
    for i, lines in enumerate(normalised, start=1):
        edges = set(_edge_lines(lines))
        page = TextPage(number=i, lines=[])
        drawn = tables[i - 1] if tables is not None else None
        for index, line in enumerate(lines):
            if index == rules[i - 1]:
                page.footnote_rule = len(page.lines)
            match = running_line(line)
            alone = numbers.get(i) == index  # a page number alone on its line (pdfminer), counting up
            if alone or match or (line in edges and _mask(line) in repeated) or (i, index) in counted:
                # the page's own number is in its header or footer; a running
                # line quoted in the body prints another page's number
                if alone:
                    page.printed_number = int(line)
                elif match and match.groupdict().get("page") and (page.printed_number is None or line in edges):
                    page.printed_number = int(match.group("page"))
                page.running.append(line)
                continue
            row = drawn.get(index) if drawn else None
            cells = tuple(replace(c, text=normalise_line(c.text)) for c in row[1]) if row \
                else tab_cells(raw_pages[i - 1][index])
            if cells:
                page.row_cells[len(page.lines)] = cells
            if row:
                page.row_tables[len(page.lines)] = row[0]
            page.lines.append(line)
        pages.append(page)
    return pages


def _counted_furniture(pages: list[list[str]]) -> set[tuple[int, int]]:
    """(page, line index) of the lines that repeat with a number counting up
    (ingest.furniture): running lines wherever they stand, in a text with no
    page marks too."""
    where = [(number, index) for number, lines in enumerate(pages, start=1) for index in range(len(lines))]
    found = running_texts([line for lines in pages for line in lines])
    return {where[k] for k in found}


_WORDS = re.compile(r"[A-Za-z]{3,}")


def tab_cells(raw_line: str) -> tuple[Cell, ...] | None:
    """The cells of a table row exported as tab-separated text (a Word
    document's text, a spreadsheet copy): two or more filled cells."""
    if "\t" not in raw_line:
        return None
    cells: list[Cell] = []
    for part in raw_line.split("\t"):
        text = normalise_line(part)
        if cells and cells[-1].text == text and _WORDS.search(text):
            # a merged cell is exported once for each column it spans (two
            # equal values side by side, '8' and '8', are two cells)
            cells[-1] = Cell(text, col_span=cells[-1].col_span + 1)
        else:
            cells.append(Cell(text))
    return tuple(cells) if sum(1 for c in cells if c.text) >= 2 else None


def _join_soft_hyphen_breaks(lines: list[str]) -> list[str]:
    """A word broken at a line end by a soft hyphen ('assess\u00ad' / 'ment of')
    is put back together on the first line ('assessment' / 'of'); the soft
    hyphen is not printed, so it never becomes a hyphen or a space."""
    out = list(lines)
    for i in range(len(out) - 1):
        head = out[i].rstrip()
        if head.endswith("\u00ad") and out[i + 1].strip():
            tail, _, rest = out[i + 1].lstrip().partition(" ")
            out[i], out[i + 1] = head[:-1] + tail, rest
    return out


def _footnote_rule(lines: list[str]) -> int | None:
    """Index of the last footnote separator on a raw page: text exports print
    it as a long run of spaces or underscores on its own line."""
    found = None
    for index, line in enumerate(lines):
        if len(line) >= 20 and not line.strip().strip("_"):  # blank, or underscores only
            found = index
    return found


def _mask(line: str) -> str:
    return _DIGITS.sub("#", line)


_DIGITS = re.compile(r"\d+")


def _repeated_edges(pages: list[list[str]], threshold: int) -> set[str]:
    """Lines (digits masked) repeated at the top or bottom of at least
    `threshold` pages: running lines. Repeated table headers mid-page are
    content, so only page edges count."""
    edge_counts: Counter[str] = Counter()
    for lines in pages:
        edge_counts.update({_mask(ln) for ln in _edge_lines(lines) if 8 <= len(ln) <= 120})
    return {m for m, c in edge_counts.items() if c >= threshold and "#" in m}


_BARE_NUMBER = re.compile(r"^\d{1,3}$")


def _bare_page_numbers(pages: list[list[str]], threshold: int) -> dict[int, int]:
    """Page (1-based) -> index of its page number printed alone on a line
    at the page's top or bottom. A number is taken as the page number only
    when the numbers so placed count up with the pages (on at least
    `threshold` pages, each number above the last by at least one and at
    most the pages between them and two: a page with no number, or two
    printed pages in one, do not break the count): a lone figure at a
    page's edge is otherwise a value."""
    found: dict[int, list[tuple[int, int]]] = {}  # page -> (line index, number)
    for number, lines in enumerate(pages, start=1):
        content = [k for k, ln in enumerate(lines) if ln]
        for k in content[:2] + content[-2:]:
            if _BARE_NUMBER.match(lines[k]):
                found.setdefault(number, []).append((k, int(lines[k])))
    if len(found) < threshold:
        return {}
    chain = _rising_chain(found)
    return chain if len(chain) >= threshold else {}


_CHAIN_STARTS = 20  # pages a count may start on (a report's first pages; bounds the work on a long PDF)


def _rising_chain(found: dict[int, list[tuple[int, int]]]) -> dict[int, int]:
    """The longest run of pages whose edge numbers count up with them."""
    order = sorted(found)
    best: dict[int, int] = {}
    for start, first in enumerate(order[:_CHAIN_STARTS]):
        if len(order) - start <= len(best):
            break
        for k, n in found[first]:
            chain, last_page, last = {first: k}, first, n
            for page in order[start + 1:]:
                fits = [(m, j) for j, m in found[page] if last < m <= last + (page - last_page) + 2]
                if fits:
                    m, j = min(fits)
                    chain[page], last_page, last = j, page, m
            if len(chain) > len(best):
                best = chain
    return best


def _edge_lines(lines: list[str], depth: int = 2) -> list[str]:
    content = [ln for ln in lines if ln]
    return content[:depth] + content[-depth:]
