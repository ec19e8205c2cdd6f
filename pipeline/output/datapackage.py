"""OUT_DIR/datapackage.json: a Frictionless Data Package describing every
table, generated from the definitions in schema.py (the same ones the
Parquet writer uses), so the description cannot drift from the data.

Each table is a Parquet file resource (`<table>`: path, bytes, sha256 and
the table's schema as documentation); when the CSV files are in the folder
(`--csv`), each is also a tabular CSV resource (`<table>-csv`) that
`frictionless validate` checks in full: types, constraints, primary and
foreign keys.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from pipeline.core import rules
from pipeline.core.files import sha256_of
from pipeline.output.names import CSV_DIR, DATAPACKAGE
from pipeline.core.schema import TABLE_DEFS, TableDef, is_rating_column
from pipeline.output.store import write_text_atomic

# frictionless field types; `date` columns hold "YYYY-MM-DD" or "YYYY-MM"
FIELD_TYPES = {"string": "string", "int8": "integer", "int32": "integer", "float64": "number", "bool": "boolean",
               "date": "string", "date32": "date"}
ISO_DATE_OR_MONTH = r"^\d{4}-\d{2}(-\d{2})?$"


def _field(column, table: TableDef) -> dict:
    out = {"name": column.name, "type": FIELD_TYPES[column.type], "description": column.description}
    if column.type == "date":
        out["format"] = "default"
        out["constraints"] = {"pattern": ISO_DATE_OR_MONTH}
    elif is_rating_column(column.name):
        out["constraints"] = {"enum": rules.ratings_ascending()}
    if column.name in table.primary_key:
        out.setdefault("constraints", {})["required"] = True
    return out


def table_schema(name: str, table: pa.Table, suffix: str) -> dict:
    """Frictionless Table Schema for the columns the table holds (a column
    another branch added without a definition is described by its type)."""
    definition = TABLE_DEFS[name]
    known = {c.name: c for c in definition.columns}
    fields = []
    for col in table.schema.names:
        if col in known:
            fields.append(_field(known[col], definition))
        else:
            fields.append({"name": col, "type": _type_of(table.schema.field(col).type)})
    schema: dict = {"fields": fields, "missingValues": [""]}
    if definition.primary_key:
        schema["primaryKey"] = list(definition.primary_key)
    if definition.foreign_keys:
        schema["foreignKeys"] = [{"fields": list(here), "reference": {"resource": there + suffix,
                                                                       "fields": list(columns)}}
                                 for here, there, columns in definition.foreign_keys]
    return schema


def _type_of(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "number"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    return "string"


def descriptor(tables: dict[str, pa.Table], with_csv: bool, files: dict[str, tuple[int, str]] | None = None) -> dict:
    """The package. `files`: {path: (bytes, sha256)} of the Parquet files, so
    the validator checks each is the file described."""
    resources = []
    known = [name for name in tables if name in TABLE_DEFS]
    for name in known:
        path = f"{name}.parquet"
        # a file resource: frictionless reads Parquet through pandas, which
        # turns a null integer into NaN and then calls it a type error, so
        # the Parquet files are validated as files (present, bytes, sha256);
        # their schema documents the columns, and the CSV resources carry
        # the same rows, validated in full
        resource: dict[str, object] = {
            "name": name, "type": "file", "path": path, "format": "parquet",
            "mediatype": "application/vnd.apache.parquet", "profile": "data-resource",
            "description": TABLE_DEFS[name].description, "schema": table_schema(name, tables[name], ""),
        }
        if files and path in files:
            resource["bytes"], resource["hash"] = files[path][0], f"sha256:{files[path][1]}"
        resources.append(resource)
    if with_csv:
        for name in known:
            resources.append({
                "name": f"{name}-csv", "path": f"{CSV_DIR}/{name}.csv", "format": "csv", "encoding": "utf-8",
                "mediatype": "text/csv", "profile": "tabular-data-resource",
                "description": TABLE_DEFS[name].description + " Text cells starting with = + - @ tab or CR "
                                                              "carry a leading single quote.",
                "schema": table_schema(name, tables[name], "-csv"),
            })
    return {
        "profile": "data-package",
        "name": "youth-justice-inspections",
        "title": "HM Inspectorate of Probation youth justice inspection reports, as tables",
        "description": "Ratings, key questions, prompts, contextual facts, recommendations and findings "
                       "extracted from the inspection reports, with each rating recomputed under the "
                       "published rules. Every value carries the page it was printed on.",
        "resources": resources,
    }


def write_datapackage(tables: dict[str, pa.Table], folder: Path) -> None:
    """folder/datapackage.json; CSV resources are listed when folder/csv holds
    every table (write_csv runs first)."""
    folder = Path(folder)
    with_csv = all((folder / CSV_DIR / f"{name}.csv").exists() for name in tables if name in TABLE_DEFS)
    files = {}
    for name in tables:
        path = folder / f"{name}.parquet"
        if path.is_file():
            files[path.name] = (path.stat().st_size, sha256_of(path))
    text = json.dumps(descriptor(tables, with_csv, files), indent=2, ensure_ascii=False) + "\n"
    write_text_atomic(text, folder / DATAPACKAGE)
