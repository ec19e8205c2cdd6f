"""pipeline.core.text: joining wrapped lines, and mapping the joined text back to lines and pages."""
from pipeline.core.document import Line
from pipeline.core.text import JoinedText, join_wrapped


def test_joined_text_maps_offsets_to_pages_across_a_hyphenated_break():
    lines = [Line(3, "We examined 17 out-of-"), Line(4, "court disposals.  "), Line(4, ""),
             Line(5, "Total 10 -"), Line(5, "range")]
    joined = JoinedText(lines)
    assert joined.text == "We examined 17 out-of-court disposals. Total 10 - range"
    assert joined.text == join_wrapped([line.text for line in lines])
    assert joined.page_at(joined.text.index("17")) == 3
    assert joined.page_at(joined.text.index("court disposals")) == 4
    assert joined.line_at(joined.text.index("range")) == lines[4]


def test_join_wrapped_collapses_whitespace_and_keeps_capitalised_hyphen_breaks():
    assert join_wrapped(["  multi-", "agency\u00a0 work ", "", "Anglo-", "Saxon"]) == "multi-agency work Anglo- Saxon"
    assert join_wrapped([]) == ""


def test_sentences_at_gives_each_sentence_with_its_offset():
    from pipeline.extract.explanations import sentences_at

    text = "  First one. Second? 95% stays. 'Third' here"
    got = sentences_at(text)
    assert [s for s, _ in got] == ["First one.", "Second? 95% stays.", "'Third' here"]
    assert all(text[offset:offset + len(s)] == s for s, offset in got)


def test_number_words():
    from pipeline.extract.report_meta import number_value

    assert [number_value(t) for t in ("27", "six", "Twenty-seven", "twenty seven", "forty")] == [27, 6, 27, 27, 40]
    assert [number_value(t) for t in ("the", "twenty-twelve", "seven-twenty", "")] == [None, None, None, None]
