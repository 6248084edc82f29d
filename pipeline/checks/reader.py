"""Read a PDF once per library: pdfium for its text and glyph positions, pikepdf for its objects.

Every check of a PDF works from what these functions return, so a preflight reads the file's
bytes once and opens them twice: :func:`read_text_layer` (pypdfium2) gives each page's text
and every drawn character with its origin, advance and em size, in one pass over the text
pages; :func:`open_objects` (pikepdf, which wraps qpdf) gives the document whose structure,
fonts and content streams the other checks walk.

A file that is missing, not a PDF, or too damaged for either library to open is a
:class:`~pipeline.errors.SourceError` naming the file, in one line.
"""

from __future__ import annotations

import ctypes
import io
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import SourceError
from ..text.chars import ZERO_WIDTH, is_wide

if TYPE_CHECKING:
    import pikepdf

PathLike = str | os.PathLike[str]

_QPDF_STREAM_PREFIX = re.compile(r"^stream <[^>]*>: ")
"""How qpdf names a PDF it was given as bytes; the file's own name is put in its place."""

_MAX_REASON = 200
"""Characters of a library's error message kept in a one-line error."""

_IMAGE_FORM_DEPTH = 8
"""Levels of page objects searched for images: the page's, and forms nested up to seven deep."""


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character drawn on a page: its origin, advance box and em size, in points."""

    char: str
    x: float
    y: float
    advance: float
    em: float
    upright: bool = True
    """Drawn without rotation (False: turned, as a Latin word in vertical text is)."""


@dataclass(frozen=True, slots=True)
class PlacedImage:
    """An image drawn on a page: its pixels and the size it is drawn at, in points (before any clip)."""

    page: int
    """1-based."""
    width_px: int
    height_px: int
    width_pt: float
    height_pt: float

    @property
    def ppi(self) -> float:
        """Its effective resolution as printed: the fewer pixels per inch of its two sides.

        >>> round(PlacedImage(1, 308, 430, 152.0, 212.2).ppi, 1)
        145.9
        """
        sides = [px / (pt / 72) for px, pt in ((self.width_px, self.width_pt), (self.height_px, self.height_pt))
                 if pt > 0]
        return min(sides, default=0.0)


@dataclass(frozen=True, slots=True)
class TextLayer:
    """What pdfium reads of a PDF: each page's text and the characters drawn on it."""

    texts: tuple[str, ...]
    """Each page's text in pdfium's reading order (generated spaces and line ends included)."""
    glyphs: tuple[tuple[Glyph, ...], ...]
    """Each page's visible characters in content order (empty tuples when not asked for)."""
    images: tuple[PlacedImage, ...] = ()
    """Every image drawn, page by page, in content order."""

    @property
    def pages(self) -> int:
        return len(self.texts)


def unreadable(name: str, reason: str) -> SourceError:
    """The one-line error for a PDF that cannot be checked."""
    reason = " ".join(reason.split())[:_MAX_REASON]
    return SourceError(f"cannot check the PDF: {reason}", name, hint="give the path of a PDF that Broadsheet built")


def load_pdf(pdf: bytes | PathLike, name: str | None = None) -> tuple[bytes, str]:
    """The PDF's bytes and the name to report it by (its path, ``name`` if given, or ``<bytes>``)."""
    if isinstance(pdf, bytes):
        return pdf, name or "<bytes>"
    label = name or os.fspath(pdf)
    try:
        with open(pdf, "rb") as handle:
            return handle.read(), label
    except FileNotFoundError:
        raise unreadable(label, "no such file") from None
    except IsADirectoryError:
        raise unreadable(label, "a folder, not a PDF") from None
    except OSError as error:
        raise unreadable(label, f"cannot read it ({error.strerror})") from None


def read_text_layer(data: bytes, name: str, glyphs: bool = True) -> TextLayer:
    """Each page's text and (with ``glyphs``) its visible characters, in one pdfium pass.

    Characters pdfium generates (spaces, line ends), blanks and zero-width marks are not
    glyphs; a wide character advances exactly one em (its loose box would also cover ink
    that overhangs the advance; a compressed mark is measured from origins instead).
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise unreadable(name, f"not a readable PDF ({error})") from None
    texts: list[str] = []
    drawn: list[tuple[Glyph, ...]] = []
    images: list[PlacedImage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                texts.append(textpage.get_text_range())
                drawn.append(_page_glyphs(textpage) if glyphs else ())
                images.extend(_page_images(page, index + 1))
            finally:
                textpage.close()
                page.close()
    except pdfium.PdfiumError as error:
        raise unreadable(name, f"page {len(texts) + 1} is not readable ({error})") from None
    finally:
        document.close()
    return TextLayer(tuple(texts), tuple(drawn), tuple(images))


def _page_images(page: Any, number: int) -> list[PlacedImage]:
    """The images drawn on one page (inside forms too), each with its pixel size and drawn size.

    The page's objects are walked with pdfium's calls, as pypdfium2's ``get_objects(max_depth=8)``
    walks them (its Python object for each of a page's thousands of text objects costs more than
    the walk), and fail with its errors.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    found: list[PlacedImage] = []
    size_x, size_y = ctypes.c_uint(), ctypes.c_uint()
    matrix = raw.FS_MATRIX()

    def walk(parent: Any, count: Any, get: Any, level: int) -> None:
        objects = count(parent)
        if objects < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        for index in range(objects):
            item = get(parent, index)
            if not item:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            kind = raw.FPDFPageObj_GetType(item)
            if kind == raw.FPDF_PAGEOBJ_UNKNOWN:
                raise pdfium.PdfiumError("Failed to determine pageobject type, did you pass in a valid "
                                         "FPDF_PAGEOBJECT handle?")
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                if not raw.FPDFImageObj_GetImagePixelSize(item, size_x, size_y):
                    raise pdfium.PdfiumError("Failed to get image size.")
                if not raw.FPDFPageObj_GetMatrix(item, matrix):
                    raise pdfium.PdfiumError("Failed to get matrix of pageobject.")
                # The image's unit square is drawn through its matrix: the columns are its two sides.
                width_pt = (matrix.a ** 2 + matrix.b ** 2) ** 0.5
                height_pt = (matrix.c ** 2 + matrix.d ** 2) ** 0.5
                found.append(PlacedImage(number, int(size_x.value), int(size_y.value), width_pt, height_pt))
            elif kind == raw.FPDF_PAGEOBJ_FORM and level < _IMAGE_FORM_DEPTH - 1:
                walk(item, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, level + 1)

    walk(page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, 0)
    return found


def _unchecked(function: Any, restype: Any) -> Any:
    """A pdfium function called without ctypes' conversion of each argument to its declared type.

    pypdfium2's bindings declare every argument, and ctypes then checks and converts each one on
    every call: about half the cost of the call.  The same C function bound again by its address
    takes its arguments as they are, so they must be C values already: a Python int for an
    ``int``, a ctypes handle or ``byref`` for a pointer.
    """
    bare = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    bare.restype = restype
    return bare


def _page_glyphs(textpage: Any) -> tuple[Glyph, ...]:
    """The visible characters of one text page (pdfium's C calls bound once: a page may hold 10⁵).

    Each character costs five or six C calls; what a character code says (its character, whether
    it is drawn, whether it is wide) is worked out once per code, as a page repeats its characters.
    """
    import pypdfium2.raw as raw

    handle = textpage.raw
    unicode = _unchecked(raw.FPDFText_GetUnicode, ctypes.c_uint)
    generated = _unchecked(raw.FPDFText_IsGenerated, ctypes.c_int)
    origin = _unchecked(raw.FPDFText_GetCharOrigin, ctypes.c_int)
    font_size = _unchecked(raw.FPDFText_GetFontSize, ctypes.c_double)
    text_matrix = _unchecked(raw.FPDFText_GetMatrix, ctypes.c_int)
    loose_box = _unchecked(raw.FPDFText_GetLooseCharBox, ctypes.c_int)
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    box = raw.FS_RECTF()
    at_x, at_y, at_matrix, at_box = ctypes.byref(x), ctypes.byref(y), ctypes.byref(matrix), ctypes.byref(box)
    # A code's character and whether it is wide, or None when it draws nothing (blank, zero-width).
    kinds: dict[int, tuple[str, bool] | None] = {}
    found: list[Glyph] = []
    for index in range(raw.FPDFText_CountChars(handle)):
        code = unicode(handle, index)
        try:
            kind = kinds[code]
        except KeyError:
            char = chr(code) if code else ""
            kind = kinds[code] = None if not char.strip() or char in ZERO_WIDTH else (char, is_wide(char))
        if kind is None or generated(handle, index) == 1:
            continue
        char, wide = kind
        origin(handle, index, at_x, at_y)
        # The em: the nominal size scaled by the text matrix.
        em = font_size(handle, index)
        upright = True
        if text_matrix(handle, index, at_matrix):
            scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            em = em * scale if scale else em
            upright = abs(matrix.b) <= 1e-6 * (scale or 1) and abs(matrix.c) <= 1e-6 * (scale or 1)
        if wide:
            advance = em
        elif loose_box(handle, index, at_box):
            # a turned glyph (vertical text) advances down the page
            advance = box.right - box.left if upright else box.top - box.bottom
        else:
            advance = 0.0
        found.append(Glyph(char, x.value, y.value, advance, float(em), upright))
    return tuple(found)


def open_objects(data: bytes, name: str) -> pikepdf.Pdf:
    """The PDF's object graph, opened once with pikepdf (qpdf); the caller closes it.

    qpdf repairs what it can while opening (a damaged cross-reference table is rebuilt);
    what it repaired stays in ``get_warnings()`` for the structure check.  A file it cannot
    open at all (not a PDF, truncated before its trailer) is a SourceError.
    """
    import pikepdf

    try:
        return pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, RuntimeError) as error:
        reason = _QPDF_STREAM_PREFIX.sub("", str(error).strip()) or type(error).__name__
        raise unreadable(name, f"not a readable PDF ({reason})") from None
