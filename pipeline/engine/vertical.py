"""Set a vertical edition's page: measure its fonts along the line (``vmtx``), lay it out, render it.

In vertical text an upright character advances by its vertical advance (``vmtx``; 1 em when a
face has none), a Latin word or a long number turned 90° by its horizontal advance (``hmtx``),
and one or two digits set upright side by side (tate-chu-yoko) by one em together.  The
layout (``typeset.vertical``) also needs where a face's ideographic em box sits in a line box
one em high: WeasyPrint centres the font's ``hhea`` ascent and descent in the line, so the em
box (``OS/2`` typo ascender/descender, which Noto CJK and AR PL UKai set to it) lands a little
low, and every vertical line is shifted up by that much.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from ..editions import Edition
from ..errors import RenderError
from ..model import Page
from ..text.chars import COMPRESSIBLE, is_wide
from ..typeset.metrics import Metrics, page_chars
from ..typeset.vertical import TCY_FACES, VerticalFonts, layout_vertical
from .fonts import font_file
from .metrics import BODY_WEIGHT, BOLD_WEIGHT
from .paginate import Numbering

__all__ = ["load_vertical_fonts", "render_vertical"]

IDEOGRAPHIC_TOP = 0.88
"""The top of the em box above the baseline, in ems, when a face does not say (Noto CJK's value)."""


@lru_cache(maxsize=16)
def _open(path: str, family: str) -> Any:
    """The member of ``path`` named ``family`` (the whole file when it is not a collection)."""
    from fontTools.ttLib import TTCollection, TTFont

    if not path.lower().endswith((".ttc", ".otc")):
        return TTFont(path, lazy=True)
    collection = TTCollection(path, lazy=True)
    wanted = " ".join(family.casefold().split())
    for font in collection.fonts:
        names = {" ".join(str(record.toUnicode()).casefold().split())
                 for record in font["name"].names if record.nameID in (1, 16)}
        if wanted in names:
            return font
    return collection.fonts[0]


def _face(family: str, weight: int, chars: Iterable[str]) -> tuple[dict[str, float], float]:
    """(advance along a vertical line of each char, em-box offset) of one face, in ems."""
    font = _open(font_file(family, weight), family)
    units = int(font["head"].unitsPerEm)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    vmtx = font["vmtx"] if "vmtx" in font else None
    advances: dict[str, float] = {}
    for char in chars:
        glyph = cmap.get(ord(char))
        if glyph is None:
            continue
        if is_wide(char):
            advances[char] = (vmtx[glyph][0] if vmtx is not None else units) / units
        else:
            advances[char] = hmtx[glyph][0] / units  # turned 90°: its width runs along the line
    return advances, _em_offset(font, units)


def _em_offset(font: Any, units: int) -> float:
    """How far below the top of a one-em line box WeasyPrint puts the top of the face's em box, in ems."""
    hhea = font["hhea"]
    ascent, descent = hhea.ascent, -hhea.descent
    baseline = (units + ascent - descent) / 2  # half-leading on both sides of ascent + descent
    top = IDEOGRAPHIC_TOP * units
    if "OS/2" in font:
        os2 = font["OS/2"]
        if abs(os2.sTypoAscender - os2.sTypoDescender - units) <= units * 0.01:
            top = os2.sTypoAscender  # the typo box is the em box
    return (baseline - top) / units


def _vert_glyphs(font: Any) -> dict[str, str]:
    """The ``vert`` feature's single substitutions of ``font`` (glyph name → vertical glyph name)."""
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    if table.FeatureList is None:
        return {}
    indices = {index for record in table.FeatureList.FeatureRecord if record.FeatureTag in ("vert", "vrt2")
               for index in record.Feature.LookupListIndex}
    found: dict[str, str] = {}
    for index in sorted(indices):
        lookup = table.LookupList.Lookup[index]
        for subtable in lookup.SubTable:
            if lookup.LookupType == 7:  # an extension lookup wraps the real one
                subtable = subtable.ExtSubTable
            mapping = getattr(subtable, "mapping", None)
            if mapping:
                for source, target in mapping.items():
                    found.setdefault(source, target)
    return found


def _mark_ink(family: str, weight: int, chars: Iterable[str]) -> dict[str, float]:
    """Where the ink of each mark's vertical glyph is centred down its em box (0 top, 1 bottom)."""
    from fontTools.pens.boundsPen import BoundsPen

    font = _open(font_file(family, weight), family)
    units = int(font["head"].unitsPerEm)
    top = font["OS/2"].sTypoAscender if "OS/2" in font else IDEOGRAPHIC_TOP * units
    cmap = font.getBestCmap()
    vert = _vert_glyphs(font)
    glyphs = font.getGlyphSet()
    ink: dict[str, float] = {}
    for char in chars:
        name = cmap.get(ord(char))
        if name is None:
            continue
        name = vert.get(name, name)
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds is None:
            continue
        _, low, _, high = pen.bounds
        ink[char] = (top - (low + high) / 2) / units
    return ink


def load_vertical_fonts(edition: Edition, chars: Iterable[str]) -> VerticalFonts:
    """The vertical advances of ``chars`` in the body serif and the bold sans, and the faces' em offsets.

    Raises RenderError (from ``font_file``) when a family is not installed.
    """
    wanted = sorted(set(chars) | {" "})
    body, body_offset = _face(edition.serif, BODY_WEIGHT, wanted)
    bold, bold_offset = _face(edition.sans, BOLD_WEIGHT, wanted)
    _, kai_offset = _face(edition.kai, BODY_WEIGHT, ())
    tables: dict[str, dict[str, float]] = {"body": body, "bold": bold}
    for face, advance in TCY_FACES.items():
        tables[face] = {digit: advance for digit in "0123456789"}
    metrics = Metrics(tables, source=f"vertical {edition.serif} {BODY_WEIGHT}, {edition.sans} {BOLD_WEIGHT}")
    ink = _mark_ink(edition.serif, BODY_WEIGHT, [char for char in wanted if char in COMPRESSIBLE])
    return VerticalFonts(metrics, {"body": body_offset, "bold": bold_offset, "kai": kai_offset}, ink)


def all_chars(page: Page) -> frozenset[str]:
    """Every character a vertical page sets: the body's, and those of titles, bylines and captions."""
    chars = set(page_chars(page))
    for article in page.articles:
        for text in (article.kicker, article.headline, article.subheadline, article.credit, *article.byline):
            chars.update(text or "")
    for caption in page.captions:
        chars.update(caption.text)
    for headline in page.page_headlines:
        chars.update(headline.text)
    return frozenset(chars)


def render_vertical(page: Page, edition: Edition, settings: Any, env: Any, numbering: Numbering,
                    render: Callable[[str], tuple[Any, list[str], list[str]]]) -> tuple[str, Any, list[str]]:
    """Lay out and render a vertical page: (HTML, document, warnings).

    Vertical layout places every line itself, so one render suffices; a sheet that WeasyPrint
    still runs onto a second page is a RenderError (a stylesheet or template made it taller).
    """
    fonts = load_vertical_fonts(edition, all_chars(page))
    html, sheets = layout_vertical(page, edition, settings, env, fonts, first_number=numbering.first,
                                   total=numbering.total)
    document, warnings, refused = render(html)
    warnings = warnings + [f"refused to fetch {url}" for url in refused]
    if len(document.pages) != sheets:
        raise RenderError(f"the vertical layout planned {sheets} sheet(s) but WeasyPrint made "
                          f"{len(document.pages)} page(s)", "layouts/vertical.html",
                          hint="a publication's own vertical.css or vertical.html makes a sheet taller than the page")
    return html, document, warnings
