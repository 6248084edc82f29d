"""Whether two title lines are one headline wrapped in a narrow column, or two titles.

A print in four or five columns wraps a headline at the column's measure: ``白沙镇开展冬季`` /
``消防安全检查``.  pdftotext and OCR give the two lines with blank lines between, as they give a
kicker over its headline, so the line lengths must tell.  ``wrap_score`` weighs the evidence
into one number:

* the first line fills the page's title measure (``title_measure``: the width the longest
  title lines of the page share) and the second is shorter: a wrap;
* the break falls inside a word, or between two characters the page's body also has
  together: a wrap;
* the first line ends in a mark, the second opens with a dash, states a figure the first
  does not, or is much longer: two titles (a kicker is short and often ends in a clause
  mark; a subheadline opens with ``——`` or states figures).

``WRAP_JOIN`` or more joins the lines; from ``WRAP_DOUBT`` up to it, they stay two titles
and the desk is asked.  The stage joins nothing without a measure that two title lines
confirm, so pages set in wide columns read as before.
"""

from __future__ import annotations

from .chars import CLAUSE_MARKS, SENTENCE_END
from .reflow import visual_width
from .words import word_boundaries

MEASURE_SLACK = 0.7
"""Ems a line may fall short of the title measure and still fill it (marks and figures are narrow)."""

WRAP_JOIN = 3.5
"""Score from which two title lines are one headline."""

WRAP_DOUBT = 2.5
"""Score from which, below ``WRAP_JOIN``, the two titles are kept apart with a doubt."""

MAX_WRAP = 26
"""Longest headline, in characters, that two wrapped lines make."""

MIN_MEASURE = 5.0
"""Narrowest title measure, in ems, that the page's title lines can show."""


def title_measure(lines: list[str]) -> float | None:
    """The width, in ems, that the page's longest title lines share: the column a headline wraps at.

    The widest width two lines share (one long headline alone says nothing about the column;
    kickers and subheadlines, set smaller, may be wider in characters than the headlines).

    >>> title_measure(["白沙镇开展冬季", "消防安全检查", "柳河乡新建三处", "健身广场"])
    7.0
    >>> title_measure(["县第十届全民运动会落幕", "千余名运动员赛出水平"]) is None
    True
    """
    widths = sorted((visual_width(line) for line in lines if line.strip()), reverse=True)
    for wide, next_wide in zip(widths, widths[1:], strict=False):
        if next_wide < MIN_MEASURE:
            return None
        if next_wide >= wide - MEASURE_SLACK:
            return wide
    return None


def fills(first: str, second: str, measure: float | None) -> bool:
    """Whether ``first`` fills the title measure and ``second``, shorter, fits it: the shape of a wrap."""
    if measure is None:
        return False
    wa, wb = visual_width(first), visual_width(second)
    return measure - MEASURE_SLACK <= wa <= measure + MEASURE_SLACK and wb < wa - 0.25


def wrap_score(first: str, second: str, measure: float | None, body_pairs: set[str],
               recurring: bool = False, more: bool = False) -> float:
    """How strongly two title lines read as one headline wrapped (positive) or two titles (negative).

    ``recurring``: another title stack of the page has the same shape (``fills``), so the
    page's column wraps its headlines.  ``more``: ``second`` is the first of several lines
    (a headline wrapped over three); then it may fill the measure too.

    >>> wrap_score("白沙镇开展冬季", "消防安全检查", 7.0, set(), recurring=True)
    4.0
    >>> wrap_score("县城新增公共停", "车位八百个", 8.0, set()) >= WRAP_JOIN  # a cut word and a shorter tail
    True
    >>> wrap_score("冬闲变冬忙", "大棚里面摘", 5.0, set(), recurring=True, more=True) >= WRAP_JOIN
    True
    >>> wrap_score("县第十届全民运动会落幕", "千余名运动员赛出水平", 11.0, set(), True, more=True) < WRAP_DOUBT
    True
    >>> wrap_score("新春走基层", "山村教师的坚守", 7.0, set()) < WRAP_DOUBT
    True
    >>> wrap_score("县第十届全民运动会落幕", "——千余名运动员", 11.0, set()) < 0
    True
    """
    a, b = first.strip(), second.strip()
    if not a or not b or " " in a or " " in b:
        return -10.0  # letter-spaced or padded lines are typed elsewhere
    wa, wb = visual_width(a), visual_width(b)
    score = 0.0
    # The middle line of a headline wrapped over three lines fills the measure as the first does.
    middle = more and measure is not None and abs(wb - wa) <= MEASURE_SLACK
    if measure is not None:
        if measure - MEASURE_SLACK <= wa <= measure + MEASURE_SLACK:
            score += 2.0  # the first line fills the column: the headline went on below
            if recurring and (wb < wa - 0.25 or middle):
                score += 1.0  # and other headlines of the page wrap at the same measure
        elif wa < measure - 2:
            score -= 2.0  # it stopped short of the column on its own
    if more and not middle:
        score -= 3.0  # a title wrapped on its own, at another width (set in another size)
    elif wb < wa - 0.25 or middle:
        score += 1.0  # a wrap's tail is no longer than the line it follows
    elif wb > wa + MEASURE_SLACK:
        score -= 2.0  # a line the first did not reach: the first was not full
    if len(a) not in word_boundaries(a + b):
        score += 2.5  # the break cuts a word (``石门村通上了天`` / ``然气``)
    elif a[-1] + b[0] in body_pairs:
        score += 1.0  # the body has these two characters together
    if a[-1] in SENTENCE_END or a[-1] in CLAUSE_MARKS or a[-1] in "：:":
        score -= 2.0  # a kicker ends in a clause mark; a wrap has no mark at its break
    if b.startswith("\N{EM DASH}") or b.startswith("-"):
        score -= 4.0  # a subheadline's dash
    if any(c.isdigit() for c in b) and not any(c.isdigit() for c in a):
        score -= 1.0  # a subheadline states the figures
    if len(a) + len(b) > MAX_WRAP:
        score -= 3.0
    return score
