"""Cut a Document into Sections: ratings summary, recommendations, contextual
facts, domain chapters and their standards, annexes. Footnotes are lifted out
of the body so that tables that run across a page break join up, and kept by
number so explanations can be found from the markers in the text.
"""
from __future__ import annotations

from typing import Any

import re
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline.core.document import Cell, Document, Footnote, Line, Page, Section, SegmentedReport
from pipeline.core.records import SectionKind
from pipeline.core import rules
from pipeline.core.patterns import load
from pipeline.segment.columns import rows_restored
from pipeline.segment.report_kind import check_youth_justice_report
from pipeline.core.text import footnote_markers, join_wrapped, strip_trailing_marker

# a value-first data row ('184 First-time ...', '32.5% Reoffending ...')
_VALUE_FIRST = re.compile(r"^\d[\d,]*(?:\.\d+)?%?\s+[A-Z]")
ANNEX_KINDS = {"annex_methodology", "annex_results", "annex_other"}
_HEADING_MAX = 90  # characters: a longer line is text, not a heading


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    h = load("headings")
    # one pattern, a named group per kind, in file order: an alternation
    # tries its branches in order, so the first kind that matches wins, as
    # testing the kinds one by one would, at one call per line
    major = re.compile("^(?:" + "|".join(rf"(?P<{kind}>{'|'.join(alts)})" for kind, alts in h["major"].items())
                       + ")$", re.I)
    return {
        "major": major,
        "domain": re.compile(rf"^{h['domain']}$", re.I),
        "standard": re.compile(rf"^{h['standard']}$", re.I),
        "rating": re.compile(h["rating_label"], re.I),
        "footnote": re.compile(rf"^{h['footnote_line']}"),
        "sentence_end": re.compile(h["note_sentence_end"]),
        "question_row": re.compile(h["question_row"]),
        "shape": re.compile("|".join(f"(?:{x})" for x in h["footnote_shapes"]), re.I),
    }


standard_names = rules.standard_names  # the name other stages and tests know


strip_marker = strip_trailing_marker  # the name other stages and tests know


# ---------------------------------------------------------------- footnotes

def split_footnotes(document: Document) -> tuple[list[Line], dict[int, Footnote]]:
    """Body lines (footnotes removed) and footnotes by number.

    A page's footnotes start at its footnote rule when the export kept one;
    otherwise at the first line numbered as the next footnote whose marker
    appears glued to a word earlier, with numbered lines to the page end.
    """
    rx = _compiled()
    body: list[Line] = []
    notes: dict[int, Footnote] = {}
    last = 0
    previous_body: list[str] = []
    for page in document.pages:
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


def _with_cells(page: Page, kept: list[str]) -> list[Line]:
    """The page's kept body lines as Lines, each line cut from a table row
    with that row's cells (footnote splitting works on the texts, so a row is
    found again by its text, in order)."""
    if not page.row_cells:
        return [Line(page.number, t) for t in kept]
    rows: dict[str, list[tuple[Cell, ...]]] = {}
    for index in sorted(page.row_cells):
        rows.setdefault(page.lines[index], []).append(page.row_cells[index])
    return [Line(page.number, t, rows[t].pop(0) if rows.get(t) else None) for t in kept]


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
    '6 Total current caseload in custody' does not). Its text runs on over
    following lines until a sentence ends."""
    rx = _compiled()
    kept: list[str] = []
    notes: dict[int, Footnote] = {}
    skip = 0
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
            if rx["shape"].search(note) or (n in footnote_markers(window) and rx["sentence_end"].search(note)):
                notes[n] = Footnote(n, note, page)
                last, skip = n, used + alone
                continue
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


# ---------------------------------------------------------------- sections

def classify_heading(text: str) -> tuple[str, dict[str, str]] | None:
    """Return (kind, info) if the line is a heading, else None."""
    if len(text.strip()) > _HEADING_MAX + 3:
        return None  # a marker is at most 3 digits: longer than any heading even without one
    rx = _compiled()
    clean = strip_marker(text)
    if not clean or len(clean) > _HEADING_MAX:
        return None
    m = rx["major"].match(clean)
    if m:
        return m.lastgroup or "", {}
    m = rx["domain"].match(clean)
    if m:
        return "domain", {"domain": m.group("n"), "name": m.group("name")}
    m = rx["standard"].match(clean)
    if m:
        code, name = m.group("code"), m.group("name").strip()
        canon = standard_names().get(code)
        if canon and max(fuzz.ratio(name.lower(), c) for c in canon) >= 85:
            return "standard", {"domain": code[0], "standard": code, "name": name}
        # a heading that wraps: '3.4. Out-of-court disposal' + 'policy and provision'
        if canon and max(fuzz.partial_ratio(name.lower(), c) for c in canon) >= 95 and len(name) >= 10:
            return "standard", {"domain": code[0], "standard": code, "name": name}
    return None


_STANDARD_CODE = re.compile(r"^[1-4]\.[1-4]\.?$")


def _row_heading(cells: tuple[Cell, ...]) -> tuple[str, dict[str, str]] | None:
    """A table row that opens a standard: its code in the first cell and the
    standard's name at the start of the next, with the description (and the
    rating) beside it, as annex result tables print a standard's row."""
    filled = [c.text.strip() for c in cells if c.text.strip()]
    if len(filled) < 2 or not _STANDARD_CODE.match(filled[0]):
        return None
    code = filled[0].rstrip(".")
    names = sorted(standard_names().get(code, ()), key=len, reverse=True)
    name = next((filled[1][:len(n)] for n in names if filled[1].lower().startswith(n)), None)
    return classify_heading(f"{code}. {name}") if name else None


def segment(document: Document) -> SegmentedReport:
    body, footnotes = split_footnotes(document)
    if document.format == "text":
        # a text tool may print a table column by column: its values go back to their rows first
        body = rows_restored(body, lambda text: classify_heading(text) is not None)
    sections: list[Section] = [Section(SectionKind.FRONT, "", [])]
    in_annex_results = False
    for line in body:
        heading = classify_heading(line.text) if line.text else None
        if heading is None and line.cells:
            heading = _row_heading(line.cells)
        current = sections[-1]
        if heading:
            kind, info = heading
            if current.kind == "ratings_summary" and kind in ("domain", "standard", "ratings_summary") \
                    and line.page - (current.page or line.page) <= 1:
                # the summary table lists domains and standards, and a bare
                # 'Overall rating' label (its rating on the next line) is a row
                heading = None
            elif kind in ANNEX_KINDS:
                in_annex_results = kind == "annex_results"
            elif in_annex_results and kind in ("domain", "standard"):
                kind = SectionKind.ANNEX_DOMAIN if kind == "domain" else SectionKind.ANNEX_STANDARD
            elif kind not in ("domain", "standard"):
                in_annex_results = False
        if heading:
            sections.append(Section(SectionKind(kind), strip_marker(line.text), [line],
                                    domain=info.get("domain"), standard=info.get("standard")))
        else:
            current.lines.append(line)
    sections = _mark_summary_domains([s for s in sections if s.lines])
    check_youth_justice_report(sections, document)
    return SegmentedReport(document=document, sections=sections, footnotes=footnotes)


def _mark_summary_domains(sections: list[Section]) -> list[Section]:
    """A domain heading with no standard under it is a sub-heading of the
    executive summary, not a chapter."""
    for i, section in enumerate(sections):
        if section.kind != "domain":
            continue
        following = next((s for s in sections[i + 1:] if s.kind not in ("front",)), None)
        if not (following and following.kind == "standard" and following.domain == section.domain):
            section.kind = SectionKind.SUMMARY_DOMAIN
    return sections
