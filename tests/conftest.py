from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = {
    "bedfordshire": FIXTURES / "bedfordshire-yos.txt",
    "luton": FIXTURES / "luton-yos.txt",
    "north_somerset": FIXTURES / "north-somerset-yos.txt",
}


@pytest.fixture(scope="session")
def extracted():
    """Every table's rows for each sample report, extracted once."""
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file

    return {name: extract_file(str(path), sha256_of(path), Options()) for name, path in SAMPLES.items()}


def write_report(tmp_path, text: str, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def route_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("routes")


@pytest.fixture(scope="session")
def render(route_folder):
    """Render (once) a sample's PDF: 'rendered' (lines of text),
    'inspectorate' (the inspectorate's layout) or 'inspectorate_no_rule'."""
    from render_inspectorate import render_inspectorate_report
    from render_pdf import render_text_report

    done: dict[Path, Path] = {}

    def pdf(kind: str, sample: Path) -> Path:
        out = route_folder / f"{sample.stem}.{kind}.pdf"
        if out not in done:
            if kind == "rendered":
                render_text_report(sample, out)
            else:
                render_inspectorate_report(sample, out, footnote_rule=kind == "inspectorate")
            done[out] = out
        return out
    return pdf


def one_page_pdf(stream_dict: bytes, stream: bytes) -> bytes:
    """A valid one-page PDF (Helvetica) whose page content is `stream`, under `stream_dict`."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream_dict + b"\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory):
    """A folder holding data/raw (the three samples) and data/parsed (their
    extraction by `python -m pipeline extract`, with --csv), as `make
    extract` leaves it: where the docs' examples run."""
    import shutil
    import subprocess
    import sys

    work = tmp_path_factory.mktemp("samples-run")
    raw = work / "data" / "raw"
    raw.mkdir(parents=True)
    for path in SAMPLES.values():
        shutil.copy(path, raw / path.name)
    subprocess.run([sys.executable, "-m", "pipeline", "extract", "data/raw", "--out", "data/parsed",
                    "--no-progress", "--csv"], cwd=work, check=True, capture_output=True)
    return work


def text_report(text: str):
    """A text export (pages cut at form feeds) read as the pipeline reads one:
    ingest's blocks, then segment's sections (without the check that the text
    is a whole inspection report, so a fixture can be a few lines)."""
    from pipeline.core.document import Document
    from pipeline.ingest.items import with_items
    from pipeline.ingest.lines import pages_of_lines
    from pipeline.ingest.text import clean_pages, split_text_pages
    from pipeline.segment.sections import cut

    pages = with_items(pages_of_lines(clean_pages(split_text_pages(text)), column_ordered=True))
    return cut(Document("synthetic.txt", "ab" * 32, pages, format="text"))
