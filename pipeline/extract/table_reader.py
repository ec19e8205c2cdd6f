"""The one table reader: a TABLE block to typed rows.

Every record kind read from a table (the ratings summary, a standard's
rating box, key questions, prompts, the annex's results, facts) is a
mapping over the rows this module returns, whatever format the table came
from (docs/architecture.md, "The table reader").

A cell is typed by what it holds, never by where it is or what its column
is called: a percentage ('62%'), a count ('8'), a pair of counts in one cell
('8 7', '7 of 8'), a rating word ('Requires improvement', a glued footnote
marker allowed: 'Good22'), 'not applicable', a printed code ('2.1.1') or
letter ('a)'), or words. Only a column of bare numbers needs more: two such
columns are a count pair (relevant and yes), told apart by yes <= relevant
in every row; header words (patterns/tables.json, column_hints) decide
what the numbers alone cannot (which count is which when every row has
them equal; a bare number that is a percentage). A number no rule can
place is a problem on its row (quoted, the value left null), never a guess.

A row's label is its word cells joined, with its printed code and letter
taken off the front. Header rows (all cells marked header, or only words
and the table's intro 'Of the 8 cases inspected:') give the columns' hints
and the number of cases that bounds the counts under them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pipeline.core import rules
from pipeline.core.document import Box, Cell, Table
from pipeline.core.patterns import load
from pipeline.core.records import normalise_rating, pct_of_counts
from pipeline.core.text import strip_trailing_marker


# rows whose numbers show a reversed count pair (yes column first) before the table is read so
SWAP_EVIDENCE = 2


@dataclass(frozen=True)
class GridCell:
    """A cell at its place in the table's grid (spans counted), as docling's
    TableCell: row and column of its top-left corner, spans, header flags."""
    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    column_header: bool = False
    shaded: bool = False
    problem: str | None = None


@dataclass
class TypedRow:
    """One table row: its place, label and printed values (each value null
    where the row does not print it, or prints it unreadably: then `problem`
    says what was printed and why it was not read)."""
    index: int                      # the row's place in the grid (0 = first row)
    page: int | None
    label: str = ""                 # the words, printed code and letter taken off
    code: str | None = None         # '2.1' or '2.1.1' as printed
    letter: str | None = None       # 'a' of 'a)'
    pct: float | None = None
    relevant: int | None = None
    yes: int | None = None
    rating: str | None = None
    rating_marker: int | None = None  # a footnote number glued to the rating ('Good22')
    not_applicable: bool = False
    printed: str = ""               # the value cells as printed
    problem: str | None = None
    header: bool = False            # a header row: no values, column hints
    spanning: bool = False          # one cell across the table (a group heading, a band)
    cases: int | None = None        # the cases the table's intro states, bounding its counts
    cells: tuple[str, ...] = ()     # every cell's text in grid order
    box: Box | None = None

    @property
    def valued(self) -> bool:
        return self.pct is not None or self.relevant is not None or self.not_applicable or bool(self.problem)

    @property
    def pct_exact(self) -> float | None:
        return pct_of_counts(self.yes, self.relevant)

    @property
    def text(self) -> str:
        """The whole row as one line (code and letter included)."""
        return " ".join(t for t in self.cells if t)


@lru_cache(maxsize=1)
def _rx() -> dict[str, Any]:
    c = load("tables")["cells"]
    flags = {"not_applicable": re.I, "cases": re.I}
    out: dict[str, Any] = {k: re.compile(v, flags.get(k, 0)) for k, v in c.items()
                           if isinstance(v, str) and not k.startswith("_")}
    out["hints"] = {role: re.compile("|".join(words), re.I) for role, words in c["column_hints"].items()}
    out["header_prefix"] = re.compile(load("tables")["header_prefix"], re.I)
    out["rating"] = re.compile(rf"^[‘'\"“]?{load('headings')['rating_label']}[’'\"”.]?$", re.I)
    return out


# ------------------------------------------------------------ the grid

def grid(table: Table) -> list[list[GridCell]]:
    """Each row's cells at their grid columns; a cell a row span carries
    down from a row above is not repeated in the rows it covers."""
    covered: dict[tuple[int, int], bool] = {}
    out: list[list[GridCell]] = []
    for r, row in enumerate(table.rows):
        placed: list[GridCell] = []
        col = 0
        for cell in row:
            while covered.get((r, col)):
                col += 1
            placed.append(_grid_cell(r, col, cell))
            for dr in range(1, max(cell.row_span, 1)):
                for dc in range(max(cell.col_span, 1)):
                    covered[(r + dr, col + dc)] = True
            col += max(cell.col_span, 1)
        out.append(placed)
    return out


def _grid_cell(row: int, col: int, cell: Cell) -> GridCell:
    return GridCell(row, col, " ".join(cell.text.split()), cell.row_span, cell.col_span, cell.header, cell.shaded,
                    cell.problem)


# ------------------------------------------------------------ one cell

@dataclass(frozen=True)
class CellValue:
    kind: str  # pct, count, pair, rating, na, code, letter, words, empty
    pct: float | None = None
    count: int | None = None
    relevant: int | None = None
    yes: int | None = None
    rating: str | None = None
    marker: int | None = None
    code: str | None = None


def cell_value(text: str) -> CellValue:
    """What one cell's whole text is."""
    t = text.strip().strip("*_").strip()
    if not t:
        return CellValue("empty")
    rx = _rx()
    if t[0].isdigit() or t[0] in "-−(":
        m = rx["pct"].match(t)
        if m:
            return CellValue("pct", pct=float(m.group("pct").replace("\u2212", "-")))
        if rx["count"].match(t):
            return CellValue("count", count=int(t))
        m = rx["pair"].match(t)
        if m:
            return CellValue("pair", relevant=int(m.group("relevant")), yes=int(m.group("yes")))
        m = rx["fraction"].match(t)
        if m:
            return CellValue("pair", relevant=int(m.group("relevant")), yes=int(m.group("yes")))
        m = rx["code"].match(t)
        if m:
            return CellValue("code", code=m.group("code"))
    if rx["not_applicable"].match(t):
        return CellValue("na")
    m = rx["rating"].match(t)
    if m:
        rating = normalise_rating(m.group("label"))
        if rating:
            return CellValue("rating", rating=rating, marker=int(m.group("marker")) if m.group("marker") else None)
    m = rx["code"].match(t)
    if m:
        return CellValue("code", code=m.group("code"))
    letter = rx["letter"].match(t) if len(t) <= 6 else None
    if letter and (not t.isalpha() or len(t) == 1):  # 'a)', '(b)', 'c.' or a lone 'd'; not a word like 'vi'
        return CellValue("letter", code=letter.group("letter"))
    return CellValue("words")


# ------------------------------------------------------------ the table

@dataclass
class _Columns:
    """What the header rows above say of each grid column."""
    hints: dict[int, set[str]] = field(default_factory=dict)
    cases: int | None = None

    def hint(self, col: int, role: str) -> bool:
        return role in self.hints.get(col, set())


def read_table(table: Table, page: int | None = None, *, cases: int | None = None,
               box: Box | None = None) -> list[TypedRow]:
    """The table's rows, typed. `cases`: the number of cases a heading
    above the table states, if any (a header row inside it may state its own)."""
    cells = grid(table)
    columns = _Columns(cases=cases)
    body: list[tuple[int, list[GridCell], list[CellValue]]] = []
    out: list[TypedRow] = []
    width = table.width
    for r, row in enumerate(cells):
        values = [cell_value(c.text) for c in row]
        filled = [c for c in row if c.text]
        if _is_header(row, values):
            _take_header(row, columns, cases)
            out.append(TypedRow(r, page, label=_words(row), header=True, cells=tuple(c.text for c in row),
                                cases=columns.cases, box=box))
            continue
        spanning = len(filled) == 1 and (filled[0].col_span >= max(width, 2) or len(row) == 1 < width)
        typed = TypedRow(r, page, spanning=spanning, cases=columns.cases, cells=tuple(c.text for c in row), box=box)
        out.append(typed)
        body.append((len(out) - 1, row, values))
    roles = _count_roles(body, columns)
    for at, row, values in body:
        _fill(out[at], row, values, roles, columns)
    return out


def _is_header(row: list[GridCell], values: list[CellValue]) -> bool:
    """Every filled cell marked header, or the table's intro ('Of the 8
    cases inspected:') with only words beside it."""
    filled = [(c, v) for c, v in zip(row, values, strict=True) if v.kind != "empty"]
    if not filled:
        return False
    if all(v.kind == "words" for _, v in filled) and any(_rx()["cases"].search(c.text) for c, _ in filled):
        return True
    # a header-marked row that holds values is a data row drawn bold (a pipe table's first row)
    return all(c.column_header for c, _ in filled) and all(v.kind == "words" for _, v in filled)


def _take_header(row: list[GridCell], columns: _Columns, cases: int | None) -> None:
    """The hints a header row gives its columns, and the cases it states; a
    heading row across the table that states none opens a new group, whose
    counts the cases of the group above do not bound."""
    filled = [c for c in row if c.text]
    if len(filled) == 1 and not _rx()["cases"].search(filled[0].text.lower()):
        columns.cases = cases
    for cell in row:
        text = cell.text.lower().replace("‘", "'").replace("’", "'")
        found = _rx()["cases"].search(text)
        if found:
            columns.cases = int(found.group("cases"))
        for col in range(cell.col, cell.col + max(cell.col_span, 1)):
            hints = {role for role, rx in _rx()["hints"].items() if rx.search(text)}
            if hints:
                columns.hints[col] = hints


def _count_roles(body: list[tuple[int, list[GridCell], list[CellValue]]], columns: _Columns) -> dict[int, str]:
    """Grid column -> 'relevant' / 'yes' / 'pct' / 'unknown' for the columns
    that hold bare numbers."""
    numeric = sorted({c.col for _, row, values in body for c, v in zip(row, values, strict=True)
                      if v.kind == "count"})
    roles: dict[int, str] = {}
    pct_cols = [col for col in numeric if columns.hint(col, "pct") and not (
        columns.hint(col, "relevant") or columns.hint(col, "yes"))]
    for col in pct_cols:
        roles[col] = "pct"
    counts = [col for col in numeric if col not in roles]
    if len(counts) == 2:
        first, second = counts
        relevant, yes = _pair_order(body, first, second, columns)
        roles[relevant], roles[yes] = "relevant", "yes"
        return roles
    for col in counts:
        roles[col] = "unknown"
    return roles


def _pair_order(body: list[tuple[int, list[GridCell], list[CellValue]]], a: int, b: int,
                columns: _Columns) -> tuple[int, int]:
    """(relevant column, yes column). The numbers decide when yes <= relevant
    holds in every row one way round and not the other; otherwise (every
    pair equal, or a row that fits neither) the header's hints, else
    relevant first as every report prints it. A row the order does not fit
    prints an impossible pair, left to validate's sanity limits."""
    pairs: list[tuple[int, int]] = []
    for _, row, values in body:
        at = {c.col: v.count for c, v in zip(row, values, strict=True) if v.kind == "count" and v.count is not None}
        if a in at and b in at:
            pairs.append((at[a], at[b]))
    hinted_b_first = columns.hint(b, "relevant") and not columns.hint(a, "relevant") \
        or columns.hint(a, "yes") and not columns.hint(b, "yes")
    b_above = sum(1 for x, y in pairs if y > x)
    # yes before relevant only where the numbers show it more than once, or the header says so and
    # no row contradicts it: one impossible pair in the usual order is a misprint, not a reversed table
    if all(y >= x for x, y in pairs) and (b_above >= SWAP_EVIDENCE or hinted_b_first and b_above):
        return b, a
    if hinted_b_first and all(y >= x for x, y in pairs):
        return b, a
    return a, b


def _words(row: list[GridCell]) -> str:
    return " ".join(c.text for c in row if c.text)


def _fill(typed: TypedRow, row: list[GridCell], values: list[CellValue], roles: dict[int, str],
          columns: _Columns) -> None:
    """The row's label, code, letter and values from its typed cells."""
    words: list[str] = []
    printed: list[str] = []
    found: dict[str, Any] = {}
    trouble: list[str] = []
    for cell, value in zip(row, values, strict=True):
        kind = value.kind
        if cell.problem:
            typed.problem = typed.problem or cell.problem
            printed.append(cell.text)
            continue
        if kind in ("empty",):
            continue
        if kind == "code" and not words and typed.code is None:
            typed.code = value.code
        elif kind == "letter" and not words and typed.letter is None:
            typed.letter = value.code
        elif kind == "words":
            words.append(cell.text)
        elif kind == "rating":
            if typed.rating is None:
                typed.rating, typed.rating_marker = value.rating, value.marker
        else:
            printed.append(cell.text)
            _value_of(kind, value, roles.get(cell.col), found, trouble, cell.text)
    # a column's header printed in its first row's cell ('% yes Does assessment ...')
    label = _rx()["header_prefix"].sub("", " ".join(words))
    if typed.code is None:
        m = _rx()["code_prefix"].match(label)
        if m:
            typed.code, label = m.group("code"), m.group("rest")
    if typed.letter is None:
        m = _rx()["letter_prefix"].match(label)
        if m:
            typed.letter, label = m.group("letter"), m.group("rest")
    typed.label = strip_trailing_marker(label)
    typed.printed = " ".join(printed)
    _settle(typed, found, trouble)


def _value_of(kind: str, value: CellValue, role: str | None, found: dict[str, Any], trouble: list[str],
              text: str) -> None:
    if kind == "pct":
        found.setdefault("pct", value.pct)
    elif kind == "na":
        found["na"] = True
    elif kind == "pair":
        found.setdefault("relevant", value.relevant)
        found.setdefault("yes", value.yes)
    elif kind == "count" and role in ("relevant", "yes"):
        found.setdefault(role, value.count)
    elif kind == "count" and role == "pct":
        found.setdefault("pct", float(value.count or 0))
    else:
        trouble.append(text)


def _settle(typed: TypedRow, found: dict[str, Any], trouble: list[str]) -> None:
    """Store what the row's value cells say, or its problem."""
    if typed.problem:
        return
    if trouble:
        typed.problem = (f"the number(s) '{' '.join(trouble)}' stand in a column that neither its cells nor its "
                         "header make a percentage or a count of a pair")
        return
    if ("relevant" in found) != ("yes" in found):
        typed.problem = f"the cells '{typed.printed}' hold one count of a pair"
        return
    if "relevant" in found:
        # the table's own number of cases bounds its counts (tighter than the domain's, which validate checks)
        problem = rules.counts_problem(found["relevant"], None, typed.cases)
        if problem:
            typed.problem = f"counts printed as '{typed.printed}': {problem}"
            return
        typed.relevant, typed.yes = found["relevant"], found["yes"]
    typed.pct = found.get("pct")
    typed.not_applicable = bool(found.get("na")) and typed.pct is None and typed.relevant is None
