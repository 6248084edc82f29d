"""Turn plain text into escaped HTML carrying the clreq marks: no-break joins and compressed marks.

``mark_text`` escapes every piece of the text and adds only these kinds of markup:

- U+200B ZERO WIDTH SPACE before “ ‘ and after ” ’ next to Chinese text, where Unicode line
  breaking would otherwise glue quotes to both neighbours;
- U+2060 WORD JOINER where a line may not break: before marks that may not start a line and
  after marks that may not end one (at the edition's line-break level), inside digit groups
  such as ``12.5%``, and between the last two characters of the text so that no paragraph
  ends in a line of a single character (``——`` and ``……`` need none: Unicode line breaking
  never splits them);
- ``<span class="t-halt">`` around the one mark of an adjacent pair (``。”`` ``，“`` ``）。``)
  that gives up its blank half, in editions that compress punctuation (the fonts' ``halt``
  feature, switched on by ``styles/typography.css``);
- ``<span class="t-end">`` around each closing or stop mark not followed by another mark, in
  editions that set a line-final mark half-width (GB style, ``end_half``); the justification
  patch halves it where it ends a line;
- ``<span class="t-unit">`` around each Latin word and digit group, which justification then
  leaves alone (Pango shapes each as one run, with its kerning);
- ``<span class="t-autospace"></span>`` between Han and Latin letters or digits, when the edition
  asks for clreq's quarter-em spacing;
- ``<span class="t-digits">`` around each run of European digits, in editions that set them half
  an em wide (``Typography.digits``: the faces' ``hwid`` forms, switched on by
  ``styles/typography.css``).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ..editions import LineStart, Typography
from ..text.chars import (
    CLOSING_MARKS,
    COMPRESSIBLE,
    FULL_STOPS,
    NO_LINE_END,
    NO_LINE_START,
    OPENING_MARKS,
    QUOTES_CLOSING_QU,
    QUOTES_OPENING_QU,
    UNBREAKABLE_DOUBLES,
    WORD_JOINER,
    ZERO_WIDTH_SPACE,
    is_western_gap,
    is_wide,
)

HALT_CLASS = "t-halt"
END_CLASS = "t-end"
AUTOSPACE_CLASS = "t-autospace"
DIGITS_CLASS = "t-digits"
_DIGIT_RUN = re.compile(r"[0-9]+")

_DIGIT_GROUP = re.compile(r"[0-9０-９]+(?:[.,:．][0-9０-９]+)*[%％‰]?")
_UNIT = re.compile(r"[A-Za-z0-9]+(?:[.,:'\-+/][A-Za-z0-9]+)*%?")
UNIT_CLASS = "t-unit"
_MIN_TAIL_TEXT = 6
"""Texts shorter than this (titles, names) keep their own breaks: no tail glue."""


def compressed_marks(text: str, line_start: LineStart = "full") -> list[bool]:
    """Flag the marks that take half width so each adjacent pair fits in 1.5 em (clreq).

    Of a pair, a mark whose blank half faces the other gives it up: an opening mark that
    follows another mark (its blank is on the left), else a closing or stop mark that precedes
    one (its blank is on the right). A line may break inside a pair like ``，“`` (a closing or
    stop mark, then an opening one), and the mark chosen is the one a break would leave at a
    line's edge: under ``line_start="full"`` the closing mark, so an opening mark never starts a
    line half-width; under ``"half"`` the opening mark, so one always does.

    >>> compressed_marks("好。”好")
    [False, True, False, False]
    >>> compressed_marks("说，“好”"), compressed_marks("说，“好”", "half")
    ([False, True, False, False, False], [False, False, True, False, False])
    >>> compressed_marks("（好）"), compressed_marks("（“好")
    ([False, False, False], [False, True, False])
    """
    flags = [False] * len(text)
    for index in range(len(text) - 1):
        before, after = text[index], text[index + 1]
        if before not in COMPRESSIBLE or after not in COMPRESSIBLE:
            continue
        closing = before in CLOSING_MARKS or before in FULL_STOPS
        # (a closing mark already squeezed against the mark before it keeps its other half)
        keep_open = closing and line_start == "full" and not (index > 0 and flags[index - 1])
        if after in OPENING_MARKS and not keep_open:
            flags[index + 1] = True
        elif closing and not flags[index]:
            flags[index] = True
    return flags


def end_marks(text: str, halts: list[bool]) -> list[bool]:
    """Flag closing and stop marks with no mark after them: half-width if they end a line.

    >>> end_marks("好，好。”", [False, False, False, True, False])
    [False, True, False, False, True]
    """
    flags = []
    for index, char in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else ""
        flags.append(
            (char in CLOSING_MARKS or char in FULL_STOPS)
            and not halts[index] and following not in COMPRESSIBLE
        )
    return flags


def join_points(text: str, typography: Typography) -> list[bool]:
    """Flag each boundary (between ``text[i]`` and ``text[i + 1]``) where a line may not break.

    >>> join_points("好，“好”——好", Typography())
    [True, False, True, True, False, False, False]
    >>> join_points("好——好", Typography(line_break="strict"))
    [True, False, False]
    >>> join_points("好，好", Typography(line_break="none"))
    [False, False]
    """
    no_start = NO_LINE_START[typography.line_break]
    no_end = NO_LINE_END[typography.line_break]
    # —— and …… need no joiner: Unicode line breaking never splits them (B2 × B2, × IN), and
    # a joiner inside —— would split the font's ligature from its text in the PDF.
    joins = [
        (after in no_start or before in no_end)
        and not (before == after and before in UNBREAKABLE_DOUBLES)
        for before, after in zip(text, text[1:], strict=False)
    ]
    for match in _DIGIT_GROUP.finditer(text):
        for index in range(match.start(), match.end() - 1):
            # Digits never break between themselves (Unicode class NU); separators might.
            if not (text[index].isdigit() and text[index + 1].isdigit()):
                joins[index] = True
    _glue_tail(text, joins)
    return joins


def _glue_tail(text: str, joins: list[bool]) -> None:
    """Join the last two characters before any closing marks, so no last line holds one."""
    if len(text) < _MIN_TAIL_TEXT:
        return
    end = len(text)
    while end > 0 and not _is_word_char(text[end - 1]):
        end -= 1
    if end >= 2 and _is_word_char(text[end - 2]):
        joins[end - 2] = True


def _is_word_char(char: str) -> bool:
    return char.isalnum() and char not in COMPRESSIBLE


def break_points(text: str, joins: list[bool]) -> list[bool]:
    """Flag boundaries where a curly quote meets Chinese text and a line may break.

    Unicode line breaking keeps “ ” with both neighbours (class QU); Chinese text breaks
    before an opening and after a closing quote like before and after any other character.

    >>> break_points("说“好”吗", [False, True, True, False])
    [True, False, False, True]
    """
    points = []
    for index, (before, after) in enumerate(zip(text, text[1:], strict=False)):
        opening = after in QUOTES_OPENING_QU and is_wide(before)
        closing = before in QUOTES_CLOSING_QU and is_wide(after)
        points.append((opening or closing) and not joins[index])
    return points


def units(text: str) -> list[tuple[int, int]]:
    """Find runs set as one unit, as (start, end): Latin words and digit groups.

    Each is set in its own span: inter-character justification then leaves it alone, and Pango
    shapes it as one run, keeping its kerning. (—— and …… stay with their Chinese neighbours:
    alone in a box they would be shaped as Latin, and —— loses its Chinese ligature.)

    >>> units("在2021年用PM2.5和5G——好")
    [(1, 5), (7, 12), (13, 15)]
    """
    return [match.span() for match in _UNIT.finditer(text) if match.end() - match.start() > 1]


def _autospace_points(text: str) -> list[bool]:
    """Flag boundaries between a Han character and a Latin letter or digit."""
    return [is_western_gap(before, after) for before, after in zip(text, text[1:], strict=False)]


def mark_text(text: str, typography: Typography) -> Markup:
    """Escape ``text`` and add the no-break joins and punctuation spans its edition asks for.

    >>> str(mark_text("说：“<b>。”", Typography())).replace("\\N{WORD JOINER}", "+")
    '说+<span class="t-halt">：</span>\\u200b“+&lt;b&gt;+<span class="t-halt">。</span>+”'
    >>> str(mark_text("他说：好。", Typography(compress=False, line_break="none")))
    '他说：好。'
    """
    if not text:
        return Markup("")
    halts = compressed_marks(text, typography.line_start) if typography.compress else [False] * len(text)
    joins = join_points(text, typography)
    spaces = _autospace_points(text) if typography.autospace else [False] * len(joins)
    breaks = break_points(text, joins)
    ends = end_marks(text, halts) if typography.end_half else [False] * len(text)
    pieces: list[str] = []
    if text[0] in NO_LINE_START[typography.line_break]:
        pieces.append(WORD_JOINER)  # glue to whatever the template put before this text
    unit_starts, unit_ends = set(), set()
    for start, end in units(text):
        unit_starts.add(start)
        unit_ends.add(end - 1)
    digit_starts, digit_ends = set(), set()
    if typography.digits == "half":
        for match in _DIGIT_RUN.finditer(text):
            digit_starts.add(match.start())
            digit_ends.add(match.end() - 1)
    for index, char in enumerate(text):
        if index in unit_starts:
            pieces.append(f'<span class="{UNIT_CLASS}">')
        if index in digit_starts:  # inside its unit's span: a run of digits never crosses a unit's edge
            pieces.append(f'<span class="{DIGITS_CLASS}">')
        if halts[index]:
            pieces.append(f'<span class="{HALT_CLASS}">{escape(char)}</span>')
        elif ends[index]:
            pieces.append(f'<span class="{END_CLASS}">{escape(char)}</span>')
        else:
            pieces.append(str(escape(char)))
        if index in digit_ends:
            pieces.append("</span>")
        if index in unit_ends:
            pieces.append("</span>")
        if index < len(joins):
            if spaces[index]:
                pieces.append(f'<span class="{AUTOSPACE_CLASS}"></span>')
            if joins[index]:
                pieces.append(WORD_JOINER)
            elif breaks[index]:
                pieces.append(ZERO_WIDTH_SPACE)
    if text[-1] in NO_LINE_END[typography.line_break]:
        pieces.append(WORD_JOINER)
    return Markup("".join(pieces))
