"""The reconciliation report: where published ratings and the published rules
disagree, built only from rows of the output tables.

- `view.build_view(tables)`: the view model (pure; plain dicts and lists);
- `render.render_html` / `render.render_markdown`: the same view model through
  the Jinja2 templates in `templates/` (HTML autoescaped; Markdown escaped by
  the environment's finalize);
- `findings_csv.findings_csv(tables)`: the findings, formula-safe;
- `write_reconciliation(tables, folder)`: all three files into `folder`.

Output is deterministic: the same tables give byte-identical files.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.output import store

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
    "write_reconciliation",
]


def write_reconciliation(tables: dict, folder: Path) -> None:
    """Write reconciliation.md, reconciliation.html and findings.csv into
    `folder` from `tables` (pyarrow tables or pandas frames), each atomically."""
    folder = Path(folder)
    view = build_view(tables)
    store.write_text_atomic(render_markdown(view), folder / OUTPUT_FILES["markdown"])
    store.write_text_atomic(render_html(view), folder / OUTPUT_FILES["html"])
    store.write_text_atomic(findings_csv(tables), folder / OUTPUT_FILES["csv"])
