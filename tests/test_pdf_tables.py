"""Tables recovered from a PDF page's drawing (pdf_tables.py + pdf.py):
ruled and shaded tables drawn with fpdf2 here, read back as rows of cells."""
from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from pipeline.core.document import BlockKind
from pipeline.ingest.pdf import read_pdf, read_pdf_pages
from pipeline.ingest.pdf_tables import find_tables
from pipeline.ingest.read import read_document

LEFT, WIDTH, PAD, LEAD, SIZE = 56.0, 420.0, 3.0, 13.0, 10.0
HEADER_FILL = (220, 228, 240)
RATING_FILL = (255, 192, 0)


class Drawing:
    """A page with ruled rows: each row's cells wrapped in their column,
    drawn as stroked (optionally filled) rectangles; values centred."""

    def __init__(self) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.add_page()
        self.pdf.set_font("Helvetica", size=SIZE)
        self.pdf.set_line_width(0.5)
        self.y = 80.0

    def text(self, line: str) -> None:
        self.pdf.text(LEFT, self.y + SIZE, line)
        self.y += LEAD + 4

    def row(self, cells: list[tuple[str, float]], fill: tuple[int, int, int] | None = None,
            fills: dict[int, tuple[int, int, int]] | None = None, lines: bool = True) -> None:
        wrapped = [self._wrap(text, width - 2 * PAD) for text, width in cells]
        height = max(len(w) for w in wrapped) * LEAD + 2 * PAD
        x = LEFT
        for index, ((_, width), parts) in enumerate(zip(cells, wrapped, strict=True)):
            colour = (fills or {}).get(index, fill)
            if colour:
                self.pdf.set_fill_color(*colour)
            style = ("DF" if colour else "D") if lines else "F"
            if colour or lines:
                self.pdf.rect(x, self.y, width, height, style=style)
            first = self.y + PAD + SIZE + (height - 2 * PAD - len(parts) * LEAD) / 2  # centred vertically
            for i, part in enumerate(parts):
                self.pdf.text(x + PAD, first + i * LEAD, part)
            x += width
        self.y += height

    def _wrap(self, text: str, width: float) -> list[str]:
        out, current = [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if current and self.pdf.get_string_width(trial) > width:
                out.append(current)
                current = word
            else:
                current = trial
        return out + [current]

    def save(self, path: Path) -> Path:
        self.pdf.output(str(path))
        return path


QUESTION = ("Does the implementation and delivery of services effectively support the safety of the child "
            "and keep them safe?")


def _tables(path: Path) -> list[list[tuple]]:
    """Each table's rows on page 1, as tuples of (text, header, shaded)."""
    page = read_pdf(path)[0]
    tables: dict[int, list[tuple]] = {}
    for number, cells in page.rows.values():
        tables.setdefault(number, []).append(tuple((c.text, c.header, c.shaded) for c in cells))
    return [tables[n] for n in sorted(tables)]


def test_wrapped_question_and_centred_value_are_one_row(tmp_path: Path) -> None:
    d = Drawing()
    d.text("Our rating for implementation is based on the following key questions:")
    d.row([("", 340.0), ("% yes", 80.0)], fill=HEADER_FILL)
    d.row([(QUESTION, 200.0 + 140.0), ("62%", 80.0)])
    d.row([("Does it keep other people safe?", 340.0), ("71%", 80.0)])
    d.text("The text after the table.")
    path = d.save(tmp_path / "kq.pdf")
    assert len(Drawing()._wrap(QUESTION, 340 - 2 * PAD)) >= 2
    [table] = _tables(path)
    texts = [[cell[0] for cell in row] for row in table]
    assert texts == [["", "% yes"], [QUESTION, "62%"], ["Does it keep other people safe?", "71%"]]
    assert all(cell[1] and cell[2] for cell in table[0])  # the shaded header row
    assert not any(cell[1] or cell[2] for row in table[1:] for cell in row)
    lines = read_pdf_pages(path)[0]
    assert lines[0].startswith("Our rating") and lines[-1] == "The text after the table."
    assert f"{QUESTION} 62%" in lines


def test_three_line_question_in_a_narrow_cell(tmp_path: Path) -> None:
    d = Drawing()
    d.row([("Does assessment sufficiently analyse how to keep the child safe?", 150.0), ("62%", 60.0)])
    d.row([("Does assessment sufficiently analyse how to keep other people safe?", 150.0), ("48%", 60.0)])
    path = d.save(tmp_path / "narrow.pdf")
    assert len(Drawing()._wrap("Does assessment sufficiently analyse how to keep the child safe?", 144)) == 3
    [table] = _tables(path)
    assert [[c[0] for c in row] for row in table] == [
        ["Does assessment sufficiently analyse how to keep the child safe?", "62%"],
        ["Does assessment sufficiently analyse how to keep other people safe?", "48%"]]


def test_count_table_columns_in_printed_order_with_their_headers(tmp_path: Path) -> None:
    d = Drawing()
    d.row([("Of the 9 cases inspected:", 260.0), ("Number 'Yes'", 80.0), ("Relevant cases", 80.0)],
          fill=HEADER_FILL)
    d.row([("Does planning focus on keeping the child safe?", 260.0), ("5", 80.0), ("7", 80.0)])
    d.row([("Does planning focus on keeping other people safe?", 260.0), ("3", 80.0), ("8", 80.0)])
    path = d.save(tmp_path / "counts.pdf")
    [table] = _tables(path)
    assert table[0] == (("Of the 9 cases inspected:", True, True), ("Number 'Yes'", True, True),
                        ("Relevant cases", True, True))
    assert [[c[0] for c in row] for row in table[1:]] == [
        ["Does planning focus on keeping the child safe?", "5", "7"],
        ["Does planning focus on keeping other people safe?", "3", "8"]]


def test_header_words_mark_an_unshaded_header_row(tmp_path: Path) -> None:
    d = Drawing()
    d.row([("Question", 260.0), ("Relevant cases", 80.0), ("Number 'Yes'", 80.0)])
    d.row([("Does reviewing keep the child safe?", 260.0), ("6", 80.0), ("4", 80.0)])
    [table] = _tables(d.save(tmp_path / "words.pdf"))
    assert [c[1] for c in table[0]] == [True, True, True]  # a row of header words with no value
    assert [c[1] for c in table[1]] == [False, False, False]


def test_requires_improvement_wrapped_in_a_narrow_shaded_cell(tmp_path: Path) -> None:
    d = Drawing()
    d.row([("1.1 Governance and leadership", 300.0), ("Requires improvement", 62.0)], fills={1: RATING_FILL})
    d.row([("1.2 Staff", 300.0), ("Good", 62.0)], fills={1: (146, 208, 80)})
    path = d.save(tmp_path / "ratings.pdf")
    assert len(Drawing()._wrap("Requires improvement", 62 - 2 * PAD)) == 2
    [table] = _tables(path)
    assert table == [(("1.1 Governance and leadership", False, False), ("Requires improvement", False, True)),
                     (("1.2 Staff", False, False), ("Good", False, True))]


def test_a_row_of_filled_cells_without_lines_is_a_table(tmp_path: Path) -> None:
    d = Drawing()
    d.text("The score is printed in a box of two shaded cells:")
    d.row([("Score", 200.0), ("19/36", 100.0)], fills={0: HEADER_FILL, 1: RATING_FILL}, lines=False)
    [table] = _tables(d.save(tmp_path / "filled.pdf"))
    # shaded, in two colours (a rating box, not a header band)
    assert table == [(("Score", False, True), ("19/36", False, True))]


def test_spans_are_kept(tmp_path: Path) -> None:
    d = Drawing()
    d.row([("2. Court disposals", 420.0)], fill=HEADER_FILL)
    d.row([("2.1 Assessment", 340.0), ("Good", 80.0)])
    path = d.save(tmp_path / "spans.pdf")
    page = read_pdf(path)[0]
    rows = [cells for _, cells in page.rows.values()]
    assert [(c.text, c.col_span, c.header) for c in rows[0]] == [("2. Court disposals", 2, True)]
    assert [(c.text, c.col_span) for c in rows[1]] == [("2.1 Assessment", 1), ("Good", 1)]


def test_a_footnote_rule_and_a_lone_box_are_no_table(tmp_path: Path) -> None:
    d = Drawing()
    d.text("Body text with a note.1")
    d.row([("A boxed paragraph on its own, which is one cell and so no table.", 420.0)])
    d.pdf.line(LEFT, 700, LEFT + 144, 700)
    d.pdf.text(LEFT, 712, "1 The footnote.")
    path = d.save(tmp_path / "rule.pdf")
    page = read_pdf(path)[0]
    assert page.rows == {} and page.tables == []
    assert page.lines == ["Body text with a note.1", "A boxed paragraph on its own, which is one cell and so no table.",
                          "_" * 20, "1 The footnote."]


def test_document_blocks_of_a_pdf_page(tmp_path: Path) -> None:
    d = Drawing()
    d.pdf.set_font_size(8)
    d.pdf.text(LEFT, 40, "Inspection of youth offending services: Testshire YOS")
    d.pdf.set_font_size(SIZE)
    d.text("Our rating for planning is based on the following key questions:")
    d.row([("", 340.0), ("% yes", 80.0)], fill=HEADER_FILL)
    d.row([(QUESTION, 340.0), ("62%", 80.0)])
    d.pdf.line(LEFT, 700, LEFT + 144, 700)
    d.pdf.text(LEFT, 712, "1 The footnote.")
    path = d.save(tmp_path / "blocks.pdf")
    page = read_document(path).pages[0]
    kinds = [b.kind for b in page.blocks]
    assert kinds == [BlockKind.RUNNING, BlockKind.PARAGRAPH, BlockKind.TABLE, BlockKind.FOOTNOTE]
    table = page.blocks[2].table
    assert table is not None and [c.text for c in table.rows[1]] == [QUESTION, "62%"]
    assert page.blocks[3].number == 1 and page.blocks[3].text == "The footnote."
    row_line = page.lines.index(f"{QUESTION} 62%")
    assert [c.text for c in page.row_cells[row_line]] == [QUESTION, "62%"]


@pytest.mark.parametrize("paths", [[], [(0.0, 0.0, 10.0, 0.5, True, None)]])
def test_nothing_drawn_finds_nothing(paths) -> None:
    assert find_tables(paths, 595.0, 842.0) == []


def test_a_row_a_page_break_cut_is_joined_again():
    # Luton's annex as LibreOffice prints the Word table (house style seed 1): 2.4.3's question runs
    # onto the next page's first row, whose other cell is empty
    from pipeline.core.document import Block, BlockKind, Cell, Table, page_of_blocks
    from pipeline.ingest.continued import with_rows_rejoined
    upper = Block(BlockKind.TABLE, table=Table(((Cell("72%"), Cell("2.4.2. Does reviewing focus sufficiently on "
                                                                       "keeping the child safe?")),
                                                (Cell("69%"), Cell("2.4.3. Does reviewing focus sufficiently on "
                                                                       "keeping other")))))
    lower = Block(BlockKind.TABLE, table=Table(((Cell(""), Cell("people safe?")),
                                                (Cell("Inadequate"), Cell("3.1. Assessment")))))
    pages = [page_of_blocks(1, [upper, Block(BlockKind.RUNNING, text="Inspection of youth offending services 44")]),
             page_of_blocks(2, [Block(BlockKind.RUNNING, text="Inspection of youth offending services 45"), lower])]
    first, second = with_rows_rejoined(pages)
    assert first.lines[-1] == "69% 2.4.3. Does reviewing focus sufficiently on keeping other people safe?"
    assert second.lines == ["Inadequate 3.1. Assessment"]
    # a first row that holds a figure, or starts a sentence, is a row of its own
    own = Block(BlockKind.TABLE, table=Table(((Cell(""), Cell("people safe? 12")),)))
    assert with_rows_rejoined([page_of_blocks(1, [upper]), page_of_blocks(2, [own])])[1].lines == ["people safe? 12"]


def test_a_superscript_number_is_glued_to_its_word_as_a_marker():
    # Chromium's PDF of Luton's 'Key data<sup>10</sup>' (house style seed 4): PDFium gives the raised,
    # smaller '10' as a piece of its own on the line (boxes in points from the page's top)
    from pipeline.ingest.pdf_superscripts import joined_line
    heading = (380.7, 393.0, 49.7, "Key data")
    assert joined_line([heading, (378.0, 388.2, 95.6, "10")]) == "Key data10"
    # a figure on the line's baseline, of the line's size, is a figure
    assert joined_line([(380.7, 393.0, 49.7, "Total staff headcount"), (380.7, 393.0, 300.0, "10")]) == \
        "Total staff headcount 10"
