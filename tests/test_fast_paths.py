"""Each shortcut taken for speed gives what the plain way gives: the plain
way is written out here and compared on every line or sentence of the
samples (and on made-up edge cases)."""
import re

import pytest
from conftest import SAMPLES

from pipeline.ingest import text as ingest
from pipeline.ingest.decode import decode_text
from pipeline.core import headings as segment
from pipeline.core import text
from pipeline.extract import explanations
from pipeline.core.patterns import load


@pytest.fixture(scope="module")
def sample_lines() -> list[str]:
    """Every raw line of the three samples, as the text route reads them."""
    lines: list[str] = []
    for path in SAMPLES.values():
        for page in ingest.split_text_pages(decode_text(path.read_bytes())):
            lines.extend(page)
    return lines


def test_one_pattern_for_all_running_lines_finds_what_each_pattern_finds(sample_lines):
    patterns = [re.compile(p) for p in load("layout")["running_lines"]]
    edge_cases = ["Inspection of youth offending services: Somewhere YOS 12", "Page 3 of 40", "Page 3",
                  "12 Inspection of youth justice services", "An inspection of the youth offending team",
                  "Inspection of youth services 12", ""]
    found = 0
    for raw in sample_lines + edge_cases:
        line = ingest.normalise_line(raw)
        plain = next((m for m in (p.match(line) for p in patterns) if m), None)
        fast = ingest.running_line(line)
        assert (fast is None) == (plain is None), line
        if plain and fast:
            assert fast.groupdict() == plain.groupdict(), line
            found += 1
    assert found >= 10  # real running lines were compared, not only misses


def test_normalise_line_skips_only_work_that_changes_nothing(sample_lines, monkeypatch):
    table = ingest._char_table()

    def plain(line: str) -> str:
        return re.sub(r"[ \t]+", " ", line.translate(table)).strip()

    for line in sample_lines + ["a\u00a0\u00a0b\t\tc", "  \u2018quoted\u2019 \u2013 text  ", "\t", "ﬁnd ﬂow"]:
        assert ingest.normalise_line(line) == plain(line), line
    # a table that maps an ASCII character is applied to ASCII lines too
    monkeypatch.setattr(ingest, "_char_table", lambda: {ord("~"): "-"})
    ingest._maps_ascii.cache_clear()
    try:
        assert ingest.normalise_line("10 ~ 12") == "10 - 12"
    finally:
        ingest._maps_ascii.cache_clear()


def test_major_headings_in_one_pattern_keep_the_first_kind_in_file_order(sample_lines):
    """classify_heading tries the kinds as one alternation; the plain way
    tries each kind's pattern in file order and takes the first that matches."""
    kinds = [(kind, re.compile(rf"^(?:{'|'.join(alts)})$", re.I)) for kind, alts in load("headings")["major"].items()]
    literals = [alt for alts in load("headings")["major"].values() for alt in alts if re.fullmatch(r"[\w ,&'-]+", alt)]
    compared = 0
    for line in sample_lines + literals + [a.upper() for a in literals]:
        clean = text.strip_trailing_marker(ingest.normalise_line(line))
        if not clean or len(clean) > 90:
            continue
        plain = next((kind for kind, pattern in kinds if pattern.match(clean)), None)
        got = segment.classify_heading(clean)
        if plain:
            assert got is not None and got[0] == plain, clean
            compared += 1
        else:
            assert got is None or got[0] in ("domain", "standard"), clean
    assert compared > 20


def test_the_footnote_marker_pattern_finds_what_it_found_without_its_digit_lookahead(sample_lines):
    data = load("footnotes")["glued_marker"]
    assert data.startswith("(?=\\d)")
    without = re.compile(data[len("(?=\\d)"):])
    for line in sample_lines + ["rating15 for", "safe?12 Yes", "services.'3", "(2019)5 and", "2.1.1", "1,234", "62%13"]:
        assert text.footnote_markers(line) == [int(m.group("n")) for m in without.finditer(line)], line


def test_the_first_word_screen_passes_every_sentence_the_word_set_passes():
    words: set[str] = set()
    for pattern in load("discretion")["DISCRETION"]:
        lower = pattern[0]["LOWER"]
        words.update(lower["IN"] if isinstance(lower, dict) else [lower])
    screened = 0
    sentences = [s for path in SAMPLES.values() for s in explanations.sentences(path.read_text(encoding="utf-8"))]
    for sentence in sentences + ["Within-five points", "uplifted.", "the ratings-panel agreed", "5percentage"]:
        plain = bool(set(re.findall(r"[a-z0-9]+", sentence.lower())) & words)
        fast = bool(explanations._discretion_first_word().search(sentence.lower()))
        assert fast == plain, sentence
        screened += fast
    assert screened > 50


def test_joined_text_is_the_plain_concatenation():
    def plain(texts: list[str]) -> tuple[str, list[int]]:
        out, starts = "", []
        for t in texts:
            part = " ".join(t.split())
            if part and out and not (out.endswith("-") and part[:1].islower() and not out.endswith(" -")):
                out += " "
            starts.append(len(out))
            out += part
        return out, starts

    cases = [[], [""], ["multi-", "agency"], ["Total 10 -", "range"], ["a", "", "b"], ["-", "x"], [" -", "y"],
             ["word -", "Next"], ["  spaced   out ", "line"], ["ends-", "", "lower"]]
    for texts in cases:
        assert text._join(texts) == plain(texts), texts


def test_report_kind_counts_what_case_insensitive_patterns_count():
    """Phrases run on the lower-cased text and acronyms on the text as
    printed give the same mentions, in the same order and casing, as the
    whole list run with re.IGNORECASE on the text as printed."""
    from pipeline.segment import report_kind

    data = load("report_kind")
    lists = {"youth": data["youth_wording"], **data["other_kinds"]}
    compiled = report_kind._compiled()
    phrases = {"youth": compiled["youth"], **compiled["other"]}
    made_up = ("People on Probation met the Regional Probation Director; HMI PRISONS and HMP Leeds; "
               "OFSTED and Ofsted; His Majesty's Inspector; the YOS and yos; Youth Justice Services; "
               "a CRC and crcs; Out-of-Court Disposals")
    texts = [path.read_text(encoding="utf-8") for path in SAMPLES.values()] + [made_up]
    for kind, alternatives in lists.items():
        reference = re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)
        for sample in texts:
            assert report_kind._mentions(phrases[kind], sample, sample.lower()) == reference.findall(sample), kind
