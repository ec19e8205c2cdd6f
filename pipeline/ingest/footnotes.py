"""Footnotes of a paged text (a text export, a PDF's text), lifted out of
the body so that tables running across a page break join up, and kept by
number so that explanations can be found from the markers in the text.

A page's footnotes start at its footnote rule when the export kept one;
otherwise at the first line numbered as the next footnote whose marker
appears glued to a word earlier, with numbered lines to the page end; and a
note may stand among body lines where no rule or page break marks it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipeline.core.document import Footnote
from pipeline.core.headings import classify_heading
from pipeline.core.patterns import load
from pipeline.core.text import footnote_markers, join_wrapped
from pipeline.ingest.raw import RawLine, TextPage

# a value-first data row ('184 First-time ...', '32.5% Reoffending ...')
_VALUE_FIRST = re.compile(r"^\d[\d,]*(?:\.\d+)?%?\s+[A-Z]")


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    h = load("headings")
    return {
        "footnote": re.compile(rf"^{h['footnote_line']}"),
        "sentence_end": re.compile(h["note_sentence_end"]),
        "question_row": re.compile(h["question_row"]),
        "shape": re.compile("|".join(f"(?:{x})" for x in h["footnote_shapes"]), re.I),
    }


def split_footnotes(pages: list[TextPage]) -> tuple[list[RawLine], dict[int, Footnote]]:
    """Body lines (footnotes removed) and footnotes by number."""
    rx = _compiled()
    body: list[RawLine] = []
    notes: dict[int, Footnote] = {}
    last = 0
    previous_body: list[str] = []
    for page in pages:
        lines = page.lines
        start = page.footnote_rule
        # notes standing among the body lines above the rule (or on a page without one)
        head, shaped, last = _inline_footnotes(lines[:start], last, page.number)
        notes.update(shaped)
        if shaped:
            lines = head + lines[start:] if start is not None else head
            start = len(head) if start is not None else None
        if start is None:
            # a marker may sit on the page before its note (the note spills over)
            start = _unruled_footnote_start(lines, last, previous_body)
        if start is not None:
            tail = lines[start:]
            current: Footnote | None = None
            resumed: list[str] = []  # body text printed below the footnotes
            for offset, text in enumerate(tail):
                m = rx["footnote"].match(text)
                number = int(m.group("n")) if m else None
                in_sequence = number is not None and \
                    (current.number if current else last) < number <= max(last, current.number if current else 0) + 6
                if in_sequence and m and number is not None:
                    current = Footnote(number, text[m.end():].strip(), page.number)
                    notes[current.number] = current
                    last = max(last, current.number)
                elif current and (_VALUE_FIRST.match(text) or rx["question_row"].search(text)
                                  or classify_heading(text)):
                    # '184 First-time entrant rate ...' or a heading cannot be a note: body resumes
                    resumed = tail[offset:]
                    break
                elif current and text:
                    current.text = join_wrapped([current.text, text])
            if current is None and page.footnote_rule is not None:
                # a rule with no numbered note under it: keep the text as body
                start = len(lines)
                lines = lines + tail
            lines = lines[:start] + resumed
        body.extend(_with_cells(page, lines))
        previous_body = lines
    return body, notes


def _with_cells(page: TextPage, kept: list[str]) -> list[RawLine]:
    """The page's kept body lines, each line cut from a table row with that
    row's cells and table, and each with its box (footnote splitting works
    on the texts, so a line is found again by its text, in order)."""
    if not page.row_cells and not page.boxes:
        return [RawLine(page.number, t) for t in kept]
    found: dict[str, list[int]] = {}
    for index, text in enumerate(page.lines):
        found.setdefault(text, []).append(index)
    out = []
    for text in kept:
        indexes = found.get(text)
        if not indexes:  # a line the splitting made (a note's resumed body): no cells, no box
            out.append(RawLine(page.number, text))
            continue
        index = indexes.pop(0)
        out.append(RawLine(page.number, text, page.row_cells.get(index), page.row_tables.get(index),
                           page.boxes.get(index)))
    return out


def _number_alone(text: str) -> bool:
    """A number of one to three digits alone on its line (string tests: this runs on every body line)."""
    bare = text.strip()
    return bare.isdigit() and len(bare) <= 3 and bare.isascii()


_MARKER_WINDOW = 80  # lines above a note where its glued marker must appear


def _inline_footnotes(lines: list[str], last: int, page: int) -> tuple[list[str], dict[int, Footnote], int]:
    """Footnotes standing among body lines, where no rule or page break
    marks them (a text with no page marks, a PDF without a footnote rule).
    A line '<n> <text>' is a note when n follows the last note (by at most
    two) and either the text has a footnote's shape (a citation, a data
    source, a URL), or its marker n is glued to a word in the lines above
    and the text reads as a sentence (a value-first fact row such as
    '6 Total current caseload in custody' does not); a sentence numbered as
    the next note right under a note is one too (its marker may be printed
    apart from its word). Its text runs on over
    following lines until a sentence ends."""
    rx = _compiled()
    kept: list[str] = []
    notes: dict[int, Footnote] = {}
    skip = 0
    after_note = False  # the line follows a note's last line: notes come in runs
    for index, text in enumerate(lines):
        if skip:
            skip -= 1
            continue
        m = rx["footnote"].match(text)
        n = int(m.group("n")) if m else None
        # a note's number on a line of its own, its text on the next (LibreOffice's PDFs through pdftotext -raw)
        alone = m is None and _number_alone(text) and index + 1 < len(lines) \
            and rx["footnote"].match(f"{text.strip()} {lines[index + 1].strip()}") is not None
        n = int(text) if alone else n
        if n is not None and last < n <= last + 2:
            rest = lines[index + 1].strip() if alone else text[m.end():].strip() if m else ""
            note, used = _note_text(rest, lines[index + 1 + alone:])
            window = "\n".join(lines[max(0, index - _MARKER_WINDOW):index])
            marked = n in footnote_markers(window) or (after_note and n == last + 1)
            if rx["shape"].search(note) or (marked and rx["sentence_end"].search(note)):
                notes[n] = Footnote(n, note, page)
                last, skip, after_note = n, used + alone, True
                continue
        after_note = False
        kept.append(text)
    return kept, notes, last


def _note_text(first: str, following: list[str], most: int = 6) -> tuple[str, int]:
    """A note's text from its first line, run on over the following lines
    until a sentence ends (at most `most` lines; never into a blank line, a
    heading or a value-first row); and how many lines it took."""
    rx = _compiled()
    text, used = first, 0
    for line in following[:most]:
        if rx["sentence_end"].search(text) or not line.strip() or _VALUE_FIRST.match(line) \
                or rx["question_row"].search(line) or classify_heading(line) is not None \
                or rx["footnote"].match(line) or _number_alone(line):
            break
        text, used = join_wrapped([text, line]), used + 1
    return text, used


def _unruled_footnote_start(lines: list[str], last: int, previous_body: list[str]) -> int | None:
    """The first line of a page's footnotes where no rule marks them: a line
    numbered as the next note, whose marker is glued to a word on this page
    or the page before, with every later numbered line in sequence."""
    rx = _compiled()
    markers: set[int] | None = None  # read only once a candidate line is seen: most pages have none
    for index, text in enumerate(lines):
        m = rx["footnote"].match(text)
        if not m:
            continue
        n = int(m.group("n"))
        if not (last < n <= last + 6):
            continue
        if markers is None:
            markers = set(footnote_markers("\n".join(previous_body + lines)))
        if n not in markers:
            continue
        # every later numbered line must continue the sequence
        expected = n
        ok = True
        for later in lines[index + 1:]:
            lm = rx["footnote"].match(later)
            if lm:
                if int(lm.group("n")) != expected + 1:
                    ok = False
                    break
                expected += 1
        if ok:
            return index
    return None


