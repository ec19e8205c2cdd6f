"""OUT_DIR/inspections.duckdb: every table, with column comments from the
schema definitions, plus views for the questions analysts ask first.

The database is built under a hidden name in the same folder and moved into
place in one rename, so a reader never opens a half-built file.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa

from pipeline.core import rules
from pipeline.output.names import DATABASE
from pipeline.core.records import Rating
from pipeline.core.schema import TABLE_DEFS, is_rating_column



def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _primary(tables: dict[str, pa.Table], alias: str = "r") -> str:
    """SQL condition keeping one file per inspection (see INTERFACES: a
    missing duplicate_of column counts as all-null)."""
    if "duplicate_of" in tables["reports"].schema.names:
        return f"{alias}.duplicate_of IS NULL"
    return "TRUE"


def divergences_sql(tables: dict[str, pa.Table]) -> str:
    """Every standard whose published rating is not the band of its lowest
    key question, with the service, the lowest question and the report's
    own explanation, each with its page."""
    report_columns = tables["reports"].schema.names
    date = "r.inspection_month, " if "inspection_month" in report_columns else ""
    return f"""
CREATE VIEW divergences AS
WITH lowest AS (
    SELECT report_id, standard, index AS lowest_question_index, question AS lowest_question,
           coalesce(pct_exact, pct_yes) AS lowest_question_pct, page AS lowest_question_page
    FROM key_questions
    WHERE coalesce(pct_exact, pct_yes) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY report_id, standard
                               ORDER BY coalesce(pct_exact, pct_yes), index) = 1
)
SELECT r.service_name, r.area, r.framework, {date}f.report_id, r.source_file,
       f.standard, g.standard_name, f.published, f.recomputed, f.lowest_pct, f.points_to_band_edge,
       l.lowest_question_index, l.lowest_question, l.lowest_question_pct, l.lowest_question_page,
       f.explained, f.explanation, f.explanation_page, f.page
FROM findings f
JOIN reports r USING (report_id)
LEFT JOIN ratings g ON g.report_id = f.report_id AND g.standard = f.standard
LEFT JOIN lowest l ON l.report_id = f.report_id AND l.standard = f.standard
WHERE f.level = 'standard' AND f.kind = 'rating_differs_from_rule' AND {_primary(tables)}
ORDER BY r.service_name, r.source_file, f.standard
"""


def ratings_wide_sql(tables: dict[str, pa.Table]) -> str:
    """One row per report (per inspection: copies are left out): overall and
    score, and each standard's published and recomputed rating, in columns
    named s1_1, s1_1_recomputed, ..."""
    report_columns = tables["reports"].schema.names
    identity = "".join(f"r.{c}, " for c in ("service_key", "inspection_id", "inspection_month")
                       if c in report_columns)
    # another framework's standard under the same code (2025's 2.1) is another standard
    own = [fw for fw in rules.frameworks() if not rules.has_inspections_columns(fw)]
    of_framework = f" AND coalesce(r.framework, '') NOT IN ({', '.join(repr(fw) for fw in own)})" if own else ""
    per_standard = []
    for code in rules.standard_codes():
        col = "s" + code.replace(".", "_")
        where = f"g.standard = '{code}'{of_framework}"
        per_standard.append(f"max(g.rating) FILTER (WHERE {where}) AS {col}")
        per_standard.append(f"max(g.rating_recomputed) FILTER (WHERE {where}) AS {col}_recomputed")
    columns = ",\n       ".join(per_standard)
    return f"""
CREATE VIEW ratings_wide AS
SELECT r.report_id, {identity}r.service_name, r.area, r.framework, r.source_file, r.status,
       r.overall_rating, r.overall_recomputed, r.score, r.score_recomputed,
       {columns}
FROM reports r
LEFT JOIN ratings g USING (report_id)
WHERE {_primary(tables)}
GROUP BY ALL
ORDER BY r.service_name, r.source_file
"""


HISTORY_COLUMNS = ("service_key", "inspection_id", "inspection_month")


def history_sql(tables: dict[str, pa.Table]) -> str | None:
    """Successive inspections of each service, each beside the one before:
    built on the `inspections` table, whose previous_inspection_id is the one
    rule for "the inspection before" (inspections.py)."""
    if "inspections" not in tables or not set(HISTORY_COLUMNS) <= set(tables["inspections"].schema.names):
        return None
    return """
CREATE VIEW inspection_history AS
SELECT i.service_key, i.inspection_id, i.inspection_month, i.service_name, i.framework,
       i.overall_rating, i.overall_recomputed, i.score, i.score_recomputed,
       row_number() OVER (PARTITION BY i.service_key ORDER BY i.inspection_month, i.inspection_id)
           AS inspection_number,
       i.previous_inspection_id,
       p.inspection_month AS previous_inspection_month,
       p.overall_rating AS previous_overall_rating,
       p.score AS previous_score,
       i.score - p.score AS score_change
FROM inspections i
LEFT JOIN inspections p ON p.inspection_id = i.previous_inspection_id
WHERE i.service_key IS NOT NULL AND i.inspection_month IS NOT NULL
ORDER BY i.service_key, i.inspection_month
"""


def _comments(name: str, columns: list[str]) -> list[str]:
    definition = TABLE_DEFS.get(name)
    if definition is None:
        return []
    known = {c.name: c.description for c in definition.columns}
    out = [f"COMMENT ON TABLE {name} IS {_quote(definition.description)}"]
    out += [f'COMMENT ON COLUMN {name}."{col}" IS {_quote(known[col])}'
            for col in columns if col in known]
    return out


def select_typed(name: str, table: pa.Table) -> tuple[str, list[str]]:
    """The SELECT list that types table `name` for DuckDB, and the columns it
    gives: rating columns as the ordered ENUM `rating`; each `date` column as
    DATE (from its typed `<column>_date`, which it replaces), beside its
    `<column>_precision`."""
    names = table.schema.names
    replace, exclude = [], []
    for col in names:
        if is_rating_column(col):
            replace.append(f'CAST("{col}" AS {RATING_TYPE}) AS "{col}"')
        elif f"{col}_date" in names:
            replace.append(f'"{col}_date" AS "{col}"')
            exclude.append(f'"{col}_date"')
    select = "*"
    if exclude:
        select += f" EXCLUDE ({', '.join(exclude)})"
    if replace:
        select += f" REPLACE ({', '.join(replace)})"
    dropped = {e.strip('"') for e in exclude}
    return select, [c for c in names if c not in dropped]


RATING_TYPE = "rating"


def build(tables: dict[str, pa.Table], path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(path))
    try:
        for name, table in tables.items():
            con.register(f"incoming_{name}", table)
        # one transaction, sent as one script: each statement on its own
        # would pay for its own commit and its own round trip (about 200
        # statements, most of them column comments)
        levels = ", ".join(_quote(r) for r in Rating.ascending())
        statements = ["BEGIN TRANSACTION", f"CREATE TYPE {RATING_TYPE} AS ENUM ({levels})"]
        for name, table in tables.items():
            select, columns = select_typed(name, table)
            statements.append(f"CREATE TABLE {name} AS SELECT {select} FROM incoming_{name}")
            statements += _comments(name, columns)
        statements += [sql for sql in (divergences_sql(tables), ratings_wide_sql(tables), history_sql(tables)) if sql]
        statements.append("COMMIT")
        con.execute(";\n".join(statements))
        for name in tables:
            con.unregister(f"incoming_{name}")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def write_duckdb(tables: dict[str, pa.Table], folder: Path) -> None:
    """Every table and the views into folder/inspections.duckdb, atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / DATABASE
    staging = folder / f".{DATABASE}.tmp"
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        build(tables, staging)
        os.replace(staging, target)
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            leftover.unlink(missing_ok=True)
