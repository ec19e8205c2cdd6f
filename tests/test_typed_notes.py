"""Notes an author typed as paragraphs, GOV.UK's '[footnote N]' links, and a
data box under a standard's descriptor: none of them a fact's label or value
(the house styles' seed 0, 1 and 3 renderings, cut to the lines concerned)."""
from pipeline.core.document import BlockKind
from pipeline.extract.facts import read_facts
from pipeline.ingest.read import read_document
from pipeline.ingest.text import normalise_line
from pipeline.segment.sections import cut

PAGE = """<html><body><h1>Contextual facts</h1>
<h4>Population information[6]</h4>
<table><tr><td>214,109</td><td>Total population Luton</td></tr></table>
<p>[6] Office for National Statistics. (2021). UK population estimates, mid-2020.</p>
<p>[7] This paragraph's number is cited nowhere above.</p>
</body></html>"""


def test_a_typed_note_cited_above_is_a_footnote_not_a_fact(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    document = read_document(path)
    notes = [(b.number, b.text) for p in document.pages for b in p.blocks if b.kind is BlockKind.FOOTNOTE]
    assert notes == [(6, "Office for National Statistics. (2021). UK population estimates, mid-2020.")]
    paragraphs = [b.text for p in document.pages for b in p.blocks if b.kind is BlockKind.PARAGRAPH]
    assert "[7] This paragraph's number is cited nowhere above." in paragraphs
    facts, _ = read_facts(cut(document))
    assert [(f.name, f.value) for f in facts] == [("total_population", 214109)]


def test_a_govuk_footnote_link_is_a_marker():
    assert normalise_line("First-time entrant rate per 100,000 in Luton YOS[footnote 4]") == \
        "First-time entrant rate per 100,000 in Luton YOS4"
    assert normalise_line("Reoffending rate in England and Wales [Footnote 5]") == \
        "Reoffending rate in England and Wales5"


def test_a_data_box_label_never_runs_on_from_the_standards_descriptor(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("""<html><head><meta charset="utf-8"></head><body><h2>1.1. Governance and leadership</h2>
<table><tr><td>Our rating Requires improvement</td><td>The governance and leadership of the YOT supports
and promotes the delivery of a high-quality, personalised and responsive service for all children.</td></tr></table>
<h3>Total spend in previous financial year £1,333,515</h3>
<p>In making a judgement about governance and leadership, we take into account the answers to the
following three questions:</p></body></html>""")
    facts, _ = read_facts(cut(read_document(path)))
    assert [(f.name, f.value, f.label) for f in facts] == [
        ("total_spend_previous_year", 1333515, "Total spend in previous financial year")]


def test_a_running_line_with_its_page_number_first_is_furniture_a_repeated_note_is_not():
    from pipeline.ingest.furniture import running_texts
    texts = []
    for page in (2, 3, 4, 5):
        texts += [f"{page} Inspection of youth offending services: Bedfordshire YOS", "Some text of the page.",
                  f"{page * 4} The rating for the standard is driven by the lowest score on each of the key "
                  "questions, which is placed in a rating band."]
    assert running_texts(texts, whole=True) == {0, 3, 6, 9}
    # a text export's line may be a note's first line, wrapped before its full stop: never furniture by its start
    lines = [f"{n} The rating for the standard is driven by the lowest score on each of the key questions, which is"
             for n in (10, 11, 14, 17)]
    assert running_texts(lines) == set()
