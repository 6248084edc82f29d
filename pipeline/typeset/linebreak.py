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
only ``LINE_COST²``. A line's slack goes first to its gaps between Han text and a Latin letter or
digit, up to ``WESTERN_MAX`` each (clreq's order; ``pipeline.engine.justify`` spreads it the same
way), at a small badness (``WESTERN_COST``), and only the rest to its other gaps: a line holding
figures is rarely a whole number of ems, and this keeps its Han gaps solid.
Punctuation is the only thing that shrinks (clreq's push-in, in editions with
``Typography.squeeze``): a line may give up the blank half of up to ``MAX_SQUEEZE`` lone
marks — a closing or stop mark inside the line or ending it (``SQUEEZE_COST`` each), or an
opening mark inside it (``OPEN_SQUEEZE_COST``) — so a paragraph compresses a comma before it
stretches a line much. An opening mark that starts a line is full width, or half width on every
line under ``line_start: half``. A paragraph no setting keeps within ``LOOSE_REF`` is broken again
with one more shrink, dear (``EMERGENCY_COST``): the mark ending a line may give up its blank half
after a full-width mark (。」 in an edition that does not compress pairs). The breaks that minimise
the sum are found by dynamic programming over the break positions (a line is at most one measure
wide, so each position looks back over one line's worth of candidates). A paragraph with no
feasible set of breaks (a Latin unit wider than the measure) gets None, and WeasyPrint breaks it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter

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

_first = itemgetter(0)

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
WESTERN_MAX = 0.5
"""Ems a gap where Han text meets a Latin letter or digit may widen to when a line is justified,
before any other gap widens: clreq sets at most a quarter em there, and widens it first when a
line must stretch (as jlreq's adjustment table does, from ¼ to ½ em). A line holding figures is
seldom a whole number of ems; these gaps take the fraction."""
AUTOSPACE = 0.25
"""The autospace (``Typography.autospace``, ``.t-autospace`` in ``styles/typography.css``): what
those gaps already hold in editions that set it."""
WESTERN_COST = 4.0
"""The badness of widening a line's Han–Latin gaps all the way to ``WESTERN_MAX``: that of two
squeezed commas, far less than a visibly loose line."""
HANGING = frozenset("\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}\N{FULLWIDTH FULL STOP}")
"""Marks that may hang past the measure at a line end (``hang``): the three clreq and jlreq let hang
(句号, 逗号, 顿号), and the full-width full stop. Their ink sits in one corner or the middle of the em,
so set half-width (``halt``) they reach under half an em into the gutter."""
NUMBER_BREAK_COST = 60.0
"""The badness of ending a line after the hyphen of a figure group (``0351-`` / ``6283100``,
``2021-`` / ``2023``; ``numbers``): that of a line about 0.12 em per gap loose, so a number is
broken only where keeping it whole would leave a looser line."""
NUMBER_HYPHENS = frozenset("-\N{EN DASH}")
"""The hyphens after which a figure group may break (a phone number, a range of years)."""
EMERGENCY_COST = 100.0
"""The badness of setting a line-final closing or stop mark half-width after a mark that keeps its
full width (``貨。」`` in an edition that does not compress pairs): that of a line at ``LOOSE_REF``.
Only a paragraph the breaker could not set within ``LOOSE_REF`` is offered it (``break_paragraph``)."""
TEXT_LAYER_GAP = 0.098
"""Ems per gap past which ``pdftotext`` (poppler starts a word after 0.1 em) may put spaces in a line:
it does so at every such gap of a line that also holds a word — two characters set close (a
figure group, a Latin word, ——, two adjacent marks) or a mark squeezed inside it
(``checks.grid.extracted_lines``). Short of 0.1 em, for the rounding of glyph positions."""
TEXT_LAYER_COST = 40.0
"""The badness such a line pays besides its own (a line at 0.098 em per gap has 28): its text layer
would read 汉 字 排 版 where a reader copies or searches it."""
HANG_COST = 5.0
"""The badness of hanging a line-final mark past the measure: more than squeezing two commas,
less than the one-em gap a 13-em line gets when the mark's character is pushed to the next line
(0.09 em per gap, a badness of about 22)."""


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
    hung: frozenset[int] = frozenset()
    """Offsets of the line-final marks set half-width past the measure (``hang``): the line's
    other characters fill the measure."""

    def lines(self, text: str) -> list[str]:
        starts = (0, *self.ends[:-1])
        return [text[start:end] for start, end in zip(starts, self.ends, strict=True)]


class _Paragraph:
    """Prefix sums of one paragraph's advances, halts, autospaces and gaps, for O(1) line widths."""

    def __init__(self, text: str, faces: Sequence[Face], metrics: Metrics, typography: Typography,
                 split: int = 0, western_first: bool = True, emergency: bool = False) -> None:
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
        self.hangable = [lone[index] and char in HANGING for index, char in enumerate(text)]
        # A closing or stop mark ending a line may go half-width too (a mark after it went to
        # the next line), except where the edition halves it anyway (``end_half``); after a mark
        # that already gave up its half (。” at the end of a line), the pair then takes one em.
        self.end_costs = [
            SQUEEZE_COST if typography.squeeze and not typography.end_half
            and (char in CLOSING_MARKS or char in FULL_STOPS)
            and not (index > 0 and text[index - 1] in COMPRESSIBLE
                     and (not halts[index - 1] or text[index - 1] in OPENING_MARKS
                          or (index > 1 and text[index - 2] in COMPRESSIBLE))) else 0.0
            for index, char in enumerate(text)
        ]
        if emergency and typography.squeeze and not typography.end_half:
            # Where every setting leaves a line looser than LOOSE_REF, the mark ending a line
            # may give up its blank half after a full-width mark too (clreq's first resort at a
            # line end, CSS's ``text-spacing-trim: allow-end``): 。」 at a line end takes 1.5 em.
            for index, char in enumerate(text):
                if not self.end_costs[index] and index > 0 and (char in CLOSING_MARKS or char in FULL_STOPS) \
                        and text[index - 1] in COMPRESSIBLE and text[index - 1] not in OPENING_MARKS \
                        and not halts[index - 1] and not halts[index]:
                    self.end_costs[index] = EMERGENCY_COST
        # ``line_start: half``: a lone opening mark starting a line gives up its blank half.
        self.half_start = typography.line_start == "half"
        self.lone_open = [char in OPENING_MARKS and not (index + 1 < n and text[index + 1] in COMPRESSIBLE)
                          for index, char in enumerate(text)]
        self.width_sum = _prefix(advances)
        self.saving_sum = _prefix(self.saving)
        self.space_sum = _prefix([0.25 if flag else 0.0 for flag in spaces])
        self.gap_sum = _prefix([1.0 if flag else 0.0 for flag in gaps])
        # Pairs drawn closer than a justified gap, which pdftotext reads as one word (TEXT_LAYER_GAP).
        self.word_sum = _prefix([0.0 if flag or " " in (a, b) else 1.0
                                 for flag, a, b in zip(gaps, text, text[1:], strict=False)])
        # Han–Latin gaps widen first, by up to ``western_stretch`` each (or, not ``western_first``,
        # like every other gap: vertical text sets figures upright or turned, with no such gap).
        points = (spaces if typography.autospace else _autospace_points(text)) if western_first \
            else [False] * max(0, n - 1)
        self.western_sum = _prefix([1.0 if flag else 0.0 for flag in points])
        self.western_stretch = WESTERN_MAX - (AUTOSPACE if typography.autospace else 0.0)
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

    def right_part(self, end: int) -> tuple[float, float, int, float]:
        """The end's share of ``measure(start, end)`` (width, gaps), the end past trailing spaces, and
        the end's share of the line's Han–Latin gaps.

        ``measure(start, end) == (right - left, right_gaps - left_gaps)`` with ``left_part(start)``,
        whenever the line holds at least two characters past its trailing spaces.
        """
        text = self.text
        trimmed = end
        while trimmed > 0 and text[trimmed - 1] == " ":
            trimmed -= 1
        last = trimmed - 1
        width = self.width_sum[trimmed] - self.saving_sum[trimmed]
        if trimmed < len(text) and last >= 0 and self.halts[last] and text[last] not in OPENING_MARKS \
                and text[trimmed] in COMPRESSIBLE:
            width += self.saving[last]
        if last >= 0:
            width += self.space_sum[last]
        if self.end_half and last >= 0 and (text[last] in CLOSING_MARKS or text[last] in FULL_STOPS) \
                and not (self.halts[last] and text[last] not in OPENING_MARKS and trimmed < len(text)
                         and text[trimmed] in COMPRESSIBLE):
            width -= self.advances[last] * (1 - HALF)
        if last < 0:
            return width, 0.0, trimmed, 0.0
        return width, self.gap_sum[last], trimmed, self.western_sum[last]

    def left_part(self, start: int) -> tuple[float, float, float]:
        """The start's share of ``measure(start, end)`` and of its Han–Latin gaps (see ``right_part``)."""
        text = self.text
        if start >= len(text):
            return self.width_sum[start], 0.0, 0.0  # the paragraph's end: never a line's start
        width = self.width_sum[start] - self.saving_sum[start] + self.space_sum[start]
        if start > 0 and self.halts[start] and text[start] in OPENING_MARKS and text[start - 1] in COMPRESSIBLE:
            width -= self.saving[start]
        if self.half_start and self.lone_open[start]:
            width += self.advances[start] * (1 - HALF)
        return width, self.gap_sum[start], self.western_sum[start]

    def starts_half(self, start: int) -> bool:
        """Whether the line starting at ``start`` sets its opening mark half-width (``line_start: half``)."""
        return self.half_start and start < len(self.text) and self.lone_open[start]


def _prefix(values: Sequence[float]) -> list[float]:
    """``[0.0, values[0], values[0] + values[1], …]``, summed left to right."""
    return list(accumulate(values, initial=0.0))


def number_breaks(text: str) -> frozenset[int]:
    """Offsets after the hyphen of a figure group (``0351-6283100``), where it may break at a cost.

    >>> sorted(number_breaks("热线0351-6283100，2021-2023年，A-1"))
    [7, 20]
    """
    return frozenset(k for k in range(2, len(text)) if text[k - 1] in NUMBER_HYPHENS
                     and text[k - 2].isascii() and text[k - 2].isdigit() and text[k].isascii() and text[k].isdigit())


def break_positions(text: str, typography: Typography, numbers: bool = False) -> list[int]:
    """Offsets ``k`` (0 < k < len) where a line may end before ``text[k]``; with ``numbers``, also
    after the hyphen of a figure group (``number_breaks``), which the total-fit breaker charges for.

    >>> break_positions("他说：“好。”再见", Typography())
    [1, 3, 7]
    >>> break_positions("在2021年用PM2.5", Typography(line_break="none"))
    [1, 5, 6, 7]
    >>> break_positions("电话0351-6283100", Typography(line_break="none"), numbers=True)
    [1, 2, 7]
    """
    n = len(text)
    if n < 2:
        return []
    joins = join_points(text, typography)
    inside = [False] * n
    for start, end in units(text):
        for index in range(start + 1, end):
            inside[index] = True
    if numbers:
        for index in number_breaks(text):
            inside[index] = False
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


def break_paragraph(text: str, measure: float, metrics: Metrics, typography: Typography,
                    indent: float = 2.0, faces: Sequence[Face] | None = None, split: int = 0,
                    western_first: bool = True, hang: bool = False, numbers: bool = False) -> Setting | None:
    """The breaks of ``text`` that minimise the paragraph's total cost, or None if none fit.

    ``measure`` is the column's width and ``indent`` the first line's indent (plus anything the
    first line carries before the text, such as a dateline), in ems; ``faces`` gives each
    character's face (default: all body); ``split`` is where the text is marked in two pieces
    (the end of a lead-in), across which marks do not compress. ``western_first`` lets the
    gaps between Han text and a Latin letter or digit take a line's slack before the others
    (horizontal text); without it the slack spreads over all gaps alike (vertical text).
    ``hang`` lets a lone 。，、 ending a line that is one mark too long hang past the measure,
    set half-width (``HANGING``, at ``HANG_COST``), rather than push its character to the next line.
    ``numbers`` lets a line end after the hyphen of a figure group, at ``NUMBER_BREAK_COST``.

    >>> setting = break_paragraph("汉" * 30, 8, Metrics(), Typography(), indent=2)
    >>> [len(line) for line in setting.lines("汉" * 30)]
    [6, 8, 8, 8]
    """
    return _break_cached(text, float(measure), metrics, typography, float(indent),
                         tuple(faces) if faces is not None else None, split, western_first, hang, numbers)


@lru_cache(maxsize=2048)
def _break_cached(text: str, measure: float, metrics: Metrics, typography: Typography, indent: float,
                  faces: tuple[Face, ...] | None, split: int, western_first: bool = True,
                  hang: bool = False, numbers: bool = False) -> Setting | None:
    if not text:
        return None
    faces = faces or tuple("body" for _ in text)
    setting = _break_once(text, measure, metrics, typography, indent, faces, split, western_first, hang, numbers)
    if setting is not None and max(setting.looseness) <= LOOSE_REF + FIT_EPSILON:
        return setting
    # No setting keeps every line within LOOSE_REF: offer the emergency end marks (``EMERGENCY_COST``),
    # and keep what they give only if its loosest line is less loose. Every other paragraph is set
    # exactly as without them.
    rescue = _break_once(text, measure, metrics, typography, indent, faces, split, western_first, hang, numbers,
                         emergency=True)
    if rescue is None or (setting is not None and max(rescue.looseness) >= max(setting.looseness) - FIT_EPSILON):
        return setting
    return rescue


def _break_once(text: str, measure: float, metrics: Metrics, typography: Typography, indent: float,
                faces: tuple[Face, ...], split: int, western_first: bool, hang: bool, numbers: bool,
                emergency: bool = False, prune: bool = True) -> Setting | None:
    """The least-cost setting of ``text`` (see the module's docstring), or None if no breaks fit.

    ``prune`` stops a line's window, without choosing its marks, where the line is wider than all
    its squeezable and hanging marks could make room for; the setting is the same without it
    (which the tests check), only slower.
    """
    n = len(text)
    paragraph = _Paragraph(text, faces, metrics, typography, split, western_first, emergency)
    candidates = [0, *break_positions(text, typography, numbers), n]
    in_number = number_breaks(text) if numbers else frozenset()
    count = len(candidates)
    # A line's width and gaps split into a part that depends on its end and one that depends on
    # its start (``_Paragraph.measure`` is their difference), so each of the window's candidate
    # lines costs a subtraction, not a call.
    rights = [paragraph.right_part(end) for end in candidates]
    lefts = [paragraph.left_part(start) for start in candidates]
    left_width = [left[0] for left in lefts]
    # Gap counts are whole numbers (sums of ones), so they subtract as ints.
    left_gaps = [int(left[1]) for left in lefts]
    # Most paragraphs hold no figures or Latin: their lines skip the Han–Latin count.
    left_western = [int(left[2]) for left in lefts] if paragraph.western_sum[-1] else None
    halved_start = [paragraph.starts_half(start) for start in candidates]
    advances, costs, end_costs, halts = paragraph.advances, paragraph.costs, paragraph.end_costs, paragraph.halts
    word_sum, text_gap, text_cost = paragraph.word_sum, TEXT_LAYER_GAP, TEXT_LAYER_COST
    squeeze_points = [index for index in range(n) if costs[index]]
    hangs = [hang and end >= 2 and paragraph.hangable[end - 1] for end in candidates]
    # What a hanging mark's leaving takes off its line: its advance (half of it under ``end_half``).
    hang_width = [advance * (HALF if paragraph.end_half else 1.0) for advance in paragraph.advances]
    # The most a line can give back: each of its squeezable marks (at most MAX_SQUEEZE) at the widest
    # one's half, and its final mark's advance if it may hang. A line wider than its room by more
    # than this cannot fit, whatever ``_squeezed_marks`` would choose, so the window stops there
    # without choosing (slightly over, for rounding: where this is not sure, the marks are chosen).
    widest = max((advances[index] for index in range(n) if costs[index] or end_costs[index]), default=0.0)
    mark_reach = widest * (1 - HALF) * (1 + 1e-9)
    squeezable = _prefix([1.0 if cost else 0.0 for cost in costs])
    hang_reach = [hang_width[end - 1] * (1 + 1e-9) if hanging else 0.0 for end, hanging in zip(candidates, hangs,
                                                                                                strict=True)]
    stretch = paragraph.western_stretch
    solid_line = LINE_COST ** 2
    first_room = measure - indent
    no_marks: tuple[int, ...] = ()
    best: list[tuple[float, int, float, tuple[int, ...], bool] | None] = [None] * count
    """per candidate: (total cost, previous candidate, looseness and squeezed marks of the line ending
    there, and whether its final mark hangs)."""
    best[0] = (0.0, -1, 0.0, (), False)
    for j_index in range(1, count):
        end = candidates[j_index]
        final = end == n
        in_numbers = end in in_number
        right_width, gaps_to_end, end_trim, western_to_end = rights[j_index]
        right_gaps, right_western = int(gaps_to_end), int(western_to_end)
        short = end_trim - 2
        choice: tuple[float, int, float, tuple[int, ...], bool] | None = None
        choice_total = float("inf")
        for i_index in range(j_index - 1, -1, -1):
            start = candidates[i_index]
            if start <= short:
                width, gaps = right_width - left_width[i_index], right_gaps - left_gaps[i_index]
                western = right_western - left_western[i_index] if left_western is not None else 0
            else:  # one character (or spaces): no gaps, no autospace
                width, gaps = paragraph.measure(start, end)
                western = 0
            room = first_room if start == 0 else measure
            marks: Sequence[int] = no_marks
            hung = False
            if width > room + FIT_EPSILON:
                last = end - 1
                marks_here = squeezable[last] - squeezable[start + 1] if last > start else 0.0
                if last > start and end_costs[last]:
                    marks_here += 1
                if prune and width - room > min(marks_here, MAX_SQUEEZE) * mark_reach + hang_reach[j_index] \
                        + 2 * FIT_EPSILON:
                    break  # no choice of marks fits it, and widening further back only adds characters
                marks, saving = _squeezed_marks(start, end, width - room, advances, costs, end_costs, squeeze_points)
                if width - saving > room + FIT_EPSILON:
                    # The line-final mark hangs: the rest fills the measure (or comes short of it),
                    # the lone marks inside it squeezed if it must (``…编号为1408221003542，``).
                    hung = hangs[j_index] and end - 1 > start
                    if hung:
                        rest = width - hang_width[end - 1]
                        marks, saving = _squeezed_marks(start, end, rest - room, advances, costs, end_costs,
                                                        squeeze_points, final=False) \
                            if rest > room + FIT_EPSILON else (no_marks, 0.0)
                        saving = hang_width[end - 1] + saving
                        hung = width - saving <= room + FIT_EPSILON
                    if not hung:
                        # Too wide even so (at the first line, or past the measure): widening
                        # further back only adds characters.
                        break
                width -= saving
            before = best[i_index]
            if before is None:
                continue
            slack = room - width
            if final:
                # A ragged last line squeezes only to fit, and pays for it.
                cost = (LINE_COST + sum(costs[index] if index < end - 1 else end_costs[index]
                                        for index in marks)) ** 2 if marks else solid_line
                if hung:
                    cost = (LINE_COST + HANG_COST) ** 2
                loose = 0.0
            else:
                # The Han–Latin gaps take the slack first, up to ``stretch`` each; the rest
                # widens the other gaps, with a badness of 100 at LOOSE_REF em per gap, growing
                # with the cube (inlined: this is the loop a page spends its breaking time in).
                loose = 0.0
                if slack <= SOLID:
                    badness = 0.0
                elif not gaps:
                    continue
                elif not western:  # the common case, as the branch below takes it with no Han–Latin gaps
                    loose = slack / gaps
                    ratio = loose / LOOSE_REF
                    badness = 100.0 * ratio * ratio * ratio
                elif slack <= western * stretch:
                    badness = WESTERN_COST * slack / (western * stretch)
                elif gaps > western:
                    loose = (slack - western * stretch) / (gaps - western)
                    ratio = loose / LOOSE_REF
                    badness = 100.0 * ratio * ratio * ratio + WESTERN_COST
                else:  # only Han–Latin gaps: they take it all
                    ratio = slack / gaps / LOOSE_REF
                    badness = 100.0 * ratio * ratio * ratio
                    loose = slack / gaps
                if marks:
                    for index in marks:
                        badness += costs[index] if index < end - 1 else end_costs[index]
                if loose > text_gap and (word_sum[end_trim - 1] > word_sum[start]
                                         or (marks and min(marks) < end - 1)):
                    badness += text_cost
                if hung:
                    badness += HANG_COST
                if in_numbers:
                    badness += NUMBER_BREAK_COST
                cost = (LINE_COST + badness) ** 2
            total = before[0] + cost
            if total < choice_total:
                halved = (*marks, start) if halved_start[i_index] else tuple(marks)
                if end - 1 in marks and end - 2 > start and halts[end - 2]:
                    halved += (end - 2,)  # 。 of a line-final 。” squeezed whole: marked with it
                choice = (total, i_index, loose, halved, hung)
                choice_total = total
        best[j_index] = choice
    if best[-1] is None:
        return None
    ends: list[int] = []
    looseness: list[float] = []
    squeezed: set[int] = set()
    hung_marks: set[int] = set()
    position = count - 1
    while position > 0:
        entry = best[position]
        assert entry is not None
        _, previous, loose, line_marks, line_hangs = entry
        ends.append(candidates[position])
        looseness.append(loose)
        squeezed.update(line_marks)
        if line_hangs:
            hung_marks.add(candidates[position] - 1)
        position = previous
    return Setting(tuple(reversed(ends)), tuple(reversed(looseness)), frozenset(squeezed), frozenset(hung_marks))


def _squeezed_marks(start: int, end: int, excess: float, advances: Sequence[float], costs: Sequence[float],
                    end_costs: Sequence[float], points: Sequence[int], final: bool = True) -> tuple[list[int], float]:
    """The fewest, cheapest marks of line ``[start, end)`` whose blank halves cover ``excess`` ems, and
    the ems they give up.

    At most ``MAX_SQUEEZE``; at one cost, the marks nearest the line's end first (the line-final
    mark unless ``final`` is False — it hangs —, then the lone marks inside the line, never its
    first character). Fewer than needed when the line has not enough of them: the caller finds
    it still too wide.
    """
    last = end - 1
    inside = points[bisect_right(points, start):bisect_left(points, last)]
    found = [(costs[index], index) for index in reversed(inside)]
    if final and last > start and end_costs[last]:
        found.insert(0, (end_costs[last], last))
    if len(found) > 1:
        found.sort(key=_first)  # stable: nearest the end first at one cost
    chosen: list[int] = []
    saving = 0.0
    for _, index in found[:MAX_SQUEEZE]:
        if excess <= FIT_EPSILON:
            break
        chosen.append(index)
        half = advances[index] * (1 - HALF)
        excess -= half
        saving += half
    return chosen, saving
