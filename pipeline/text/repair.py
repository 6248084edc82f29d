"""Fix OCR artifacts inside blocks with small named rules, recording every change as a Repair.

Each rule is a pure function from a block's text to the edits it would make;
``RULES`` is the registry, keyed by the repair ``kind`` the rule records.  The
rules run in registry order, and again until nothing changes, so the result
is a fixed point: repairing repaired blocks changes nothing.

Ordering matters in two places: caption undoubling runs first, while the
doubled runs are still byte-identical; spaced-out digits are rejoined before
spaces next to digits are dropped, so ``2 0 2 1年`` becomes ``2021年`` and
not ``2 0 2 1年`` minus one space.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..model import Block, Repair, counted_chars
from .chars import HALF_TO_FULL, han_class

_HAN = han_class()

_CJK = _HAN + r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019"
"""Han characters and full-width punctuation: the context in which OCR spaces are noise."""

_CJK_MARKS = r"\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019"
"""Full-width punctuation only: a space next to one of these is never meaningful."""

MIN_DOUBLED = 8
"""Shortest block (before undoubling) that may be a doubled caption; ``常常`` stays."""

MAX_DOUBLED = 1000
"""Longest block that may be a doubled caption: captions are short, and the search is quadratic."""

_COUNTED_MARKS = frozenset(",:;?!()\N{LEFT DOUBLE ANGLE BRACKET}\N{LEFT ANGLE BRACKET}")
"""The marks a rule removes without shortening the text: half-width ones and misread brackets."""


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``new``; ``detail`` overrides the generated description."""

    start: int
    end: int
    new: str
    detail: str = ""


Rule = Callable[[str], list[Edit]]


def undouble_caption(text: str) -> list[Edit]:
    """Undouble a block that OCR read twice, run by run (``AA、、BB`` → ``A、B``).

    Only a block every run of which is doubled, with at least one run of four
    or more characters, is undoubled; real repeats (``人人持证``) stay. OCR reads a block
    twice, or twice again: a block that is still a repeat when undoubled (a sentence six
    times over) was written that way and stays.

    >>> [e.new for e in undouble_caption("县委书记县委书记、、调研工作调研工作")]
    ['县委书记、调研工作']
    >>> undouble_caption("确保颗粒归仓。" * 6)
    []
    """
    single, first_runs = text, None
    # OCR that read a block four times leaves it doubled again: undouble until it is not.
    while len(single) >= MIN_DOUBLED:
        runs = _doubled_runs(single)
        if not runs or max(len(run) for run in runs) < 4:
            break
        first_runs = first_runs or runs
        single = "".join(runs)
    if first_runs is None or single in (single + single)[1:-1]:
        return []
    return [Edit(0, len(text), single, f"read twice: {' | '.join(first_runs)}")]


def _doubled_runs(text: str) -> list[str] | None:
    """Split ``text`` into runs each written twice in a row, longest run first; None if it is not."""
    if len(text) > MAX_DOUBLED or any(count % 2 for count in Counter(text).values()):
        return None  # a text written twice holds every character an even number of times
    runs: list[str] = []
    position = 0
    while position < len(text):
        rest = len(text) - position
        for size in range(rest // 2, 0, -1):
            if text[position:position + size] == text[position + size:position + 2 * size]:
                runs.append(text[position:position + size])
                position += 2 * size
                break
        else:
            return None
    return runs


def unspace_letterspacing(text: str) -> list[Edit]:
    """Remove the spaces of a letter-spaced headline (``坚 定 抓 好 党 建`` → ``坚定抓好党建``).

    >>> [e.new for e in unspace_letterspacing("坚 定 抓 好 党 建")]
    ['坚定抓好党建']
    """
    from .reflow import is_letterspaced

    if not is_letterspaced(text):
        return []
    return [Edit(0, len(text), "".join(text.split()))]


_HAN_PAIR = re.compile(r"(?<=[" + _HAN + r"])( ?)(?=[" + _HAN + "])")
_SPACED_CJK = re.compile(r"(?<=[" + _CJK + r"]) (?=[" + _CJK + "])")
_BYLINE_TAIL = re.compile(r"[（(][^（）()]*[)）]\s*$")


def unspace_ocr_text(text: str) -> list[Edit]:
    """Remove the spaces an OCR engine put between nearly all Han characters of a block.

    Only when most neighbouring Han characters are spaced apart (at least six
    pairs): a few spaces are meaningful (padded names in a byline), and a
    closing byline in brackets keeps its own.

    >>> [e.new for e in unspace_ocr_text("全 县 上 下 认 真 贯 彻 ， 落 实")]
    ['全县上下认真贯彻，落实']
    """
    if text.count(" ") < 6:
        return []  # fewer spaces than the six spaced pairs needed: skip the scan
    body = text[:m.start()] if (m := _BYLINE_TAIL.search(text)) else text
    pairs = [match.group(1) for match in _HAN_PAIR.finditer(body)]
    spaced = sum(1 for gap in pairs if gap)
    if spaced < 6 or spaced * 2 < len(pairs):
        return []
    squeezed = _SPACED_CJK.sub("", body)
    return [Edit(0, len(body), squeezed, f"{len(body) - len(squeezed)} spaces between characters removed")]


_SPACED_DIGITS = re.compile(
    r"(?<![\d.])\d(?: \d){2,}(?![\d.])|(?<=[" + _HAN + r"]) ?\d \d ?(?=[" + _HAN + "])"
)


def join_spaced_digits(text: str) -> list[Edit]:
    """Rejoin digits OCR spaced out (``2 0 2 1`` → ``2021``).

    >>> [e.new for e in join_spaced_digits("成立于 2 0 2 1 年")]
    ['2021']
    """
    if " " not in text:
        return []  # nothing spaced out (a quick test before the scan)
    return [Edit(m.start(), m.end(), m.group().replace(" ", "")) for m in _SPACED_DIGITS.finditer(text)]


_HALF_WIDTH_MARKS = frozenset(",:;?!()")
_HALF_WIDTH_RUN = re.compile(r" *[,:;?!()](?: *[,:;?!()])* *")
_CJK_CHAR = re.compile("[" + _CJK + "]")


def widen_punctuation(text: str) -> list[Edit]:
    """Make half-width ``, : ; ? ! ( )`` full-width next to Chinese text (``着,夺取`` → ``着，夺取``).

    Marks between digits or Latin words (``10:30``, ``1,000``) stay as they are. A run of
    marks (and spaces) that touches Chinese text is widened whole, spaces dropped: each mark
    widened is Chinese text for the next, so widening one mark a round would take as many
    rounds as the run has marks.

    >>> [e.new for e in widen_punctuation("执着,夺取")], [e.new for e in widen_punctuation("好?! ,a")]
    (['，'], ['？', '！', '，'])
    """
    edits: list[Edit] = []
    if _HALF_WIDTH_MARKS.isdisjoint(text):
        return edits  # no half-width mark (a quick test before the scan)
    for run in _HALF_WIDTH_RUN.finditer(text):
        start, end = run.span()
        if not ((start and _CJK_CHAR.match(text, start - 1)) or _CJK_CHAR.match(text, end)):
            continue
        marks = [index for index in range(start, end) if text[index] != " "]
        # One edit per mark, from the run's start or the mark to the next mark or the run's end.
        bounds = [start, *marks[1:], end]
        edits.extend(Edit(left, right, HALF_TO_FULL[text[mark]])
                     for mark, left, right in zip(marks, bounds, bounds[1:], strict=False))
    return edits


_CJK_SPACE = re.compile(
    r"(?<=[" + _CJK + r"])[ \t]+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])[ \t]+(?=[" + _CJK + "])"
    r"|(?<=[" + _CJK_MARKS + r"])[ \t]+(?=[" + _CJK + r"])|(?<=[" + _CJK + r"])[ \t]+(?=[" + _CJK_MARKS + "])"
)


def drop_cjk_spaces(text: str) -> list[Edit]:
    """Drop spaces OCR put next to digits, Latin or punctuation in Chinese text (``海拔 600`` → ``海拔600``).

    Spaces between Latin words, and between Han characters (padded names in a
    byline), stay; so do the spaces between a table's cells.

    >>> [e.new for e in drop_cjk_spaces("全省第 5、全市第 1。")]
    ['', '']
    """
    from .reflow import is_table_row

    if " " not in text and "\t" not in text:
        return []  # no space to drop (a quick test before the scans)
    if is_table_row(text):
        return []  # the spaces separate a table's cells
    return [Edit(m.start(), m.end(), "") for m in _CJK_SPACE.finditer(text)]


_MISMATCHED = re.compile(r"[（(]?[《〈(]([^《》〈〉（）()]{1,40})[)）]")


def match_brackets(text: str) -> list[Edit]:
    """Make an opening bracket OCR misread match its closing one (``《本报记者 张三）`` → ``（…）``).

    An opening bracket OCR read twice (``(〈李安安 李锐)``) becomes one.

    >>> [e.new for e in match_brackets("成长。《本报记者 郑 宇）")], [e.new for e in match_brackets("(〈李锐)")]
    (['（本报记者 郑 宇）'], ['（李锐）'])
    """
    return [Edit(m.start(), m.end(), f"\N{FULLWIDTH LEFT PARENTHESIS}{m.group(1)}\N{FULLWIDTH RIGHT PARENTHESIS}")
            for m in _MISMATCHED.finditer(text) if m.group()[0] in "《〈（" or m.group()[-1] == "）"
            or m.group()[1] in "《〈("]


_OPEN_END = re.compile("(?<=[\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH EXCLAMATION MARK}\N{FULLWIDTH QUESTION MARK}!?])"
                       "\\s*([\N{LEFT DOUBLE QUOTATION MARK}\N{LEFT SINGLE QUOTATION MARK}])\\s*$")
_CLOSING_QUOTE = {"\N{LEFT DOUBLE QUOTATION MARK}": "\N{RIGHT DOUBLE QUOTATION MARK}",
                  "\N{LEFT SINGLE QUOTATION MARK}": "\N{RIGHT SINGLE QUOTATION MARK}"}


def close_final_quote(text: str) -> list[Edit]:
    """Turn an opening quote that ends a block after a sentence's end into the closing one OCR misread.

    No line ends in an opening quote (clreq), so ``不容易！“`` closes the speech: ``不容易！”``.

    >>> [e.new for e in close_final_quote("这个冠军来得不容易! “")], close_final_quote("他说：“")
    (['”'], [])
    """
    match = _OPEN_END.search(text)
    return [Edit(match.start(), match.end(), _CLOSING_QUOTE[match.group(1)])] if match else []


RULES: dict[str, Rule] = {
    "undoubled-caption": undouble_caption,
    "letterspacing-removed": unspace_letterspacing,
    "ocr-spacing-removed": unspace_ocr_text,
    "spaced-digits-joined": join_spaced_digits,
    "punctuation-widened": widen_punctuation,
    "brackets-matched": match_brackets,
    "space-removed": drop_cjk_spaces,
    "quote-closed": close_final_quote,
}
"""The repair rules in the order they run, keyed by the kind of Repair they record."""


def repair_blocks(blocks: tuple[Block, ...] | list[Block]) -> tuple[tuple[Block, ...], tuple[Repair, ...]]:
    """Apply every rule to every block until nothing changes; return the blocks and their repairs.

    >>> blocks, repairs = repair_blocks([Block("海拔 600米", (3,), (0,))])
    >>> blocks[0].text, [(r.kind, r.line) for r in repairs]
    ('海拔600米', [('space-removed', 3)])
    """
    out: list[Block] = []
    repairs: list[Repair] = []
    for block in blocks:
        # The loop ends: every round that changes the text lowers _progress(text) by at least
        # one, and _progress starts at most at twice the text's length; one more round sees no
        # change. Reaching the bound means a rule broke that proof: fail, never stop early.
        limit = 2 * len(block.text) + 1
        for _ in range(limit):
            changed = False
            for kind, rule in RULES.items():
                edits = [e for e in rule(block.text) if block.text[e.start:e.end] != e.new]
                if edits:
                    block, made = _apply(block, kind, edits)
                    repairs.extend(made)
                    changed = True
            if not changed:
                break
        else:
            raise RepairLoopError(f"repairs did not settle in {limit} rounds on the block at line "
                                  f"{block.first_line}: a rule breaks the termination measure")
        out.append(block)
    return tuple(out), tuple(repairs)


class RepairLoopError(RuntimeError):
    """The repair rules did not reach a fixed point within their bound: a bug in a rule, not bad input."""


def _progress(text: str) -> int:
    """The termination measure of the fixed-point loop: the length plus the marks still to fix.

    Every edit a rule makes lowers it: undoubling and the space rules shorten the text;
    widening replaces a half-width mark (and its spaces) with one full-width mark; matching
    brackets replaces a ``《``, ``〈`` or ``(`` (and a ``)``) with full-width brackets, never
    lengthening the text; closing a final opening quote removes the one it counts at the end (a
    round that drops the spaces before it closes it too). No rule adds a counted mark, and edits
    apply to disjoint spans, so a round that changes anything lowers the measure, which starts at
    most at twice the length.

    >>> _progress("中,国"), _progress("中，国"), _progress("《记者）")
    (4, 3, 5)
    """
    return len(text) + sum(char in _COUNTED_MARKS for char in text) + bool(_OPEN_END.search(text))


def _apply(block: Block, kind: str, edits: list[Edit]) -> tuple[Block, list[Repair]]:
    """Apply non-overlapping edits to a block, moving its line starts; describe each as a Repair."""
    text = block.text
    pieces: list[str] = []
    repairs: list[Repair] = []
    shifts: list[tuple[int, int, int]] = []  # (start, end, change in length)
    known = min(len(block.lines), len(block.starts))  # lines whose start is known
    position = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < position:
            continue  # overlapping edits: the next round will see the rest
        old = text[edit.start:edit.end]
        pieces.append(text[position:edit.start])
        pieces.append(edit.new)
        position = edit.end
        shifts.append((edit.start, edit.end, len(edit.new) - len(old)))
        detail = edit.detail or _describe(text, edit)
        # Block.line_at by bisection (the line starts are in order): a block of many lines stays linear.
        at = bisect_right(block.starts, edit.start, 0, known)
        line = block.lines[at - 1] if at else block.first_line
        repairs.append(Repair(kind, line, detail, _lost(old, edit.new)))
    pieces.append(text[position:])
    return replace(block, text="".join(pieces), starts=_moved(block.starts, shifts)), repairs


def _moved(starts: tuple[int, ...], shifts: list[tuple[int, int, int]]) -> tuple[int, ...]:
    """Where each offset lands after the edits: edits before it shift it; one around it pins it.

    The shifts are sorted and do not overlap, so the ones ending before an
    offset are a prefix of them, and at most the next one surrounds it.

    >>> _moved((0, 5, 10), [(2, 3, -1), (4, 7, 2)])
    (0, 3, 11)
    """
    ends = [end for _start, end, _change in shifts]
    total = [0]
    for _start, _end, change in shifts:
        total.append(total[-1] + change)
    moved = []
    for offset in starts:
        before = bisect_right(ends, offset)
        new = offset + total[before]
        if before < len(shifts) and shifts[before][0] < offset:
            new -= offset - shifts[before][0]
        moved.append(new)
    return tuple(moved)


def _lost(old: str, new: str) -> str:
    """The counted characters of ``old`` that ``new`` lacks, in their order in ``old``."""
    missing = counted_chars(old) - counted_chars(new)
    out = []
    for char in old:
        for folded in counted_chars(char):
            if missing[folded] > 0:
                missing[folded] -= 1
                out.append(char)
                break
    return "".join(out)


def _describe(text: str, edit: Edit) -> str:
    """``before → after`` with three characters of context on each side, whole numbers and words kept."""
    start, end = max(0, edit.start - 3), min(len(text), edit.end + 3)
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalnum() and edit.start - start < 12:
        start -= 1
    while end < len(text) and text[end].isascii() and text[end].isalnum() and end - edit.end < 12:
        end += 1
    left, right = text[start:edit.start], text[edit.end:end]
    return f"{left}{text[edit.start:edit.end]}{right} → {left}{edit.new}{right}"

