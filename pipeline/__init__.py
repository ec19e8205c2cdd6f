"""Youth justice inspection reports to typed tables.

`from pipeline import load` gives the extracted tables as typed pandas
DataFrames (see pipeline/loader.py); it is imported lazily so the stages and
the command line do not pay for pandas until it is used.
"""
from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "load":
        from pipeline.output.loader import load

        return load
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
