"""The reconciliation view model: matrix states, counting each inspection
once, headlines that say whether score differences change a band, and the
chart drawn from the rules data."""
from __future__ import annotations

import copy

import pyarrow as pa
import pytest
from test_reconcile import CLEAN, LUTON, NSOM, PARTIAL, sample_rows, sample_tables

from pipeline.core import rules
from pipeline.output import store
from pipeline.reconcile import build_view, findings_csv, render_html, render_markdown
from pipeline.reconcile.scores import PLOT_WIDTH


def _tables(rows: dict) -> dict:
    return {name: store.to_table(name, rows.get(name, [])) for name in store.TABLES}


def _with_duplicate_of(tables: dict, copies: dict[str, str]) -> dict:
    reports = tables["reports"]
    column = [copies.get(rid) for rid in reports.column("report_id").to_pylist()]
    return {**tables, "reports": reports.append_column("duplicate_of", pa.array(column, pa.string()))}


def _cells(view: dict, rid: str) -> dict[str, dict]:
    row = next(r for r in view["matrix"]["rows"] if r["report_id"] == rid)
    return {**{c["standard"]: c for c in row["cells"]}, "overall": row["overall"]}


def test_matrix_cells_compare_published_with_the_rule():
    cells = _cells(build_view(sample_tables()), LUTON)
    # 2.1: published Good, lowest 62% gives Requires improvement, explained on p. 12
    assert (cells["2.1"]["state"], cells["2.1"]["text"]) == ("above_explained", "G \u25b3 RI")
    # 2.3: published Requires improvement, 48% gives Inadequate, not explained
    assert (cells["2.3"]["state"], cells["2.3"]["text"]) == ("above", "RI \u25b2 I")
    assert "no explanation in the report" in cells["2.3"]["title"]
    assert (cells["3.3"]["state"], cells["3.3"]["text"]) == ("agree", "G \u2713")
    assert (cells["1.1"]["state"], cells["1.1"]["text"]) == ("qualitative", "RI \u25cb")
    assert cells["2.2"]["state"] == "absent" and cells["4.1"]["state"] == "absent"
    assert (cells["overall"]["state"], cells["overall"]["text"]) == ("agree", "RI \u2713")
    columns = build_view(sample_tables())["matrix"]["columns"]
    assert columns == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4",
                       "3.1", "3.2", "3.3", "3.4", "4.1"]


def test_matrix_below_and_unchecked():
    rows = sample_rows()
    rows["ratings"].append({"report_id": CLEAN, "domain": "2", "standard": "2.2", "standard_name": "Planning",
                            "rating": "Requires improvement", "quantitative": True, "lowest_pct": 82.0,
                            "rating_recomputed": "Outstanding", "page": 21})
    rows["ratings"].append({"report_id": CLEAN, "domain": "2", "standard": "2.3",
                            "standard_name": "Implementation and delivery", "rating": "Good",
                            "quantitative": True, "lowest_pct": None, "rating_recomputed": None, "page": 22})
    cells = _cells(build_view(_tables(rows)), CLEAN)
    assert (cells["2.2"]["state"], cells["2.2"]["text"]) == ("below", "RI \u25bc O")
    assert (cells["2.3"]["state"], cells["2.3"]["text"]) == ("unchecked", "G ?")


def test_copies_are_left_out_of_every_count_and_listed():
    tables = _with_duplicate_of(sample_tables(), {NSOM: LUTON})
    view = build_view(tables)
    s = view["summary"]
    assert s["reports"] == 3 and s["copies"] == 1
    assert s["divergences"] == 2 and s["explained"] == 1  # North Somerset's two are gone
    assert s["standards_checked"] == 5
    everywhere = ([r["report_id"] for r in view["matrix"]["rows"]] + [d["report_id"] for d in view["divergences"]]
                  + [c["report_id"] for c in view["scores"]] + [b["report_id"] for b in view["chart"]["rows"]]
                  + [r["report_id"] for r in view["reports"]])
    assert NSOM not in everywhere and LUTON in everywhere
    assert view["copies"] == [{"report_id": NSOM, "source_file": "north-somerset-yos.pdf",
                               "service_name": "North Somerset Youth Offending Service",
                               "duplicate_of": LUTON, "primary_file": "luton-yos.pdf",
                               "primary_anchor": f"r-{LUTON}"}]
    assert view["headlines"][0] == ("3 inspection reports read (1 partial, 0 failed); 1 further file is a "
                                    "copy of one of these inspections and counted once (see Copies).")
    assert NSOM not in findings_csv(tables)
    md = render_markdown(view)
    assert "## Copies, counted once" in md
    assert "- `north-somerset-yos.pdf` (North Somerset Youth Offending Service): a copy of `luton-yos.pdf`" in md


def test_missing_duplicate_of_column_counts_every_report():
    tables = sample_tables()
    reports = tables["reports"]
    if "duplicate_of" in reports.column_names:  # tables written before the column existed
        tables["reports"] = reports.drop_columns(["duplicate_of"])
    view = build_view(tables)
    assert view["summary"]["reports"] == 4 and view["summary"]["copies"] == 0 and view["copies"] == []
    all_null = _with_duplicate_of(sample_tables(), {})
    assert build_view(all_null)["summary"] == view["summary"]


def test_duplicate_file_errors_are_copies_not_failures():
    rows = sample_rows()
    rows["errors"] = [{"source_file": "luton-copy.pdf", "stage": "ingest", "error": "duplicate_file",
                       "message": "same content (sha256) as luton-yos.pdf: extracted once, under that name"}]
    view = build_view(_tables(rows))
    assert view["errors"] == [] and view["summary"]["files_with_errors"] == 0
    assert view["summary"]["copies"] == 1 and view["copies"][0]["source_file"] == "luton-copy.pdf"


def test_headline_says_score_differences_change_no_band():
    view = build_view(sample_tables())
    overall = view["headlines"][2]
    assert overall == ("No published overall rating differs from the rules; the recomputed score differs "
                       "from the published one in 3 of 4 reports, but none of them changes the score band.")
    assert view["scores_headline"] == ("The recomputed score differs from the published one in 3 of "
                                       "4 reports; none of them changes the score band.")
    assert [c["band_changes_text"] for c in view["scores"]] == ["no", "no", "no", "no"]
    assert view["score_overall"][0]["band_change"] == "no"  # printed 18 and sum 17: both Requires improvement
    assert view["score_overall_headline"] == (
        "1 report prints a score other than the sum of its published ratings; it does not change the "
        "score band. No published overall rating differs from the rules.")
    md = render_markdown(view)
    assert md.index("but none of them changes the score band") < md.index("## Score and overall rating")


def test_headline_names_a_band_change():
    rows = sample_rows()
    rows["reports"][0]["score_recomputed"] = 19  # Luton: printed 16 (Requires improvement), 19 is Good
    view = build_view(_tables(rows))
    assert view["headlines"][2].endswith("differs from the published one in 3 of 4 reports, and 1 of "
                                         "them moves the score into another band.")
    luton = next(c for c in view["scores"] if c["report_id"] == LUTON)
    assert (luton["band_published"], luton["band_recomputed"], luton["band_changes_text"]) == (
        "Requires improvement", "Good", "yes")
    bar = next(b for b in view["chart"]["rows"] if b["report_id"] == LUTON)
    assert bar["value_text"] == "16 \u2192 19 *"


def test_chart_follows_the_rules_data(monkeypatch):
    before = build_view(sample_tables())["chart"]
    assert [(b["low"], b["high"], b["name"]) for b in before["bands"]] == [
        (0, 6, "Inadequate"), (7, 18, "Requires improvement"), (19, 30, "Good"), (31, 36, "Outstanding")]
    data = copy.deepcopy(rules._rules())
    next(b for b in data["score_bands"] if b["rating"] == "Good")["min"] = 21
    data["score_max"] = 40
    monkeypatch.setattr(rules, "_rules", lambda: data)
    view = build_view(sample_tables())
    chart = view["chart"]
    assert [(b["low"], b["high"], b["name"]) for b in chart["bands"]] == [
        (0, 6, "Inadequate"), (7, 20, "Requires improvement"), (21, 30, "Good"),
        (31, 40, "Outstanding")]
    assert [t["label"] for t in chart["ticks"]] == ["0", "7", "21", "31", "40"]
    luton = next(b for b in chart["rows"] if b["report_id"] == LUTON)
    published = next(b for b in luton["bars"] if b["kind"] == "published")
    assert float(published["width"]) == pytest.approx(PLOT_WIDTH * 16 / 40, abs=0.05)
    page = render_html(view)
    assert 'data-band="Good" data-low="21" data-high="30"' in page and "Score (0&ndash;40)" in page
    assert 'data-low="19"' not in page
    # Cleanshire's 22 published and recomputed: Good under the old bands, Good under the new
    assert next(c for c in view["scores"] if c["report_id"] == CLEAN)["band_published"] == "Good"
    assert next(c for c in view["scores"] if c["report_id"] == PARTIAL)["band_published"] == "Requires improvement"


def test_unknown_kind_and_orphan_findings_stay_visible():
    rows = sample_rows()
    rows["findings"].append({"report_id": LUTON, "level": "report", "kind": "brand_new_kind",
                             "explained": False, "detail": "something another stage found"})
    rows["findings"].append({"report_id": "ffffffffffffffff", "level": "standard", "standard": "2.1",
                             "kind": "rating_differs_from_rule", "published": "Good",
                             "recomputed": "Inadequate", "explained": False, "detail": "no reports row"})
    view = build_view(_tables(rows))
    assert [(o["kind"], o["kind_label"]) for o in view["other"]] == [("brand_new_kind", "brand_new_kind")]
    orphan = view["reports"][-1]
    assert orphan["service_name"] == "report ffffffffffffffff" and len(orphan["divergences"]) == 1
    md = render_markdown(view)
    assert "brand\\_new\\_kind" not in md and "| brand_new_kind |" in md
    assert "### report ffffffffffffffff" in md


def test_view_model_is_the_same_for_both_renderers():
    view = build_view(sample_tables())
    md, page = render_markdown(view), render_html(view)
    for d in view["divergences"]:
        assert d["lowest_text"] in md
    assert view["headlines"][1] in md and view["headlines"][1] in page
    assert md.count("\u25b3") == page.count("\u25b3")  # the same matrix cells and legend
