"""The PDF renderings of the sample reports give the same tables as their
text exports, row for row, and every row of every table has its page."""

import pytest

from conftest import SAMPLES


PAGED = {"ratings": "page", "key_questions": "page", "prompts": "page", "facts": "page",
         "recommendations": "page", "findings": None}
IDENTITY = {"report_id", "source_file", "sha256", "format"}  # what the file is, not what it prints


@pytest.fixture(scope="module")
def pdf_extracted(tmp_path_factory):
    from render_pdf import render_text_report

    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file

    folder = tmp_path_factory.mktemp("pdfs")
    out = {}
    for name, txt in SAMPLES.items():
        pdf = folder / (txt.stem + ".pdf")
        render_text_report(txt, pdf)
        out[name] = extract_file(str(pdf), sha256_of(pdf), Options())
    return out


def comparable(rows):
    return [{k: v for k, v in row.items() if k not in IDENTITY} for row in rows]


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("table", ["reports", "ratings", "key_questions", "prompts", "facts",
                                   "recommendations", "findings"])
def test_pdf_tables_equal_text_tables(extracted, pdf_extracted, name, table):
    text_rows = comparable(extracted[name][table])
    pdf_rows = comparable(pdf_extracted[name][table])
    assert len(pdf_rows) == len(text_rows)
    for text_row, pdf_row in zip(text_rows, pdf_rows):
        assert pdf_row == text_row


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_pdf_row_has_its_page(pdf_extracted, name):
    for table, column in PAGED.items():
        for row in pdf_extracted[name][table]:
            if table == "findings":
                # a finding points at a page unless it is about the whole report
                assert row["page"] is not None or row["level"] == "report", row
            else:
                assert isinstance(row[column], int) and row[column] >= 1, (table, row)
