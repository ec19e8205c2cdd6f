"""Markdown as converters write it: the samples through pandoc (grid, simple,
multiline, pipe and HTML tables, plain text), a grid table whose ratings wrap
in bold, a PDF's plain text saved as .md, and running footers kept as
paragraphs (tests/markdown_routes.py makes each). Every route must give the
clean text's values (tests/route_compare.py) and the values a person read
in each report (tests/fixtures/expected_values.json), with no published
rating wrong."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import markdown_routes
import route_compare
import routes
from conftest import SAMPLES

EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "expected_values.json").read_text())
FILES = {"bedfordshire": "bedfordshire-yos.txt", "luton": "luton-yos.txt", "north_somerset": "north-somerset-yos.txt"}
# routes that may leave a value honestly empty (a finding says so), never wrong: the PDF's text with no
# page marks loses some table values that a paged text keeps
HONEST_NULLS = {"markitdown_pdf"}
# what is still open, by (route, sample): none
OPEN: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def derived(route_folder, render):
    """A route's extraction of a sample, derived and extracted once."""
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file

    done: dict[tuple[str, str], dict] = {}

    def get(route: str, name: str) -> dict:
        if (route, name) not in done:
            path = routes.derive(route, SAMPLES[name], route_folder, render)
            done[(route, name)] = extract_file(str(path), sha256_of(path), Options())
        return done[(route, name)]
    return get


def _cases(open_cases: set[tuple[str, str]]) -> list:
    return [pytest.param(route, name, id=f"{route}-{name}",
                         marks=[pytest.mark.xfail(strict=True, reason="still open")] if (route, name) in open_cases
                         else [])
            for route in markdown_routes.MARKDOWN_ROUTES for name in SAMPLES]


@pytest.mark.parametrize("route, name", _cases(OPEN))
def test_route_gives_the_plain_texts_values(derived, extracted, route, name):
    got = derived(route, name)
    verdicts = route_compare.compare(extracted[name], got)
    wrong = [f"{g} {k}: {a!r} -> {b!r}" for (g, k), (v, a, b) in verdicts.items() if v == route_compare.WRONG]
    assert not wrong, wrong[:10]
    if route not in HONEST_NULLS:
        nulls = [f"{g} {k}" for (g, k), (v, _, _) in verdicts.items() if v == route_compare.NULL]
        assert not nulls, nulls[:10]


@pytest.mark.parametrize("route, name", _cases(set()))
def test_route_gives_the_values_a_person_read(derived, route, name):
    """The published ratings, the score and every key question's value, as
    expected_values.json records them; a route that may leave a value
    honestly empty may give None, never another value."""
    got = derived(route, name)
    want = EXPECTED[FILES[name]]
    allowed = {None} if route in HONEST_NULLS else set()
    (report,) = got["reports"]
    assert report["overall_rating"] in {want["report"]["overall_rating"], *allowed}
    assert report["score"] in {want["report"]["score_printed"], *allowed}
    ratings = {r["standard"]: r["rating"] for r in got["ratings"]}
    rows = {(r["standard"], r["index"]): r for r in got["key_questions"]}
    for code, standard in want["standards"].items():
        assert ratings.get(code) in {standard["summary_rating"], *allowed}, code
        for kq in standard.get("key_questions") or []:
            row = rows.get((code, kq["index"]))
            if row is None and allowed:
                continue
            assert row is not None, (code, kq["index"])
            printed = (kq.get("pct"), kq.get("relevant"), kq.get("yes"))
            assert (row["pct_yes"], row["relevant"], row["yes"]) in {printed, *((None,) * 3 for _ in allowed)}


# ------------------------------------------------ a rating over two lines in a grid cell

def test_a_bold_rating_over_two_lines_of_a_grid_cell_is_one_rating():
    from pipeline.core.document import BlockKind
    from pipeline.ingest.markdown import read_markdown

    text = ("## Ratings\n\n"
            "+-------------------------------+---------------+\n"
            "| **Luton Youth Offending       | **Score       |\n"
            "| Service**                     | 16/36**       |\n"
            "+===============================+===============+\n"
            "| 1.1 Governance and leadership | **Requires    |\n"
            "|                               | improvement** |\n"
            "+-------------------------------+---------------+\n"
            "| 1.2 Staff                     | **Good**      |\n"
            "+-------------------------------+---------------+\n")
    items, _, _ = read_markdown(text)
    (table,) = [i.block.table for i in items if i.block.kind is BlockKind.TABLE]
    assert [[c.text for c in row] for row in table.rows] == [
        ["Luton Youth Offending Service", "Score 16/36"],
        ["1.1 Governance and leadership", "Requires improvement"],
        ["1.2 Staff", "Good"]]
    assert table.rows[0][0].header and not table.rows[1][0].header


def test_the_grid_route_wraps_ratings_over_two_lines(route_folder, render, derived, extracted):
    """grid_bold really prints '**Requires' over 'improvement**', and every
    standard's rating comes out whole."""
    path = routes.derive("grid_bold", SAMPLES["bedfordshire"], route_folder, render)
    lines = path.read_text(encoding="utf-8").split("\n")
    wrapped = [i for i, line in enumerate(lines) if line.rstrip(" |").endswith("**Requires")
               and "improvement**" in lines[i + 1]]
    assert len(wrapped) >= 7
    got = {r["standard"]: r["rating"] for r in derived("grid_bold", "bedfordshire")["ratings"]}
    assert got == {r["standard"]: r["rating"] for r in extracted["bedfordshire"]["ratings"]}


# ------------------------------------------------------------- which parser

def test_pandoc_is_run_only_on_its_own_dialect(route_folder, render):
    from pipeline.ingest.markdown_dialect import is_pandoc_markdown

    luton = SAMPLES["luton"]
    for route in ("docx_pandoc_markdown", "docx_pandoc_grid", "docx_pandoc_multiline", "html_pandoc_markdown",
                  "grid_bold"):
        assert is_pandoc_markdown(routes.derive(route, luton, route_folder, render).read_text(encoding="utf-8"))
    for route in ("docx_pandoc_gfm", "footers_md"):  # pipe and HTML tables: markdown-it reads them
        assert not is_pandoc_markdown(routes.derive(route, luton, route_folder, render).read_text(encoding="utf-8"))


def test_a_raw_html_table_over_a_blank_line_is_one_table():
    from pipeline.core.document import BlockKind
    from pipeline.ingest.markdown import read_markdown

    text = ("# Ratings\n\n<table>\n<tr><th>Standard</th><th>Rating</th></tr>\n\n"
            "<tr><td>2.1 Assessment[^3]</td><td><strong>Good</strong></td></tr>\n</table>\n\nAfter.\n\n"
            "[^3]: A note.\n")
    items, notes, _ = read_markdown(text)
    kinds = [i.block.kind for i in items]
    assert kinds == [BlockKind.HEADING, BlockKind.TABLE, BlockKind.PARAGRAPH]
    table = items[1].block.table
    assert [[c.text for c in row] for row in table.rows] == [["Standard", "Rating"], ["2.1 Assessment3", "Good"]]
    assert items[1].refs == (3,) and notes == {3: "A note."}


def test_a_raw_html_table_inside_a_div_is_read():
    from pipeline.core.document import BlockKind
    from pipeline.ingest.markdown import read_markdown

    items, _, _ = read_markdown("# Ratings\n\n<div class=\"table\">\n<table>\n<tr><td>1.2 Staff</td><td>Good</td></tr>\n"
                             "</table>\n</div>\n\nAfter.\n")
    assert [i.block.kind for i in items] == [BlockKind.HEADING, BlockKind.TABLE, BlockKind.PARAGRAPH]
    assert [c.text for c in items[1].block.table.rows[0]] == ["1.2 Staff", "Good"]


def test_a_markdown_file_of_plain_text_is_read_as_text(tmp_path):
    from pipeline.ingest.detect import detect_format

    text = SAMPLES["luton"].read_text(encoding="utf-8").replace("\f", "\n")
    path = tmp_path / "luton.md"
    path.write_text(text, encoding="utf-8")
    assert detect_format(path, path.read_bytes()[:65536]) == "text"


# ------------------------------------------------------------ running furniture

def test_furniture_is_a_short_text_whose_number_counts_up():
    from pipeline.ingest.furniture import running_texts

    texts = ["Inspection of youth offending services in Bedfordshire 7", "Body text.",
             "Total current caseload: community sentences 23",
             "Inspection of youth offending services in Bedfordshire 8", "More.",
             "Inspection of youth offending services in Bedfordshire 3",  # quoted, out of sequence
             "Inspection of youth offending services in Bedfordshire 10",
             "15 The rating for the standard is driven by the lowest score",
             "16 The rating for the standard is driven by the lowest score",
             "17 The rating for the standard is driven by the lowest score",
             "Luton inspection | Page 12", "Luton inspection | Page 13"]
    assert running_texts(texts) == {0, 3, 6}
    assert running_texts([f"Luton inspection | Page {n}" for n in (4, 5, 6)]) == {0, 1, 2}


def test_running_lines_of_a_text_with_no_page_marks_are_furniture(tmp_path):
    from pipeline.core.document import BlockKind
    from pipeline.ingest.read import read_document

    body = "\n".join(f"Paragraph {n} of the report.\nNorth Somerset inspection | Page {n}" for n in range(1, 6))
    path = tmp_path / "r.txt"
    path.write_text("Inspection of youth offending services: North Somerset\n\n" + body + "\n", encoding="utf-8")
    document = read_document(path)
    running = [b.text for p in document.pages for b in p.blocks if b.kind is BlockKind.RUNNING]
    assert [t for t in running if "| Page" in t] == [f"North Somerset inspection | Page {n}" for n in range(1, 6)]
    assert not any("| Page" in line for p in document.pages for line in p.lines)


def test_footnote_markers_in_words_are_markers():
    from pipeline.ingest.text import normalise_line

    assert normalise_line("Reoffending rate for Luton YOS [footnote 5]") == "Reoffending rate for Luton YOS5"
    assert normalise_line("England and Wales\u2076") == "England and Wales6"
    assert normalise_line("Bedfordshire YOS^([10])") == "Bedfordshire YOS10"


def test_a_govuk_footnote_link_is_a_reference(tmp_path):
    from pipeline.core.document import BlockKind
    from pipeline.ingest.read import read_document

    page = tmp_path / "r.html"
    page.write_text('<html><body><main><h2>Contextual facts</h2><p>Reoffending rate for Luton YOS'
                    '<sup id="fnref:5"><a href="#fn:5">[footnote 5]</a></sup> 32.5%</p>'
                    '<div class="govuk-footnotes"><ol><li id="fn:5"><p>Proven reoffending statistics.'
                    '</p></li></ol></div></main></body></html>', encoding="utf-8")
    document = read_document(page)
    texts = [b.text for p in document.pages for b in p.blocks if b.kind is BlockKind.PARAGRAPH]
    notes = {b.number: b.text for p in document.pages for b in p.blocks if b.kind is BlockKind.FOOTNOTE}
    assert texts == ["Reoffending rate for Luton YOS5 32.5%"]
    assert notes == {5: "Proven reoffending statistics."}


def test_pandocs_web_page_footnotes_are_references_and_notes():
    """pandoc's Markdown of a web page: a reference is a superscript span or
    link ('^[4]{#fnref4}^', '^[\\[5\\]](#fn5){#fnref5}^'), a note a span with
    the note's id in a fenced div."""
    from pipeline.ingest.markdown import read_markdown

    items, notes, _ = read_markdown("# Contextual facts\n\n::: {.box}\nReoffending rate for Luton YOS^[4]{#fnref4}^ "
                                 "32.5%\n\nFirst-time entrants^[\\[5\\]](#fn5){#fnref5}^ 184\n:::\n\n"
                                 "::: {#footnotes}\n1.  [Proven reoffending. [↩](#fnref4)]{#fn4}\n"
                                 "2.  [Entrants to the system.]{#fn5}\n:::\n")
    assert [(i.block.text, i.refs) for i in items[1:]] == [("Reoffending rate for Luton YOS4 32.5%", (4,)),
                                                           ("First-time entrants5 184", (5,))]
    assert notes == {4: "Proven reoffending.", 5: "Entrants to the system."}
