"""Choose all of a Chinese paragraph's line breaks together (total fit), so its slack spreads evenly.

Knuth and Plass's model, cut to what a CJK paragraph needs: every character is a box of its
font's advance (:class:`~pipeline.typeset.metrics.Metrics`, in ems); every gap justification
may widen (``is_expandable_gap``) is glue that stretches and never shrinks (Han–Han gaps keep
their natural width); a mark of an adjacent pair gives up its blank half (``halt``) when both
marks are on one line. A line may end only where the edition's clreq rules allow
(``marks.join_points``: kinsoku at the edition's level, digit groups, the last two characters
of the paragraph glued so its last line holds at least two), never inside a Latin word or digit
group (``marks.units``), nor inside —— or ……, nor before a space.

Each line of the paragraph but the last costs ``(LINE_COST + badness)²``, where the badness
grows with the cube of the space added per gap (``LOOSE_REF`` em per gap is a badness of 100), so
one loose line costs far more than several slightly loose ones; the last line is ragged and costs
only ``LINE_COST²``. Punctuation is the only thing that shrinks (clreq's push-in, in editions
with ``Typography.squeeze``): a line may give up the blank half of up to ``MAX_SQUEEZE`` lone
marks — a closing or stop mark inside the line or ending it (``SQUEEZE_COST`` each), or an
opening mark inside it (``OPEN_SQUEEZE_COST``) — so a paragraph compresses a comma before it
stretches a line much. An opening mark that starts a line is full width, or half width on every
line under ``line_start: half``. The breaks that minimise the sum are found by dynamic programming
over the break positions (a line is at most one measure wide, so each position looks back over one
line's worth of candidates). A paragraph with no feasible set of breaks (a Latin unit wider than
the measure) gets None, and WeasyPrint breaks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..editions import Typography
from ..text.chars import (
    CLOSING_MARKS,
    COMPRESSIBLE,
    EM_DASH,
    FULL_STOPS,
    OPENING_MARKS,
    UNBREAKABLE_DOUBLES,
    is_expandable_gap,
)
from .marks import _autospace_points, compressed_marks, join_points, units
from .metrics import HALF, Face, Metrics

__all__ = ["LINE_COST", "LOOSE_REF", "Setting", "break_paragraph", "line_width"]

LOOSE_REF = 0.15
"""Ems of added space per gap that make a badness of 100 (issue 15's limit for a loose line)."""
SQUEEZE_COST = 2.0
"""The badness of setting one lone closing or stop mark half-width: that of stretching a line by
0.04 em per gap, so a line compresses its punctuation before it stretches visibly."""
OPEN_SQUEEZE_COST = 3.0
"""The badness of setting a lone opening mark inside a line half-width: a little more than a comma,
since the mark then sits close to the character before it."""
MAX_SQUEEZE = 3
"""Lone marks one line may set half-width."""
LINE_COST = 10.0
"""The cost of a line besides its badness: it keeps the paragraph from taking an extra line."""
FIT_EPSILON = 1e-6
"""Ems a line may exceed its measure by (rounding), and still fit."""
SOLID = 0.004
"""Ems per gap below which a line counts as solid (no visible stretch)."""


@dataclass(frozen=True, slots=True)
class Setting:
    """A paragraph broken into lines: ``ends[k]`` is where line ``k`` ends (the last is ``len(text)``).

    ``looseness`` gives each line's added space per gap in ems (0 for the last line).
    """

    ends: tuple[int, ...]
    looseness: tuple[float, ...]
    squeezed: frozenset[int] = frozenset()
    """Offsets of the lone marks set half-width: to keep their lines from stretching, and the
    opening marks starting lines under ``line_start: half``."""

    def lines(self, text: str) -> list[str]:
        starts = (0, *self.ends[:-1])
        return [text[start:end] for start, end in zip(starts, self.ends, strict=True)]


class _Paragraph:
    """Prefix sums of one paragraph's advances, halts, autospaces and gaps, for O(1) line widths."""

    def __init__(self, text: str, faces: Sequence[Face], metrics: Metrics, typography: Typography,
                 split: int = 0) -> None:
        self.text = text
        n = len(text)
        advances = [metrics.advance(char, face) for char, face in zip(text, faces, strict=True)]
        for index in range(n - 1):
            if text[index] == text[index + 1] == EM_DASH:
                # CJK fonts draw —— as one two-em ligature, whatever one dash advances alone.
                advances[index] = advances[index + 1] = 1.0
        # Text marked in two pieces (a lead-in and the rest) compresses within each piece.
        mode = typography.line_start
        halts = ((compressed_marks(text[:split], mode) + compressed_marks(text[split:], mode)) if split
                 else compressed_marks(text, mode)) if typography.compress else [False] * n
        self.halts = halts
        self.saving = [advance * (1 - HALF) if halt else 0.0 for advance, halt in zip(advances, halts, strict=True)]
        self.advances = advances
        spaces = _autospace_points(text) if typography.autospace else [False] * max(0, n - 1)
        gaps = [is_expandable_gap(a, b) for a, b in zip(text, text[1:], strict=False)]
        # A lone mark (no mark beside it) may give up its blank half to save a line from
        # stretching (clreq: compress punctuation before widening gaps): a closing or stop mark
        # anywhere but a paragraph's end, an opening mark anywhere but a line's start. ``costs``
        # holds the badness of squeezing each (0: it may not).
        lone = [char in COMPRESSIBLE and not halts[index]
                and not (index + 1 < n and text[index + 1] in COMPRESSIBLE)
                and not (index > 0 and text[index - 1] in COMPRESSIBLE)
                for index, char in enumerate(text)]
        costs = [0.0] * n
        if typography.squeeze:
            for index, char in enumerate(text):
                if lone[index] and char in OPENING_MARKS:
                    costs[index] = OPEN_SQUEEZE_COST
                elif lone[index] and index < n - 1:
                    costs[index] = SQUEEZE_COST
        self.costs = costs
        # A closing or stop mark ending a line (not the paragraph) is lone on its line when no
        # mark precedes it (a mark after it went to the next line), so it may go half-width too,
        # except where the edition halves it anyway (``end_half``).
        self.end_costs = [
            SQUEEZE_COST if typography.squeeze and not typography.end_half and index < n - 1
            and (char in CLOSING_MARKS or char in FULL_STOPS)
            and not (index > 0 and text[index - 1] in COMPRESSIBLE) else 0.0
            for index, char in enumerate(text)
        ]
        self.squeeze_sum = _prefix([1.0 if cost else 0.0 for cost in costs])
        # ``line_start: half``: a lone opening mark starting a line gives up its blank half.
        self.half_start = typography.line_start == "half"
        self.lone_open = [char in OPENING_MARKS and not (index + 1 < n and text[index + 1] in COMPRESSIBLE)
                          for index, char in enumerate(text)]
        self.width_sum = _prefix(advances)
        self.saving_sum = _prefix(self.saving)
        self.space_sum = _prefix([0.25 if flag else 0.0 for flag in spaces])
        self.gap_sum = _prefix([1.0 if flag else 0.0 for flag in gaps])
        self.end_half = typography.end_half

    def measure(self, start: int, end: int) -> tuple[float, int]:
        """Natural width (ems) and expandable gaps of the line ``text[start:end]`` set alone."""
        text = self.text
        while end > start and text[end - 1] == " ":
            end -= 1  # a space at a line end collapses
        width = self.width_sum[end] - self.width_sum[start]
        saving = self.saving_sum[end] - self.saving_sum[start]
        # A pair split by the break is two lone marks: neither gives up its half.
        if start > 0 and self.halts[start] and text[start] in OPENING_MARKS and text[start - 1] in COMPRESSIBLE:
            saving -= self.saving[start]
        last = end - 1
        if end < len(text) and last >= start and self.halts[last] and text[last] not in OPENING_MARKS \
                and text[end] in COMPRESSIBLE:
            saving -= self.saving[last]
        width -= saving
        if self.half_start and self.lone_open[start]:
            width -= self.advances[start] * (1 - HALF)
        if end - start >= 2:
            width += self.space_sum[end - 1] - self.space_sum[start]
        if self.end_half and last >= start and (text[last] in CLOSING_MARKS or text[last] in FULL_STOPS) \
                and not (self.halts[last] and text[last] not in OPENING_MARKS and end < len(text)
                         and text[end] in COMPRESSIBLE):
            width -= self.advances[last] * (1 - HALF)  # the justification patch halves a t-end mark
        gaps = int(self.gap_sum[end - 1] - self.gap_sum[start]) if end - start >= 2 else 0
        return width, gaps

    def squeezable_in(self, start: int, end: int) -> list[tuple[float, int]]:
        """The marks of line ``text[start:end]`` that may go half-width, as (cost, offset), cheapest first.

        Never the line's first character (its width is the edition's ``line_start`` policy);
        its last only if it is a lone closing or stop mark ending a line of the paragraph's
        middle (``end_costs``).
        """
        found = []
        last = end - 1
        if last > start and self.end_costs[last]:
            found.append((self.end_costs[last], last))
        if end - start >= 3 and self.squeeze_sum[last] - self.squeeze_sum[start + 1]:
            found.extend((self.costs[index], index) for index in range(last - 1, start, -1) if self.costs[index])
        found.sort(key=lambda item: item[0])  # stable: at one cost, the marks nearest the end first
        return found[:MAX_SQUEEZE]

    def starts_half(self, start: int) -> bool:
        """Whether the line starting at ``start`` sets its opening mark half-width (``line_start: half``)."""
        return self.half_start and self.lone_open[start]


def _prefix(values: Sequence[float]) -> list[float]:
    total = [0.0]
    for value in values:
        total.append(total[-1] + value)
    return total


def break_positions(text: str, typography: Typography) -> list[int]:
    """Offsets ``k`` (0 < k < len) where a line may end before ``text[k]``.

    >>> break_positions("他说：“好。”再见", Typography())
    [1, 3, 7]
    >>> break_positions("在2021年用PM2.5", Typography(line_break="none"))
    [1, 5, 6, 7]
    """
    n = len(text)
    if n < 2:
        return []
    joins = join_points(text, typography)
    inside = [False] * n
    for start, end in units(text):
        for index in range(start + 1, end):
            inside[index] = True
    allowed = []
    for k in range(1, n):
        before, after = text[k - 1], text[k]
        if joins[k - 1] or inside[k] or after == " " or before == "\N{NO-BREAK SPACE}" \
                or after == "\N{NO-BREAK SPACE}" or (before == after and before in UNBREAKABLE_DOUBLES):
            continue
        allowed.append(k)
    return allowed


def line_width(text: str, metrics: Metrics, typography: Typography, faces: Sequence[Face] | None = None) -> float:
    """The natural width in ems of ``text`` set as one line (halts and autospace applied).

    >>> line_width("他说：“好。”", Metrics(), Typography())
    6.0
    """
    faces = faces if faces is not None else ["body"] * len(text)
    return _Paragraph(text, faces, metrics, typography).measure(0, len(text))[0]


def _badness(slack: float, gaps: int) -> float:
    if slack <= SOLID:
        return 0.0
    if not gaps:
        return float("inf")
    ratio = slack / gaps / LOOSE_REF
    return 100.0 * ratio ** 3


def break_paragraph(text: str, measure: float, metrics: Metrics, typography: Typography,
                    indent: float = 2.0, faces: Sequence[Face] | None = None, split: int = 0) -> Setting | None:
    """The breaks of ``text`` that minimise the paragraph's total cost, or None if none fit.

    ``measure`` is the column's width and ``indent`` the first line's indent (plus anything the
    first line carries before the text, such as a dateline), in ems; ``faces`` gives each
    character's face (default: all body); ``split`` is where the text is marked in two pieces
    (the end of a lead-in), across which marks do not compress.

    >>> setting = break_paragraph("汉" * 30, 8, Metrics(), Typography(), indent=2)
    >>> [len(line) for line in setting.lines("汉" * 30)]
    [6, 8, 8, 8]
    """
    return _break_cached(text, float(measure), metrics, typography, float(indent),
                         tuple(faces) if faces is not None else None, split)


@lru_cache(maxsize=2048)
def _break_cached(text: str, measure: float, metrics: Metrics, typography: Typography, indent: float,
                  faces: tuple[Face, ...] | None, split: int) -> Setting | None:
    n = len(text)
    if n == 0:
        return None
    body: tuple[Face, ...] = tuple("body" for _ in range(n))
    paragraph = _Paragraph(text, faces or body, metrics, typography, split)
    candidates = [0, *break_positions(text, typography), n]
    inf = float("inf")
    best: dict[int, tuple[float, int, float, tuple[int, ...]]] = {0: (0.0, -1, 0.0, ())}
    """position → (total cost, previous position, looseness and squeezed marks of the line ending here)."""
    for j_index in range(1, len(candidates)):
        end = candidates[j_index]
        final = end == n
        choice: tuple[float, int, float, tuple[int, ...]] | None = None
        for i_index in range(j_index - 1, -1, -1):
            start = candidates[i_index]
            if start not in best:
                continue
            room = measure - (indent if start == 0 else 0.0)
            width, gaps = paragraph.measure(start, end)
            marks = paragraph.squeezable_in(start, end) if width > room - 1.0 + FIT_EPSILON else []
            # (only a line within an em of its room is worth squeezing)
            squeeze = [paragraph.advances[index] * (1 - HALF) for _, index in marks]
            if width - sum(squeeze) > room + FIT_EPSILON:
                if start == 0 or width - sum(squeeze) > measure + FIT_EPSILON:
                    break  # widening further back only adds characters
                continue
            option: tuple[float, float, int] | None = None
            """(cost, looseness, marks squeezed) of the best way to set this line."""
            for count in range(len(squeeze) + 1):
                slack = room - width + sum(squeeze[:count])
                if slack < -FIT_EPSILON:
                    continue
                if final:
                    if count:
                        break  # a ragged last line has room to spare
                    badness = 0.0
                else:
                    badness = _badness(max(0.0, slack), gaps) + sum(cost for cost, _ in marks[:count])
                if badness == inf:
                    continue
                cost = LINE_COST ** 2 if final else (LINE_COST + badness) ** 2
                loose = 0.0 if final or not gaps else max(0.0, slack) / gaps
                if option is None or cost < option[0]:
                    option = (cost, loose, count)
            if option is None:
                continue
            total = best[start][0] + option[0]
            if choice is None or total < choice[0]:
                halved = tuple(index for _, index in marks[:option[2]])
                if paragraph.starts_half(start):
                    halved += (start,)
                choice = (total, start, option[1], halved)
        if choice is not None:
            best[end] = choice
    if n not in best:
        return None
    ends: list[int] = []
    looseness: list[float] = []
    squeezed: set[int] = set()
    position = n
    while position > 0:
        _, previous, loose, line_marks = best[position]
        ends.append(position)
        looseness.append(loose)
        squeezed.update(line_marks)
        position = previous
    return Setting(tuple(reversed(ends)), tuple(reversed(looseness)), frozenset(squeezed))
