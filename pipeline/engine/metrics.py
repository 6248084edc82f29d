"""Measure an edition's real fonts (their ``hmtx``) into the plain Metrics the layout breaks lines with.

The faces are the files and collection members fontconfig resolves for the edition's families
(:func:`pipeline.engine.fonts.font_face`), read by :mod:`pipeline.engine.fontfile`.  Only the
characters a page uses are measured, so a job keeps a few thousand advances, not a CJK font's
sixty thousand.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..editions import Edition
from ..typeset.metrics import Metrics
from .fontfile import half_width_digits, read_face
from .fonts import font_face

__all__ = ["BOLD_WEIGHT", "BODY_WEIGHT", "load_metrics"]

BODY_WEIGHT = 400
BOLD_WEIGHT = 700
"""The weights of the body text and of lead-ins and datelines (``styles/page.css``)."""


def _advances(family: str, weight: int, chars: Iterable[str], half_digits: bool) -> dict[str, float]:
    place = font_face(family, weight)
    face = read_face(*place)
    advances = {}
    for char in chars:
        advance = face.advance(ord(char))
        if advance is not None:
            advances[char] = advance
    if half_digits:  # the half-width forms ``.t-digits`` switches on (styles/typography.css)
        advances.update((digit, advance) for digit, advance in half_width_digits(*place).items()
                        if digit in advances)
    return advances


def load_metrics(edition: Edition, chars: Iterable[str]) -> Metrics:
    """The advances of ``chars`` in the edition's body face and its bold sans, in ems.

    Raises RenderError (from ``font_face``) when a family is not installed.
    """
    wanted = sorted(set(chars) | {" "})
    half = edition.typography.digits == "half"
    return Metrics(
        {"body": _advances(edition.serif, BODY_WEIGHT, wanted, half),
         "bold": _advances(edition.sans, BOLD_WEIGHT, wanted, half)},
        source=f"{edition.serif} {BODY_WEIGHT}, {edition.sans} {BOLD_WEIGHT}{', half-width digits' if half else ''}",
    )
