"""The layout tunables of the readers, one value per concept, in settings
objects (as pdfplumber's TableSettings): where a page's second column may
start, how many lines make a column, how near a drawn line's pieces must be
to be one edge, and so on. The readers take them from here; nothing else
spells these numbers."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageLayout:
    """A page's text: its columns and its footnote rule."""
    # a second column starts in this band of the page's width (a PDF's points or a text export's
    # characters), at one x for at least `column_min_lines` lines, with nothing crossing it in between
    column_band: tuple[float, float] = (0.35, 0.65)
    column_min_lines: int = 3
    # characters a wrapped cell's line may sit off its cell's start (a space-aligned table)
    wrapped_cell_offset: int = 2
    # a drawn footnote rule: a horizontal line this long (points); word processors draw 144
    rule_min_width: float = 72.0
    rule_max_width: float = 250.0


@dataclass(frozen=True)
class TableSettings:
    """Tables found from a PDF's drawn lines and rectangles (pdfplumber's
    snap and join tolerances, by the same names)."""
    thin: float = 2.5        # a path this thin (points) is a ruling line, not a rectangle
    snap: float = 3.0        # edges this close to one line are on it (snap_tolerance)
    join: float = 3.0        # pieces of one line this far apart are one edge (join_tolerance)
    cross: float = 2.0       # how far an edge may stop short of the edge it meets
    min_cell: float = 4.0    # a cell is at least this wide and high
    white: int = 245         # a fill with every channel at least this is the paper, not shading
    stack_gap: float = 8.0   # points between a table's pieces drawn apart
    max_paths: int = 3000    # a page drawing more paths than this is a chart or a picture: no tables


LAYOUT = PageLayout()
TABLES = TableSettings()
