"""Put back in reading order the lines of side-by-side columns that a converter read across, in bands.

``pdftotext`` and OCR read a page of columns row by row where the columns' lines stand level
with each other: the first lines of the second and third columns come out one after the other,
each between blank lines (``…对一时`` / ``无法整改的，镇里下发了整改通`` / ``村民来这里…跳广场`` /
``知书，…``).  Every such line is full width and stops mid-sentence, and the line that goes on
with it is a few runs later.  This pass links each run of lines (a *chunk*: lines no blank
line separates) that stops mid-sentence to the chunk that continues it:

- a *strong* joint: the next chunk opens with a mark no line starts with (``，``, ``。``, ``）``),
  or the break cuts a word (``整改通`` / ``知书`` is ``通知书``, by jieba's dictionary);
- a *weak* joint: any chunk that may continue a sentence (no dateline, list marker, interview
  turn, byline or caption opens it; its first line is full width or ends the sentence, not a
  title), taken only when no strong joint is left; a weak joint at the band's *stride* (as many
  chunks on as the band has columns, the commonest distance of the strong joints) counts as
  strong.

Links are taken best first: the surest, then the nearest, later chunks before earlier ones.
Each chunk continues at most one and is continued by at most one (and no chain runs back into
itself); when a chunk finds all its continuations taken, the one that took it moves to a free
one if it can.  The chunks are then emitted chain by chain, each chain where its first chunk
stood.  A joint that is not sure is recorded as ``rethreaded-by-place`` (the structure stage
doubts it, naming the sidecar split that undoes it), a sure one as ``rethreaded``.

A text counts as read in bands only when at least ``MIN_BAND_LINKS`` links skip chunks to or
from a line standing alone; otherwise, and for text already reflowed (every block a line of
its own), the order is left exactly as it came.  Each chunk looks at ``REACH`` chunks on
either side: linear time.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ..model import Repair
from .chars import CLAUSE_MARKS, CLOSING_BRACKETS, CLOSING_QUOTES, SENTENCE_END, is_han
from .lines import (
    MAX_NAME,
    after_dateline,
    cuts_credit,
    ends_cut_credit,
    is_byline_line,
    is_caption_line,
    is_number_entry,
    opens_dateline,
    opens_lead,
    opens_turn,
    turn_speaker,
)
from .reflow import (
    COLUMN_PERCENTILE,
    INDENT_LOSS,
    PUNCTUATION_WIDTH,
    SLACK,
    SUBHEADLINE_DASH,
    WINDOW,
    ends_sentence,
    is_letterspaced,
    is_list_item,
    is_table_row,
    visual_width,
)
from .words import crosses_word

REACH = 16
"""How many chunks before or after a chunk the one continuing it may stand (three columns of a band)."""

MIN_BAND_CHUNKS = 2
"""Chunks of one line each, between blank lines, that a text needs before it counts as read in bands."""

MIN_BAND_LINKS = 2
"""Lines standing alone, cut off mid-sentence, that go on further than the next chunk: a text read in bands."""

MAX_STRIDE = 4
"""Most columns one band holds side by side."""

JOINT_CHARS = 4
"""Characters on each side of a break that jieba reads to see whether the break cuts a word."""

LEAD_CHARS = 8
"""Characters of a story's first sentence, after its dateline, that show it opens with a date (``十一月二十七日``)."""

CERTAIN, STRONG, WEAK, STRIDE_ONLY = 4, 3, 2, 1

BY_COLUMN = "rethreaded-by-column"
"""The repair kind of a sentence's end followed by the line under it in its band's column."""

BY_PLACE = "rethreaded-by-place"
"""The repair kind of a joint only the lines' widths and places support: structure doubts it."""

_NO_START = CLAUSE_MARKS | SENTENCE_END | CLOSING_QUOTES | CLOSING_BRACKETS
_GOES_ON = frozenset("\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}")
_BODY_MARKS = frozenset("\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH SEMICOLON}"
                        "\N{FULLWIDTH EXCLAMATION MARK}\N{FULLWIDTH QUESTION MARK}"
                        "\N{FULLWIDTH LEFT PARENTHESIS}\N{FULLWIDTH RIGHT PARENTHESIS}")
"""Marks a line of body text has and a title has not."""
_ENDS_ITEM = frozenset("\N{FULLWIDTH COLON}\N{FULLWIDTH SEMICOLON}:;")
"""Marks that end a list's lead-in or an item (``如下：``, ``…区域；``): the next line starts a block."""

DEBRIS = 2
"""A line of at most this many characters is the tail of a word a title broke, or OCR debris."""

Line = tuple[int, str]


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A run of non-blank source lines: its first and last line's text, width and column."""

    lines: tuple[Line, ...]
    head: str
    tail: str
    head_width: float
    head_column: float
    tail_width: float
    tail_column: float
    page_column: float  # the page's column: what a line may reach where titles narrow its neighbours'


def rethread_bands(lines: list[Line]) -> tuple[list[Line], list[Repair]]:
    """Reorder band-read lines so that each sentence's lines follow each other; return lines and repairs.

    >>> rows = ["本报讯近日，白沙镇组织安", "监、派出所等部门，对辖区内的", "商铺、小作坊和出租房开展冬季",
    ...         "消防安全检查，整改十九处。对一时", "", "无法整改的，镇里下发了整改通", "",
    ...         "村民来这里锻炼身体、跳广场", "", "知书，明确了整改时限。", "", "舞。"]
    >>> out, repairs = rethread_bands(list(enumerate(rows, start=1)))
    >>> [text for _, text in out if text][4:]
    ['无法整改的，镇里下发了整改通', '知书，明确了整改时限。', '村民来这里锻炼身体、跳广场', '舞。']
    >>> [(repair.line, repair.detail) for repair in repairs]
    [(10, '下发了整改通 | 知书，明确了整改 (after line 6)'), (12, '身体、跳广场 | 舞。 (after line 8)')]
    """
    speakers = _speakers(lines)
    chunks = _read(lines, speakers)
    singles = sum(1 for chunk in chunks if len(chunk.lines) == 1)
    if len(chunks) < 2 or _reflowed(lines) or (
            singles < MIN_BAND_CHUNKS and not any(_opens_credit(chunk.tail) for chunk in chunks)):
        return lines, []
    links, sure, stride = _link(chunks)
    banded = sum(1 for index, following in links.items()
                 if following != index + 1 and 1 in (len(chunks[index].lines), len(chunks[following].lines)))
    # A body line's sentence that another column's article (a dateline, a turn) interrupts, or a caption's
    # credit whose closing bracket stands runs away, was read across its column too.
    across = any(following != index + 1 and (_opens_credit(chunks[index].tail) or cuts_credit(chunks[index].tail)
                                             or index + 1 < len(chunks) and _is_cut(chunks[index])
                                             and _interrupted(chunks[index + 1], speakers))
                 for index, following in links.items())
    if banded < MIN_BAND_LINKS and not across:
        return lines, []  # not read in bands: a page's order is left as it came
    by_column = _link_columns(chunks, links, stride)
    continued = set(links.values())
    out: list[Line] = []
    repairs: list[Repair] = []
    for start in range(len(chunks)):
        if start in continued:
            continue  # emitted with the chain it continues
        index: int | None = start
        while index is not None:
            chunk = chunks[index]
            out.extend(chunk.lines)
            following = links.get(index)
            if following is not None and following != index + 1 and (index, following) in by_column:
                head = chunks[following]
                repairs.append(Repair(BY_COLUMN, head.lines[0][0],
                                      f"{chunk.tail[-6:]} | {head.head[:8]} (after line {chunk.lines[-1][0]})"))
                if not by_column[index, following]:
                    out.append((chunk.lines[-1][0] + 1, ""))  # a caption or a title: it stood apart
            elif following is not None and following != index + 1:
                head = chunks[following]
                repairs.append(Repair("rethreaded" if (index, following) in sure else BY_PLACE, head.lines[0][0],
                                      f"{chunk.tail[-6:]} | {head.head[:8]} (after line {chunk.lines[-1][0]})"))
            elif following is None or (index, following) not in sure:
                out.append((chunk.lines[-1][0] + 1, ""))  # a blank line, as there was (reflow weighs it)
            index = following
    return out, repairs


def _reflowed(lines: list[Line]) -> bool:
    """Whether every run of non-blank lines is one line: text already reflowed (a block a line)."""
    texts = [text.strip() for _, text in lines]
    return not any(previous and text for previous, text in zip(texts, texts[1:], strict=False))


def _read(lines: list[Line], speakers: frozenset[str]) -> list[_Chunk]:
    texts = [(number, raw.strip()) for number, raw in lines]
    widths = [visual_width(text) for _, text in texts if text]
    columns = _columns(widths)
    page_column = sorted(widths)[int(COLUMN_PERCENTILE * (len(widths) - 1))] if widths else 0.0
    chunks: list[_Chunk] = []
    current: list[Line] = []
    at = 0  # index of the next non-blank line among ``widths``
    first = 0
    for (number, raw), (_, text) in zip(lines, texts, strict=True):
        if not text:
            if current:
                chunks.append(_chunk(current, widths, columns, page_column, first, at - 1))
                current = []
            continue
        if current and _cannot_follow(current[-1][1].strip(), widths[at - 1], columns[at - 1], text,
                                      speakers):
            chunks.append(_chunk(current, widths, columns, page_column, first, at - 1))
            current = []
        if not current:
            first = at
        current.append((number, raw))
        at += 1
    if current:
        chunks.append(_chunk(current, widths, columns, page_column, first, at - 1))
    return chunks


def _cannot_follow(previous: str, width: float, column: float, text: str, speakers: frozenset[str]) -> bool:
    """Whether ``text`` cannot be the next line of ``previous`` in one column: ``previous`` is a body
    line the column cut mid-sentence (a turn's or a mark in it, at least a first line's width) and ``text`` opens
    an interview's turn, a dateline, a list item or a caption's wrapped credit.  A converter put two
    columns' lines together (``问：您对敬老院的未来有什么期`` / ``答：我的母亲常年卧病，我从小就``):
    they are two chunks."""
    if width < _first_line_width(column) or ends_sentence(previous) or previous[-1] in _ENDS_ITEM:
        return False  # the cheap tests first: this runs for every line of the page
    if not (opens_turn(previous) or any(char in _BODY_MARKS for char in previous)) \
            or is_byline_line(previous) or is_caption_line(previous):
        return False
    return turn_speaker(text) in speakers or opens_dateline(text) or is_list_item(text) or _opens_credit(text)


def _opens_credit(text: str) -> bool:
    """Whether a line is a caption whose credit the column wrapped inside its brackets: words without
    marks, then a bracket opening a byline it does not close (``市民在城市书房里阅读 （记者 叶 青``)."""
    inside = _unclosed(text)
    if inside is None or not is_byline_line(inside):
        return False
    words = text[:len(text) - len(inside) - 1].strip()
    return bool(words) and not any(char in _NO_START for char in words)


def _chunk(lines: list[Line], widths: list[float], columns: list[float], page_column: float, first: int,
           last: int) -> _Chunk:
    return _Chunk(tuple(lines), lines[0][1].strip(), lines[-1][1].strip(), widths[first], columns[first],
                  widths[last], columns[last], page_column)


def _columns(widths: list[float]) -> list[float]:
    """Each line's column: a high percentile of the widths around it (full lines are the widest)."""
    out = []
    for index in range(len(widths)):
        window = sorted(widths[max(0, index - WINDOW): index + WINDOW + 1])
        out.append(window[int(COLUMN_PERCENTILE * (len(window) - 1))])
    return out


def _is_full(width: float, column: float) -> bool:
    return width >= column - SLACK


_OPENING = "（(〈《"
_CLOSING = "）)〉》"


def _unclosed(text: str) -> str | None:
    """What follows a bracket the line opens and does not close (``… 〈记者 孟 哲``), or None."""
    opened = max(text.rfind(mark) for mark in _OPENING)
    if opened < 0 or any(mark in text[opened:] for mark in _CLOSING):
        return None
    return text[opened + 1:]


def _open_tail(chunk: _Chunk) -> bool:
    """Whether a chunk stops mid-sentence: no sentence mark, list lead-in or item, byline or caption ends it.

    A byline whose closing bracket OCR lost (``…参加。 〈记者 孟 哲``) ends it too.
    """
    text = chunk.tail
    inside = _unclosed(text)
    if inside is not None and is_byline_line(inside):
        return False
    return not (ends_sentence(text) or text[-1] in _ENDS_ITEM or is_byline_line(text) or is_caption_line(text)
                or is_letterspaced(text) or is_table_row(text) or is_number_entry(text))


def _may_continue(chunk: _Chunk) -> bool:
    """Whether a chunk's first line may go on with a sentence begun before it."""
    text = chunk.head
    return not (opens_dateline(text) or is_list_item(text) or opens_turn(text) or is_byline_line(text)
                or is_caption_line(text) or cuts_credit(text) or is_letterspaced(text)
                or text.startswith(SUBHEADLINE_DASH))


def _interrupted(chunk: _Chunk, speakers: frozenset[str]) -> bool:
    """Whether a chunk cannot go on with the sentence the one before it stops in, as no line of one
    column could: it opens a dateline, an interview's turn or a list item (another column's article)."""
    return opens_dateline(chunk.head) or turn_speaker(chunk.head) in speakers or is_list_item(chunk.head)


def _speakers(lines: list[Line]) -> frozenset[str]:
    """Who takes two or more turns on the page (``问``, ``答``, ``杨建明``): an interview's speakers.

    A line that opens like a turn once is a lead-in (``具体如下：``) or reported speech after a
    name the column cut (``…队长张小`` / ``伟说：“…``).
    """
    heads = (text.lstrip()[:6] for _, text in lines)  # a speaker's colon is among a line's first characters
    counts = Counter(speaker for head in heads if "：" in head or ":" in head
                     for speaker in [turn_speaker(head)] if speaker)
    return frozenset(speaker for speaker, count in counts.items() if count >= 2)


@dataclass(frozen=True, slots=True)
class _Tail:
    """What ``_joint`` asks of a chunk's last line, worked out once."""

    end: str  # its last few characters, without spaces
    unclosed: bool  # it opens a bracket it does not close
    cut: bool  # it stops where a column does (``_is_cut``)
    marked: bool  # it has a comma or a full stop, or opens an interview turn (``问：…``): body text
    wide: bool  # a bare line as wide as the column (``_set_width``)
    short: bool  # a character or two: a wrapped title's last
    lead: str | None  # what follows a dateline and its credit it opens with (``本报讯（通讯员 崔 浩）十``: ``十``)
    credit: bool  # it stops inside a byline's brackets after the role (``…参加。（记者``, ``（通讯员 伍``)
    named: int  # how many characters of a name follow that role (``（通讯员 伍``: 1)
    name: bool  # one Han character alone: a padded name's, read a line each (``孟`` / ``哲）``)
    first: bool  # one line as wide as a paragraph's indented first line (``干净整洁的环境是我们共同的家``)


@dataclass(frozen=True, slots=True)
class _Head:
    """What ``_joint`` asks of a chunk's first line, worked out once."""

    start: str  # its first few characters, without spaces
    mark_first: bool  # it opens with a mark no line starts with
    closes: bool  # it closes a bracket in its first characters
    closer: int  # how many characters come before that bracket (``洋）县市场…``: 1), or -1
    debris: bool  # a character or two without marks
    bare: bool  # no marks at all: a title's line
    body: bool  # full width (not wider; ``_set_width``), or one line ending its sentence
    text: str  # its first characters, without spaces
    alone: bool  # the chunk is that line alone, or a byline or a dateline goes on under it (as under a title)


def _tail_of(chunk: _Chunk) -> _Tail:
    text = chunk.tail
    wide = _is_full(chunk.tail_width, chunk.tail_column) \
        or _is_full(_set_width(text, chunk.tail_width), chunk.tail_column)
    first = len(chunk.lines) == 1 and _first_line_width(chunk.tail_column) <= chunk.tail_width \
        <= _widest(chunk.tail_column, chunk)  # as wide as a paragraph's first line, indented
    return _Tail(text.replace(" ", "")[-JOINT_CHARS:], _unclosed(text) is not None, _is_cut(chunk),
                 _tail_has_body_marks(chunk) or opens_turn(text),
                 wide and not text.startswith(SUBHEADLINE_DASH),
                 len(text) <= DEBRIS, after_dateline(text) if len(text) <= LEAD_CHARS * 4 else None,
                 _in_credit(text), _named(text), len(chunk.lines) == 1 and len(text) == 1 and is_han(text), first)


def _named(text: str) -> int:
    """How many characters of a name follow the last role inside a byline's open brackets.

    >>> _named("（记者 钟 鸣 通讯员"), _named("（通讯员 伍"), _named("（记者 孟 哲")
    (0, 1, 2)
    """
    inside = _unclosed(text) or ""
    end = max((inside.rfind(role) + len(role) for role in _CREDIT_ROLES if role in inside), default=0)
    return sum(1 for char in inside[end:] if is_han(char))


def _in_credit(text: str) -> bool:
    """Whether a line stops inside a byline's brackets, after its role and before its name ends.

    >>> _in_credit("八百多名市民和学生参加。（记者"), _in_credit("（通讯员 伍"), _in_credit("（记者 孟 哲）")
    (True, True, False)
    """
    inside = _unclosed(text)
    return inside is not None and len(inside) <= MAX_CREDIT and inside.strip().startswith(_CREDIT_ROLES)


MAX_CREDIT = 10
"""Most characters a byline's brackets hold before a line break cuts them (``（记者 孟``)."""

_CREDIT_ROLES = ("本报记者", "记者", "通讯员", "实习生", "特约记者")


def _head_of(chunk: _Chunk) -> _Head:
    text = chunk.head
    bare = not any(char in _NO_START for char in text)
    full = chunk.head_width <= _widest(chunk.head_column, chunk) and (
        _is_full(chunk.head_width, chunk.head_column)
        or _is_full(_set_width(text, chunk.head_width), chunk.head_column))
    closed = min((at for at in (text.find(mark) for mark in _CLOSING) if 0 <= at < JOINT_CHARS), default=-1)
    return _Head(text.replace(" ", "")[:JOINT_CHARS], text[0] in _NO_START,
                 closed >= 0, sum(1 for char in text[:closed] if is_han(char)) if closed >= 0 else -1,
                 len(text) <= DEBRIS and bare, bare,
                 full or (ends_sentence(text) and len(chunk.lines) == 1), text.replace(" ", "")[:LEAD_CHARS],
                 _alone_over(chunk))


def _alone_over(chunk: _Chunk) -> bool:
    """Whether a chunk's first line has nothing under it, or a byline or a dateline: what stands under a title."""
    if len(chunk.lines) == 1:
        return True
    second = chunk.lines[1][1].strip()
    return is_byline_line(second) or opens_dateline(second)


def _set_width(text: str, width: float) -> float:
    """A line's width with its marks set a full em each, as a print that does not compress them sets
    them (``一次免费体检……这些“微心`` is as wide as its column there, with no mark ending it)."""
    return width + (1.0 - PUNCTUATION_WIDTH) * sum(1 for char in text if char in _WIDE_MARKS)


_WIDE_MARKS = _BODY_MARKS | CLOSING_QUOTES | frozenset("\N{LEFT DOUBLE QUOTATION MARK}\N{LEFT SINGLE QUOTATION MARK}"
                                                       "\N{HORIZONTAL ELLIPSIS}\N{FULLWIDTH COLON}")


def _is_cut(chunk: _Chunk) -> bool:
    """Whether a chunk's last line stops where a column does: after ``，`` or ``、``, or as wide as a
    paragraph's line (its first, indented, line at least; not wider) with a comma or a full stop in
    it; a title has none (it may have a colon: ``洪洞：…``)."""
    text = chunk.tail
    if text[-1] in _GOES_ON:
        return True
    return _first_line_width(chunk.tail_column) <= chunk.tail_width <= _widest(chunk.tail_column, chunk) \
        and _tail_has_body_marks(chunk)


_BOOK_TITLE = re.compile("《[^《》]*》")
"""A book's or a document's title (``《枫林县志（1991—2020）》``): the brackets inside it are its own."""


def _has_body_marks(text: str) -> bool:
    """Whether a line holds a body text's marks (a comma, a stop, a byline's brackets), outside
    any ``《…》`` it quotes: a headline may name a book with brackets in its title."""
    return any(char in _BODY_MARKS for char in _BOOK_TITLE.sub("", text))


def _tail_has_body_marks(chunk: _Chunk) -> bool:
    """``_has_body_marks`` of a chunk's last line, the ``《…》`` it closes counted from the line that
    opened it: a headline wrapped inside a book's title (``《枫林县志（1991`` / ``—2020）》正式出版``)."""
    lines = [text.strip() for _, text in chunk.lines if text.strip()]
    if len(lines) < 2 or "《" not in "".join(lines[:-1]):
        return _has_body_marks(chunk.tail)
    joined = "".join(lines)
    start = len(joined) - len(lines[-1])
    quoted = {at for match in _BOOK_TITLE.finditer(joined) for at in range(match.start(), match.end())}
    return any(char in _BODY_MARKS and start + at not in quoted for at, char in enumerate(lines[-1]))


def _widest(column: float, chunk: _Chunk) -> float:
    """The widest a body line of ``column`` is: the column, or the page's where titles around the line
    narrowed its estimate (the first lines under a page's headlines), and some slack."""
    return max(column, chunk.page_column) + SLACK


def _first_line_width(column: float) -> float:
    """The narrowest a paragraph's first line is: the column less its indent (and some slack)."""
    return column - INDENT_LOSS - SLACK - 0.5


def _joint(tail: _Tail, head: _Head, forward: bool) -> int:
    """How surely ``head`` goes on with the sentence ``tail`` stops in: CERTAIN, STRONG, WEAK, STRIDE_ONLY or 0."""
    if tail.lead is not None and len(tail.lead) < LEAD_CHARS and not opens_lead(tail.lead) \
            and opens_lead(tail.lead + head.text):
        return CERTAIN  # a story's dateline, then its lead's date (``…崔 浩）十`` / ``二月一日晚，``, or ``近日``)
    if tail.unclosed and head.closes:
        # A byline wrapped inside its brackets (``（通讯员 伍`` / ``军）``): the name it makes has two to
        # four characters.
        return STRONG if not tail.credit or 2 <= tail.named + head.closer <= MAX_NAME else 0
    if tail.credit and head.debris and len(head.text) == 1 and tail.named <= 1:
        return CERTAIN  # a padded name read a character a line (``（记者`` / ``孟`` / ``哲）``)
    if tail.name and head.text[1:2] in _CLOSING and head.text[1:2]:
        return CERTAIN  # the name's second character, and the bracket closed after it
    if not tail.cut and not tail.marked:
        # A line without a mark is a title's, or a body line that happens to have none: only
        # the rest of a word it breaks goes on with it, further on.  A short one is a title: its
        # rest is a title's line too (``紧盯目标任务狠抓工作落`` / ``实``), or a character or two.
        if tail.short or not (forward or tail.wide):
            return 0  # a wrapped title's last characters end it; a title goes on below it, not above
        if (tail.wide or head.bare or tail.first) and crosses_word(tail.end, head.start):
            return STRONG  # a first line goes on with the rest of its word (``…共同的家`` / ``园。为…``)
        # Not debris with body lines under it (``下`` / ``意见。``): a title's tail has a byline under it or nothing.
        return WEAK if head.debris and head.alone and not tail.wide else 0
    if head.mark_first or crosses_word(tail.end, head.start):
        return STRONG
    if head.body:
        # A body line cut short (``“以前愁卖，现在愁``: the next line's ``货。”`` may not be parted
        # from its marks) goes on weakly only where the band's stride says so.
        return WEAK if tail.cut else STRIDE_ONLY
    return 0


def _link(chunks: list[_Chunk]) -> tuple[dict[int, int], set[tuple[int, int]], int | None]:
    """Which chunk goes on with each chunk that stops mid-sentence (best joints first).

    Columns read in bands alternate: each column's next line comes as many chunks later as
    there are columns in the band.  That stride, the commonest among the strong joints, makes
    a joint at its distance one degree surer (a weak one as sure as a strong one elsewhere).
    When a chunk finds every chunk that could go on with it taken, the one that took it moves
    to another it could take, if there is one free: as many sentences as can be go on.  Returns
    the links and those of them that are sure (a strong joint, or a weak one at the stride).
    """
    heads = [_head_of(chunk) if _may_continue(chunk) else None for chunk in chunks]
    # A caption's credit wrapped inside its brackets goes on only where a line closes them (``摄）``).
    # or where a line holds the next character of its padded name (``于`` / ``洋）``: a certain joint only).
    closing = [_head_of(chunk) if any(mark in chunk.head[:JOINT_CHARS] for mark in _CLOSING)
               or (len(chunk.lines) == 1 and len(chunk.head) == 1 and is_han(chunk.head)) else None
               for chunk in chunks]
    # A caption's credit the column cut before its ``摄`` (``…作业 记者 孟``) goes on only where a line
    # ends it (``哲摄``): surely, as no other line could.
    credit_ends = [_head_of(chunk) if len(chunk.lines) == 1 and ends_cut_credit(chunk.head) else None
                   for chunk in chunks]
    found = []
    for index, chunk in enumerate(chunks):
        credit = _opens_credit(chunk.tail)
        cut_credit = not credit and cuts_credit(chunk.tail)
        if not (credit or cut_credit or _open_tail(chunk)):
            continue
        tail = _tail_of(chunk)
        if index == 0 and tail.first:
            tail = replace(tail, first=False)  # the page's first line is its first title, no paragraph's
        for other in range(max(0, index - REACH), min(len(chunks), index + REACH + 1)):
            head = closing[other] if credit else credit_ends[other] if cut_credit else heads[other]
            if other == index or head is None:
                continue
            strength = CERTAIN if cut_credit else _joint(tail, head, other > index)
            if credit and not head.closes and strength != CERTAIN:
                continue  # a name's character goes on only a byline's open brackets
            if not strength:
                continue
            # The next chunk first, then the ones after it, then the ones before.
            distance = other - index if other > index else REACH + index - other
            found.append((strength, distance, index, other))
    strides = Counter(distance for strength, distance, _, _ in found
                      if strength == STRONG and 1 < distance <= MAX_STRIDE)
    stride = strides.most_common(1)[0][0] if strides else None
    # Only a line standing alone is in a band: a longer chunk's next line is where its column goes on.
    ranked = []
    for strength, distance, index, other in found:
        in_band = distance == stride and len(chunks[index].lines) == 1
        if strength == STRIDE_ONLY and not in_band:
            continue
        ranked.append((-max(strength, WEAK) - in_band, distance, index, other))
    ranked.sort()
    sure = {(index, other) for level, _distance, index, other in ranked if -level >= STRONG}
    links: dict[int, int] = {}
    taken: dict[int, int] = {}  # head → tail
    options: dict[int, list[int]] = {}
    for _level, _distance, index, other in ranked:
        options.setdefault(index, []).append(other)
        if index in links or other in taken or _closes_cycle(links, index, other):
            continue
        links[index] = other
        taken[other] = index
    strengths = {(index, other): strength for strength, _distance, index, other in found}
    for index, others in options.items():
        if index in links:
            continue
        for other in others:
            holder = taken.get(other)
            if holder is None or strengths[holder, other] == CERTAIN:
                continue  # a certain joint stays
            spare = next((h for h in options[holder] if h not in taken and h != index), None)
            if spare is None:
                continue
            del links[holder]
            if _closes_cycle(links, holder, spare) or _closes_cycle({**links, holder: spare}, index, other):
                links[holder] = other
                continue
            links[holder], links[index] = spare, other
            taken[spare], taken[other] = holder, index
            break
    _unnest(chunks, links, strengths)
    return links, {pair for pair in links.items() if pair in sure}, stride


def _unnest(chunks: list[_Chunk], links: dict[int, int], strengths: dict[tuple[int, int], int]) -> None:
    """Uncross, in ``links``, the band's lines whose links nest.

    A band is read row by row, each row's columns left to right, so the lines of one row go on in
    the next row in the same order.  A line linked past the continuation of a line after it
    (``…前来采摘的游`` to the fifth line on, ``…西红柿`` to the second) has the two continuations
    swapped when both new joints hold and are, together, as sure as the two they replace: the
    stride of a band whose columns start and end on different rows is not one number.  One pass,
    each line's link uncrossed from the lines after it in turn: linear time.
    """
    single = [len(chunk.lines) == 1 for chunk in chunks]
    for outer in sorted(links):
        far = links[outer]
        if far <= outer + 2 or not (single[outer] and single[far]):
            continue
        for inner in range(outer + 1, min(far, outer + REACH)):
            near = links.get(inner)
            if near is None or not inner < near < far or not (single[inner] and single[near]):
                continue
            old = strengths.get((outer, far), 0) + strengths.get((inner, near), 0)
            new_outer, new_inner = strengths.get((outer, near), 0), strengths.get((inner, far), 0)
            if not (new_outer and new_inner) or new_outer + new_inner < old:
                continue
            del links[outer], links[inner]
            if not _closes_cycle(links, outer, near):
                links[outer] = near
                if not _closes_cycle(links, inner, far):
                    links[inner] = far
                    far = near
                    continue
            links[outer], links[inner] = far, near  # as they were


def _link_columns(chunks: list[_Chunk], links: dict[int, int], stride: int | None) -> dict[tuple[int, int], bool]:
    """Link, in ``links``, each line of a band that ends its sentence to the line under it in its column.

    A band holds ``stride`` columns read row by row: a line standing alone that continues the one a
    stride before it is in a column of the band, and when it ends its sentence its column goes on a
    stride after it, with the next sentence or paragraph (``…与她聊了聊。`` / ``问：您当初…``), if no
    sentence goes on there already and that line stands alone too (a longer run is where the band
    ended: it stays where it is).  Returns the links made, each with whether the line under is set
    as the print had it, under the other with no blank line between: a body line, or the rest of a
    sentence the line above stops in (a caption or a title stood apart).
    """
    made: dict[tuple[int, int], bool] = {}
    if stride is None:
        return made
    taken = set(links.values())
    for index, chunk in enumerate(chunks):
        other = index + stride
        if index in links or other >= len(chunks) or other in taken or len(chunk.lines) != 1 \
                or len(chunks[other].lines) != 1 or links.get(index - stride) != index \
                or _closes_cycle(links, index, other):
            continue
        # The lines between are the band's other columns' (each goes on from, or to, a stride away):
        # past the band's last row, the next chunk may be anything (a title, another article).
        if not all(links.get(between - stride) == between or links.get(between) == between + stride
                   for between in range(index + 1, other)):
            continue
        links[index] = other
        taken.add(other)
        below = chunks[other]
        made[index, other] = _open_tail(chunk) or (  # the rest of a cut sentence goes on under it
            _head_of(below).body and not any(is_caption_line(text) for _, text in below.lines))
    return made


MAX_WALK = 4 * REACH
"""Longest chain walked to see whether a link closes a cycle; a longer one is taken to (and not linked)."""


def _closes_cycle(links: dict[int, int], index: int, other: int) -> bool:
    """Whether linking ``index`` to ``other`` would run the chain back into ``index`` (or may: too long to see)."""
    at: int | None = other
    for _ in range(MAX_WALK):
        if at is None:
            return False
        if at == index:
            return True
        at = links.get(at)
    return True
