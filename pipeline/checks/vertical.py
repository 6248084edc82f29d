"""Measure a vertical (直排) PDF's typography from its glyph positions: kinsoku, flush lines, looseness, upright Han.

The horizontal analyser (``checks.typography``) rebuilds lines from baselines; a vertical page
has none, so this one rebuilds vertical lines from where the glyphs are: glyphs of one size
whose em boxes share a middle (within half an em) form a column, cut into lines where it
leaves more than ``JUMP_EM`` blank (a tier gap). Body lines are those in the page's commonest
size of Han. Per PDF it reports:

- lines whose first character may not start a line, or whose last may not end one (the
  edition's clreq level), as the horizontal check does at line starts and ends;
- how many non-final body lines are flush with the measure (the longest length two lines share):
  a line is non-final when the next line starts at the same height (not indented);
- the justification space per gap of each flush line, from the advance between neighbouring
  full-width characters (``LOOSE_LIMIT`` em is the most any line may carry);
- Han characters drawn turned (vertical text sets them upright), and vertical presentation
  forms (U+FE10–FE19, U+FE30–FE4F) in the text layer, where the source characters belong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..text.chars import COMPRESSIBLE, NO_LINE_END, NO_LINE_START, is_han, is_solid_wide, is_wide
from .reader import Glyph

__all__ = ["VerticalReport", "analyse_vertical", "is_vertical", "vertical_lines", "vertical_problems"]

FLUSH_TOLERANCE = 0.5
"""Points a non-final line's length may be off the measure and still count as flush."""
FLUSH_TARGET = 0.95
"""Of the non-final body lines, at least this share must be flush."""
LOOSE_LIMIT = 0.5
"""Ems of justification space per gap beyond which a line is too loose (a river down the column)."""
SIDESTEP_EM = 0.5
"""Ems between the middles of two full-width glyphs' em boxes that put them in different lines."""
NARROW_EM = 0.75
"""Ems from a line's middle within which a narrow glyph (tate-chu-yoko digit, turned Latin) joins it."""
JUMP_EM = 1.0
"""Blank ems down a column that start a new line: the gap between tiers (1.2 em or more), never a
justified gap inside a line (``LOOSE_LIMIT`` at most)."""
INDENT_EM = 0.2
"""Ems two lines' heads may differ by and still count as level (a paragraph indent is 2 em)."""


def is_presentation_form(char: str) -> bool:
    """Say whether ``char`` is a vertical presentation form (U+FE10–FE19, U+FE30–FE4F).

    >>> is_presentation_form("\\N{PRESENTATION FORM FOR VERTICAL LEFT CORNER BRACKET}"), is_presentation_form("「")
    (True, False)
    """
    return 0xFE10 <= ord(char) <= 0xFE19 or 0xFE30 <= ord(char) <= 0xFE4F


@dataclass(frozen=True, slots=True)
class VLine:
    """The glyphs of one vertical line, top to bottom."""

    glyphs: tuple[Glyph, ...]

    @property
    def em(self) -> float:
        """The line's type size: that of most of its glyphs."""
        return Counter(round(glyph.em, 2) for glyph in self.glyphs).most_common(1)[0][0]

    @property
    def x(self) -> float:
        return self.glyphs[0].x

    @property
    def head(self) -> float:
        """The top of the line's first em box (PDF points, y up)."""
        first = self.glyphs[0]
        return first.y + 0.88 * first.em if first.upright else first.y

    @property
    def foot(self) -> float:
        last = self.glyphs[-1]
        return last.y - 0.12 * last.em if last.upright else last.y - last.advance

    @property
    def length(self) -> float:
        return self.head - self.foot

    @property
    def text(self) -> str:
        return "".join(glyph.char for glyph in self.glyphs)


def _centre(glyph: Glyph) -> float:
    """Where across the page the glyph's line runs: the middle of its em box."""
    if glyph.upright:
        return glyph.x + (glyph.advance if glyph.advance else glyph.em) / 2
    return glyph.x + (0.5 - 0.12) * glyph.em  # a turned glyph's baseline lies 0.12 em right of the line's left


def _top(glyph: Glyph) -> float:
    return glyph.y + 0.88 * glyph.em if glyph.upright else glyph.y


def vertical_lines(glyphs: Sequence[Glyph]) -> list[VLine]:
    """Rebuild a page's vertical lines from where its glyphs are: columns of one size, cut at tier gaps.

    Positions, not content order: pdfium reorders characters of neighbouring lines that share a
    baseline. Lines come right to left, and top to bottom where they share a column.
    """
    columns: list[tuple[float, float, list[Glyph]]] = []
    # Full-width glyphs stand on the line's middle: they make the columns. Narrow ones (digits
    # side by side in one em, turned Latin) then join the nearest column within ``NARROW_EM``.
    wide = [glyph for glyph in glyphs if glyph.upright and is_wide(glyph.char)]
    for glyph in sorted(wide, key=lambda g: (round(g.em, 1), _centre(g))):
        centre = _centre(glyph)
        if columns and abs(columns[-1][1] - glyph.em) <= 0.05 * glyph.em \
                and centre - columns[-1][0] <= SIDESTEP_EM * glyph.em:
            columns[-1][2].append(glyph)
        else:
            columns.append((centre, glyph.em, [glyph]))
    for glyph in glyphs:
        if glyph.upright and is_wide(glyph.char):
            continue
        centre = _centre(glyph)
        # (three digits in one em are condensed: their em reads smaller than the line's)
        near = [column for column in columns if abs(column[1] - glyph.em) <= 0.25 * column[1]
                and abs(column[0] - centre) <= NARROW_EM * column[1]]
        if near:
            min(near, key=lambda column: abs(column[0] - centre))[2].append(glyph)
        else:
            columns.append((centre, glyph.em, [glyph]))
    lines: list[tuple[float, float, VLine]] = []
    for centre, em, members in columns:
        members.sort(key=lambda g: (-_top(g), g.x))
        current: list[Glyph] = []
        for glyph in members:
            last = current[-1] if current else None
            # (a turned glyph's length down the line is not read; it is at most an em)
            if last is not None and _top(last) - _top(glyph) > (JUMP_EM + 1.0) * em:
                lines.append((-centre, -_top(current[0]), VLine(tuple(current))))
                current = []
            current.append(glyph)
        if current:
            lines.append((-centre, -_top(current[0]), VLine(tuple(current))))
    return [line for _, _, line in sorted(lines, key=lambda item: (item[0], item[1]))]


@dataclass(frozen=True, slots=True)
class VerticalReport:
    """The vertical typography of one PDF (all pages)."""

    lines: int
    nonfinal_lines: int
    flush_lines: int
    forbidden_starts: tuple[str, ...]
    forbidden_ends: tuple[str, ...]
    loosest: float
    """The most justification space per gap of any flush line, in ems."""
    loose_lines: tuple[str, ...]
    turned_han: int
    presentation_forms: tuple[str, ...]
    measure: float
    """The longest body line length two lines share, in points (the tier's measure)."""

    @property
    def flush_ratio(self) -> float:
        return self.flush_lines / self.nonfinal_lines if self.nonfinal_lines else 1.0

    def summary(self) -> str:
        return (f"vertical: {len(self.forbidden_starts)} forbidden line heads, {len(self.forbidden_ends)} forbidden "
                f"line feet, {self.flush_ratio:.1%} of {self.nonfinal_lines} non-final lines flush, loosest "
                f"{self.loosest:.3f} em per gap, {self.turned_han} turned Han, "
                f"{len(self.presentation_forms)} presentation forms")

    def to_dict(self) -> dict[str, Any]:
        return {"lines": self.lines, "nonfinal_lines": self.nonfinal_lines, "flush_lines": self.flush_lines,
                "forbidden_starts": list(self.forbidden_starts), "forbidden_ends": list(self.forbidden_ends),
                "loosest": self.loosest, "turned_han": self.turned_han,
                "presentation_forms": list(self.presentation_forms), "measure": self.measure}


def _looseness(line: VLine) -> float:
    """The justification space per gap between the line's full-width neighbours, in ems (0 if none)."""
    gaps = [above.y - below.y - above.em for above, below in zip(line.glyphs, line.glyphs[1:], strict=False)
            if above.upright and below.upright and is_solid_wide(above.char) and is_solid_wide(below.char)]
    return max(0.0, sum(gaps) / len(gaps) / line.em) if gaps else 0.0


def analyse_vertical(pages: Sequence[Sequence[Glyph]], texts: Sequence[str], level: str = "basic") -> VerticalReport:
    """Every vertical figure of a PDF from its glyphs (per page, content order) and its texts."""
    no_start, no_end = NO_LINE_START[level], NO_LINE_END[level]
    sizes = Counter(round(glyph.em, 1) for page in pages for glyph in page if is_han(glyph.char))
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    starts: list[str] = []
    ends: list[str] = []
    loose: list[str] = []
    total = nonfinal = flush = 0
    loosest = 0.0
    turned = sum(1 for page in pages for glyph in page if is_han(glyph.char) and not glyph.upright)
    lengths: Counter[float] = Counter()
    per_page = []
    for page in pages:
        lines = [line for line in vertical_lines(page) if abs(line.em - body) <= 0.05 * body]
        per_page.append(lines)
        lengths.update(round(line.length, 1) for line in lines if line.glyphs[-1].char not in COMPRESSIBLE)
    # The measure: the longest length two lines share (a short page has more indented first lines
    # and last lines than full ones; no line is longer than the measure).
    shared = [length for length, count in lengths.items() if count >= 2]
    measure = max(shared) if shared else max(lengths, default=0.0)
    for lines in per_page:
        heads = {(round(_centre(line.glyphs[0]) / line.em * 2), round(line.head / line.em * 5)) for line in lines
                 if not _indented(line, lines)}
        for line in lines:
            total += 1
            if line.glyphs[0].char in no_start:
                starts.append(line.text[:6])
            if line.glyphs[-1].char in no_end:
                ends.append(line.text[-6:])
            # The next line is one pitch to the left, level with this one and not indented: else this
            # line ends a paragraph (the next is indented), a tier or a module.
            if not _has_next(line, heads):
                continue
            nonfinal += 1
            if _flush(line, measure):
                flush += 1
                looseness = _looseness(line)
                loosest = max(loosest, looseness)
                if looseness > LOOSE_LIMIT:
                    loose.append(line.text[:6])
    forms = tuple(sorted({char for text in texts for char in text if is_presentation_form(char)}))
    return VerticalReport(total, nonfinal, flush, tuple(starts), tuple(ends), loosest, tuple(loose), turned, forms,
                          measure)


def _indented(line: VLine, lines: Sequence[VLine]) -> bool:
    """Whether ``line`` starts below the head of its tier (the highest head of the lines beside it)."""
    top = max(other.head for other in lines if other.foot <= line.head and other.head >= line.foot)
    return line.head < top - 0.5 * line.em


def _flush(line: VLine, measure: float) -> bool:
    """Whether ``line`` ends at the measure.

    A mark ending the line may have been set in half an em (squeezed, or ``end_half``), its em
    box then reaching up to half an em past the line's end (its ink stays inside).
    """
    over = line.length - measure
    if line.glyphs[-1].char in COMPRESSIBLE and line.glyphs[-1].upright:
        return -FLUSH_TOLERANCE <= over <= 0.5 * line.em + FLUSH_TOLERANCE
    return abs(over) <= FLUSH_TOLERANCE


def _has_next(line: VLine, heads: set[tuple[int, int]]) -> bool:
    """Whether a line starts level with ``line`` one line pitch (1–2 ems) to its left."""
    centre = round(_centre(line.glyphs[0]) / line.em * 2)
    head = round(line.head / line.em * 5)
    return any((centre - step, head + shift) in heads for step in (2, 3, 4) for shift in (-1, 0, 1))


def is_vertical(pages: Sequence[Sequence[Glyph]]) -> bool:
    """Whether a PDF's Han characters mostly follow one another down the page rather than across it.

    What ``broadsheet check`` goes by when it does not know the PDF's edition.

    >>> down = [Glyph("汉", 100, 700 - 10 * n, 10, 10) for n in range(5)]
    >>> across = [Glyph("汉", 100 + 10 * n, 700, 10, 10) for n in range(5)]
    >>> is_vertical([down]), is_vertical([across])
    (True, False)
    """
    down = across = 0
    for page in pages:
        han = [glyph for glyph in page if is_han(glyph.char) and glyph.upright]
        for first, second in zip(han, han[1:], strict=False):
            if abs(second.x - first.x) < 0.1 * first.em and 0.9 * first.em < first.y - second.y < 2 * first.em:
                down += 1
            elif abs(second.y - first.y) < 0.1 * first.em and 0.9 * first.em < second.x - first.x < 2 * first.em:
                across += 1
    return down > across


def vertical_problems(report: VerticalReport) -> list[str]:
    """The clreq targets a vertical PDF misses, one line each (empty when it meets them all)."""
    problems = []
    if report.forbidden_starts:
        problems.append(f"{len(report.forbidden_starts)} vertical line(s) start with a forbidden mark, "
                        f"e.g. {', '.join(report.forbidden_starts[:3])}")
    if report.forbidden_ends:
        problems.append(f"{len(report.forbidden_ends)} vertical line(s) end with a mark that may not end one, "
                        f"e.g. {', '.join(report.forbidden_ends[:3])}")
    if report.flush_ratio < FLUSH_TARGET:
        problems.append(f"only {report.flush_ratio:.1%} of {report.nonfinal_lines} non-final vertical lines are "
                        f"flush with the measure (target {FLUSH_TARGET:.0%})")
    if report.loose_lines:
        problems.append(f"{len(report.loose_lines)} vertical line(s) looser than {LOOSE_LIMIT} em per gap, "
                        f"e.g. {', '.join(report.loose_lines[:3])}")
    if report.turned_han:
        problems.append(f"{report.turned_han} Han character(s) drawn turned; vertical text sets them upright")
    if report.presentation_forms:
        problems.append("vertical presentation forms in the text layer instead of the source characters: "
                        + " ".join(f"U+{ord(char):04X}" for char in report.presentation_forms))
    return problems
