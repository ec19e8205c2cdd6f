"""The docs site (`make docs`): built from docs/ with no network, no page
loads anything from elsewhere (no web fonts, no CDN), and its search works
opened from the file system in a headless Chromium with the network off.
Skips, with the reason, when MkDocs or Chromium is absent."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import browser
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEARCH = """(async () => {
  document.querySelector('#__search').click();
  const input = document.querySelector('input[data-md-component=search-query]');
  input.focus();
  input.value = %s;
  for (let i = 0; i < 150; i++) {
    input.dispatchEvent(new KeyboardEvent('keyup', {key: 'f', bubbles: true}));
    const found = document.querySelectorAll('.md-search-result__item a');
    if (found.length) return [...found].map(a => a.getAttribute('href'));
    await new Promise(r => setTimeout(r, 100));
  }
  return [];
})()"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("mkdocs", reason="MkDocs is in the dev extra (make setup)")
    out = tmp_path_factory.mktemp("site") / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    return out


def test_every_page_is_built(site):
    pages = sorted(p.stem for p in (ROOT / "docs").glob("*.md"))
    assert sorted(p.stem for p in site.glob("*.html") if p.stem != "404") == pages
    assert (site / "images" / "reconciliation.png").stat().st_size > 50_000


def test_no_page_loads_anything_from_the_network(site):
    for page in site.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        loads = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(https?:|//)", html)
        assert loads == [], page.name
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page.name


def test_search_works_offline_from_the_file_system(site):
    binary, reason = browser.ensure_chromium()
    if not binary:
        pytest.skip(f"no headless chromium: {reason}")
    with browser.DevTools(binary) as page:
        page.call("Network.enable", session=True)
        page.call("Network.emulateNetworkConditions", session=True, offline=True, latency=0,
                  downloadThroughput=-1, uploadThroughput=-1)
        page.open(site / "index.html")
        found = page.evaluate(SEARCH % json.dumps("duplicate_of"))
    # a column's name finds its table in the data dictionary
    assert any(href.endswith("/data-dictionary.html?h=duplicate_of#reports") for href in found), found
