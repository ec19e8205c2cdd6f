"""Footnote markers a PDF prints as superscripts, glued to their word.

A browser's PDF of a web page prints '<sup>4</sup>' after 'Anytown YOS' as a
raised, smaller '4' that PDFium's text gives as a piece of its own on the
line; joined with a space, it reads 'Anytown YOS 4': the marker is then a
figure ('Key data 10' is a fact valued 10) or part of a label ('England and
Wales 4'). A piece that is only a number, set higher than the line's first
piece and smaller, is glued to the word before it, as a PDF whose text has
no such gap prints it ('rating15'), and the readers after take it for the
marker it is.
"""
from __future__ import annotations

RAISED = 0.25   # its bottom above the line's first piece's, as a share of that piece's height
SMALLER = 0.9   # its height at most this share of that piece's

Piece = tuple[float, float, float, str]  # top, bottom (points from the page's top), left, text


def is_superscript_number(piece: Piece, first: Piece) -> bool:
    """`piece` is a footnote marker set as a superscript on the line `first` opens."""
    text = piece[3].strip()
    if not (text.isdigit() and len(text) <= 3):
        return False
    height = first[1] - first[0]
    own = piece[1] - piece[0]
    return height > 0 and first[1] - piece[1] > RAISED * height and own < SMALLER * height


def joined_line(pieces: list[Piece]) -> str:
    """The line's pieces (in order of x) as one text: a space between two, but
    none before a superscript number."""
    first = pieces[0]
    parts = [first[3]]
    for piece in pieces[1:]:
        if is_superscript_number(piece, first):
            parts[-1] = parts[-1].rstrip()
            parts.append(piece[3].strip())
        else:
            parts.append(" " + piece[3])
    return " ".join("".join(parts).split())
