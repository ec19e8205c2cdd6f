"""Decoding text exports (issue 13 item 9): encodings named by a byte-order
mark, UTF-16 without one, and a stray cp1252 byte in a UTF-8 report costing
one character rather than the whole file."""
import codecs
import random

import pytest

from conftest import SAMPLES
from pipeline.core.errors import IngestError
from pipeline.core.files import sha256_of
from pipeline.ingest.decode import decode_text
from pipeline.execution.one_file import Options, extract_file

TEXT = "Our rating for assessment is ‘Good’ – 62% of cases, café\nsecond line\n" * 3


@pytest.mark.parametrize("bom, codec", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_byte_order_mark_names_the_encoding(bom, codec):
    assert decode_text(bom + TEXT.encode(codec)) == TEXT


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(codec):
    assert decode_text(TEXT.encode(codec)) == TEXT


def test_stray_cp1252_byte_in_utf8_costs_one_character():
    data = TEXT.encode("utf-8") + b"The service\x92s work\n"
    text = decode_text(data)
    # every UTF-8 character survives; the stray byte is read as cp1252's quote
    assert text == TEXT + "The service\u2019s work\n"


def test_a_cp1252_file_reads_as_cp1252():
    assert decode_text(TEXT.encode("cp1252")) == TEXT


def test_binary_is_still_refused():
    rng = random.Random(7)
    data = bytearray(rng.randrange(256) for _ in range(4096))
    for i in range(0, len(data), 7):
        data[i] = 0
    with pytest.raises(IngestError) as e:
        decode_text(bytes(data))
    assert e.value.error == "binary_text"


def test_a_false_bom_is_refused_not_guessed():
    with pytest.raises(IngestError) as e:
        decode_text(codecs.BOM_UTF16_LE + b"\x00\xd8abc")  # an unpaired surrogate
    assert e.value.error == "binary_text"


def test_stray_byte_in_a_sample_report_loses_no_values(tmp_path, extracted):
    """One cp1252 byte in a UTF-8 report used to turn every curly quote into
    mojibake (and lose facts); now the tables are the clean text's."""
    clean = SAMPLES["luton"].read_bytes()
    cut = clean.index(b"The local authority")  # a prose line of the foreword
    path = tmp_path / "stray.txt"
    path.write_bytes(clean[:cut] + b"\x96 " + clean[cut:])
    assert b"\xe2\x80\x99" in clean  # curly quotes in UTF-8 elsewhere
    tables = extract_file(str(path), sha256_of(path), Options())
    for table in ("ratings", "key_questions", "facts"):
        strip = lambda rows: [{k: v for k, v in r.items() if k != "report_id"} for r in rows]  # noqa: E731
        assert strip(tables[table]) == strip(extracted["luton"][table]), table
