"""Only youth justice inspections are accepted; other inspection reports that
mention youth services are refused by what they are (issue 13 item 3)."""
import pytest

from conftest import SAMPLES

PROSE = ("Inspectors spoke to managers and practitioners and read the case records before the fieldwork "
         "week, and the findings below draw on all of that evidence together.")


def pages(*blocks: str) -> str:
    """Text export: each page starts with a line led by a single space."""
    return "\n".join(" " + block.strip("\n") for block in blocks) + "\n"


def adult_probation_report() -> str:
    foreword = ("Foreword\nThis inspection looked at probation services in Anytown. Most people on probation were "
                "supervised well.\nThe PDU works closely with the local youth offending services when young adults "
                "transfer to adult probation services.\nJustin Russell\nHM Chief Inspector of Probation")
    ratings = "\n".join([
        "Ratings", "Anytown PDU Score 13/27", "Overall rating Requires improvement",
        "1. Organisational delivery", "1.1 Leadership Requires improvement", "1.2 Staff Good",
        "1.3 Services Requires improvement", "1.4 Information and facilities Good",
        "2. Case supervision", "2.1 Assessment Requires improvement", "2.2 Planning Inadequate",
        "2.3 Implementation and delivery Requires improvement", "2.4 Reviewing Inadequate"])
    body = [f"{code} {name}\n" + "\n".join([
        f"Our rating for {name.lower()} is based on the following key questions:",
        "Does assessment focus sufficiently on engaging the person on probation?",
        "Practitioners in the probation delivery unit had high caseloads; people on probation were not always "
        "seen in person.", PROSE, "The Regional Probation Director and the head of the PDU had a plan for "
        "unpaid work and for the people on probation awaiting allocation."])
        for code, name in [("2.1", "Assessment"), ("2.2", "Planning"), ("2.3", "Implementation and delivery"),
                           ("2.4", "Reviewing")]]
    return pages("An inspection of probation services in:\nAnytown PDU\nHM Inspectorate of Probation\nMarch 2023",
                 foreword, ratings, "Executive summary\nOverall, Anytown PDU is rated as: Requires improvement.\n"
                 "People on probation told us they valued their probation practitioners.\n" + PROSE, *body)


def prisons_yoi_report() -> str:
    return pages(
        "Report on an unannounced inspection of\nHMYOI Anyplace\nby HM Chief Inspector of Prisons\n"
        "3-14 October 2022",
        "Introduction\nHMYOI Anyplace is a young offender institution holding boys aged 15 to 18.\n"
        "Healthy prison outcomes\nSafety Not sufficiently good\nCare Reasonably good\n"
        "Purposeful activity Poor\nResettlement Reasonably good",
        "Section 1. Summary of key findings\n1.1 Children arrived from courts across the region and\n"
        "were held in safe conditions in the first night unit.\n"
        "1.2 The youth offending team workers visited regularly and\n"
        "1.3 Relationships between staff and children were good\n"
        "1.4 Purposeful activity was poor: children spent too long\nlocked in their cells. " + PROSE,
        "Section 3. Safety\n3.1 Early days in custody\nChildren in HMYOI Anyplace said that staff were "
        "supportive. YOT workers attended most sentence planning meetings.\n3.2 Managing behaviour\n"
        "3.3 Security\n" + PROSE + "\nThis young offender institution had improved since the last inspection "
        "by HM Chief Inspector of Prisons.",
        "Section 6. Rehabilitation and release planning\n6.1 Children and families\n6.2 Release planning\n"
        "Youth offending services in the community were told of release dates late. " + PROSE)


def ofsted_report() -> str:
    return pages(
        "Ofsted\nInspection of Anyshire local authority children's services\nInspection dates: 6 to 17 March 2023"
        "\nLead inspector: A Name, His Majesty's Inspector",
        "Judgement Grade\nThe impact of leaders on social work practice with children and families Good\n"
        "The experiences and progress of children who need help and protection Requires improvement to be good\n"
        "The experiences and progress of children in care Good\nOverall effectiveness Good",
        "What needs to improve?\nThe quality of return home interviews.\nThe youth offending service and "
        "children's social care share information about children at risk of exploitation. " + PROSE,
        "The experiences and progress of children who need help and protection: requires improvement to be good\n"
        + PROSE + "\nOfsted will evaluate the local authority's progress at the next inspection.")


@pytest.mark.parametrize("make", [adult_probation_report, prisons_yoi_report, ofsted_report])
def test_other_inspection_reports_are_refused_by_kind(tmp_path, make):
    from pipeline.core.errors import NotAReportError
    from pipeline.ingest.read import read_document
    from pipeline.segment.sections import segment

    path = tmp_path / "report.txt"
    path.write_text(make(), encoding="utf-8")
    with pytest.raises(NotAReportError) as caught:
        segment(read_document(path))
    assert caught.value.error == "not_a_youth_justice_report"
    assert "not a youth justice inspection" in caught.value.message


def _cut(text: str, start: str, end: str | None) -> str:
    i = text.index(start)
    return text[:i] + (text[text.index(end, i):] if end else "")


@pytest.mark.parametrize("cut", ["no ratings page", "no annex", "neither"])
@pytest.mark.parametrize("sample", ["luton", "bedfordshire", "north_somerset"])
def test_youth_reports_with_parts_missing_are_accepted(tmp_path, sample, cut):
    from pipeline.ingest.read import read_document
    from pipeline.segment.sections import segment

    text = SAMPLES[sample].read_text(encoding="utf-8")
    if cut in ("no ratings page", "neither"):
        after = next(h for h in (" Executive summary", " Recommendations") if h in text[text.index(" Ratings \n"):])
        text = _cut(text, " Ratings \n", after)
    if cut in ("no annex", "neither"):
        text = _cut(text, "\n Annexe 1:", None)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    report = segment(read_document(path))
    assert len([s for s in report.sections if s.kind == "standard"]) >= 11


def test_not_a_report_at_all_is_still_not_a_report(tmp_path):
    from pipeline.core.errors import NotAReportError
    from pipeline.ingest.read import read_document
    from pipeline.segment.sections import segment

    path = tmp_path / "minutes.txt"
    path.write_text(pages("Minutes of the management board\n1.1 Apologies\n1.2 Minutes of the last meeting\n"
                          "1.3 Matters arising\n" + PROSE), encoding="utf-8")
    with pytest.raises(NotAReportError) as caught:
        segment(read_document(path))
    assert caught.value.error == "not_a_report"
