"""A table row read from its cells (issue 19: cells first, lines second)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.core import rules
from pipeline.core.document import Cell
from pipeline.extract.row_values import plausible_label, table_patterns

# ------------------------------------------------------------ table cells
# A line cut from a table row carries the row's cells (core.document): the
# row is read from them first, with each value cell's meaning taken from the
# header row above it ('% yes', 'Relevant cases', "Number 'Yes'", in either
# order), so a wrapped label is whole and no value drifts into the next row.

@dataclass
class CellRow:
    """What one table row's cells say: a header row gives column roles (and
    the number of cases), a data row a label and its values."""
    roles: dict[int, str] | None = None
    cases: int | None = None
    label: str | None = None
    values: dict[str, Any] | None = None


def continues_row(cells: tuple[Cell, ...]) -> bool:
    """A body row of several cells with text in the first alone: the rest of
    a row a page break cut (its values were printed with its first part). A
    header row so shaped is a heading spanning the table (Markdown prints a
    span as a cell and empty cells)."""
    return len(cells) > 1 and bool(cells[0].text.strip()) and not cells[0].header \
        and not any(c.text.strip() for c in cells[1:])


def _columns(cells: tuple[Cell, ...]) -> list[tuple[int, Cell]]:
    """Each cell with the index of the grid column it starts in (spans counted)."""
    out, column = [], 0
    for cell in cells:
        out.append((column, cell))
        column += max(cell.col_span, 1)
    return out


def _header_role(text: str) -> str | None:
    rx = table_patterns()
    t = " ".join(text.split())
    if rx["counts_intro"].match(t):
        return "intro"
    if not rx["header"].match(t):
        return None
    low = t.lower()
    if "%" in low:
        return "pct"
    if low.startswith("relevant"):
        return "relevant"
    if low.startswith("number") or low.strip("'‘’ ") == "yes":
        return "yes"
    return "other"


def read_cells(cells: tuple[Cell, ...], roles: dict[int, str], cases: int | None) -> CellRow | None:
    """A table row read from its cells, or None when the cells do not make a
    row of this kind of table (a one-cell row is text: a heading row, prose)."""
    filled = [(col, c) for col, c in _columns(cells) if c.text.strip()]
    header_roles = {col: _header_role(c.text) for col, c in filled}
    if filled and all(header_roles.values()):
        intro = next((c for col, c in filled if header_roles[col] == "intro"), None)
        found = table_patterns()["counts_intro"].match(" ".join(intro.text.split())) if intro else None
        return CellRow(roles={col: r for col, r in header_roles.items() if r in ("pct", "relevant", "yes")},
                       cases=int(found.group("cases")) if found else None)
    label_cells = [(col, c) for col, c in filled if not _is_value_cell(c.text)]
    value_cells = [(col, c) for col, c in filled if (col, c) not in label_cells]
    if not label_cells or not value_cells or not plausible_label(label_cells[0][1].text):
        return None
    if label_cells[-1][0] > value_cells[0][0]:
        return None  # words after the values: not a label-then-values row
    label = " ".join(c.text.strip() for _, c in label_cells)
    return CellRow(label=label, values=_cell_values(value_cells, roles, cases))


def _is_value_cell(text: str) -> bool:
    """'62%', '8', '8 7', 'Not applicable': a cell that holds a value, not words."""
    t = text.strip()
    rx = table_patterns()
    return bool(rx["only"].match(t) or (t.isdigit() and len(t) <= 4) or rx["na_only"].match(t))


def _cell_values(value_cells: list[tuple[int, Cell]], roles: dict[int, str], cases: int | None) -> dict[str, Any]:
    """The values of a row's value cells, each by its column's header role;
    without a header, '62%' is a percentage and two counts are printed
    relevant first, as every table in the reports prints them."""
    printed = " ".join(c.text.strip() for _, c in value_cells)
    if len(value_cells) == 1 and table_patterns()["na_only"].match(value_cells[0][1].text.strip()):
        return {"printed": printed, "not_applicable": True}
    found: dict[str, str] = {}
    for position, (col, cell) in enumerate(value_cells):
        text = cell.text.strip()
        only = table_patterns()["only"].match(text)
        if only and only.group("pct") is not None:
            found["pct"] = only.group("pct")
            continue
        if only or not text.isdigit():
            return {"printed": printed, "problem": f"the cells '{printed}' are not one value per column"}
        role = roles.get(col) or ("relevant", "yes")[min(position, 1)]
        found[role] = text
    if ("relevant" in found) != ("yes" in found):
        return {"printed": printed, "problem": f"the cells '{printed}' hold one count of a pair"}
    # the table's own number of cases bounds its counts (tighter than the domain's, which validate checks)
    problem = rules.counts_problem(int(found["relevant"]), int(found["yes"]), cases) if "relevant" in found else None
    if problem:
        return {"printed": printed, "problem": f"counts printed as '{printed}': {problem}"}
    return {**found, "printed": printed}
