"""A table definition (schema.TableDef) as a Parquet schema: each column's
pyarrow type, with its description and the table's keys in the metadata."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from pipeline.core.schema import TableDef

# each column type's pyarrow type (by name: pyarrow is imported only where
# tables are built, so a run with nothing to write never loads it)
ARROW_TYPES = {"string": "string", "int8": "int8", "int32": "int32", "float64": "float64", "bool": "bool_",
               "date": "string", "date32": "date32"}


def arrow_schema(table: TableDef) -> pa.Schema:
    """The Parquet schema, with each field's description in its metadata."""
    import pyarrow as pa

    fields = [pa.field(c.name, getattr(pa, ARROW_TYPES[c.type])(),
                       metadata={"description": c.description, "type": c.type})
              for c in table.columns]
    keys = {"primary_key": list(table.primary_key),
            "foreign_keys": [[list(a), t, list(b)] for a, t, b in table.foreign_keys]}
    return pa.schema(fields, metadata={"description": table.description, "keys": json.dumps(keys)})
