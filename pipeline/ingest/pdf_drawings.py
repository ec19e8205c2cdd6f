"""A PDF page's drawings as the table finder needs them: ruling lines and
rectangle sides (stroked), and filled rectangles (cell shading), read from
PDFium's page objects through its raw calls (for speed)."""
from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def page_drawings(page: pdfium.PdfPage, height: float) -> tuple[list[tuple[float, float, float, float]],
                                                         list[tuple[float, float, float, float, bool,
                                                                    tuple[int, int, int] | None]]]:
    """(left, bottom, right, top) of each path object at the page's top level
    (what page.get_objects(filter=(PATH,), max_depth=1) gives, read through
    the raw API: the helper builds a Python object for each of a page's
    objects, four times slower on pages of many small text objects), and the
    paths a table can be drawn with: a line or a rectangle (one subpath of at
    most five points), as (x0, top, x1, bottom, stroked, fill colour or None)
    from the page's top. A path whose bounds PDFium cannot give is skipped."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    bounds = []
    paths = []
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH or \
                not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        bounds.append((left.value, bottom.value, right.value, top.value))
        count = pdfium_c.FPDFPath_CountSegments(obj)
        if not 2 <= count <= 5 or (count == 4 and subpaths(obj, count) > 1):
            continue
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
            continue
        fill = None
        if fill_mode.value and pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a) and a.value:
            fill = (r.value, g.value, b.value)
        paths.append((left.value, height - top.value, right.value, height - bottom.value, bool(stroke.value), fill))
    return bounds, paths


def subpaths(obj: pdfium_c.FPDF_PAGEOBJECT, count: int) -> int:
    return sum(1 for i in range(count) if pdfium_c.FPDFPathSegment_GetType(
        pdfium_c.FPDFPath_GetPathSegment(obj, i)) == pdfium_c.FPDF_SEGMENT_MOVETO)
