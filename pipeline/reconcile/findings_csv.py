"""findings.csv: every finding of a counted inspection, with the report's
service name and source file beside its report_id, safe to open in a
spreadsheet (no cell runs as a formula)."""
from __future__ import annotations

import csv
import io
from typing import Any

from pipeline.core.records import Row
from pipeline.core.schema import table_schema
from pipeline.core.spreadsheet import safe_cell

from pipeline.reconcile.rows import read_corpus, std_key, text
from pipeline.reconcile.wording import LEVEL_ORDER


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return safe_cell(str(v))


def findings_csv(tables: dict[str, Any]) -> str:
    """Findings rows in a stable order; copies of an inspection are left out,
    like everywhere else in the reconciliation."""
    corpus = read_corpus(tables)
    reports = {r["report_id"]: r for r in corpus.reports}
    cols = list(table_schema("findings").names)
    # the report's name and file beside its id, each once (the findings table has its own service_name)
    header = cols[:1] + ["service_name", "source_file"] + [c for c in cols[1:] if c not in ("service_name",
                                                                                          "source_file")]

    def key(f: Row) -> tuple[Any, ...]:
        r = reports.get(f["report_id"], {})
        return (text(r.get("service_name")).lower(), text(f["report_id"]),
                LEVEL_ORDER.get(f["level"] or "", 9), std_key(f["standard"]),
                tuple(str(_csv_value(f[c])) for c in cols))

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for f in sorted(corpus.findings, key=key):
        r = reports.get(f["report_id"], {})
        row = {**f, "service_name": r.get("service_name"), "source_file": r.get("source_file")}
        writer.writerow([_csv_value(row[c]) for c in header])
    return buf.getvalue()
