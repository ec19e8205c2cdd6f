"""reconciliation.html in a real headless Chromium: the rendered DOM holds the
rows, and a screenshot shows the SVG score chart with bars of the right
length. Skips (with the reason) when Chromium is absent and cannot be
installed; see tests/browser.py."""
from __future__ import annotations

import re

import pytest

import browser
from pipeline import store
from pipeline.reconcile import MAX_SCORE, render_chart_svg, write_reconciliation
from test_reconcile import LUTON, LUTON_QUOTE, NSOM_QUOTE_32, sample_tables

PUBLISHED_RGB = (0x1F, 0x5F, 0xA8)
RECOMPUTED_RGB = (0xE0, 0x7B, 0x00)
PLOT_WIDTH = 600  # pixels for 0..36 in render_chart_svg


@pytest.fixture(scope="module")
def chromium():
    path, reason = browser.ensure_chromium()
    if not path:
        pytest.skip(f"no headless chromium: {reason}")
    return path


@pytest.fixture(scope="module")
def html_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parsed")
    for name, table in sample_tables().items():
        store.write_atomic(table, folder / f"{name}.parquet")
    return write_reconciliation(folder)["html"]


@pytest.fixture(scope="module")
def dom(chromium, html_file):
    return browser.dump_dom(chromium, html_file)


@pytest.fixture(scope="module")
def png(chromium, html_file, tmp_path_factory):
    return browser.screenshot(chromium, html_file, tmp_path_factory.mktemp("shot") / "reconciliation.png")


def _rows_of(dom: str, table_class: str) -> list[list[str]]:
    m = re.search(rf'<table class="{table_class}">(.*?)</table>', dom, re.S)
    assert m, f"no table.{table_class} in the rendered page"
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def test_dom_has_rows(dom):
    assert "<svg" in dom and "</svg>" in dom
    assert LUTON in dom and "luton-yos.pdf" in dom
    div_rows = [r for r in _rows_of(dom, "divergences") if r and r[0] == "2.1 Assessment"]
    assert div_rows, "Luton 2.1 row missing"
    r = div_rows[0]
    assert r[1:7] == ["Good", "Requires improvement",
                      "2.1.2 Does assessment sufficiently analyse how to keep the child safe?",
                      "62%", "3", "11"]
    assert LUTON_QUOTE in r[7] and "(p. 12)" in r[7]
    assert NSOM_QUOTE_32 in dom
    conflict = _rows_of(dom, "conflicts")[1]
    assert conflict[0] == "Luton Youth Offending Service"
    assert conflict[3:5] == ["section: 81% (p. 40)", "annex: 62% (p. 47)"]
    scores = {row[0]: row[1:] for row in _rows_of(dom, "scores")[1:]}
    assert scores["Cleanshire Youth Offending Service"] == ["22", "sum of published ratings (no printed score)", "22"]
    assert scores["Luton Youth Offending Service"] == ["16", "printed score", "15"]
    assert "No findings for this report." in dom


def test_screenshot_is_a_page(png):
    counts = browser.colour_counts(png)
    assert len(counts) > 50, f"only {len(counts)} colours: blank page?"
    white = counts.get((255, 255, 255), 0)
    assert white < 0.97 * sum(counts.values())


def _longest_runs(png, rgb) -> list[int]:
    """Longest horizontal run of exactly `rgb` in each screenshot row, descending."""
    width, height, ch, rows = browser.decode_png(png.read_bytes())
    target = bytes(rgb)
    runs = []
    for row in rows:
        best = cur = 0
        for x in range(width):
            if row[x * ch:x * ch + 3] == target:
                cur += 1
                best = max(best, cur)
            else:
                cur = 0
        if best:
            runs.append(best)
    return sorted(runs, reverse=True)


def test_chart_bars_render_to_scale(png):
    counts = browser.colour_counts(png)
    assert counts.get(PUBLISHED_RGB, 0) > 2000, "published-score bars not drawn"
    assert counts.get(RECOMPUTED_RGB, 0) > 2000, "recomputed-score bars not drawn"
    pub = _longest_runs(png, PUBLISHED_RGB)
    rec = _longest_runs(png, RECOMPUTED_RGB)

    def bar_rows(runs, score):  # screenshot rows holding a solid bar of that score's length
        return sum(1 for r in runs if abs(r - PLOT_WIDTH * score / MAX_SCORE) <= 2)

    # printed scores: Luton 16, North Somerset 26, Partialton 18 (Cleanshire's
    # 22 is a sum of published ratings, drawn hatched, so not a solid run)
    for score in (16, 26, 18):
        assert bar_rows(pub, score) >= 12, (score, pub[:60])
    assert bar_rows(pub, 22) == 0
    for score in (15, 24, 22, 17):  # recomputed scores
        assert bar_rows(rec, score) >= 12, (score, rec[:60])


def test_chart_svg_matches_plot_width():
    # the constants the screenshot check relies on
    svg = render_chart_svg([{"report_id": "x", "service_name": "X", "published": 36,
                             "published_source": "printed", "recomputed": 0}])
    assert f'width="{PLOT_WIDTH}"' in svg
