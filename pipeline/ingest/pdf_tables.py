"""Tables from what a PDF page draws: ruling lines and rectangles.

pdfplumber's table finder (pdfplumber/table.py), cut down to the drawings
these reports hold and written over plain tuples, so that pdf.py can feed it
the path objects it reads through PDFium's raw calls:

1. edges: a thin path is a ruling line; a rectangle gives its four sides,
   whether it is stroked (a cell border) or filled (cell shading: a row of
   filled cells with no lines drawn is a table too);
2. edges on (nearly) the same line are snapped to one position, and pieces of
   one line with small gaps are joined;
3. crossings of horizontal and vertical edges are the grid's points; the
   smallest rectangle of four points joined by edges is a cell;
4. cells that share a corner make one table (a table is two cells or more).

Each cell gets its grid position (row, column, spans) and the fill of the
shading under it. Coordinates are PDF points from the page's top-left (y
grows downwards), as pdf_layout uses them.
"""
from __future__ import annotations

from pipeline.ingest.settings import TABLES

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

# (x0, top, x1, bottom, stroked, fill): a path's bounds; fill is its RGB when filled
Path = tuple[float, float, float, float, bool, "tuple[int, int, int] | None"]



@dataclass
class GridCell:
    x0: float
    top: float
    x1: float
    bottom: float
    row: int = 0
    col: int = 0
    row_span: int = 1
    col_span: int = 1
    fill: tuple[int, int, int] | None = None


@dataclass
class GridTable:
    cells: list[GridCell]
    rows: list[list[GridCell]] = field(default_factory=list)  # cells by the row they start in, left to right
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def contains(self, x: float, y: float, slack: float = 1.0) -> bool:
        x0, top, x1, bottom = self.box
        return x0 - slack <= x <= x1 + slack and top - slack <= y <= bottom + slack


def is_white(fill: tuple[int, int, int] | None) -> bool:
    return fill is not None and min(fill) >= TABLES.white


def find_tables(paths: list[Path], width: float, height: float,
                texts: Sequence[tuple[float, float, float]] = ()) -> list[GridTable]:
    """The tables the page's paths draw, top to bottom. `texts` (each text
    line's top, bottom and left) keeps apart two grids with text between
    them; grids of the same width one above the other with only a small gap
    between them are one table (rows drawn apart, or a header row drawn as a
    box of its own)."""
    if len(paths) < 2 or len(paths) > TABLES.max_paths:
        return []
    hs, vs, fills = _edges(paths, width, height)
    if not hs or not vs:
        return []
    hs, vs = _merge(hs), _merge(vs)
    points = _crossings(hs, vs)
    if len(points) < 4:
        return []
    groups = _stack(_group(_cells(points)), texts)
    tables = [_grid(group, fills) for group in groups if len(group) >= 2]
    tables.sort(key=lambda t: (t.box[1], t.box[0]))
    return tables


def _stack(groups: list[list[GridCell]], texts: Sequence[tuple[float, float, float]]) -> list[list[GridCell]]:
    """Groups of cells joined where one sits right under another, as wide
    (within TABLES.snap at both sides), less than TABLES.stack_gap below it, with no text
    between them."""
    boxes = sorted(((min(c.x0 for c in g), min(c.top for c in g), max(c.x1 for c in g),
                     max(c.bottom for c in g), g) for g in groups), key=lambda b: (b[1], b[0]))
    out: list[tuple[float, float, float, float, list[GridCell]]] = []
    for x0, top, x1, bottom, cells in boxes:
        at = next((i for i in range(len(out) - 1, -1, -1) if abs(out[i][0] - x0) <= TABLES.snap
                   and abs(out[i][2] - x1) <= TABLES.snap and 0 <= top - out[i][3] <= TABLES.stack_gap), None)
        if at is not None:
            ax0, atop, ax1, abottom, above = out[at]
            if not any(abottom - 0.5 <= (t + b) / 2 <= top + 0.5 and ax0 - TABLES.snap <= x <= ax1
                       for t, b, x in texts):
                out[at] = (ax0, atop, ax1, bottom, above + cells)
                continue
        out.append((x0, top, x1, bottom, cells))
    return [b[4] for b in out]


def _edges(paths: list[Path], width: float, height: float
           ) -> tuple[list[list[float]], list[list[float]],
                      list[tuple[float, float, float, float, tuple[int, int, int]]]]:
    """Horizontal edges [y, x0, x1], vertical edges [x, top, bottom], and the
    shading rectangles (x0, top, x1, bottom, fill)."""
    hs: list[list[float]] = []
    vs: list[list[float]] = []
    fills: list[tuple[float, float, float, float, tuple[int, int, int]]] = []
    for x0, top, x1, bottom, stroked, fill in paths:
        w, h = x1 - x0, bottom - top
        if h <= TABLES.thin and w > TABLES.thin:
            if stroked or (fill is not None and not is_white(fill)):
                hs.append([(top + bottom) / 2, x0, x1])
            continue
        if w <= TABLES.thin and h > TABLES.thin:
            if stroked or (fill is not None and not is_white(fill)):
                vs.append([(x0 + x1) / 2, top, bottom])
            continue
        if w <= TABLES.thin or (w >= 0.9 * width and h >= 0.9 * height):
            continue  # a dot, or the page's background
        shaded = fill is not None and not is_white(fill)
        if not (stroked or shaded):
            continue  # white paper laid under something, or an invisible path
        hs += [[top, x0, x1], [bottom, x0, x1]]
        vs += [[x0, top, bottom], [x1, top, bottom]]
        if shaded and fill is not None:
            fills.append((x0, top, x1, bottom, fill))
    return hs, vs, fills


def _merge(edges: list[list[float]]) -> list[list[float]]:
    """Snap edges within TABLES.snap of each other to their mean position (a chain
    of close positions is one line), then join each line's pieces that
    overlap or nearly touch."""
    edges.sort()
    out: list[list[float]] = []
    start = 0
    for i in range(1, len(edges) + 1):
        if i < len(edges) and edges[i][0] - edges[i - 1][0] <= TABLES.snap:
            continue
        line = edges[start:i]
        pos = sum(e[0] for e in line) / len(line)
        line.sort(key=lambda e: e[1])
        current = [pos, line[0][1], line[0][2]]
        for _, a, b in line[1:]:
            if a <= current[2] + TABLES.join:
                current[2] = max(current[2], b)
            else:
                out.append(current)
                current = [pos, a, b]
        out.append(current)
        start = i
    return out


def _crossings(hs: list[list[float]], vs: list[list[float]]) -> dict[tuple[float, float], tuple[int, int]]:
    """Where a vertical edge meets a horizontal one: (x, y) -> (v index, h index)."""
    points: dict[tuple[float, float], tuple[int, int]] = {}
    for vi, (x, top, bottom) in enumerate(vs):
        for hi, (y, x0, x1) in enumerate(hs):
            if top - TABLES.cross <= y <= bottom + TABLES.cross and x0 - TABLES.cross <= x <= x1 + TABLES.cross:
                points[(x, y)] = (vi, hi)
    return points


def _cells(points: dict[tuple[float, float], tuple[int, int]]) -> list[GridCell]:
    """For each point, the smallest cell it is the top-left corner of: the
    nearest point below on the same vertical edge and to the right on the
    same horizontal edge whose far corner is joined to both."""
    below: dict[float, list[float]] = {}
    right: dict[float, list[float]] = {}
    for x, y in points:
        below.setdefault(x, []).append(y)
        right.setdefault(y, []).append(x)
    for ys in below.values():
        ys.sort()
    for xs in right.values():
        xs.sort()
    cells = []
    for (x, y), (v, h) in points.items():
        ys, xs = below[x], right[y]
        found = None
        for by in ys[bisect_left(ys, y) + 1:]:
            if points[(x, by)][0] != v:
                break  # the vertical edge ends: no cell further down
            if by - y < TABLES.min_cell:
                continue
            for rx in xs[bisect_left(xs, x) + 1:]:
                if points[(rx, y)][1] != h:
                    break
                if rx - x < TABLES.min_cell:
                    continue
                corner = points.get((rx, by))
                if corner is not None and corner[0] == points[(rx, y)][0] and corner[1] == points[(x, by)][1]:
                    found = GridCell(x, y, rx, by)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _group(cells: list[GridCell]) -> list[list[GridCell]]:
    """Cells that share a corner, directly or through others, as groups."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, c in enumerate(cells):
        for corner in ((c.x0, c.top), (c.x1, c.top), (c.x0, c.bottom), (c.x1, c.bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                parent[root(i)] = root(j)
    groups: dict[int, list[GridCell]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(root(i), []).append(c)
    return list(groups.values())


def _grid(cells: list[GridCell], fills: list[tuple[float, float, float, float, tuple[int, int, int]]]) -> GridTable:
    """Row and column of each cell (spans counted) and the shading under it."""
    xs = sorted({c.x0 for c in cells} | {c.x1 for c in cells})
    ys = sorted({c.top for c in cells} | {c.bottom for c in cells})
    col_of = {x: i for i, x in enumerate(xs)}
    row_of = {y: i for i, y in enumerate(ys)}
    rows: dict[int, list[GridCell]] = {}
    for c in cells:
        c.col, c.row = col_of[c.x0], row_of[c.top]
        c.col_span, c.row_span = col_of[c.x1] - c.col, row_of[c.bottom] - c.row
        c.fill = _fill_under(c, fills)
        rows.setdefault(c.row, []).append(c)
    table = GridTable(cells, [sorted(rows[r], key=lambda c: c.col) for r in sorted(rows)])
    table.box = (xs[0], ys[0], xs[-1], ys[-1])
    return table


def _fill_under(cell: GridCell, fills: list[tuple[float, float, float, float, tuple[int, int, int]]]
                ) -> tuple[int, int, int] | None:
    """The colour of the last-drawn shading that covers most of the cell."""
    area = (cell.x1 - cell.x0) * (cell.bottom - cell.top)
    found = None
    for x0, top, x1, bottom, fill in fills:
        w = min(x1, cell.x1) - max(x0, cell.x0)
        h = min(bottom, cell.bottom) - max(top, cell.top)
        if w > 0 and h > 0 and w * h >= 0.5 * area:
            found = fill
    return found
