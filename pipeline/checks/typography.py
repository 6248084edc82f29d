"""Measure a PDF's Chinese typography from its glyph positions (clreq line and punctuation checks).

``analyse_pdf`` reads each character's origin and advance box with pypdfium2, rebuilds lines
(content order: a new line where the baseline changes or the pen moves back) and columns (left
edges that lines share, with the right edge most of them reach), and reports per page:

- lines starting with a mark that may not begin a line, and lines ending with an opening mark;
- non-final body lines (the next line drawn is not indented) whose right end is off the
  column's measure by more than ``FLUSH_TOLERANCE``;
- widths of adjacent punctuation pairs such as 。” or ，“ (clreq: 1.5 em where compressed);
- widths of isolated mid-line marks (clreq: 1 em);
- paragraph-final lines holding a single character.

Widths come from origins: a mark's width is measured between its plain neighbours' edges, less
the justification space of those gaps, estimated per line from its Han–Han gaps. Body lines are
those in the page's commonest font size.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ..text.chars import (
    CLOSING_MARKS,
    COMPRESSIBLE,
    FULL_STOPS,
    NO_LINE_END,
    NO_LINE_START,
    OPENING_MARKS,
    UNBREAKABLE_DOUBLES,
    is_expandable_gap,
    is_solid_wide,
)
from .reader import Glyph, load_pdf, read_text_layer

__all__ = ["Glyph", "Line", "PageLines", "TypographyReport", "analyse_glyphs", "analyse_lines", "analyse_page_lines",
           "analyse_pdf", "build_lines", "column_edges", "page_width", "read_glyphs", "read_page_lines",
           "split_at_gutters", "typography_problems"]

Level = Literal["none", "basic", "gb", "strict"]

FLUSH_TOLERANCE = 0.5
"""Points a non-final line's end may be off its column's right edge and still count as flush."""
HANGING = frozenset("\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}\N{FULLWIDTH FULL STOP}")
"""Marks the layout may hang past a line's end (``typeset.linebreak.HANGING``; checks may not import
typeset): a line ending in one is flush when the mark starts at the measure."""

_WIDTH_TOLERANCE = 0.05
"""Ems of rounding allowed when comparing mark widths with 1 em and 1.5 em."""

_LISTED = 8
"""Wide pairs and off-measure lines listed per page by ``format()``."""


@dataclass(frozen=True, slots=True)
class Line:
    """Glyphs on one baseline of one column, left to right."""

    glyphs: tuple[Glyph, ...]
    # The checks read a line's text and em size many times each: worked out once, when it is made.
    text: str = field(init=False, repr=False, compare=False)
    em: float = field(init=False, repr=False, compare=False)
    """The median of its glyphs' em sizes."""
    _extras: tuple[float, ...] = field(init=False, repr=False, compare=False)
    """``gap_extras()``, once it has been asked for (the clreq and the evenness figures both ask)."""

    def __post_init__(self) -> None:
        glyphs = self.glyphs
        object.__setattr__(self, "text", "".join([glyph.char for glyph in glyphs]))
        # An empty line has no em (statistics.median would raise when it is asked for).
        if glyphs:
            object.__setattr__(self, "em", statistics.median([glyph.em for glyph in glyphs]))

    @property
    def left(self) -> float:
        return self.glyphs[0].x

    @property
    def right(self) -> float:
        return self.glyphs[-1].x + self.glyphs[-1].advance

    def gap_extras(self) -> tuple[float, ...]:
        """The space beyond natural width in each gap between two solid wide characters, in points."""
        try:
            return self._extras
        except AttributeError:
            pass
        glyphs = self.glyphs
        solid = [_is_solid_wide(glyph.char) for glyph in glyphs]
        extras = tuple(glyphs[at + 1].x - glyphs[at].x - glyphs[at].advance
                       for at in range(len(glyphs) - 1) if solid[at] and solid[at + 1])
        object.__setattr__(self, "_extras", extras)
        return extras

    def slack(self) -> float:
        """Estimate the justification space added to each expandable gap of this line."""
        extras = self.gap_extras()
        return max(0.0, statistics.median(extras)) if extras else 0.0


@dataclass(frozen=True, slots=True)
class PageReport:
    """Figures for one page; widths in ems, positions in points."""

    number: int
    lines: int
    body_lines: int
    forbidden_starts: tuple[str, ...]
    forbidden_ends: tuple[str, ...]
    nonfinal_lines: int
    off_measure: tuple[float, ...]
    off_lines: tuple[str, ...]
    final_lines: int
    lone_final_lines: tuple[str, ...]
    pair_widths: tuple[float, ...]
    pair_texts: tuple[str, ...]
    isolated_widths: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.number,
            "lines": self.lines,
            "body_lines": self.body_lines,
            "forbidden_starts": list(self.forbidden_starts),
            "forbidden_ends": list(self.forbidden_ends),
            "nonfinal_lines": self.nonfinal_lines,
            "off_measure": [round(value, 2) for value in self.off_measure],
            "off_lines": list(self.off_lines),
            "final_lines": self.final_lines,
            "lone_final_lines": list(self.lone_final_lines),
            "pair_widths": [round(value, 3) for value in self.pair_widths],
            "pair_texts": list(self.pair_texts),
            "isolated_widths": [round(value, 3) for value in self.isolated_widths],
        }


@dataclass(frozen=True, slots=True)
class TypographyReport:
    """The clreq figures of one PDF, per page and in total."""

    path: str
    level: Level
    pages: tuple[PageReport, ...] = field(default_factory=tuple)

    @property
    def forbidden_starts(self) -> int:
        return sum(len(page.forbidden_starts) for page in self.pages)

    @property
    def forbidden_ends(self) -> int:
        return sum(len(page.forbidden_ends) for page in self.pages)

    @property
    def nonfinal_lines(self) -> int:
        return sum(page.nonfinal_lines for page in self.pages)

    @property
    def flush_ratio(self) -> float:
        """Share of non-final body lines flush with their measure (1.0 when there are none)."""
        off = sum(len(page.off_measure) for page in self.pages)
        return 1.0 - off / self.nonfinal_lines if self.nonfinal_lines else 1.0

    @property
    def lone_ratio(self) -> float:
        """Share of paragraph-final lines holding a single character (clreq: avoid)."""
        finals = sum(page.final_lines for page in self.pages)
        lone = sum(len(page.lone_final_lines) for page in self.pages)
        return lone / finals if finals else 0.0

    @property
    def pair_widths(self) -> tuple[float, ...]:
        return tuple(width for page in self.pages for width in page.pair_widths)

    @property
    def pair_texts(self) -> tuple[str, ...]:
        return tuple(text for page in self.pages for text in page.pair_texts)

    @property
    def isolated_widths(self) -> tuple[float, ...]:
        return tuple(width for page in self.pages for width in page.isolated_widths)

    @property
    def compressed_ratio(self) -> float:
        """Share of adjacent punctuation pairs at 1.5 em or less (1.0 when there are none)."""
        widths = self.pair_widths
        if not widths:
            return 1.0
        return sum(width <= 1.5 + _WIDTH_TOLERANCE for width in widths) / len(widths)

    @property
    def isolated_full_ratio(self) -> float:
        """Share of isolated mid-line marks set in 1 em (1.0 when there are none)."""
        widths = self.isolated_widths
        if not widths:
            return 1.0
        return sum(abs(width - 1.0) <= _WIDTH_TOLERANCE for width in widths) / len(widths)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "level": self.level,
            "forbidden_starts": self.forbidden_starts,
            "forbidden_ends": self.forbidden_ends,
            "nonfinal_lines": self.nonfinal_lines,
            "flush_ratio": round(self.flush_ratio, 4),
            "pairs": len(self.pair_widths),
            "compressed_ratio": round(self.compressed_ratio, 4),
            "isolated": len(self.isolated_widths),
            "isolated_full_ratio": round(self.isolated_full_ratio, 4),
            "lone_ratio": round(self.lone_ratio, 4),
            "pages": [page.to_dict() for page in self.pages],
        }

    def format(self) -> str:
        """Describe the figures for a person, one line per measure and per page."""
        lines = [
            f"{self.path} (line-break level {self.level})",
            f"  forbidden line starts: {self.forbidden_starts}",
            f"  lines ending with an opening mark: {self.forbidden_ends}",
            f"  non-final body lines flush within {FLUSH_TOLERANCE} pt: "
            f"{self.flush_ratio:.1%} of {self.nonfinal_lines}",
            f"  adjacent punctuation pairs at <= 1.5 em: "
            f"{self.compressed_ratio:.1%} of {len(self.pair_widths)}",
            f"  isolated mid-line marks at 1 em: "
            f"{self.isolated_full_ratio:.1%} of {len(self.isolated_widths)}",
            f"  paragraph-final lines of a single character: {self.lone_ratio:.1%}",
        ]
        for page in self.pages:
            worst = max(page.off_measure, default=0.0)
            lines.append(
                f"  page {page.number}: {page.body_lines} body lines, "
                f"{len(page.forbidden_starts)} bad starts, {len(page.forbidden_ends)} bad ends, "
                f"{len(page.off_measure)}/{page.nonfinal_lines} off measure (worst {worst:.1f} pt)"
            )
            lines.extend(f"    starts with {text[:12]}…" for text in page.forbidden_starts)
            lines.extend(f"    ends with …{text[-12:]}" for text in page.forbidden_ends)
            wide = [
                f"    pair {text} set in {width:.2f} em"
                for text, width in zip(page.pair_texts, page.pair_widths, strict=True)
                if width > 1.5 + _WIDTH_TOLERANCE
            ]
            off = [
                f"    off by {gap:.1f} pt: {text}"
                for gap, text in zip(page.off_measure, page.off_lines, strict=True)
            ]
            for details in (wide, off):
                lines.extend(details[:_LISTED])
                if len(details) > _LISTED:
                    lines.append(f"    … and {len(details) - _LISTED} more")
        return "\n".join(lines)


_is_solid_wide = cache(is_solid_wide)
"""``is_solid_wide``, answered once per character: the checks ask it of every glyph of every line."""


def _is_mark(char: str) -> bool:
    return char in COMPRESSIBLE or char in NO_LINE_START["strict"] or char in OPENING_MARKS


def read_glyphs(path: str | Path | bytes) -> list[list[Glyph]]:
    """Read every drawn character of every page, in content order, skipping invisible ones.

    ``path`` may also be the PDF itself, as bytes.  (A preflight reads the glyphs together
    with the text, once: :func:`pipeline.checks.reader.read_text_layer`.)
    """
    data, name = load_pdf(path)
    return [list(page) for page in read_text_layer(data, name).glyphs]


def build_lines(glyphs: list[Glyph]) -> list[Line]:
    """Group glyphs, in content order, into lines: one baseline, left to right, no wide gap.

    WeasyPrint draws a page line by line and column by column, so a new line starts where the
    baseline changes or the pen moves back; a gap over 3 em also splits (side-by-side boxes).
    """
    lines = []
    current: list[Glyph] = []
    for glyph in glyphs:
        if current:
            previous = current[-1]
            if glyph.char == previous.char and glyph.char in UNBREAKABLE_DOUBLES \
                    and abs(glyph.x - previous.x) < 0.01 and glyph.y == previous.y:
                # One ligature glyph (——) drawn for two characters: both get its origin.
                glyph = Glyph(glyph.char, previous.x + previous.advance, glyph.y,
                              glyph.advance, glyph.em)
            wide_gap = glyph.x - (previous.x + previous.advance) > 6 * max(glyph.em, previous.em)
            if abs(glyph.y - previous.y) > 0.1 or glyph.x < previous.x or wide_gap:
                lines.append(Line(tuple(current)))
                current = []
        current.append(glyph)
    if current:
        lines.append(Line(tuple(current)))
    return lines


GUTTER_GAP = 1.0
"""Ems of gap at which a line of glyphs is two blocks side by side: a column gutter is 1.2 em or
more, while justification and Han–Latin spacing open a gap half an em at most."""


def split_at_gutters(line: Line) -> list[Line]:
    """The blocks of a line ``build_lines`` joined across gutters (one-line columns side by side
    on one baseline), each measured on its own.

    >>> line = Line(tuple(Glyph(c, x, 0.0, 10.0, 10.0) for c, x in zip("汉字排版", (0, 10.4, 35, 45))))
    >>> [part.text for part in split_at_gutters(line)]
    ['汉字', '排版']
    """
    parts: list[list[Glyph]] = [[line.glyphs[0]]]
    for before, glyph in zip(line.glyphs, line.glyphs[1:], strict=False):
        if glyph.x - (before.x + before.advance) > GUTTER_GAP * before.em:
            parts.append([])
        parts[-1].append(glyph)
    if len(parts) == 1:
        return [line]  # one block: the line itself (and what it has worked out already)
    return [Line(tuple(part)) for part in parts]


def body_em(lines: Sequence[Line]) -> float:
    """The body size in points: the commonest glyph size on the page, to a tenth of a point.

    A page's thousands of glyphs come in a few sizes: each size is counted, then rounded (the
    sizes that round alike adding up, first seen first, so a tie goes the same way).
    """
    exact = Counter(glyph.em for line in lines for glyph in line.glyphs)
    if any(em != em for em in exact):  # a NaN: each one rounds to a size of its own
        exact = Counter(round(glyph.em, 1) for line in lines for glyph in line.glyphs)
    sizes: Counter[float] = Counter()
    for em, count in exact.items():
        sizes[round(em, 1)] += count
    return sizes.most_common(1)[0][0] if sizes else 0.0


def column_segments(lines: Sequence[Line], em: float) -> list[list[Line]]:
    """Split body lines (in content order) into column segments: runs of lines one under the
    other that share a left edge, give or take a first-line indent (up to 3 em) or a mark set
    half-width at the line start (its origin half an em left of the edge).

    A page can hold several grids (an article in five columns above one in six), so measures
    come from each segment rather than from one set of columns per page.
    """
    segments: list[list[Line]] = []
    for line in lines:
        if segments:
            previous = segments[-1][-1]
            drop = previous.glyphs[0].y - line.glyphs[0].y
            if 0.5 * em < drop <= 3 * em and abs(line.left - segment_edge(segments[-1])) <= 3 * em:
                segments[-1].append(line)
                continue
        segments.append([line])
    return segments


def segment_edge(segment: Sequence[Line]) -> float:
    """The left edge of a column segment: its leftmost line not opening with a mark."""
    plain = [line.left for line in segment if line.text[0] not in OPENING_MARKS]
    return min(plain) if plain else min(line.left for line in segment)


def _ends_in_stop(line: Line) -> bool:
    return line.text[-1] in CLOSING_MARKS or line.text[-1] in FULL_STOPS


def _agreeing(values: Sequence[float], tolerance: float) -> list[int]:
    """For each value, how many of ``values`` (itself too) lie within ``tolerance`` of it.

    The same counts as ``sum(abs(other - value) <= tolerance for other in values)``, with the
    same float arithmetic, in n log n rather than n² steps: a rounded ``other - value`` never
    decreases as ``other`` grows, so the values that agree with one are a run of the sorted
    values, found by bisection on that very difference.

    >>> _agreeing([10.0, 10.2, 10.3, 11.0, 10.25], 0.25)
    [3, 4, 3, 1, 4]
    """
    ordered = sorted(values)
    counts = []
    for value in values:
        low = bisect_left(ordered, -tolerance, key=lambda other: other - value)
        high = bisect_right(ordered, tolerance, lo=low, key=lambda other: other - value)
        counts.append(high - low)
    return counts


def page_width(segments: Sequence[Sequence[Line]]) -> float | None:
    """The commonest width of the page's full lines, in points: its columns' measure (None if unclear).

    Counted over lines that start at their column's edge and do not end in a mark (which may
    be half-width): flush lines share one width, ragged ones scatter below it.
    """
    widths = [line.right - edge for segment in segments for edge in (segment_edge(segment),)
              for line in segment if line.left - edge <= 0.5 * line.em and not _ends_in_stop(line)]
    if len(widths) < 3:
        return None
    counts = list(zip(_agreeing(widths, FLUSH_TOLERANCE / 2), widths, strict=True))
    count, width = max(counts)
    return width if count >= 3 else None


def column_edges(segments: Sequence[Sequence[Line]], width: float | None) -> list[float]:
    """The left edges of the page's columns: where a line as wide as the measure starts (None width: none).

    Modules span whole columns of one grid, so a column holding only indented or flush-right
    lines (a paragraph's first line, a sign-off) has its edge where full lines elsewhere start.
    """
    if width is None:
        return []
    edges = sorted({round(line.left, 1) for segment in segments for line in segment
                    if abs(line.right - line.left - width) <= FLUSH_TOLERANCE})
    steps = [b - a for a, b in zip(edges, edges[1:], strict=False) if b - a > width]
    if not steps:
        return edges
    # The columns are one grid: known edges a whole number of column pitches apart extend it
    # to the columns where no full line stands (a short story's last columns).
    pitch = min(steps)
    if any(abs(step / pitch - round(step / pitch)) * pitch > FLUSH_TOLERANCE for step in steps):
        return edges
    right = max(line.right for segment in segments for line in segment)
    first = edges[0]
    while first - pitch > min(line.left for segment in segments for line in segment) - FLUSH_TOLERANCE:
        first -= pitch
    grid = []
    edge = first
    while edge < right:
        grid.append(round(edge, 1))
        edge += pitch
    return grid


def segment_measure(segment: Sequence[Line], width: float | None = None,
                    edges: Sequence[float] = ()) -> tuple[float, float]:
    """A segment's left edge and the right edge most of its lines reach (ties: the widest).

    ``width`` is the page's measure (``page_width``): the segment's right edge is its left edge
    plus that, when one of its lines ends there. Otherwise its lines vote. A line ending in a
    closing or stop mark then also votes for the edges a quarter and half an em short of its
    end: such a mark may be set half-width, and its advance still reads as a full em.
    """
    edge = segment_edge(segment)
    # No line of the segment at its column's edge (each indented or set flush right): the
    # column's edge is the page column edge left of them, within a measure.
    em = statistics.median(line.em for line in segment)
    inside = [known for known in edges if edge - (width or 0.0) < known < edge - 0.5 * em]
    if inside and width is not None:
        edge = max(inside)
    if width is not None:
        right = edge + width
        for line in segment:
            shifts = (0.0, 0.25, 0.5) if _ends_in_stop(line) else (0.0,)
            if any(abs(line.right - shift * line.em - right) <= FLUSH_TOLERANCE for shift in shifts):
                return edge, right
    votes = []
    for line in segment:
        shifts = (0.0, 0.25, 0.5) if _ends_in_stop(line) else (0.0,)
        votes += [line.right - shift * line.em for shift in shifts]
    # Votes within the flush tolerance of each other agree (positions are floats, not a grid).
    counts = list(zip(_agreeing(votes, FLUSH_TOLERANCE / 2), votes, strict=True))
    return edge, max(counts)[1]


@dataclass(frozen=True, slots=True)
class PageLines:
    """One page's lines and body columns, as the clreq figures and the evenness figures
    (:mod:`.grid`) both read them: worked out once per page (:func:`read_page_lines`)."""

    lines: tuple[Line, ...]
    """Every line, in content order (``build_lines``)."""
    em: float
    """The body size (``body_em``)."""
    body: tuple[Line, ...]
    """The lines of the body size, in content order."""
    segments: tuple[tuple[Line, ...], ...]
    """The body lines' column segments (``column_segments``)."""
    width: float | None
    """The columns' measure (``page_width``)."""
    edges: tuple[float, ...]
    """The columns' left edges (``column_edges``)."""
    measures: tuple[tuple[float, float], ...]
    """Each segment's left and right edge (``segment_measure`` with the page's width and edges)."""

    def placed(self) -> list[tuple[Line, tuple[float, float], int]]:
        """Each body line in content order, with its segment's measure and the segment's index."""
        return [(line, measure, index) for index, (segment, measure) in enumerate(zip(self.segments, self.measures,
                                                                                       strict=True))
                for line in segment]


def read_page_lines(lines: Sequence[Line]) -> PageLines:
    """A page's body size, body lines, column segments and measures, from its lines (``build_lines``)."""
    em = body_em(lines)
    body = tuple(line for line in lines if abs(line.em - em) < 0.05 * em)
    segments = tuple(tuple(segment) for segment in column_segments(body, em))
    width = page_width(segments)
    edges = tuple(column_edges(segments, width))
    measures = tuple(segment_measure(segment, width, edges) for segment in segments)
    return PageLines(tuple(lines), em, body, segments, width, edges, measures)


def analyse_lines(lines: list[Line], number: int, level: Level = "basic",
                  end_half: bool = False) -> PageReport:
    """Measure one page's lines (already built) against the clreq rules at ``level``.

    With ``end_half`` (GB style) a line may end in a mark set half-width: its glyph origin
    then sits half an em (a quarter, for a centred mark) further left than a full mark's.
    """
    return analyse_page_lines(read_page_lines(lines), number, level, end_half)


def analyse_page_lines(page: PageLines, number: int, level: Level = "basic",
                       end_half: bool = False) -> PageReport:
    """:func:`analyse_lines` of a page whose lines and columns are read already."""
    lines, em, body = page.lines, page.em, page.body
    no_start, no_end = NO_LINE_START[level], NO_LINE_END[level]
    forbidden_starts = tuple(line.text for line in lines if line.text[0] in no_start)
    forbidden_ends = tuple(line.text for line in lines if line.text[-1] in no_end)
    # Content order is reading order: WeasyPrint draws a flow line by line, column by column,
    # so the next body line drawn is the one that continues a paragraph, if any does.
    placed = page.placed()
    nonfinal = 0
    off: list[float] = []
    off_lines: list[str] = []
    final_lines = 0
    lone: list[str] = []
    for position, (line, (_, right), segment) in enumerate(placed):  # segment: its index
        if position + 1 == len(placed):
            final = True
        else:
            following, (next_left, _), next_segment = placed[position + 1]
            indented = following.left - next_left > 0.5 * em
            # A new segment lower down (not a column break, which moves up) follows a break
            # in the flow: a title, a byline, a space.
            below = next_segment != segment and following.glyphs[0].y < line.glyphs[0].y
            final = indented or below
        if final or line.left > right:
            if final:
                final_lines += 1
                if sum(char.isalnum() for char in line.text) == 1:
                    lone.append(line.text)
            continue
        nonfinal += 1
        gap = abs(right - line.right)
        if end_half and (line.text[-1] in CLOSING_MARKS or line.text[-1] in FULL_STOPS):
            gap = min(abs(right - line.right + shift * line.em) for shift in (0, 0.25, 0.5))
        if line.text[-1] in HANGING and len(line.glyphs) > 1:
            # A hung mark starts at the measure; a centred one (zh-TW, zh-HK) is drawn a quarter em left.
            gap = min(gap, *(abs(right - shift * line.em - line.glyphs[-1].x) for shift in (0, 0.25)))
        if gap > FLUSH_TOLERANCE:
            off.append(gap)
            off_lines.append(line.text)
    pairs: list[tuple[str, float]] = []
    isolated: list[float] = []
    for line in body:
        for block in split_at_gutters(line):  # each column's justification apart
            _measure_marks(block, pairs, isolated)
    return PageReport(
        number=number,
        lines=len(lines),
        body_lines=len(body),
        forbidden_starts=forbidden_starts,
        forbidden_ends=forbidden_ends,
        nonfinal_lines=nonfinal,
        off_measure=tuple(off),
        off_lines=tuple(off_lines),
        final_lines=final_lines,
        lone_final_lines=tuple(lone),
        pair_widths=tuple(width for _, width in pairs),
        pair_texts=tuple(text for text, _ in pairs),
        isolated_widths=tuple(isolated),
    )


def _gap(line: Line, index: int, slack: float) -> float:
    """Justification space between glyph ``index`` and the next (0 if not expandable)."""
    glyphs = line.glyphs
    if is_expandable_gap(glyphs[index].char, glyphs[index + 1].char):
        return slack
    return 0.0


def _span(line: Line, first: int, last: int, slack: float) -> float:
    """Width of glyphs ``first``..``last`` set side by side, without justification space.

    Measured between the neighbours' edges where they are plain characters, because a mark
    the ``halt`` feature narrows may also be moved off its origin.
    """
    glyphs = line.glyphs
    previous = first - 1
    if previous >= 0 and glyphs[previous].char not in COMPRESSIBLE:
        start = glyphs[previous].x + glyphs[previous].advance + _gap(line, previous, slack)
    else:
        start = glyphs[first].x
    following = last + 1
    if following < len(glyphs):
        end = glyphs[following].x - _gap(line, last, slack)
    else:
        end = glyphs[last].x + glyphs[last].advance
    return end - start


def _measure_marks(line: Line, pairs: list[tuple[str, float]], isolated: list[float]) -> None:
    """Measure adjacent-mark pairs and isolated marks of one line, in ems.

    A run of two marks is measured exactly, between its neighbours' edges. In a longer run
    (。”） and the like) a mark that gives up its blank half may also be moved off its origin,
    so each of its pairs is given the run's mean: two marks' share of the run's width.
    """
    glyphs = line.glyphs
    slack = line.slack()
    em = line.em
    index = 0
    while index < len(glyphs):
        if glyphs[index].char not in COMPRESSIBLE:
            index += 1
            continue
        end = index
        while end + 1 < len(glyphs) and glyphs[end + 1].char in COMPRESSIBLE:
            end += 1
        count = end - index + 1
        if count == 1:
            if 0 < index < len(glyphs) - 1 and _is_solid_wide(glyphs[index - 1].char) \
                    and _is_solid_wide(glyphs[index + 1].char):
                isolated.append(_span(line, index, index, slack) / em)
        else:
            share = _span(line, index, end, slack) / em * 2 / count
            for first in range(index, end):
                char, after = glyphs[first].char, glyphs[first + 1].char
                if char not in OPENING_MARKS or after in OPENING_MARKS:
                    pairs.append((char + after, share))
        index = end + 1


def analyse_pdf(path: str | Path | bytes, level: Level = "basic",
                end_half: bool = False) -> TypographyReport:
    """Read a PDF (a path, or its bytes) and report its clreq figures per page at ``level``.

    ``end_half`` accepts line-final marks set half-width (``Typography.end_half``).
    """
    name = "<bytes>" if isinstance(path, bytes) else str(path)
    return analyse_glyphs(read_glyphs(path), level, end_half, name)


def analyse_glyphs(pages: Sequence[Sequence[Glyph]], level: Level = "basic", end_half: bool = False,
                   name: str = "<bytes>", lines: Sequence[PageLines | None] | None = None) -> TypographyReport:
    """Report the clreq figures of pages already read (each page's glyphs in content order).

    ``lines`` are the pages' :func:`read_page_lines` if read already (``None`` for a page without glyphs).
    """
    read = lines if lines is not None else [read_page_lines(build_lines(list(glyphs))) if glyphs else None
                                            for glyphs in pages]
    reports = tuple(
        analyse_page_lines(page, number, level, end_half)
        for number, (glyphs, page) in enumerate(zip(pages, read, strict=True), start=1)
        if glyphs and page is not None
    )
    return TypographyReport(path=name, level=level, pages=reports)


FLUSH_TARGET = 0.99
"""Share of non-final body lines that must be flush with their measure (issue target, clreq §3.7)."""
COMPRESSED_TARGET = 0.95
"""Share of adjacent punctuation pairs that must be set in 1.5 em or less where an edition compresses."""
LONE_TARGET = 0.01
"""Largest share of paragraphs whose last line holds a single character."""


def typography_problems(report: TypographyReport, compress: bool) -> list[str]:
    """The clreq targets a PDF misses, one line each (empty when it meets them all).

    ``compress`` says whether the edition compresses adjacent punctuation.
    """
    problems = []
    if report.forbidden_starts:
        starts = [text for page in report.pages for text in page.forbidden_starts][:3]
        problems.append(f"{report.forbidden_starts} line(s) start with a forbidden mark, e.g. {', '.join(starts)}")
    if report.forbidden_ends:
        ends = [text for page in report.pages for text in page.forbidden_ends][:3]
        problems.append(f"{report.forbidden_ends} line(s) end with an opening mark, e.g. {', '.join(ends)}")
    if report.flush_ratio < FLUSH_TARGET:
        problems.append(f"only {report.flush_ratio:.1%} of {report.nonfinal_lines} non-final lines are flush "
                        f"(target {FLUSH_TARGET:.0%})")
    if compress and report.compressed_ratio < COMPRESSED_TARGET:
        problems.append(f"only {report.compressed_ratio:.1%} of {len(report.pair_widths)} adjacent punctuation "
                        f"pairs are compressed to 1.5 em (target {COMPRESSED_TARGET:.0%})")
    if report.lone_ratio > LONE_TARGET:
        problems.append(f"{report.lone_ratio:.1%} of paragraphs end in a line of one character "
                        f"(target at most {LONE_TARGET:.0%})")
    return problems
