"""Break a title that needs more than one line at word or phrase boundaries, with lines as even as they allow.

A kicker, headline or subheadline wider than its module is broken where a reader pauses: after
the title's own ``，`` ``：`` and the like (a phrase boundary), else between two words (jieba,
through :mod:`pipeline.text.words`; a Traditional title is segmented through its Simplified
shadow). Of the breaks the edition's clreq rules allow (``linebreak.break_positions``), the
ones chosen make the lines as even as possible (least squared difference from the mean line),
a phrase boundary counting ``PHRASE_BONUS`` squared ems in its favour. A title that fits one line
stays on one; a title with no boundary that fits is left to WeasyPrint.
"""

from __future__ import annotations

import math
from functools import lru_cache

from ..editions import Typography
from ..editions.simplified import simplified_shadow
from ..text.chars import CLOSING_MARKS, FULL_STOPS, OPENING_MARKS
from ..text.words import word_boundaries
from .linebreak import FIT_EPSILON, break_positions, line_width
from .metrics import Face, Metrics

__all__ = ["PHRASE_BONUS", "break_title"]

PHRASE_BONUS = 9.0
"""Squared ems of unevenness a break at the title's punctuation is worth: a pause beats a word gap
unless it leaves lines some three ems more uneven."""
MAX_TITLE_LINES = 4
"""Titles needing more lines than this are WeasyPrint's to break."""


def _phrase_boundaries(text: str) -> set[int]:
    """Offsets after a stop or closing mark or a space, or before an opening mark."""
    found = set()
    for k in range(1, len(text)):
        before, after = text[k - 1], text[k]
        if before in FULL_STOPS or before in CLOSING_MARKS or before == " " or after in OPENING_MARKS:
            found.add(k)
    return found


def break_title(text: str, width_em: float, metrics: Metrics, typography: Typography,
                face: Face = "bold") -> tuple[str, ...] | None:
    """The lines of a title set in a measure of ``width_em`` (ems of the title's size), or None.

    One line when it fits; else the fewest lines that fit, broken at boundaries. None when no
    set of boundaries fits (WeasyPrint then breaks it where it can). Widths are measured in
    ``face`` (titles are set in the bold sans).

    >>> break_title("乘势而上全面建设华夏根祖圣地幸福老家洪洞", 13, Metrics(), Typography())
    ('乘势而上全面建设华夏', '根祖圣地幸福老家洪洞')
    >>> break_title("洪洞：奋力推进高质量发展", 20, Metrics(), Typography())
    ('洪洞：奋力推进高质量发展',)
    >>> break_title("坚持树好形象：洪洞奋力推进高质量发展", 12, Metrics(), Typography())
    ('坚持树好形象：', '洪洞奋力推进高质量发展')
    """
    return _break_title(text, float(width_em), metrics, typography, face)


def _width(text: str, metrics: Metrics, typography: Typography, face: Face) -> float:
    return line_width(text, metrics, typography, [face] * len(text))


@lru_cache(maxsize=1024)
def _break_title(text: str, width_em: float, metrics: Metrics, typography: Typography,
                 face: Face) -> tuple[str, ...] | None:
    text = text.strip()
    if not text:
        return None
    total = _width(text, metrics, typography, face)
    if total <= width_em + FIT_EPSILON:
        return (text,)
    count = math.ceil(total / width_em)
    if count > MAX_TITLE_LINES:
        return None
    phrases = _phrase_boundaries(text)
    words = word_boundaries(simplified_shadow(text))
    allowed = [k for k in break_positions(text, typography) if k in phrases or k in words]
    for lines in range(count, MAX_TITLE_LINES + 1):
        found = _even_breaks(text, allowed, lines, width_em, phrases, metrics, typography, face)
        if found is not None:
            starts = (0, *found)
            ends = (*found, len(text))
            return tuple(text[start:end].strip() for start, end in zip(starts, ends, strict=True))
    return None


def _even_breaks(text: str, allowed: list[int], lines: int, width_em: float, phrases: set[int],
                 metrics: Metrics, typography: Typography, face: Face) -> tuple[int, ...] | None:
    """The ``lines - 1`` breaks from ``allowed`` that fit and make the lines most even, or None."""
    total = _width(text, metrics, typography, face)
    mean = total / lines
    positions = [0, *allowed, len(text)]
    # best[(line count, position)] = (cost, breaks so far)
    best: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {(0, 0): (0.0, ())}
    for used in range(1, lines + 1):
        for end in positions[1:]:
            if (end == len(text)) != (used == lines):
                continue
            for start in positions:
                if start >= end or (used - 1, start) not in best:
                    continue
                width = _width(text[start:end].strip(), metrics, typography, face)
                if width > width_em + FIT_EPSILON:
                    continue
                bonus = PHRASE_BONUS if end in phrases and end < len(text) else 0.0
                cost = best[(used - 1, start)][0] + (width - mean) ** 2 - bonus
                breaks = (*best[(used - 1, start)][1], end) if end < len(text) else best[(used - 1, start)][1]
                if (used, end) not in best or cost < best[(used, end)][0]:
                    best[(used, end)] = (cost, breaks)
    found = best.get((lines, len(text)))
    return found[1] if found is not None else None
