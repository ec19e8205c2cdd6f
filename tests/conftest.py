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
