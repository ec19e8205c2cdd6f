"""pipeline.ingest.pdf: PDF -> pages of lines, and its refusals.

The sample text reports are rendered to PDF once per session
(tests/fixtures/render_pdf.py) and read back; the bad inputs come from
tests/fixtures/make_bad_files.py."""
from __future__ import annotations


import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES  # noqa: E402

import render_pdf  # noqa: E402
from make_bad_files import EXPECTED_PDF_ERRORS, make_bad_files  # noqa: E402
from render_pdf import (  # noqa: E402
    is_rule, render_text_report, split_pages, split_right_value, transliterate,
)

from pipeline.ingest import pdf as pdfmod  # noqa: E402
from pipeline.core.errors import IngestError  # noqa: E402
from pipeline.ingest.pdf import FOOTNOTE_RULE, read_pdf_pages  # noqa: E402

SAMPLES = {"bedfordshire-yos": 65, "luton-yos": 46, "north-somerset-yos": 35}
ENGINES = ["pdfium", "pdfplumber"]


def norm(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """{sample: (RenderInfo, text pages as the PDF should show them, pdfium pages)}"""
    out = tmp_path_factory.mktemp("rendered")
    result = {}
    for name in SAMPLES:
        info = render_text_report(FIXTURES / f"{name}.txt", out / f"{name}.pdf")
        text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
        if not info.unicode_font:
            text = transliterate(text)
        result[name] = (info, split_pages(text), read_pdf_pages(info.pdf_path))
    return result


@pytest.fixture(scope="session")
def bad_files(tmp_path_factory):
    return make_bad_files(tmp_path_factory.mktemp("bad"))


def q(s: str, info) -> str:
    """Expected text of s in a rendered PDF (transliterated without DejaVu)."""
    return s if info.unicode_font else transliterate(s)


# --- refusals ---------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(EXPECTED_PDF_ERRORS))
def test_bad_pdf_raises_its_code(bad_files, name, engine):
    with pytest.raises(IngestError) as exc:
        read_pdf_pages(bad_files[name], engine=engine)
    assert exc.value.error == EXPECTED_PDF_ERRORS[name]
    assert exc.value.stage == "ingest"
    assert "; " in exc.value.message  # a cause, then what to do


@pytest.mark.parametrize("engine", ENGINES)
def test_refusal_messages(bad_files, engine):
    def message(name):
        with pytest.raises(IngestError) as exc:
            read_pdf_pages(bad_files[name], engine=engine)
        return exc.value.message

    assert message("encrypted_pdf") == (
        "the PDF is encrypted (password protected); save an unprotected copy and try again"
    )
    assert message("image_only_pdf") == "no text layer: this looks like a scanned document; run OCR first"
    assert message("truncated_pdf").startswith("the PDF is damaged or truncated (")
    assert message("truncated_pdf").endswith("); download it again")
    assert message("garbled_pdf").startswith("the PDF is damaged or truncated (")
    assert message("webpage_pdf").startswith("the file is a web page, not a PDF")
    assert message("empty_pdf") == "the file is empty; download the report again"


def test_missing_and_unreadable(tmp_path):
    with pytest.raises(IngestError) as exc:
        read_pdf_pages(tmp_path / "nope.pdf")
    assert exc.value.error == "missing_file"
    with pytest.raises(IngestError) as exc:
        read_pdf_pages(tmp_path)  # a directory
    assert exc.value.error == "unreadable_file"


def test_too_many_pages_is_checked_before_reading_text(rendered, monkeypatch):
    info = rendered["north-somerset-yos"][0]

    def boom(_textpage):
        raise AssertionError("text was read before the page count was checked")

    monkeypatch.setattr(pdfmod, "_pdfium_lines", boom)
    with pytest.raises(IngestError) as exc:
        read_pdf_pages(info.pdf_path, max_pages=34)
    assert exc.value.error == "too_many_pages"
    assert "35 pages" in exc.value.message and "34" in exc.value.message


def test_max_pages_equal_to_page_count_is_fine(rendered):
    info = rendered["north-somerset-yos"][0]
    assert len(read_pdf_pages(info.pdf_path, max_pages=35)) == 35


@pytest.mark.parametrize("engine", ENGINES)
def test_readable_non_reports(bad_files, engine):
    invoice = read_pdf_pages(bad_files["not_report_pdf"], engine=engine)
    assert invoice[0][0] == "INVOICE"
    assert "Total due £630.00" in invoice[0]
    assert "A4 copier paper, 5 reams 12 £21.50 £258.00" in invoice[0]
    # owner password only: opens without a password, so it is read
    assert read_pdf_pages(bad_files["owner_only_pdf"], engine=engine) == [
        ["Inspection of youth offending services: Example YOS", "Ratings", "2.1 Assessment Good"]
    ]


def test_bad_text_files(bad_files):
    assert bad_files["empty_txt"].read_bytes() == b""
    assert b"\x00" in bad_files["binary_txt"].read_bytes()
    text = bad_files["not_report_txt"].read_text(encoding="utf-8")
    assert text.startswith("INVOICE") and "Minutes of the team meeting" in text


def test_bad_files_are_deterministic(tmp_path):
    a = make_bad_files(tmp_path / "a")
    b = make_bad_files(tmp_path / "b")
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes(), name


# --- rendered sample reports ------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_page_count_matches_text(rendered, name):
    info, text_pages, pages = rendered[name]
    assert len(text_pages) == SAMPLES[name]
    assert info.pages == SAMPLES[name]
    assert len(pages) == SAMPLES[name]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_running_header_and_footer(rendered, name):
    info, _, pages = rendered[name]
    service = {"bedfordshire-yos": "Bedfordshire YOS", "luton-yos": "Luton",
               "north-somerset-yos": "North Somerset YOS"}[name]
    for i, lines in enumerate(pages, start=1):
        assert lines[0] == f"Inspection of youth offending services: {service}"
        assert lines[-1] == f"Page {i} of {len(pages)}"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_body_round_trips_line_by_line(rendered, name):
    """Every non-blank text line comes back as one PDF line, or (long prose
    only) as consecutive PDF lines that join back to it; lines carrying a
    right-hand value are never split; a footnote rule comes back as
    FOOTNOTE_RULE."""
    info, text_pages, pages = rendered[name]
    wraps = 0
    for number, (src, lines) in enumerate(zip(text_pages, pages), start=1):
        body = lines[1:-1]
        expected = [FOOTNOTE_RULE if is_rule(l) else norm(l) for l in src if l.strip() or is_rule(l)]
        j = 0
        for line in expected:
            got = body[j]
            j += 1
            while got != line and j < len(body) and len(got) < len(line):
                got += " " + body[j]
                j += 1
                wraps += 1
            assert got == line, f"page {number}: {got!r} != {line!r}"
            if split_right_value(line)[1] is not None:
                assert body[j - 1] == line  # not wrapped
        assert j == len(body), f"page {number}: extra lines {body[j:]}"
    assert wraps >= info.wrapped


def test_long_prose_is_wrapped_and_footnote_rules_come_back(rendered):
    # Bedfordshire's export has no footnote rules, so its footnotes are set at
    # body size and the long ones wrap; the other two have rules.
    assert rendered["bedfordshire-yos"][0].wrapped >= 10
    for name, rules in {"bedfordshire-yos": 0, "luton-yos": 18, "north-somerset-yos": 15}.items():
        _, text_pages, pages = rendered[name]
        assert sum(is_rule(l) for p in text_pages for l in p) == rules
        assert sum(l == FOOTNOTE_RULE for p in pages for l in p) == rules
    pages = rendered["luton-yos"][2]
    at = pages[8].index(FOOTNOTE_RULE)
    assert pages[8][at - 1] == "National average 84% 16%"
    assert pages[8][at + 1] == "4 Youth Justice Board. (2019). First Time Entrants, April to March 2019."


def test_ratings_page_lines(rendered):
    expect = {
        "bedfordshire-yos": [
            "Bedfordshire Youth Offending Service Score 14/36",
            "Overall rating Requires improvement",
            "1.1 Governance and leadership Requires improvement",
            "2.1 Assessment Inadequate",
            "3.1 Assessment Inadequate",
            "3.3 Implementation and delivery Good",
            "policy and provision Requires improvement",
            "4.1 Resettlement policy and provision Good",
        ],
        "luton-yos": [
            "Overall rating Requires improvement",
            "1.4 Information and facilities Outstanding",
            "2.1 Assessment Good",
            "2.2 Planning Inadequate",
            "3.4 Joint working Requires improvement",
        ],
        "north-somerset-yos": [
            "Overall rating Good",
            "1.3 Partnerships and services Requires improvement",
            "2.1 Assessment Outstanding",
            "3.1 Assessment Outstanding",
            "3.4 Joint working Outstanding",
        ],
    }
    for name, wanted in expect.items():
        _, _, pages = rendered[name]
        ratings = [p for p in pages if "Ratings" in p[:3]]
        assert len(ratings) == 1, name
        for line in wanted:
            assert line in ratings[0], (name, line)


def test_right_column_values_stay_on_their_line(rendered):
    bed = rendered["bedfordshire-yos"]
    lines = [l for p in bed[2] for l in p]
    assert "desistance? 17%" in lines
    assert "safe? 50%" in lines and "safe? 67%" in lines
    assert "actively involving the child and their parents or carers. Inadequate" in lines

    info, _, pages = rendered["luton-yos"]
    lines = [l for p in pages for l in p]
    assert q("child’s desistance? 95%", info) in lines
    assert "people safe? 62%" in lines
    assert "Does planning focus sufficiently on keeping the child safe? 63%" in lines
    assert "Good22" in lines  # rating with a glued footnote number, alone

    info, _, pages = rendered["north-somerset-yos"]
    lines = [l for p in pages for l in p]
    assert q("the child’s desistance? 8 8", info) in lines
    assert "safe?12 7 7" in lines and "safe?13 7 6" in lines
    assert "to the needs and wishes of the victim/s? 5 4" in lines
    assert "involving the child and their parents/carers. Good20" in lines


def test_unicode_survives(rendered):
    info, _, pages = rendered["bedfordshire-yos"]
    if not info.unicode_font:
        pytest.skip("no DejaVu font on this machine: text was transliterated")
    lines = [l for p in pages for l in p]
    assert "Bedfordshire YOS was rated as ‘Requires improvement’. We also inspected the quality of" in lines
    assert any(l.startswith("• ") for l in lines)


def test_engines_agree_on_a_sample(rendered):
    info, _, pages = rendered["north-somerset-yos"]  # has footnote rules
    assert read_pdf_pages(info.pdf_path, engine="pdfplumber") == pages


def test_latin1_fallback_without_unicode_font(tmp_path, monkeypatch):
    monkeypatch.setattr(render_pdf, "find_unicode_font", lambda: None)
    info = render_text_report(FIXTURES / "north-somerset-yos.txt", tmp_path / "ns.pdf")
    assert not info.unicode_font
    pages = read_pdf_pages(info.pdf_path)
    assert len(pages) == 35
    lines = [l for p in pages for l in p]
    assert "the child's desistance? 8 8" in lines
    assert not any("’" in l for l in lines)


# --- geometry: what the content stream order must not change --------------


def _draw(pieces, path, rules=()):
    """pieces: (x or None for right-aligned, baseline y, size, text) drawn in
    the given order with core Helvetica; rules: (x1, x2, y) lines."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_line_width(0.5)
    for x1, x2, y in rules:
        pdf.line(x1, y, x2, y)
    for x, y, size, text in pieces:
        pdf.set_font_size(size)
        if x is None:
            x = 540 - pdf.get_string_width(text)
        pdf.text(x, y, text)
    pdf.output(str(path))
    return path


def _width(text, size):
    pdf = FPDF(unit="pt")
    pdf.set_font("Helvetica", size=size)
    return pdf.get_string_width(text)


TABLE = [
    ("1.1 Governance and leadership", "Requires improvement"),
    ("1.2 Staff", "Good"),
    ("2.1 Assessment", "Inadequate"),
    ("Does assessment analyse how to keep the child safe?", "62%"),
    ("the child's desistance?", "8 8"),
    ("3.3 Implementation and delivery", "Good22"),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_column_order_stream_is_regrouped(tmp_path, engine):
    """Values drawn first (bottom-up), labels after, a superscript footnote
    number, and a hyphen at a line end: lines come out as a reader sees them."""
    pieces = [(None, 100 + i * 16, 11, v) for i, (_, v) in reversed(list(enumerate(TABLE)))]
    pieces += [(54, 100 + i * 16, 11, l) for i, (l, _) in enumerate(TABLE)]
    w1, w2, space = _width("Our rating", 11), _width("15", 7), _width(" ", 11)
    pieces += [
        (54, 220, 11, "Our rating"),
        (54 + w1, 216, 7, "15"),
        (54 + w1 + w2 + space, 220, 11, "for assessment is based on the following key questions:"),
        (54, 240, 11, "Is there a vision for the delivery of a high-"),
        (54, 254, 11, "quality, personalised service?"),
    ]
    pages = read_pdf_pages(_draw(pieces, tmp_path / "t.pdf"), engine=engine)
    assert pages == [[f"{l} {v}" for l, v in TABLE] + [
        "Our rating15 for assessment is based on the following key questions:",
        "Is there a vision for the delivery of a high-",
        "quality, personalised service?",
    ]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(2 * len(TABLE))))
def test_any_draw_order_gives_the_same_lines(tmp_path, order):
    pieces = [(54, 100 + i * 16, 11, l) for i, (l, _) in enumerate(TABLE)]
    pieces += [(None, 100 + i * 16, 11, v) for i, (_, v) in enumerate(TABLE)]
    path = _draw([pieces[k] for k in order], tmp_path / "p.pdf")
    assert read_pdf_pages(path) == [[f"{l} {v}" for l, v in TABLE]]


@pytest.mark.parametrize("engine", ENGINES)
def test_only_footnote_separators_become_rule_lines(tmp_path, engine):
    pieces = [
        (54, 100, 11, "A heading with a full-width rule under it"),
        (54, 130, 11, "A link that is underlined"),
        (54, 160, 11, "Body text above the footnotes."),
        (54, 190, 9, "15 The rating for the standard is driven by the lowest score."),
        (54, 220, 11, "A rule over text that is not a footnote:"),
        (54, 250, 11, "More body text."),
    ]
    rules = [
        (54, 541, 106),  # full width: a heading rule
        (54, 180, 132),  # crosses the text line above: an underline
        (54, 198, 176),  # short, at the margin, a numbered line under it: the separator
        (300, 444, 176),  # not at the margin
        (54, 198, 236),  # a numbered line does not follow
    ]
    pages = read_pdf_pages(_draw(pieces, tmp_path / "r.pdf", rules), engine=engine)
    assert pages == [[
        "A heading with a full-width rule under it",
        "A link that is underlined",
        "Body text above the footnotes.",
        FOOTNOTE_RULE,
        "15 The rating for the standard is driven by the lowest score.",
        "A rule over text that is not a footnote:",
        "More body text.",
    ]]


def test_rotated_page_reads_as_drawn(rendered, tmp_path):
    """/Rotate only turns the display: PDFium reads the text in its own
    direction, so a page saved rotated gives the same lines."""
    import pypdfium2 as pdfium

    info, _, pages = rendered["bedfordshire-yos"]
    doc = pdfium.PdfDocument(str(info.pdf_path))
    for i in range(len(doc) - 1, 2, -1):
        doc.del_page(i)
    doc[1].set_rotation(90)
    doc.save(str(tmp_path / "rotated.pdf"))
    doc.close()
    assert read_pdf_pages(tmp_path / "rotated.pdf") == pages[:3]
