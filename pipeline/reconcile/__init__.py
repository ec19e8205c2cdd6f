"""The reconciliation report: where published ratings and the published rules
disagree, built only from rows of the output tables.

- `view.build_view(tables)`: the view model (pure; plain dicts and lists);
- `render.render_html` / `render.render_markdown`: the same view model through
  the Jinja2 templates in `templates/` (HTML autoescaped; Markdown escaped by
  the environment's finalize);
- `findings_csv.findings_csv(tables)`: the findings, formula-safe;
- `render_all(tables)`: the three files' names and texts (the output stage
  writes them).

Output is deterministic: the same tables give byte-identical files.
"""
from __future__ import annotations

from typing import Any

from pipeline.reconcile.findings_csv import findings_csv
from pipeline.reconcile.render import render_html, render_markdown
from pipeline.reconcile.view import build_view

OUTPUT_FILES = {"markdown": "reconciliation.md", "html": "reconciliation.html",
                "csv": "findings.csv"}

__all__ = [
    "OUTPUT_FILES",
    "build_view",
    "findings_csv",
    "render_html",
    "render_markdown",
    "render_all",
]


def render_all(tables: dict[str, Any]) -> dict[str, str]:
    """reconciliation.md, reconciliation.html and findings.csv (file name ->
    text) from `tables` (pyarrow tables or pandas frames)."""
    view = build_view(tables)
    return {OUTPUT_FILES["markdown"]: render_markdown(view), OUTPUT_FILES["html"]: render_html(view),
            OUTPUT_FILES["csv"]: findings_csv(tables)}
