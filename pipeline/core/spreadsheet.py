"""Cells a spreadsheet would run as a formula are made inert by a leading quote."""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text cell starting with = + - @ tab or CR gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
