"""The renderers of the DOCUMENT_ROUTES (tests/fixtures/render_docx.py,
render_html.py, render_markdown.py, report_structure.py) write what they
claim: Word tables and footnotes, HTML furniture and footnote links, pipe
tables. These check the renderings, not the pipeline; every value asserted
here is printed in the sample text (tests/fixtures/*.txt)."""
from html.parser import HTMLParser
from pathlib import Path

import pytest

import routes
from conftest import SAMPLES

docx = pytest.importorskip("docx", reason="python-docx is not installed (pip install -e '.[dev]')")

LUTON_KQ3 = "Does assessment sufficiently analyse how to keep other people safe?"  # luton-yos.txt 2.1, 62%


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("renderings")


def _docx(name: str, folder: Path):
    from render_docx import render_docx_report
    out = folder / f"{name}.docx"
    if not out.exists():
        render_docx_report(SAMPLES[name], out)
    return docx.Document(str(out))


def _rows(table) -> list[list[str]]:
    out = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        out.append(cells)
    return out


def test_structure_keeps_the_samples_tables():
    from report_structure import parse_report
    roles = {}
    for b in parse_report(SAMPLES["luton"]).blocks:
        if b.kind == "table":
            roles[b.role] = roles.get(b.role, 0) + 1
    # Luton: one ratings summary, 12 standards' rating boxes, 8 case-level
    # standards with key-question tables, the annex's three domain tables
    assert roles["ratings"] == 1 and roles["rating_box"] == 12 and roles["key_questions"] == 8
    assert roles["annex"] == 3


def test_luton_docx_tables(folder):
    doc = _docx("luton", folder)
    tables = [_rows(t) for t in doc.tables]
    assert len(tables) == 35
    ratings = tables[0]
    assert ratings[0] == ["Luton Youth Offending Service", "Score 16/36"]
    assert len(ratings) == 17  # header, overall, 3 domain bands, 12 standards
    assert ["2. Court disposals"] in ratings  # a domain band is one merged cell
    # 2.1's key questions: the question whole in one cell, 62% beside it
    kq = next(t for t in tables if t[0] == ["", "% yes"] and any(r[1] == "95%" for r in t))
    assert [LUTON_KQ3, "62%"] in kq
    # the annex: code, question, value
    annex = next(t for t in tables if any(r[0] == "2.1.3." for r in t))
    assert ["2.1.3.", LUTON_KQ3, "62%"] in annex


def test_docx_shading_headings_bullets_and_footnotes(folder):
    doc = _docx("luton", folder)
    ratings = doc.tables[0]
    fills = [tc.get(docx.oxml.ns.qn("w:fill")) for tc in ratings._tbl.iter(docx.oxml.ns.qn("w:shd"))]
    assert "FFC000" in fills and "E63C3C" in fills and "DCE4F0" in fills  # RI, Inadequate, header/domain
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3", "List Bullet"} <= styles
    assert any(p.style.name == "Heading 2" and p.text == "2.1. Assessment" for p in doc.paragraphs)
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/footnotes"))
    notes = part.blob.decode("utf-8")
    assert notes.count("<w:footnote ") == 2 + 23  # separators + Luton's 23 footnotes
    assert "professional discretion was used by the" in notes  # footnote 13 (2.1's rating)
    body = doc.element.body.xml
    assert body.count("<w:footnoteReference ") == 23


def test_north_somerset_docx_count_tables(folder):
    tables = [_rows(t) for t in _docx("north_somerset", folder).tables]
    counts = [t for t in tables if len(t[0]) == 3 and t[0][1] == "Relevant cases"]
    assert counts and all(t[0][2] == "Number ‘Yes’" for t in counts)
    assert counts[0][0][0] == "Of the 8 cases inspected:"
    # a prompts table: its key question in a header row across the table
    prompts = next(t for t in tables if t[0] == ["Does assessment sufficiently analyse how to support the child’s desistance?"])
    assert ["Where applicable, does assessment analyse the key structural barriers facing the child?", "7", "7"] in prompts


def test_docx_text_is_tab_separated_rows(folder):
    from render_docx import docx_text, render_docx_report
    src = render_docx_report(SAMPLES["luton"], folder / "luton-text.docx")
    text = docx_text(src, folder / "luton.docx.txt").read_text(encoding="utf-8")
    assert f"{LUTON_KQ3}\t62%" in text
    assert "\f" not in text
    assert "Luton Youth Offending Service\tScore 16/36" in text


class _Nav(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth, self.nav_text, self.colspans, self.scripts = 0, [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self.depth += 1
        if tag == "script":
            self.scripts += 1
        if tag == "th" and ("colspan", "2") in attrs:
            self.colspans.append(True)

    def handle_endtag(self, tag):
        if tag == "nav":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.nav_text.append(data.strip())


def test_html_page(folder):
    from render_html import render_html_report
    page = render_html_report(SAMPLES["bedfordshire"], folder / "bedfordshire.html").read_text(encoding="utf-8")
    parsed = _Nav()
    parsed.feed(page)
    # the <nav> holds site links only: none of the report's text
    assert parsed.nav_text and not any(w in " ".join(parsed.nav_text) for w in ("Bedfordshire", "%", "Assessment"))
    assert parsed.scripts >= 2 and 'class="cookie-banner"' in page
    # a prompts table headed by its key question across both columns
    assert '<th colspan="2">Does assessment sufficiently analyse how to keep the child safe?</th>' in page
    assert "<thead>" in page and "<td" in page and "<ul>" in page and "<h4>" in page
    assert '<sup><a href="#fn15" id="fnref15">[15]</a></sup>' in page  # "Our rating15 for assessment"
    assert '<ol class="footnotes">' in page and '<li id="fn15" value="15">' in page
    assert "(Back to top)" in page


def test_markdown_pipe_tables_and_footnotes(folder):
    from render_markdown import render_markdown_report
    md = render_markdown_report(SAMPLES["luton"], folder / "luton.md").read_text(encoding="utf-8")
    assert "## **Foreword**" in md
    assert f"| {LUTON_KQ3} | 62% |" in md
    assert "|---|---|" in md and "|---|---|---|" in md
    assert "Our rating[^13] for assessment" in md
    assert "[^13]: The rating for the standard is driven by the lowest score" in md
    assert "\n- Luton YOS is ambitious for its children." in md


def test_routes_are_registered_apart():
    assert set(routes.DOCUMENT_ROUTES) == {"docx", "docx_pdf", "html", "html_pdf", "markdown_md", "markdown_txt",
                                           "docx_text", "pdfminer_text", *routes.TOOLS_ON_PDFS}
    assert len(routes.TOOLS_ON_PDFS) == 8 and "docx_pdf_pdfminer" in routes.TOOLS_ON_PDFS
    assert not set(routes.DOCUMENT_ROUTES) & set(routes.ROUTES)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


@pytest.mark.parametrize("route", ["docx_pdf", "html_pdf", "pdfminer_text", "markdown_txt"])
def test_converted_routes(folder, route):
    def pdfs(kind, sample):
        from render_inspectorate import render_inspectorate_report
        out = folder / f"{sample.stem}.{kind}.pdf"
        if not out.exists():
            render_inspectorate_report(sample, out)
        return out
    try:
        path = routes.derive(route, SAMPLES["luton"], folder, pdfs)
    except routes.Unavailable as e:
        pytest.skip(str(e))
    text = _pdf_text(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
    assert "16/36" in text and "62%" in text
    if route == "pdfminer_text":
        assert "\f" in text
