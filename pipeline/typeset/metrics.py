"""Hold glyph advances, in ems, per face: the plain font metrics the line breaker measures with.

The layout stage reads no files: the edge (``pipeline.project.build``, with
``pipeline.engine.metrics.load_metrics``) measures the edition's real fonts and hands the
layout a :class:`Metrics`.  Without one (tests, a missing font) the layout leaves line
breaking to WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from ..model import Page
from ..text.chars import is_wide

Face = Literal["body", "bold", "tcy1", "tcy2", "tcy3"]
"""``body``: the serif body face; ``bold``: the bold sans of lead-ins and datelines; ``tcy1``,
``tcy2``, ``tcy3``: a digit set upright alone, or as one of two or three in one em, in vertical text
(``typeset.vertical``)."""

HALF = 0.5
"""What a mark set with the font's ``halt`` feature advances, in ems (CJK fonts: half an em)."""


def _frozen(advances: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(advances))


@dataclass(frozen=True, slots=True, eq=False)
class Metrics:
    """Advances in ems of the characters a page uses, per face (missing: 1 em wide, ½ em narrow).

    Compared (and hashed) by identity: the edge builds one per job, and the line breaker's
    cache keys on it.

    >>> metrics = Metrics({"body": {"A": 0.6}})
    >>> metrics.advance("A"), metrics.advance("汉"), metrics.advance("A", "bold")
    (0.6, 1.0, 0.6)
    """

    faces: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    source: str = ""
    """Where the figures come from (the font files), for messages and cache keys."""

    def __post_init__(self) -> None:
        frozen = {name: _frozen(table) for name, table in self.faces.items()}
        object.__setattr__(self, "faces", MappingProxyType(frozen))

    def advance(self, char: str, face: Face = "body") -> float:
        """The advance of ``char`` in ``face`` (falling back to the body face, then to 1 or ½ em)."""
        table = self.faces.get(face)
        if table is not None and char in table:
            return table[char]
        body = self.faces.get("body")
        if body is not None and char in body:
            return body[char]
        return 1.0 if is_wide(char) else 0.5


def page_chars(page: Page) -> frozenset[str]:
    """Every character the body of ``page`` sets (paragraphs, datelines): what its metrics must hold.

    >>> from pipeline.model import Article, Paragraph
    >>> sorted(page_chars(Page("p", (Article((Paragraph("汉字A"),), dateline="本报讯"),))))
    ['A', '字', '报', '本', '汉', '讯']
    """
    chars: set[str] = set()
    for article in page.articles:
        chars.update(article.dateline or "")
        for paragraph in article.paragraphs:
            chars.update(paragraph.text)
    return frozenset(chars)
