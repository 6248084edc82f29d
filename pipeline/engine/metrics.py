"""Measure an edition's real fonts (fontTools ``hmtx``) into the plain Metrics the layout breaks lines with.

The faces are the files fontconfig resolves for the edition's families
(:func:`pipeline.engine.fonts.font_file`); in a collection (``.ttc``) the member whose family
name matches is read.  Only the characters a page uses are measured, so a job reads a few
thousand advances, not a CJK font's sixty thousand.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..editions import Edition
from ..typeset.metrics import Metrics
from .fonts import font_file

__all__ = ["BOLD_WEIGHT", "BODY_WEIGHT", "load_metrics"]

BODY_WEIGHT = 400
BOLD_WEIGHT = 700
"""The weights of the body text and of lead-ins and datelines (``styles/page.css``)."""


@lru_cache(maxsize=16)
def _open(path: str, family: str) -> tuple[dict[int, str], Any, int]:
    """(cmap, hmtx, units per em) of the member of ``path`` named ``family`` (a whole file if not a collection)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        collection = TTCollection(path, lazy=True)
        chosen = collection.fonts[0]
        wanted = " ".join(family.casefold().split())
        for font in collection.fonts:
            names = {" ".join(str(record.toUnicode()).casefold().split())
                     for record in font["name"].names if record.nameID in (1, 16)}
            if wanted in names:
                chosen = font
                break
        font = chosen
    else:
        font = TTFont(path, lazy=True)
    return font.getBestCmap(), font["hmtx"], int(font["head"].unitsPerEm)


def _advances(family: str, weight: int, chars: Iterable[str]) -> dict[str, float]:
    cmap, hmtx, units = _open(font_file(family, weight), family)
    advances = {}
    for char in chars:
        glyph = cmap.get(ord(char))
        if glyph is not None:
            advances[char] = hmtx[glyph][0] / units
    return advances


def load_metrics(edition: Edition, chars: Iterable[str]) -> Metrics:
    """The advances of ``chars`` in the edition's body face and its bold sans, in ems.

    Raises RenderError (from ``font_file``) when a family is not installed.
    """
    wanted = sorted(set(chars) | {" "})
    return Metrics(
        {"body": _advances(edition.serif, BODY_WEIGHT, wanted), "bold": _advances(edition.sans, BOLD_WEIGHT, wanted)},
        source=f"{edition.serif} {BODY_WEIGHT}, {edition.sans} {BOLD_WEIGHT}",
    )
