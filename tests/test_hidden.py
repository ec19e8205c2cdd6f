"""What a reader cannot see is not the report. Each attack is built at test
time from a sample's rendering as a web page, a Word file or Markdown (the
renderers conftest's routes use): a visible overall rating of 'Requires
improvement' and an invisible 'Outstanding'; hidden footnotes that would
date and identify the inspection. The visible value stands (or the field is
null), with one hidden_text finding, and the report is partial."""
from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import pytest

from conftest import SAMPLES
from pipeline.core.files import sha256_of
from pipeline.execution.one_file import Options, extract_file

pytest.importorskip("docx", reason="python-docx is not installed")

VISIBLE = "Requires improvement"
HIDDEN = "Outstanding"
OVERALL_ROW = re.compile(r'(<tr><td><strong>Overall rating</strong></td><td class="value"[^>]*>)Requires improvement'
                         r'(</td></tr>)')
ANNOUNCED = "The inspection was announced in August 2021."


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Luton (which prints no announcement month) as a web page, a .docx and Markdown."""
    from render_docx import render_docx_report
    from render_html import render_html_report
    from render_markdown import render_markdown_report

    folder = tmp_path_factory.mktemp("hidden")
    sample = SAMPLES["luton"]
    return {"html": render_html_report(sample, folder / "luton.html") or folder / "luton.html",
            "docx": render_docx_report(sample, folder / "luton.docx") or folder / "luton.docx",
            "md": render_markdown_report(sample, folder / "luton.md") or folder / "luton.md"}


def run(path: Path) -> tuple[dict, list[dict]]:
    rows = extract_file(str(path), sha256_of(path), Options())
    return rows["reports"][0], rows.get("findings", [])


def kinds(findings: list[dict]) -> list[str]:
    return [str(f["kind"]) for f in findings]


def assert_hidden_not_stored(path: Path, overall: str | None = VISIBLE) -> None:
    report, findings = run(path)
    assert report["overall_rating"] != HIDDEN
    if overall is not None:
        assert report["overall_rating"] == overall
    assert kinds(findings).count("hidden_text") == 1, kinds(findings)
    assert str(report["status"]) == "partial"


def page_with(tmp_path: Path, html: str, name: str = "attack.html") -> Path:
    out = tmp_path / name
    out.write_text(html, encoding="utf-8")
    return out


def with_style(html: str, css: str) -> str:
    return html.replace("</head>", f"<style>{css}</style>\n</head>", 1)


def after_overall(html: str, row: str) -> str:
    assert OVERALL_ROW.search(html)
    return OVERALL_ROW.sub(lambda m: m.group(0) + row, html, count=1)


def hidden_row(cell: str, tr: str = "<tr>") -> str:
    return f'{tr}<td><strong>Overall rating</strong></td><td class="value">{cell}</td></tr>'


# ------------------------------------------------------------------ web page

def test_the_samples_renderings_have_no_hidden_text(rendered):
    for path in rendered.values():
        report, findings = run(path)
        assert "hidden_text" not in kinds(findings)
        assert str(report["status"]) == "ok" and report["overall_rating"] == VISIBLE


def test_a_row_hidden_by_the_pages_own_class_rule_is_not_read(rendered, tmp_path):
    html = with_style(rendered["html"].read_text(encoding="utf-8"), ".print-only { display: none }")
    assert_hidden_not_stored(page_with(tmp_path, after_overall(html, hidden_row(HIDDEN, '<tr class="print-only">'))))


@pytest.mark.parametrize("css, attrs", [("#late { display:none }", 'id="late"'),
                                        ("table tr.x td { display: none !important }", 'class="x"'),
                                        ("tr.y { visibility: collapse }", 'class="y"'),
                                        ("main .z { visibility: hidden }", 'class="z"')])
def test_selectors_by_id_element_compound_and_descendant_hide(rendered, tmp_path, css, attrs):
    html = with_style(rendered["html"].read_text(encoding="utf-8"), css)
    assert_hidden_not_stored(page_with(tmp_path, after_overall(html, hidden_row(HIDDEN, f"<tr {attrs}>"))))


def test_the_only_content_of_the_value_cell_hidden_by_a_class_is_no_value(rendered, tmp_path):
    html = with_style(rendered["html"].read_text(encoding="utf-8"), ".v { display:none }")
    html = OVERALL_ROW.sub(lambda m: f'{m.group(1)}<span class="v">{HIDDEN}</span>{m.group(2)}', html, count=1)
    report, findings = run(page_with(tmp_path, html))
    assert report["overall_rating"] != HIDDEN
    assert kinds(findings).count("hidden_text") == 1 and str(report["status"]) == "partial"


@pytest.mark.parametrize("cell", [f"<dialog>{HIDDEN}</dialog>", f"<noembed>{HIDDEN}</noembed>",
                                  f"<noframes>{HIDDEN}</noframes>", f"<ruby><rp>{HIDDEN}</rp></ruby>",
                                  f'<datalist id="d"><option value="x">{HIDDEN}</option></datalist>',
                                  f"<template>{HIDDEN}</template>", f'<span style="display:none">{HIDDEN}</span>',
                                  f"<span hidden>{HIDDEN}</span>"])
def test_elements_browsers_never_show_are_not_read(rendered, tmp_path, cell):
    html = rendered["html"].read_text(encoding="utf-8")
    assert_hidden_not_stored(page_with(tmp_path, after_overall(html, hidden_row(cell))))


def test_an_open_dialog_a_closed_details_a_visually_hidden_label_and_aria_hidden_are_read(rendered, tmp_path):
    from pipeline.ingest.read import read_document

    html = rendered["html"].read_text(encoding="utf-8").replace(
        "</main>", '<dialog open><p>Dialog words</p></dialog><details><summary>More</summary><p>Details words</p>'
                   '</details><p><span class="govuk-visually-hidden">Label words</span></p>'
                   '<p><span class="sr-only">Reader words</span></p>'
                   '<p><span aria-hidden="true">Screen words</span></p></main>', 1)
    text = "\n".join(line.text for line in read_document(page_with(tmp_path, html)).lines())
    for words in ("Dialog words", "Details words", "Label words", "Reader words", "Screen words"):
        assert words in text


def test_a_style_rule_for_print_only_or_an_unreadable_selector_hides_nothing(rendered, tmp_path):
    html = with_style(rendered["html"].read_text(encoding="utf-8"),
                      "@media print { td { display: none } } td:first-child { display: none } "
                      "td.value { display: none } td.value { display: table-cell }")
    report, findings = run(page_with(tmp_path, html))
    assert report["overall_rating"] == VISIBLE and "hidden_text" not in kinds(findings)


@pytest.mark.parametrize("note", [f'<div id="fn99" hidden>99 {ANNOUNCED}</div>',
                                  f'<div id="fn99" style="display: none">{ANNOUNCED}</div>',
                                  f'<script id="footnote99">{ANNOUNCED}</script>'])
def test_a_hidden_footnote_sets_no_date_or_identity(rendered, tmp_path, note):
    html = rendered["html"].read_text(encoding="utf-8").replace("</main>", note + "</main>", 1)
    report, _ = run(page_with(tmp_path, html))
    assert report["announced_month"] is None and report["inspection_month"] is None


def test_a_visible_footnote_still_dates_the_inspection(rendered, tmp_path):
    html = rendered["html"].read_text(encoding="utf-8").replace(
        "</main>", f'<ol class="footnotes" start="99"><li id="fn99">{ANNOUNCED}</li></ol></main>', 1)
    report, _ = run(page_with(tmp_path, html))
    assert report["announced_month"] == "2021-08"


# ------------------------------------------------------------------ Word

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def rewritten(docx: Path, out: Path, edit, extra: list[tuple[str, bytes]] = ()) -> Path:
    """The .docx with word/document.xml edited (and members appended)."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
        for name, data in extra:
            dst.writestr(name, data)
    return out


def overall_replaced(xml: str, run_props: str, wrap: tuple[str, str] = ("", "")) -> str:
    """The overall rating's cell with a hidden run of 'Outstanding' before its
    visible 'Requires improvement' (wrapped in `wrap`: a deletion, a move)."""
    at = xml.index("Overall rating")
    cell = xml.index(">Requires improvement<", at)
    start = xml.rindex("<w:r>", 0, cell) if "<w:r>" in xml[:cell] else xml.rindex("<w:r ", 0, cell)
    return xml[:start] + f"{wrap[0]}<w:r>{run_props}<w:t>{HIDDEN} </w:t></w:r>{wrap[1]}" + xml[start:]


@pytest.mark.parametrize("props, wrap", [("<w:rPr><w:vanish/></w:rPr>", ("", "")),
                                         ("<w:rPr><w:specVanish/></w:rPr>", ("", "")),
                                         ("", ('<w:del w:id="901" w:author="x">', "</w:del>")),
                                         ("", ('<w:moveFrom w:id="902" w:author="x">', "</w:moveFrom>"))])
def test_word_runs_no_reader_sees_are_not_read(rendered, tmp_path, props, wrap):
    path = rewritten(rendered["docx"], tmp_path / "attack.docx", lambda xml: overall_replaced(xml, props, wrap))
    assert_hidden_not_stored(path)


def test_a_deleted_table_row_in_word_is_not_read(rendered, tmp_path):
    def edit(xml: str) -> str:
        at = xml.index("Overall rating")
        start = xml.rindex("<w:tr>", 0, at) if "<w:tr>" in xml[:at] else xml.rindex("<w:tr ", 0, at)
        end = xml.index("</w:tr>", at) + len("</w:tr>")
        row = xml[start:end].replace(">Requires improvement<", f">{HIDDEN}<")
        assert "<w:trPr>" not in row  # the rendering's rows have no row properties
        row = re.sub(r"^(<w:tr[^>]*>)", r'\1<w:trPr><w:del w:id="903" w:author="x"/></w:trPr>', row, count=1)
        return xml[:end] + row + xml[end:]

    assert_hidden_not_stored(rewritten(rendered["docx"], tmp_path / "attack.docx", edit))


def test_a_docx_with_two_document_parts_is_refused_in_one_line(rendered, tmp_path):
    from pipeline.core.errors import IngestError
    from pipeline.ingest.read import read_document

    with zipfile.ZipFile(rendered["docx"]) as src:
        second = src.read("word/document.xml").replace(b">Requires improvement<", b">Outstanding<")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is told to write
        path = rewritten(rendered["docx"], tmp_path / "twice.docx", lambda xml: xml,
                         extra=[("word/document.xml", second)])
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error == "ambiguous_docx"
    assert "word/document.xml" in str(caught.value) and "\n" not in str(caught.value)


# ------------------------------------------------------------------ Markdown

@pytest.mark.parametrize("cell", [f'<span style="display:none">{HIDDEN}</span>', f"<script>{HIDDEN}</script>"])
def test_markdown_raw_html_is_read_under_the_web_pages_rules(rendered, tmp_path, cell):
    text = rendered["md"].read_text(encoding="utf-8")
    row = re.search(r"^\|\s*\*{0,2}Overall rating\*{0,2}\s*\|\s*Requires improvement\s*\|\s*$", text, re.M)
    assert row, "the rendering's overall rating row"
    attacked = text[:row.end()] + "\n" + f"| Overall rating | {cell} |" + text[row.end():]
    path = tmp_path / "attack.md"
    path.write_text(attacked, encoding="utf-8")
    assert_hidden_not_stored(path)


def test_a_markdown_footnote_nothing_refers_to_sets_no_date(rendered, tmp_path):
    path = tmp_path / "attack.md"
    path.write_text(rendered["md"].read_text(encoding="utf-8") + f"\n[^99]: {ANNOUNCED}\n", encoding="utf-8")
    report, findings = run(path)
    assert report["announced_month"] is None and report["inspection_month"] is None
    assert "hidden_text" in kinds(findings)


def test_hidden_text_is_a_documented_finding_kind():
    from pipeline.core.records import FindingKind

    assert FindingKind.HIDDEN_TEXT == "hidden_text" and FindingKind.TRUNCATED_PARSE == "truncated_parse"


def test_a_stylesheet_too_costly_to_match_is_refused_in_one_line(tmp_path):
    from pipeline.core.errors import IngestError
    from pipeline.ingest.read import read_document

    depth = 200
    rules = " ".join(f"p{i} div div div div div div div {{display:none}}" for i in range(5000))
    page = (f"<!DOCTYPE html><html><head><style>{rules}</style></head><body><main>"
            + "<div>" * depth + "x" + "</div>" * depth + "</main></body></html>")
    with pytest.raises(IngestError) as caught:
        read_document(page_with(tmp_path, page))
    assert caught.value.error == "too_many_style_rules" and "\n" not in str(caught.value)


def test_markdown_inside_a_hidden_html_block_is_not_read(rendered, tmp_path):
    text = rendered["md"].read_text(encoding="utf-8")
    row = re.search(r"^\|\s*\*{0,2}Overall rating\*{0,2}\s*\|\s*Requires improvement\s*\|\s*$", text, re.M)
    table_end = text.index("\n\n", row.end())
    attacked = (text[:table_end] + '\n\n<div style="display:none">\n\n| Overall rating | Outstanding |\n'
                "| --- | --- |\n| Overall rating | Outstanding |\n\n</div>\n" + text[table_end:])
    path = tmp_path / "attack.md"
    path.write_text(attacked, encoding="utf-8")
    assert_hidden_not_stored(path)


def test_a_hidden_footnote_that_visible_text_refers_to_is_a_footnote(rendered, tmp_path):
    html = rendered["html"].read_text(encoding="utf-8")
    first = html.index("</p>", html.index("<main"))
    html = (html[:first] + '<sup><a href="#fn99">[99]</a></sup>' + html[first:]).replace(
        "</main>", f'<div id="fn99" hidden>{ANNOUNCED}</div></main>', 1)
    report, findings = run(page_with(tmp_path, html))
    assert report["announced_month"] == "2021-08"
    assert "hidden_text" not in kinds(findings)


def test_markdown_raw_html_hidden_by_the_files_own_style_block(rendered, tmp_path):
    text = rendered["md"].read_text(encoding="utf-8")
    row = re.search(r"^\|\s*\*{0,2}Overall rating\*{0,2}\s*\|\s*Requires improvement\s*\|\s*$", text, re.M)
    attacked = ("<style>\n.later { display: none }\n</style>\n\n" + text[:row.end()] + "\n"
                + f'| Overall rating | <span class="later">{HIDDEN}</span> |' + text[row.end():])
    path = tmp_path / "attack.md"
    path.write_text(attacked, encoding="utf-8")
    assert_hidden_not_stored(path)


def test_hidden_words_inside_a_visible_footnote_are_not_read(rendered, tmp_path):
    html = rendered["html"].read_text(encoding="utf-8").replace(
        "</main>", f'<ol class="footnotes" start="99"><li id="fn99">A note.<span hidden> {ANNOUNCED}</span></li>'
                   "</ol></main>", 1)
    report, findings = run(page_with(tmp_path, html))
    assert report["announced_month"] is None
    assert kinds(findings).count("hidden_text") == 1


def test_a_docx_naming_two_footnotes_parts_is_refused_in_one_line(rendered, tmp_path):
    from pipeline.core.errors import IngestError
    from pipeline.ingest.read import read_document

    with zipfile.ZipFile(rendered["docx"]) as src:
        notes = src.read("word/footnotes.xml").replace(b">Requires improvement<", b">Outstanding<")
    path = tmp_path / "two-notes.docx"
    with zipfile.ZipFile(rendered["docx"]) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/footnotes" '
                                    b'Target="footnotes2.xml"/></Relationships>')
            dst.writestr(info, data)
        dst.writestr("word/footnotes2.xml", notes)
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert caught.value.error == "ambiguous_docx" and "footnotes" in str(caught.value)


def test_a_hidden_row_of_a_raw_html_table_in_markdown_is_not_read(rendered, tmp_path):
    text = rendered["md"].read_text(encoding="utf-8")
    row = re.search(r"^\|\s*\*{0,2}Overall rating\*{0,2}\s*\|\s*Requires improvement\s*\|\s*$", text, re.M)
    table_end = text.index("\n\n", row.end())
    attacked = (text[:table_end] + "\n\n<table>\n<tr><td>Overall rating</td><td>Requires improvement</td></tr>\n"
                f'<tr style="display:none"><td>Overall rating</td><td>{HIDDEN}</td></tr>\n</table>\n'
                + text[table_end:])
    path = tmp_path / "attack.md"
    path.write_text(attacked, encoding="utf-8")
    report, _ = run(path)
    assert report["overall_rating"] == VISIBLE
