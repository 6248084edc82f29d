"""Measure how evenly a PDF's Chinese pages are set: loose lines, column feet, baselines, title breaks.

``analyse_grid`` works from the glyphs :func:`pipeline.checks.typography.read_glyphs` reads and
the lines :func:`~pipeline.checks.typography.build_lines` rebuilds, and reports per page (issue
15's table):

- **looseness** of every non-final body line: the space justification added to each
  inter-character gap, in body ems (measured on the gaps between two solid wide characters,
  which the justification widens all alike; a gap below its natural width shows as negative);
- **column feet** of every module (the columns drawn one after another with no title or other
  non-body line between them): how many lines apart the lowest baselines of its columns are;
- **baseline offsets** between side-by-side modules: how far (in lines, 0–0.5) the body
  baselines on the two sides of a vertical rule miss one grid;
- **title breaks**: titles set on two lines, and whether the break falls inside a word
  (:func:`pipeline.text.words.word_boundaries`, on the Simplified shadow of a Traditional title);
- **line-start opening marks**: how many body lines open with a full-width and how many with a
  half-width opening mark (lines set flush right, such as bylines, show neither and are not counted).

Body lines are those in the page's commonest font size; titles are lines at least
``TITLE_SCALE`` times larger.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..editions.simplified import simplified_shadow
from ..text.chars import OPENING_MARKS, han_class
from ..text.words import word_boundaries
from .typography import (
    FLUSH_TOLERANCE,
    Glyph,
    Line,
    PageLines,
    build_lines,
    read_glyphs,
    read_page_lines,
    segment_edge,
    segment_measure,
    split_at_gutters,
)

__all__ = ["GridReport", "PageGrid", "analyse_grid", "analyse_grid_pdf", "analyse_page_lines", "extracted_lines",
           "grid_findings", "grid_problems", "spaced_han_lines"]

LOOSE_LIMIT = 0.15
"""Ems per gap above which a body line counts as loose (issue 15: none should be)."""
LOOSE_P95_TARGET = 0.06
"""The 95th percentile of body-line looseness to aim for, in ems per gap."""
P95_MIN_LINES = 20
"""Fewer body lines than this get no percentile finding: the 95th percentile of a dozen lines is
their loosest, which ``LOOSE_LIMIT`` already judges line by line (a short notice page would be
warned for one line that passes the limit)."""
FOOT_TARGET = 1.0
"""Lines a module's column feet may be apart."""
_FOOT_ROUNDING = 0.01
"""Lines by which feet may miss ``FOOT_TARGET`` from rounding (0.14 pt at 14.25 pt): layout positions are floats."""
BASELINE_TARGET = 0.05
"""Lines by which baselines on both sides of a vertical rule may miss one grid."""
TITLE_SCALE = 1.3
"""A line this many times the body size or more is a title (kicker, headline, subheadline)."""
_INDENT = 0.5
"""Ems a line's left edge must sit right of its column's edge to count as indented."""
_HALF_MARK = 0.75
"""A line-start opening mark is half-width when the next glyph starts between ``_HALF_MARK - 0.5``
and ``_HALF_MARK`` ems past a whole em from the column's edge (0.5 for a half-width mark)."""
_ON_GRID = 0.1
"""Ems a line-start mark's next glyph may miss the column's half-em grid (whole or half ems past
its left edge) and the line still count as set from that edge."""


@cache
def _spaced_han() -> re.Pattern[str]:
    """Spaces between two Han characters (compiled when first asked for: the class of every Han
    range is slow to compile, and the preflight never asks)."""
    return re.compile(f"(?<=[{han_class()}]) +(?=[{han_class()}])")


_SPACED_MIN_CHARS = 10
_SPACED_MIN_GAPS = 3
QUOTED_CHARS = 12
"""Characters of a line quoted in a finding to say where it is."""
LISTED_LINES = 5
"""Loose lines of a page named one by one (the loosest); the rest are counted in one line."""
PRECISION = {"em": 3, "line": 2}
"""Decimals a figure is compared with its goal at: looseness to a thousandth of an em (0.061 misses
0.06), feet and baselines to a hundredth of a line (a foot 1.004 lines apart is one line apart)."""


@dataclass(frozen=True, slots=True)
class PageGrid:
    """One page's evenness figures; looseness in ems per gap, feet and offsets in lines."""

    number: int
    line_pitch: float
    """Points from one body baseline to the next (the commonest drop)."""
    looseness: tuple[float, ...]
    loose_texts: tuple[str, ...]
    """Texts of the lines looser than ``LOOSE_LIMIT``, loosest first."""
    feet: tuple[float, ...]
    """Per module of two or more columns: lines between its highest and lowest column foot."""
    baseline_offsets: tuple[float, ...]
    """Per pair of side-by-side modules: how far their baselines miss one grid."""
    titles: tuple[str, ...]
    """Titles set on two lines, as ``first / second``."""
    title_breaks: tuple[str, ...]
    """Those of ``titles`` broken inside a word."""
    full_start_marks: int
    half_start_marks: int
    loose_values: tuple[float, ...] = ()
    """The looseness of each of ``loose_texts``, in the same order."""
    feet_at: tuple[str, ...] = ()
    """Where each of ``feet`` was measured: the first body line of the module."""
    offsets_at: tuple[str, ...] = ()
    """Where each of ``baseline_offsets`` was measured: the first body lines of the two modules."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.number,
            "line_pitch": round(self.line_pitch, 3),
            "looseness": [round(value, 4) for value in self.looseness],
            "loose_texts": list(self.loose_texts),
            "feet": [round(value, 2) for value in self.feet],
            "baseline_offsets": [round(value, 3) for value in self.baseline_offsets],
            "titles": list(self.titles),
            "title_breaks": list(self.title_breaks),
            "full_start_marks": self.full_start_marks,
            "half_start_marks": self.half_start_marks,
        }


@dataclass(frozen=True, slots=True)
class GridReport:
    """The evenness figures of one PDF, per page and in total."""

    path: str
    pages: tuple[PageGrid, ...] = field(default_factory=tuple)

    @property
    def looseness(self) -> tuple[float, ...]:
        return tuple(value for page in self.pages for value in page.looseness)

    @property
    def loose_p95(self) -> float:
        """The 95th percentile of body-line looseness (0 with no lines), ems per gap."""
        return percentile(self.looseness, 0.95)

    @property
    def loose_lines(self) -> int:
        return sum(len(page.loose_texts) for page in self.pages)

    @property
    def loosest(self) -> float:
        return max(self.looseness, default=0.0)

    @property
    def tightest(self) -> float:
        """The smallest looseness: negative if Han gaps were squeezed below their natural width."""
        return min(self.looseness, default=0.0)

    @property
    def foot_spread(self) -> float:
        return max((value for page in self.pages for value in page.feet), default=0.0)

    @property
    def baseline_offset(self) -> float:
        return max((value for page in self.pages for value in page.baseline_offsets), default=0.0)

    @property
    def title_breaks(self) -> tuple[str, ...]:
        return tuple(text for page in self.pages for text in page.title_breaks)

    @property
    def full_start_marks(self) -> int:
        return sum(page.full_start_marks for page in self.pages)

    @property
    def half_start_marks(self) -> int:
        return sum(page.half_start_marks for page in self.pages)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "loose_p95": round(self.loose_p95, 4),
            "loose_lines": self.loose_lines,
            "loosest": round(self.loosest, 4),
            "tightest": round(self.tightest, 4),
            "foot_spread": round(self.foot_spread, 2),
            "baseline_offset": round(self.baseline_offset, 3),
            "title_breaks": list(self.title_breaks),
            "full_start_marks": self.full_start_marks,
            "half_start_marks": self.half_start_marks,
            "pages": [page.to_dict() for page in self.pages],
        }


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile of ``values`` by the nearest-rank method (0 when empty).

    >>> percentile([0.0, 0.1, 0.2, 0.3], 0.95), percentile([], 0.5)
    (0.3, 0.0)
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-int(share * len(ordered) * 1000) // 1000))
    return ordered[min(len(ordered), rank) - 1]


def spaced_han_lines(text: str) -> int:
    """Count body lines of extracted text that a text extractor split with spaces between Han characters.

    A line counts when it holds at least ``_SPACED_MIN_CHARS`` characters besides spaces (a
    column line, not a letter-spaced title) and at least ``_SPACED_MIN_GAPS`` spaces between two
    Han characters; a byline (a line in full-width brackets) does not: the spaces between its
    names are in the text, not damage.

    >>> spaced_han_lines("汉 字 汉 字 汉 字 汉 字 汉 字\\n（李安安 洛宇峰 徐静）\\n坚 持 树 好")
    1
    >>> spaced_han_lines("（记者 张磊建 王静婷 曹强）\\n（记 者 张 磊 建 王 静 婷 曹 强 说）得 好")
    1
    """
    count = 0
    for line in text.splitlines():
        solid = len(line) - line.count(" ")
        byline = line.strip().startswith("\N{FULLWIDTH LEFT PARENTHESIS}") \
            and line.strip().endswith("\N{FULLWIDTH RIGHT PARENTHESIS}")
        if solid >= _SPACED_MIN_CHARS and len(_spaced_han().findall(line)) >= _SPACED_MIN_GAPS and not byline:
            count += 1
    return count


WORD_BREAK = 0.1
"""Ems of space after a glyph past which poppler's ``pdftotext`` starts a new word (its
``minWordBreakSpace``); an overlap past ``_DUP_OVERLAP`` em starts one too."""
_DUP_OVERLAP = 0.2
_CHAR_SPACING = 0.03
"""poppler's ``maxCharSpacing``: the space threshold of a line holding a word of several characters."""
_WIDE_SPACING_MUL, _WIDE_SPACING_MAX = 1.3, 0.4
"""poppler's threshold on a line of one-character words: 1.3 times its narrowest gap, at most 0.4 em."""


def extracted_lines(glyphs: Sequence[Glyph]) -> list[str]:
    """A page's lines as ``pdftotext`` extracts them from these glyphs, spaces included (a model).

    poppler starts a new word after a gap over ``WORD_BREAK`` em (or an overlap); a line made only
    of one-character words (evenly letter-spaced) gets a space only where a gap is 1.3 times its
    narrowest, any other line one at every word break. So a line whose gaps straddle 0.1 em gets
    spaces at the wider ones, and a line holding a word (figures, a pair of marks, two characters
    closer than the rest) gets one at every gap past 0.1 em. Glyphs come from ``read_glyphs``:
    spaces are not drawn, and a mark has its font's full advance, as poppler reads it too.

    >>> from pipeline.checks.typography import Glyph
    >>> def line(*xs): return [Glyph(c, x, 0.0, 10.0, 10.0) for c, x in zip("汉字排版好", xs)]
    >>> extracted_lines(line(0, 11.05, 22.1, 33.15, 44.2))  # even, 0.105 em: one-character words
    ['汉字排版好']
    >>> extracted_lines(line(0, 10.9, 21.95, 32.85, 43.9))  # 0.09 and 0.105 em alternating
    ['汉字 排版 好']
    """
    return [_extract_block(block.glyphs) for line in build_lines(list(glyphs)) for block in split_at_gutters(line)]


def _extract_block(glyphs: Sequence[Glyph]) -> str:
    words = [[glyphs[0].char]]
    deltas: list[float] = []
    for before, glyph in zip(glyphs, glyphs[1:], strict=False):
        space = glyph.x - (before.x + before.advance)
        if space > WORD_BREAK * before.em or space < -_DUP_OVERLAP * before.em \
                or abs(glyph.em - before.em) > 0.05 * before.em:
            deltas.append(space)
            words.append([glyph.char])
        else:
            words[-1].append(glyph.char)
    if len(words) == 1:
        return "".join(words[0])
    em = glyphs[0].em
    if any(len(word) > 1 for word in words) or min(deltas) <= 0:
        threshold = _CHAR_SPACING * em
    else:
        threshold = min(_WIDE_SPACING_MUL * min(deltas), _WIDE_SPACING_MAX * em)
    text = "".join(words[0])
    for delta, word in zip(deltas, words[1:], strict=True):
        text += (" " if delta >= threshold else "") + "".join(word)
    return text


# ----------------------------------------------------------------------------- reading the page


def _gap_extras(line: Line) -> tuple[float, ...]:
    """The space beyond natural width in each gap between two solid wide characters, in points."""
    return line.gap_extras()


def _pitch(segments: Sequence[Sequence[Line]], em: float) -> float:
    """The commonest drop from one body baseline to the next: the mean of the drops within a
    tenth of a point of it (a rounded figure would put feet one line apart 1.004 lines apart)."""
    exact = [a.glyphs[0].y - b.glyphs[0].y for segment in segments for a, b in zip(segment, segment[1:], strict=False)]
    if not exact:
        return 1.5 * em
    common = Counter(round(drop, 1) for drop in exact).most_common(1)[0][0]
    near = [drop for drop in exact if abs(drop - common) <= 0.1]
    return sum(near) / len(near)


@dataclass(frozen=True, slots=True)
class _Column:
    left: float
    right: float
    top: float
    foot: float
    first: str = ""
    """The text of the run's first line (names its module in a finding)."""


def _modules(segments: Sequence[Sequence[Line]], lines: Sequence[Line], body: Sequence[Line],
             width: float | None = None) -> list[list[_Column]]:
    """Group column segments into modules, in content order.

    WeasyPrint draws a page in document order: a module's titles, then its columns one after
    another, then the next module's titles. So a line that is not body text (a title, a
    caption, the masthead) drawn between two columns separates two modules; columns drawn one
    after another with nothing between them belong to one module.
    """
    body_ids = {id(line) for line in body}
    separators = [0]
    count = 0
    for line in lines:
        if id(line) not in body_ids:
            count += 1
        separators.append(count)
    position = {id(line): index for index, line in enumerate(lines)}
    groups: dict[int, list[_Column]] = {}
    for whole in segments:
        key = separators[position[id(whole[0])]]
        for segment in _split_foot(whole):
            groups.setdefault(key, []).append(
                _Column(*segment_measure(segment, width), segment[0].glyphs[0].y, segment[-1].glyphs[0].y,
                        segment[0].text))
    modules = []
    for runs in groups.values():
        # A run under a column (a right-aligned byline, a jump line) is that column's foot. The
        # column reaches its full measure even when its only line is a short last one (了比赛。):
        # a byline set flush right under it starts past that line's end. (The measure is the
        # page's, else the module's widest run: a page of few lines may have no commonest width.)
        # A run drawn after a foot and starting above it opens the next module: stories without
        # titles set side by side (briefs) follow one another with no title between them.
        measure = width if width is not None else max(run.right - run.left for run in runs)
        columns: list[_Column] = []
        foot_top: float | None = None
        for run in runs:
            if foot_top is not None and run.top > foot_top + 1.0:  # points: a higher baseline
                modules.append(sorted(columns, key=lambda column: column.left))
                columns = []
            foot_top = None
            above = next((column for column in columns
                          if column.left - 1.0 <= run.left <= max(column.right, column.left + measure)
                          and run.top < column.foot), None)
            if above is None:
                columns.append(run)
            else:
                columns[columns.index(above)] = _Column(above.left, above.right, above.top, min(above.foot, run.foot),
                                                        above.first)
                foot_top = run.top
        modules.append(sorted(columns, key=lambda column: column.left))
    return modules


def _split_foot(segment: Sequence[Line]) -> list[Sequence[Line]]:
    """A column segment, and apart from it the byline set flush right under its last paragraph.

    A long byline (``（记者 钟鸣 通讯员 于洋）``) starts within the 3 ems of the column's edge
    that ``column_segments`` allows a first-line indent, so it joins the column's lines; it is
    told from a paragraph's first line by following a ragged last line and starting off the
    2-em indent.
    """
    if len(segment) >= 2:
        last, before = segment[-1], segment[-2]
        inset = (last.left - segment_edge(segment)) / last.em
        indents = (2.0, 1.5) if last.text[0] in OPENING_MARKS else (2.0,)  # a half-width mark starts ½ em left
        at_indent = any(abs(inset - indent) <= 0.25 for indent in indents)
        if inset > 0.25 and not at_indent and before.right < last.right - 0.5 * last.em:
            return [segment[:-1], segment[-1:]]
    return [segment]


def _tiers(module: Sequence[_Column], pitch: float) -> list[list[_Column]]:
    """A module's columns grouped by where they start: the columns of one tier start on one line.

    A run starting lower than its neighbours is a caption under a photo, or the lower deck the
    body continues in below the photo and the columns beside it; only columns that start
    together should end together.
    """
    tiers: list[list[_Column]] = []
    for column in sorted(module, key=lambda column: -column.top):
        if tiers and tiers[-1][0].top - column.top < 0.5 * pitch:
            tiers[-1].append(column)
        else:
            tiers.append([column])
    return tiers


def _opening(module: Sequence[_Column]) -> str:
    """A module named by its first body line (its leftmost column's top), shortened."""
    return _quote(min(module, key=lambda column: (-column.top, column.left)).first)


def _quote(text: str) -> str:
    return f"“{text[:QUOTED_CHARS]}…”" if len(text) > QUOTED_CHARS else f"“{text}”"


def _offsets(modules: Sequence[Sequence[_Column]], pitch: float) -> list[tuple[float, str]]:
    """How far the baselines of side-by-side modules (overlapping heights, neighbours) miss one grid, and where."""
    offsets = []
    for index, first in enumerate(modules):
        for second in modules[index + 1:]:
            top = min(first[0].top, second[0].top)
            bottom = max(min(c.foot for c in first), min(c.foot for c in second))
            side_by_side = first[-1].right <= second[0].left or second[-1].right <= first[0].left
            if not side_by_side or bottom >= top:
                continue
            phase = ((first[0].top - second[0].top) / pitch) % 1.0
            offsets.append((min(phase, 1.0 - phase), f"{_opening(first)} and {_opening(second)}"))
    return offsets


def _two_line_titles(lines: Sequence[Line], body_em: float) -> list[tuple[str, str]]:
    """Titles set on two lines: consecutive title lines of one size, the second just below the first."""
    pairs = []
    for first, second in zip(lines, lines[1:], strict=False):
        em = first.em
        if em < TITLE_SCALE * body_em or abs(second.em - em) > 0.02 * em:
            continue
        drop = first.glyphs[0].y - second.glyphs[0].y
        overlap = min(first.right, second.right) - max(first.left, second.left)
        if 0.8 * em < drop < 2.0 * em and overlap > 0:
            pairs.append((first.text, second.text))
    return pairs


_WORD_SPACE = 0.25
"""Ems by which one Han–Han gap of a line outgrows another when the line holds a word space (a
justified line spreads its slack evenly over those gaps)."""


def _start_marks(segments: Sequence[Sequence[Line]], em: float, width: float | None = None) -> tuple[int, int]:
    """Body lines opening with an opening mark: (full-width ones, half-width ones).

    Told by where the next character starts, in ems from the column's left edge (past any
    indent, which is whole ems): a whole number for a full-width mark, a half for a half-width
    one. (The mark's own origin says nothing: the ``halt`` feature draws a half-width opening
    mark from half an em left of where it stands.) A line set flush right (a byline such as
    ``（本报记者 李默）``, ending at the column's right edge with its start off that grid) is
    neither: its start follows its own width, not the edge, and a half-width mark would draw its
    ink where the full-width one does (its blank half falls outside the line), so it is not counted.
    Nor is a flush-right line with word spaces between its Han characters (``（本報記者 李默 實習生
    王曉萌）``): a credit, not a justified body line, whose start lands on the half-em grid only
    because its spaces are half an em.
    """
    full = half = 0
    for segment in segments:
        edge, right = segment_measure(segment, width)
        for line in segment:
            glyphs = line.glyphs
            if len(glyphs) < 2 or glyphs[0].char not in OPENING_MARKS:
                continue
            extras = _gap_extras(line)
            slack = max(0.0, statistics.median(extras)) if extras else 0.0
            offset = (glyphs[1].x - edge - slack) / em % 1.0
            off_grid = min(abs(offset - step) for step in (0.0, 0.5, 1.0)) > _ON_GRID
            spaced = bool(extras) and max(extras) - min(extras) > _WORD_SPACE * em
            if (off_grid or spaced) and abs(line.right - right) <= FLUSH_TOLERANCE:
                continue
            if _HALF_MARK - 0.5 < offset < _HALF_MARK:
                half += 1
            else:
                full += 1
    return full, half


def analyse_page(glyphs: Sequence[Glyph], number: int) -> PageGrid:
    """Measure one page's glyphs (in content order)."""
    return analyse_page_lines(read_page_lines(build_lines(list(glyphs))), number)


def analyse_page_lines(page: PageLines, number: int) -> PageGrid:
    """:func:`analyse_page` of a page whose lines and columns are read already (``read_page_lines``)."""
    lines, body_em, body, segments, width = page.lines, page.em, page.body, page.segments, page.width
    pitch = _pitch(segments, body_em)
    placed = page.placed()
    looseness: list[tuple[float, str]] = []
    for position, (line, (_, right), segment) in enumerate(placed):
        if position + 1 == len(placed):
            continue
        following, (next_left, _), next_segment = placed[position + 1]
        indented = following.left - next_left > _INDENT * body_em
        below = next_segment != segment and following.glyphs[0].y < line.glyphs[0].y
        if indented or below or line.left > right:
            continue
        extras = _gap_extras(line)
        if extras:
            looseness.append((statistics.median(extras) / body_em, line.text))
    modules = _modules(segments, lines, body, width)
    feet = [((max(c.foot for c in tier) - min(c.foot for c in tier)) / pitch, _opening(tier))
            for module in modules for tier in _tiers(module, pitch) if len(tier) >= 2]
    offsets = _offsets(modules, pitch)
    titles = _two_line_titles(lines, body_em)
    broken = [f"{a} / {b}" for a, b in titles if len(a) not in word_boundaries(simplified_shadow(a + b))]
    full, half = _start_marks(segments, body_em, width)
    loose = sorted((item for item in looseness if item[0] > LOOSE_LIMIT), reverse=True)
    return PageGrid(
        number=number, line_pitch=pitch,
        looseness=tuple(value for value, _ in looseness),
        loose_texts=tuple(text for _, text in loose),
        feet=tuple(value for value, _ in feet), baseline_offsets=tuple(value for value, _ in offsets),
        titles=tuple(f"{a} / {b}" for a, b in titles), title_breaks=tuple(broken),
        full_start_marks=full, half_start_marks=half,
        loose_values=tuple(value for value, _ in loose), feet_at=tuple(place for _, place in feet),
        offsets_at=tuple(place for _, place in offsets),
    )


def analyse_grid(pages: Sequence[Sequence[Glyph]], name: str = "<bytes>",
                 lines: Sequence[PageLines | None] | None = None) -> GridReport:
    """Measure pages already read (each page's glyphs in content order).

    ``lines`` are the pages' ``read_page_lines`` if read already (``None`` for a page without glyphs).
    """
    read = lines if lines is not None else [read_page_lines(build_lines(list(glyphs))) if glyphs else None
                                            for glyphs in pages]
    return GridReport(path=name, pages=tuple(
        analyse_page_lines(page, number) for number, (glyphs, page) in enumerate(zip(pages, read, strict=True),
                                                                                  start=1)
        if glyphs and page is not None))


def analyse_grid_pdf(path: str | Path | bytes) -> GridReport:
    """Read a PDF (a path, or its bytes) and measure its pages."""
    name = "<bytes>" if isinstance(path, bytes) else str(path)
    return analyse_grid(read_glyphs(path), name)


def grid_problems(report: GridReport) -> list[str]:
    """The evenness goals a PDF misses, one line each (empty when it meets them all)."""
    problems = []
    if report.loose_lines:
        worst = next((page.loose_texts[0] for page in report.pages if page.loose_texts), "")
        problems.append(f"{report.loose_lines} body line(s) looser than {LOOSE_LIMIT} em per gap "
                        f"(worst {report.loosest:.2f} em: {worst[:16]}…)")
    if report.tightest < -0.01:
        problems.append(f"inter-character gaps squeezed {-report.tightest:.2f} em below natural width")
    if report.foot_spread > FOOT_TARGET + _FOOT_ROUNDING:
        problems.append(f"column feet up to {report.foot_spread:.1f} lines apart in one module "
                        f"(target {FOOT_TARGET:g})")
    if report.baseline_offset > BASELINE_TARGET:
        problems.append(f"baselines {report.baseline_offset:.2f} line apart across a vertical rule "
                        f"(target {BASELINE_TARGET:g})")
    for text in report.title_breaks:
        problems.append(f"title broken inside a word: {text}")
    return problems


def _past(value: float, goal: float, unit: str) -> bool:
    """Whether a figure misses its goal, compared at ``PRECISION`` decimals (positions are floats).

    >>> _past(0.0604, 0.06, "em"), _past(0.061, 0.06, "em"), _past(1.004, 1.0, "line")
    (False, True, False)
    """
    return round(value, PRECISION[unit]) > goal


def grid_findings(report: GridReport) -> list[str]:
    """Each place a PDF misses an evenness goal, one line each: the page, the figure, the goal and the place.

    The looseness percentile is the whole PDF's (one line, from ``P95_MIN_LINES`` body lines on);
    every other finding names its printed page and the line or module it was measured on, by its
    first characters.

    >>> page = PageGrid(2, 14.25, (0.02, 0.18) * 10, ("甲乙丙",), (1.5,), (), (), (), 0, 0, (0.18,), ("“甲乙”",))
    >>> for line in grid_findings(GridReport("p.pdf", (page,))): print(line)
    looseness p95 0.180 em per gap over the goal of 0.06 (20 body lines)
    page 2: body line 0.180 em per gap, looser than 0.15: “甲乙丙”
    page 2: column feet 1.5 lines apart, over 1 line, in the module opening “甲乙”
    >>> from dataclasses import replace
    >>> short = replace(page, looseness=(0.02, 0.18))
    >>> for line in grid_findings(GridReport("p.pdf", (short,))): print(line)
    page 2: body line 0.180 em per gap, looser than 0.15: “甲乙丙”
    page 2: column feet 1.5 lines apart, over 1 line, in the module opening “甲乙”
    """
    found = []
    if len(report.looseness) >= P95_MIN_LINES and _past(report.loose_p95, LOOSE_P95_TARGET, "em"):
        found.append(f"looseness p95 {report.loose_p95:.3f} em per gap over the goal of {LOOSE_P95_TARGET:g} "
                     f"({len(report.looseness)} body lines)")
    for page in report.pages:
        at = f"page {page.number}"
        loose = list(zip(page.loose_values, page.loose_texts, strict=False))
        found += [f"{at}: body line {value:.3f} em per gap, looser than {LOOSE_LIMIT:g}: {_quote(text)}"
                  for value, text in loose[:LISTED_LINES]]
        if len(loose) > LISTED_LINES:
            found.append(f"{at}: {len(loose) - LISTED_LINES} more body line(s) looser than {LOOSE_LIMIT:g} em per gap")
        squeezed = [value for value in page.looseness if value < -0.01]
        if squeezed:
            found.append(f"{at}: {len(squeezed)} body line(s) with inter-character gaps squeezed up to "
                         f"{-min(squeezed):.2f} em below natural width")
        found += [f"{at}: column feet {value:.1f} lines apart, over {FOOT_TARGET:g} line, in the module opening {place}"
                  for value, place in zip(page.feet, page.feet_at, strict=False) if _past(value, FOOT_TARGET, "line")]
        found += [f"{at}: baselines {value:.2f} line apart across the rule between the modules opening {place} "
                  f"(goal {BASELINE_TARGET:g})"
                  for value, place in zip(page.baseline_offsets, page.offsets_at, strict=False)
                  if _past(value, BASELINE_TARGET, "line")]
        found += [f"{at}: title broken inside a word: {text}" for text in page.title_breaks]
    return found
