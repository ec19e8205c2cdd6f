"""The readers of formats without pages (HTML, Word, Markdown), format
detection from content, the inputs a run skips, and the bad inputs each
reader must refuse in one clean line (a zip bomb, a .docx that is not one,
a page nested 100,000 deep, an endless Markdown table)."""
import json
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from pipeline.app.cli import main
from pipeline.core.document import BlockKind
from pipeline.core.errors import IngestError
from pipeline.ingest.detect import HEAD_BYTES, detect, detect_format
from pipeline.ingest.read import read_document

docx = pytest.importorskip("docx", reason="python-docx is not installed")


def blocks(document, kind=None):
    return [b for p in document.pages for b in p.blocks if kind is None or b.kind is kind]


def tables(document):
    return [b.table for b in blocks(document, BlockKind.TABLE)]


def footnotes(document):
    return {b.number: b.text for b in blocks(document, BlockKind.FOOTNOTE)}


# ------------------------------------------------------------------ HTML

PAGE = """<!DOCTYPE html><html><head><title>t</title><script>var x = "Good";</script>
<style>p { color: red }</style></head><body>
<div id="cookie-banner"><p>We use cookies.</p></div>
<nav><ul><li>Home</li><li>Reports</li></ul></nav>
<header><p>HM Inspectorate of Probation</p></header>
<main>
<h1>Inspection of youth offending services: Testshire</h1>
<h2>Ratings</h2>
<table>
<thead><tr><th>Testshire YOS</th><th>Score 20/36</th></tr></thead>
<tr><th colspan="2">1. Organisational delivery</th></tr>
<tr><td>1.1 Governance and leadership</td><td style="background-color:#92D050">Good</td></tr>
</table>
<p class="back-to-top"><a href="#top">(Back to top)</a></p>
<h3>2.1. Assessment</h3>
<p>Our rating<sup><a href="#fn3" id="fnref3">[3]</a></sup> for assessment is Good &amp; fair.</p>
<table><tr><th>Key question</th><th>% yes</th></tr>
<tr><td>Does assessment sufficiently analyse how to
    keep the child safe?</td><td>71%</td></tr></table>
<ul><li>first point [4]</li><li>second <noscript>no</noscript>point<ul><li>nested</li></ul></li></ul>
<div hidden>secret</div><p style="display:none">also secret</p>
<form><label>Search</label><input></form>
</main>
<footer><p>Crown copyright</p></footer>
<section class="footnotes"><h2>Footnotes</h2><ol>
<li id="fn3">Within five percentage points. <a href="#fnref3">↩</a></li>
<li id="fn4">Another note.</li></ol></section>
<script>track("Outstanding")</script></body></html>"""


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(PAGE, encoding="utf-8")
    return read_document(path)


def test_html_blocks(page):
    assert page.format == "html" and not page.paged
    heads = [(b.level, b.text) for b in blocks(page, BlockKind.HEADING)]
    assert heads == [(1, "Inspection of youth offending services: Testshire"), (2, "Ratings"), (3, "2.1. Assessment")]
    summary, questions = tables(page)
    assert [c.text for c in summary.rows[0]] == ["Testshire YOS", "Score 20/36"] and summary.rows[0][0].header
    spanning = summary.rows[1][0]
    assert (spanning.text, spanning.header, spanning.col_span) == ("1. Organisational delivery", True, 2)
    assert summary.rows[2][1].shaded and not summary.rows[2][0].shaded
    # a question wrapped over lines in the source is one cell
    assert [c.text for c in questions.rows[1]] == ["Does assessment sufficiently analyse how to keep the child safe?",
                                                   "71%"]
    assert [b.text for b in blocks(page, BlockKind.LIST_ITEM)] == ["first point4", "second point", "nested"]
    paragraph = blocks(page, BlockKind.PARAGRAPH)
    assert [b.text for b in paragraph] == ["Our rating3 for assessment is Good & fair."]


def test_html_furniture_dropped_and_footnotes_numbered(page):
    text = "\n".join(line for p in page.pages for line in p.lines)
    for furniture in ("cookies", "Home", "HM Inspectorate of Probation\n", "Crown copyright", "Back to top",
                      "secret", "Search", "track", "color", "Footnotes", "↩", "no point"):
        assert furniture not in text, furniture
    assert footnotes(page) == {3: "Within five percentage points.", 4: "Another note."}
    # a note goes on the page (heading section) of its first reference, after the body
    assessment = page.pages[-1]
    assert page.locators[assessment.number] == "Inspection of youth offending services: Testshire > Ratings > 2.1. Assessment"
    assert assessment.lines[assessment.footnote_rule:] == ["3 Within five percentage points.", "4 Another note."]


def test_html_nested_100k_deep_is_one_clean_error(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body><p>Foreword</p>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>")
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error == "nested_too_deep" and "\n" not in caught.value.message


def test_html_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "huge.html"
    with open(path, "wb") as f:
        f.write(b"<html>")
        f.truncate(300 * 1024 * 1024)  # sparse: no disk used
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error == "too_large"


# ------------------------------------------------------------------ Word

def _word(path: Path) -> Path:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("Inspection of youth offending services: Testshire", level=1)
    document.add_paragraph("Foreword text before the table.")
    table = document.add_table(rows=3, cols=2)
    head = table.rows[0].cells
    head[0].text, head[1].text = "Key question", "% yes"
    for cell in head:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "2. Court disposals"
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "DCE4F0")
    merged._tc.get_or_add_tcPr().append(shading)
    table.cell(2, 0).text = "Does assessment sufficiently analyse how to keep the child safe?"
    table.cell(2, 1).text = "71%"
    document.add_heading("2.1. Assessment", level=2)
    document.add_paragraph("A point", style="List Bullet")
    document.save(str(path))
    return path


def test_docx_blocks_in_body_order(tmp_path):
    document = read_document(_word(tmp_path / "report.docx"))
    assert document.format == "docx"
    kinds = [b.kind for b in blocks(document)]
    assert kinds == [BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.TABLE, BlockKind.HEADING, BlockKind.LIST_ITEM]
    (table,) = tables(document)
    assert [c.text for c in table.rows[0]] == ["Key question", "% yes"] and all(c.header for c in table.rows[0])
    (merged,) = table.rows[1]  # one cell, its text once
    assert (merged.text, merged.col_span, merged.shaded) == ("2. Court disposals", 2, True)
    assert document.locators[2] == "Inspection of youth offending services: Testshire > 2.1. Assessment"


def test_docx_zip_bomb_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w") as member:
            for _ in range(300):
                member.write(b"\0" * (1 << 20))
    assert path.stat().st_size < 1_000_000
    started = time.perf_counter()
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error == "zip_bomb" and time.perf_counter() - started < 1


@pytest.mark.parametrize("content", [b"just some text, not a zip", b"PK\x03\x04 truncated"])
def test_docx_that_is_not_one(tmp_path, content):
    path = tmp_path / "report.docx"
    path.write_bytes(content)
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error == "not_a_docx" and "\n" not in caught.value.message


def test_zip_renamed_docx(tmp_path):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("report.pdf", "x")
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error == "not_a_docx" and ".zip archive" in caught.value.message


# -------------------------------------------------------------- Markdown

MARKDOWN = """# Inspection of youth offending services: Testshire

## **Foreword**

Overall, Testshire YOS was rated as *Good*[^1]. See [the standards](https://example.org).

**Ratings**

| **Testshire YOS** | **Score 20/36** |
|---|---|
| 1.1 Governance and leadership | Good |

- a point
- another

[^1]: Published scoring rules.
"""


def test_markdown_blocks(tmp_path):
    path = tmp_path / "report.txt"  # a .txt of Markdown is read as Markdown
    path.write_text(MARKDOWN, encoding="utf-8")
    document = read_document(path)
    assert document.format == "markdown"
    assert [(b.level, b.text) for b in blocks(document, BlockKind.HEADING)] == [
        (1, "Inspection of youth offending services: Testshire"), (2, "Foreword"), (3, "Ratings")]
    assert [b.text for b in blocks(document, BlockKind.PARAGRAPH)] == [
        "Overall, Testshire YOS was rated as Good1. See the standards."]
    (table,) = tables(document)
    assert table.rows[0][0].header and not table.rows[1][0].header
    assert [c.text for c in table.rows[1]] == ["1.1 Governance and leadership", "Good"]
    assert [b.text for b in blocks(document, BlockKind.LIST_ITEM)] == ["a point", "another"]
    assert footnotes(document) == {1: "Published scoring rules."}
    assert document.locators == {1: "Inspection of youth offending services: Testshire",
                                 2: "Inspection of youth offending services: Testshire > Foreword",
                                 3: "Inspection of youth offending services: Testshire > Foreword > Ratings"}


def test_endless_markdown_table_is_refused_quickly(tmp_path):
    path = tmp_path / "table.md"
    row = "| " + " | ".join(["cell text"] * 20) + " |\n"
    with open(path, "w") as f:
        f.write("| " + " | ".join(["h"] * 20) + " |\n|" + "---|" * 20 + "\n")
        f.write(row * (50_000_000 // len(row)))  # 50 MB
    started = time.perf_counter()
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error in ("too_large", "too_many_lines", "too_many_rows")
    assert time.perf_counter() - started < 10


# ------------------------------------------------------------- detection

@pytest.mark.parametrize("sample", sorted(SAMPLES.values()), ids=lambda p: p.name)
def test_plain_text_samples_are_text(sample):
    assert detect_format(sample, sample.read_bytes()[:HEAD_BYTES]) == "text"


@pytest.mark.parametrize("head, name, expected", [
    (b"%PDF-1.7\n", "a.txt", "pdf"),
    (b"\xef\xbb\xbf  <!DOCTYPE HTML>\n<html>", "a.txt", "html"),
    (b"<html lang=en><body>", "page", "html"),
    (b"Just text.\n", "notes.md", "text"),  # no Markdown in it: a converter's plain text
    (b"# Foreword\n\nText.\n", "notes.md", "markdown"),
    (b"\x89PNG\r\n\x1a\n....", "report.pdf", "unsupported"),
    (b"\xff\xd8\xff\xe0", "x.pdf", "unsupported"),
    (b"\x1f\x8b\x08", "x.txt", "unsupported"),
    (b"Inspection of youth offending services\n\nOverall rating Good\n", "x.txt", "text"),
])
def test_detection_from_content(tmp_path, head, name, expected):
    assert detect_format(tmp_path / name, head) == expected


def test_png_renamed_pdf_is_refused_as_an_image(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error == "not_pdf" and "image (PNG)" in caught.value.message


def test_spreadsheet_zip_is_named(tmp_path):
    path = tmp_path / "data.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    found = detect(path, path.read_bytes()[:HEAD_BYTES])
    assert found.format == "unsupported" and "spreadsheet" in found.reason


# ----------------------------------------------------------- the run

def test_other_files_in_the_folder_are_named_as_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "luton-yos.txt").write_bytes(SAMPLES["luton"].read_bytes())
    with zipfile.ZipFile(folder / "caseload.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    (folder / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (folder / ".DS_Store").write_bytes(b"\0")
    result = CliRunner().invoke(main, ["extract", str(folder), "--out", str(tmp_path / "out"), "--json",
                                       "--workers", "1", "--no-progress"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["files"], summary["ok"], summary["failed"], summary["skipped"]) == (3, 1, 0, 2)
    assert summary["skipped_files"] == ["caseload.xlsx", "chart.png"]
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert any("caseload.xlsx" in n and "spreadsheet (.xlsx)" in n for n in notes)
    assert any("chart.png" in n and "image (PNG)" in n for n in notes)
    assert "2 skipped" in result.stderr.strip().splitlines()[-1]
    import pandas as pd
    errors = pd.read_parquet(tmp_path / "out" / "errors.parquet")
    assert sorted(zip(errors.source_file, errors.stage, errors.error)) == [
        ("caseload.xlsx", "ingest", "skipped"), ("chart.png", "ingest", "skipped")]



def _item(block):
    """A list item as (its number, its text); any other block as its text."""
    return (block.number, block.text) if block.kind is BlockKind.LIST_ITEM else block.text


def test_an_ordered_lists_numbers_are_the_reports_own(tmp_path):
    """Recommendations are numbered lists: the number is content (recommendation 3 is '3.')."""
    from pipeline.ingest.read import read_document

    html = tmp_path / "r.html"
    html.write_text("<html><body><h2>Recommendations</h2><p>The Board should:</p>"
                    "<ol start='3'><li>agree a vision</li><li value='7'>involve children</li></ol>"
                    "<ul><li>a bullet</li></ul></body></html>", encoding="utf-8")
    md = tmp_path / "r.md"
    md.write_text("## Recommendations\n\nThe Board should:\n\n1. agree a vision\n2. involve children\n\n- a bullet\n",
                  encoding="utf-8")
    lines = {p.name: [_item(b) for page in read_document(p).pages for b in page.blocks] for p in (html, md)}
    assert lines["r.html"] == ["Recommendations", "The Board should:", (3, "agree a vision"), (7, "involve children"),
                               (None, "a bullet")]
    assert lines["r.md"] == ["Recommendations", "The Board should:", (1, "agree a vision"), (2, "involve children"),
                             (None, "a bullet")]


def test_a_word_numbered_list_keeps_its_numbers(tmp_path):
    """Word numbers a 'List Number' paragraph itself (the number is not in the
    text python-docx gives): the reader prints it, as the report shows it."""
    import docx

    from pipeline.ingest.read import read_document

    document = docx.Document()
    document.add_heading("Recommendations", level=1)
    document.add_paragraph("The YOS Management Board should:")
    for text in ("agree a vision", "involve children"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("a bullet", style="List Bullet")
    path = tmp_path / "r.docx"
    document.save(path)
    lines = [_item(b) for page in read_document(path).pages for b in page.blocks]
    assert lines == ["Recommendations", "The YOS Management Board should:", (1, "agree a vision"),
                     (2, "involve children"), (None, "a bullet")]
