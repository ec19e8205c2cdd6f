"""Luton with its chapter key-question tables taken out: the annex's
results table (a standard's row holds its rating in the column its
questions' rows hold their % yes) must then give every key question, on
every form the report reaches users in.

Values checked against tests/fixtures/luton-yos.txt's 'Annexe 2:
Inspection results': e.g. 2.1.1 95%, 2.2.3 42%, 3.3.2 62% (where the
chapter table prints 81%: the annex alone is read, so its value stands),
3.4.1 53%, and 3.4.2 'Not applicable for the cases inspected'.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import routes
from conftest import SAMPLES
from pipeline.core.files import sha256_of
from pipeline.execution.one_file import Options, extract_file

INTRO = re.compile(r"^Our rating\d* for .* is based on the following key questions?:\s*$")
VALUE_END = re.compile(r"\d{1,3}%\s*$")

ANNEX = {("2.1", 1): 95.0, ("2.1", 2): 71.0, ("2.1", 3): 62.0, ("2.2", 1): 86.0, ("2.2", 2): 63.0,
         ("2.2", 3): 42.0, ("2.3", 1): 85.0, ("2.3", 2): 67.0, ("2.3", 3): 61.0, ("2.4", 1): 90.0,
         ("2.4", 2): 88.0, ("2.4", 3): 69.0, ("3.1", 1): 87.0, ("3.1", 2): 67.0, ("3.1", 3): 40.0,
         ("3.2", 1): 80.0, ("3.2", 2): 46.0, ("3.2", 3): 44.0, ("3.3", 1): 80.0, ("3.3", 2): 62.0,
         ("3.3", 3): 67.0, ("3.4", 1): 53.0, ("3.4", 2): None}


def without_chapter_tables(text: str) -> str:
    """The text with each chapter's key-question table (the lines after
    'Our rating ... is based on the following key questions:' up to the
    prose: '% yes', and blocks of lines whose last ends in a %) left out."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        if INTRO.match(lines[i].strip()):
            i += 1
            while i < len(lines):
                block_end = i
                while block_end < len(lines) and lines[block_end].strip():
                    block_end += 1
                block = [ln.strip() for ln in lines[i:block_end]]
                if not block or block == ["% yes"] or (block and VALUE_END.search(block[-1])):
                    i = block_end + 1 if block_end > i else i + 1
                    continue
                after = _next_block(lines, block_end)
                if block[-1].endswith("?") and after and VALUE_END.fullmatch(" ".join(after[1])):
                    i = after[0]  # a question whose value stands on a line of its own below
                    continue
                break
            continue
        i += 1
    return "\n".join(out)


def _next_block(lines: list[str], start: int) -> tuple[int, list[str]] | None:
    """(index after, lines) of the next block of non-blank lines from `start`."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    end = i
    while end < len(lines) and lines[end].strip():
        end += 1
    return (end, [ln.strip() for ln in lines[i:end]]) if end > i else None


@pytest.fixture(scope="module")
def annex_only(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("annex-only")
    text = SAMPLES["luton"].read_text(encoding="utf-8")
    cut = without_chapter_tables(text)
    assert cut.count("% yes") < text.count("% yes") and "child’s desistance? 95%" not in cut
    sample = folder / "luton-yos.txt"
    sample.write_text(cut, encoding="utf-8")
    return sample


FORMS = ("text", "html", "docx", "markdown_md", "docx_pdf",
         pytest.param("html_pdf", marks=pytest.mark.xfail(strict=True, reason=(
             "Chromium prints the annex's middle column a few characters wide, and PDFium's text of it drops and "
             "inserts spaces ('Isthereaclear', 'S t a n d a r d s'): 3 of 23 key questions are read (measured)"))))


@pytest.mark.parametrize("form", FORMS)
def test_every_key_question_comes_from_the_annex(form, annex_only, tmp_path, render):
    if form == "text":
        path = annex_only
    else:
        try:
            path = routes.derive_document(form, annex_only, tmp_path, render)
        except routes.Unavailable as e:
            pytest.skip(str(e))
    tables = extract_file(str(path), sha256_of(path), Options())
    got = {(r["standard"], r["index"]): r["pct_yes"] for r in tables["key_questions"]}
    assert got == ANNEX
    assert all(r["source"] == "annex" for r in tables["key_questions"])
    # the standards' ratings still stand, and 3.3's (Good, 62% lowest) is recomputed from the annex's values
    ratings = {r["standard"]: (r["rating"], r["rating_recomputed"]) for r in tables["ratings"]}
    assert ratings["3.3"] == ("Good", "Requires improvement")
    assert ratings["2.2"] == ("Inadequate", "Inadequate")
