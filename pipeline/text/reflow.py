"""Turn OCR lines into blocks of running text, joining column breaks and splitting paragraphs.

A block is what a careful editor would set as one unit: a paragraph, a
headline, a table row, a caption.  Reflow decides only where blocks begin and
end and how their lines join; fixing the characters inside is ``repair``'s job.

Widths are measured in ems (``visual_width``) and compared with the column
each line was set in, estimated from its neighbours in the same article (a
title standing alone between blank lines separates two articles, which may
be set in different columns).  The evidence, in order of weight:

- ``pdftotext -layout`` columns standing side by side are read one after the
  other (``split_layout_columns``);
- an explicit indent (full-width spaces, or two or more spaces more than the
  page's usual margin) starts a paragraph, when the page indents at all; on
  such a page a short flush line without punctuation is a title;
- a line that ends a sentence and is shorter than the column (or, for a
  paragraph's first line, shorter than the column less the 2-em indent OCR
  dropped) ends its paragraph; so does a full line ending a sentence when the
  next line has a first line's length;
- a blank line after a line that does not end a sentence, and that reaches the
  column's width, is a column or page break inside a sentence: the text goes
  on; so does a blank line after a lone first line, or after a full line that
  ends a sentence when the next line is full too;
- letter-spaced lines, table rows, list items, ``——`` subheadlines, lines
  wider than the column and lines without punctuation that are short, or full
  where a first line would be short, stand alone (titles);
- a closing mark never starts a paragraph.

Text that is already reflowed (every block one line, blocks separated by blank
lines) comes back unchanged, so reflow is idempotent.  Every step looks at a
bounded neighbourhood of each line, so reflow takes time linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from ..model import Block, Repair
from .chars import (
    CLAUSE_MARKS,
    CLOSING_BRACKETS,
    CLOSING_QUOTES,
    HYPHENS,
    INDENT_SPACE,
    OPENING_QUOTES,
    SENTENCE_END,
    is_wide_letter,
)
from .lines import (
    ends_with_credit,
    is_byline_line,
    is_caption_line,
    is_dateline_only,
    is_value_label,
    opens_closing,
    opens_credit,
    opens_dateline,
    opens_turn,
    turn_speaker,
)
from .repair import undouble_caption  # repair imports this module's measures only inside its rules
from .words import crosses_word

WINDOW = 8
"""How many non-blank lines on each side estimate a line's column width."""

INDENT_LOSS = 2.0
"""Ems a paragraph's first line loses when OCR drops its indent."""

SLACK = 1.25
"""Ems a full line may fall short of the column (compressed punctuation, digits)."""

HEADING_RATIO = 0.6
"""A line without closing punctuation shorter than this share of the column stands alone."""

PUNCTUATION_WIDTH = 0.65
"""Ems a full-width mark takes: papers compress marks to half an em, other typesetters do not."""

MAX_STACK_LINES = 4
"""Most lines a title stack between blank lines has: a kicker, a headline wrapped over two, a subheadline."""

PAGE_COLUMN_SHARE = 0.75
"""The narrowest column, as a share of the page's usual one (a run of titles is not a narrow column)."""

COLUMN_PERCENTILE = 0.85
"""Which of the neighbours' widths is the column: full lines are the widest, short ones end paragraphs."""

_LIST_ITEM = re.compile(
    r"^(?:\d{1,2}[.．、)）](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}[、．.]"
    r"|[（(][一二三四五六七八九十]{1,3}[)）]|[\u2460-\u2473]|[•●■◆▲]\s?)"
)
SUBHEADLINE_DASH = "\N{EM DASH}\N{EM DASH}"
"""A line opening with a double em dash (``——记…``) is a subheadline."""

_NO_LINE_START = CLAUSE_MARKS | SENTENCE_END | CLOSING_QUOTES | CLOSING_BRACKETS
_MARKS = SENTENCE_END | CLAUSE_MARKS
_WIDE_LINE_MARKS = SENTENCE_END | {"\N{FULLWIDTH COMMA}", "\N{FULLWIDTH SEMICOLON}"}
_NUMBER = re.compile(r"[-+]?[\d,.]+%?")
_GOES_ON = frozenset("\N{FULLWIDTH COMMA}\N{IDEOGRAPHIC COMMA}")
_FIGURE_SIGNS = frozenset("%\N{FULLWIDTH PERCENT SIGN}\N{PER MILLE SIGN}")
"""Signs that end a figure (``增长8.6%``), not a clause: a title may end in one."""
_LEADS_ON = frozenset("\N{FULLWIDTH COLON}:")
"""Marks after which a sentence goes on: on a page not yet reflowed, a blank line after one is a column break."""
_EXCLAIMS = frozenset("\N{FULLWIDTH EXCLAMATION MARK}\N{FULLWIDTH QUESTION MARK}!?")
"""Marks a headline may end in (``…创历史新高！``)."""
_HALF_CLAUSE_ENDS = frozenset(":;")
"""Half-width marks OCR gives for ``：`` and ``；`` (repair makes them full-width after reflow)."""
_INNER_GAP = re.compile(r"\S(?: {2,}|\t|\N{IDEOGRAPHIC SPACE})+\S")


@dataclass(frozen=True, slots=True)
class _Line:
    """One non-blank source line, stripped, with what reflow measured about it.

    ``width`` is the line's width in ems, ``column`` the estimated width of the
    column it was set in, ``margin`` its leading white space in half-ems.
    """

    number: int
    text: str
    margin: float
    width: float
    column: float = 0.0
    spaced_end: bool = False  # the raw line ended in white space


@dataclass(frozen=True, slots=True)
class _Page:
    """What reflow knows about the page as a whole."""

    base_margin: float = 0.0
    indents: bool = False  # paragraphs are marked by indenting their first line
    raw: bool = True  # some lines run on without a blank line between them: not reflowed yet
    spaced: bool = False  # OCR spaced out most lines: a spaced line is body text
    speakers: frozenset[str] = frozenset()  # who takes two or more turns (``记者：``): an interview
    list_first: float = 0.0  # the widest first line of a list item that runs on to a second line


def _reads_a_picture(text: str) -> bool:
    """Whether a line after a blank line is OCR's reading of a picture or a rule (``[二1``, ``ET``):
    the sentence cut before it does not go on in it.  It stays a block of its own, which the
    structure stage drops with a repair (``ocr-noise-dropped``).

    >>> _reads_a_picture("[二1"), _reads_a_picture("营。"), _reads_a_picture("5G基站")
    (True, False, False)
    """
    from .structure import _is_ocr_noise  # structure imports this module

    return _is_ocr_noise(text)


def reflow_lines(text: str) -> tuple[tuple[Block, ...], tuple[Repair, ...]]:
    """Split ``text`` into blocks, joining lines and column breaks; return blocks and repairs.

    >>> text = "狠抓农业安全生产工作，\\n全县上下一致，被评为\\n\\n“全国示范县”。\\n\\n标题"
    >>> blocks, repairs = reflow_lines(text)
    >>> [b.text for b in blocks], [(r.kind, r.line) for r in repairs]
    (['狠抓农业安全生产工作，全县上下一致，被评为“全国示范县”。', '标题'], [('joined-across-blank-line', 3)])
    """
    # bands imports this module's measures, so it is imported here, not at the top.
    from .bands import rethread_bands

    lines = list(enumerate(text.splitlines(), start=1))
    rows = split_layout_columns(lines)
    # Columns laid out side by side are read one after the other: no band to re-thread.
    rows, repairs = rethread_bands(_split_side_captions(rows)) if rows is lines else (rows, [])
    chunks = _measure_columns(_read_chunks(rows))
    page = _measure_page(chunks)
    pieces: list[list[_Line]] = []
    continued = False  # whether the last piece was itself joined across a blank line
    for index, chunk in enumerate(chunks):
        chunk_pieces = _split_chunk(chunk, page)
        if index and pieces:
            previous = pieces[-1]
            before = pieces[-2] if len(pieces) > 1 else None
            # A piece of one line that stood alone between blank lines may go
            # on only if it is a list item or a paragraph's first line.
            may_join = len(previous) > 1 or continued or (page.raw and (
                previous[-1].text[-1] in _GOES_ON or is_list_item(previous[0].text) or opens_dateline(previous[0].text)
                or turn_speaker(previous[0].text) in page.speakers
                or _cut_inside_word(previous[0].text, chunk_pieces[0][0].text)
                or _is_full_clause_line(previous[0])
                or (not is_caption_line(previous[0].text)
                    and not (_is_bare(previous[0].text) and _is_bare(chunk_pieces[0][0].text))
                    and _is_lone_first_line(previous[0], before, chunk_pieces[0][0]))))
            # A run of two to four lines without a mark between blank lines is a title stack:
            # the text after the blank line does not continue it.
            title_piece = 2 <= len(previous) <= MAX_STACK_LINES and previous[0] is chunks[index - 1][0] \
                and previous[-1] is chunks[index - 1][-1] and all(_is_bare(line.text) for line in previous) \
                and not _is_bare(chunk_pieces[0][0].text)
            if may_join and not title_piece and _joins_across_blank(previous, chunk_pieces[0], page):
                blank = previous[-1].number + 1
                repairs.append(Repair(
                    "joined-across-blank-line", blank,
                    f"{_tail(previous[-1].text)} | {_head(chunk_pieces[0][0].text)}",
                ))
                previous.extend(chunk_pieces[0])
                pieces.extend(chunk_pieces[1:])
                continued = len(chunk_pieces) == 1
                continue
        pieces.extend(chunk_pieces)
        continued = False

    blocks = []
    chunk_starts = {id(chunk[0]) for chunk in chunks}
    for piece in pieces:
        block, joins = _join_piece(piece)
        blocks.append(replace(block, after_blank=id(piece[0]) in chunk_starts))
        repairs.extend(joins)
    return tuple(blocks), tuple(repairs)


def visual_width(text: str) -> float:
    """The width of ``text`` in ems as a Chinese column sets it.

    Han characters take one em; Latin letters and digits half; full-width
    marks ``PUNCTUATION_WIDTH`` (papers compress them, other typesetters do
    not); spaces nothing.

    >>> round(visual_width("完成海拔 600米，"), 2)
    7.15
    """
    total = 0.0
    for char in text:
        total += _char_width(char)
    return total


def fits_width(text: str, limit: float) -> bool:
    """Whether ``visual_width(text) <= limit``, reading no further than the limit (long paragraphs are cheap).

    >>> fits_width("坚定抓好党建", 6), fits_width("坚定抓好党建", 5.5)
    (True, False)
    """
    total = 0.0
    for char in text:
        total += _char_width(char)
        if total > limit:
            return False
    return True


@lru_cache(maxsize=65536)
def _char_width(char: str) -> float:
    if char.isspace():
        return 0.0
    if ord(char) < 128:
        return 0.5
    if unicodedata.category(char)[0] in "PZ":
        return PUNCTUATION_WIDTH
    if unicodedata.east_asian_width(char) in "WF":
        return 1.0
    return 0.5


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence: 。！？… maybe closed by quotes, or a closing byline.

    A line ending in a bracket opened on an earlier line (``习生 高 洁）``)
    closes a byline too.

    >>> [ends_sentence(t) for t in ("好。”", "贡献！（李安安 徐 静）", "被评为", "（社）", "高 洁）")]
    [True, True, False, True, True]
    >>> [ends_sentence(t) for t in ("不容易! “", "他说：“", "是什么?", "OK!")]
    [True, False, True, False]
    """
    # Walk back by index rather than slicing and recursing: a paragraph of
    # many bracketed groups costs one pass, however long it is.
    end = _rstripped(text, len(text))
    while end and text[end - 1] == "\N{FULLWIDTH RIGHT PARENTHESIS}":
        opening = text.rfind("\N{FULLWIDTH LEFT PARENTHESIS}", 0, end)
        if opening < 0:
            return True
        end = _rstripped(text, opening)
        if not end:
            return True
    while end and (text[end - 1] in CLOSING_QUOTES or text[end - 1] in OPENING_QUOTES):
        # No line ends in an opening quote (clreq): one after a sentence's end is OCR's misreading of
        # the closing one (``不容易! “``).
        end = _rstripped(text, end - 1)
    if end and text[end - 1] in _HALF_WIDTH_ENDS:
        return end > 1 and not text[end - 2].isascii()  # OCR's ``!`` after Chinese text, not ``Hello!``
    return bool(end) and text[end - 1] in SENTENCE_END


_HALF_WIDTH_ENDS = frozenset("!?")


def _rstripped(text: str, end: int) -> int:
    """Where ``text[:end].rstrip()`` ends."""
    while end and text[end - 1].isspace():
        end -= 1
    return end


def is_letterspaced(text: str) -> bool:
    """Whether a line is set letter-spaced: three or more single characters between spaces.

    OCR may lose some of the spaces: two-character words among three or more spaced
    letters (``剪纸 艺 术 进 校园``) still make a spaced line, unless one is a role (a byline).

    >>> is_letterspaced("坚 定 抓 好 党 建"), is_letterspaced("24小时 自 助 阅 览 室"), is_letterspaced("徐 静")
    (True, True, False)
    >>> is_letterspaced("剪纸 艺 术 进 校园"), is_letterspaced("记者 张 三 李 四")
    (True, False)
    >>> is_letterspaced("村 B A 燃"), is_letterspaced("2 4 小 时"), is_letterspaced("1 2 3 吨")
    (True, True, False)
    """
    tokens = text.split()
    # A figure or a Latin word is not spaced out inside a spaced line: ``24小时 自 助 阅 览 室``.
    longer = [token for token in tokens if len(token) != 1]
    single_count = len(tokens) - len(longer)
    if single_count >= 3 and 1 <= len(longer) <= min(2, single_count - 1) and not is_byline_line(text) and all(
            len(token) == 2 and all(map(is_wide_letter, token)) and not token.endswith(("记者", "通讯员"))
            for token in longer):
        return True  # OCR kept the spacing partly
    if single_count < 3 or len(longer) > 1:
        return False
    if longer and (len(longer[0]) > 5 or not any(c.isascii() and c.isalnum() for c in longer[0])):
        return False
    singles = [token for token in tokens if len(token) == 1]
    wide = sum(is_wide_letter(token) for token in singles)
    # A converter spaces out a spaced title's figures and Latin letters too (``2 4 小 时``, ``村 B A 燃``).
    return wide * 3 >= len(singles) * 2 or (wide >= 2 and wide * 2 >= len(singles) and all(
        is_wide_letter(token) or token.isascii() and token.isalnum() for token in singles))


def is_table_row(text: str) -> bool:
    """Whether a line looks like a table row: cells separated by wide gaps, or mostly numbers.

    >>> is_table_row("乡镇    面积（亩）"), is_table_row("青山镇 32000 14200"), is_table_row("徐 静")
    (True, True, False)
    """
    if is_letterspaced(text) or not _MARKS.isdisjoint(text):
        return False
    if _INNER_GAP.search(text.strip()):
        return True
    cells = text.split()
    numbers = sum(bool(_NUMBER.fullmatch(cell)) for cell in cells)
    return len(cells) >= 3 and numbers * 2 >= len(cells)


def is_list_item(text: str) -> bool:
    """Whether a line opens a numbered or bulleted list item.

    >>> is_list_item("1. 加强管理"), is_list_item("（二）完善制度"), is_list_item("1.5亿元")
    (True, True, False)
    """
    return bool(_LIST_ITEM.match(text))


_SIDE_GAP = re.compile(r"\S {3,}(?=\S)")
"""A run of three or more spaces inside a line: OCR read two things set side by side as one line."""


def _split_side_captions(rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Set a caption OCR read on one line with the column beside it on a line of its own.

    ``…配备了自助   市民在城市书房里阅读 （记者叶青摄）``: the picture stands beside the column, and its
    caption's last line shares the column's line.  The caption goes between blank lines after
    the line (the structure stage joins the paragraph a caption interrupts); the text to its
    left keeps its line.  Only a right part that ends in a picture's credit is split off.  Both
    parts keep the source line's number, so a doubt or a sidecar fix names the line they shared.
    """
    out: list[tuple[int, str]] = []
    for number, raw in rows:
        gaps = list(_SIDE_GAP.finditer(raw))
        if gaps:
            left, right = raw[:gaps[-1].start() + 1], raw[gaps[-1].end():]
            if is_caption_line(right) and sum(map(is_wide_letter, left)) >= MIN_SIDE_TEXT:
                out.extend([(number, left), (number, ""), (number, right), (number, "")])
                continue
        out.append((number, raw))
    return out


MIN_SIDE_TEXT = 4
"""Fewest Han characters the column's part of a line must hold for a caption beside it to be split off."""


def _read_chunks(rows: list[tuple[int, str]]) -> list[list[_Line]]:
    """Group the non-blank lines (numbered source lines) into runs that no blank line interrupts."""
    chunks: list[list[_Line]] = []
    current: list[_Line] = []
    for number, raw in rows:
        stripped = raw.strip()
        if not stripped:
            if current:
                chunks.append(current)
                current = []
            continue
        margin = _margin(raw)
        spaced_end = raw != raw.rstrip()
        current.append(_Line(number, stripped, margin, visual_width(stripped), spaced_end=spaced_end))
    if current:
        chunks.append(current)
    return chunks


_SEGMENT = re.compile(r"\S+(?: {1,2}\S+)*")

MIN_COLUMN_LINES = 3
"""Lines holding two columns side by side before a text counts as laid out in columns."""

MIN_ALONE_ROWS = 3
"""Rows whose only piece starts at one offset that make that offset a column's edge."""

CREDIT_REACH = 12
"""Characters a byline's names and closing bracket take at most at the start of the line after its role."""

LAYOUT_INDENT = 2
"""Places a paragraph's first line starts right of its column's edge in ``pdftotext -layout``."""

MAX_LAYOUT_COLUMNS = 12
"""Most columns a laid-out page sets side by side; more gaps than that are not columns."""


MIN_EDGE_ROWS = 2
"""Rows whose pieces start at a column's edge (within six places) for it to be one."""


def split_layout_columns(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Undo ``pdftotext -layout``'s side-by-side columns: each column's lines, column after column.

    Cells separated by three or more spaces are column pieces when many lines
    hold two of them and the text is prose (a table's rows hold short cells).
    Each piece keeps its source line number and its indent within its column.
    Text that is not laid out in columns comes back as it is.

    >>> rows = [(1, "第一栏第一行文字在此      第二栏第一行文字在此")] * 6 + [(7, "第一栏最后一行。")]
    >>> [text for _, text in split_layout_columns(rows)][6:8]
    ['第一栏最后一行。', '第二栏第一行文字在此']
    """
    pieces: list[list[tuple[int, str]]] = []
    for _, raw in lines:
        pieces.append([(m.start(), m.group()) for m in _SEGMENT.finditer(raw.expandtabs(4))])
    side_by_side = [p for index, p in enumerate(pieces)
                    if len(p) > 1 and (len(p[0][1]) >= 6 and len(p[-1][1]) >= 6 or _is_prose_row(p))
                    and (index and pieces[index - 1] or index + 1 < len(pieces) and pieces[index + 1])]
    # A column whose lines never share a row with the others' (a short last column) starts
    # where several lines' only pieces start, far right of the first column's edge.
    # (A paragraph's first line starts an indent further right.)
    alone = sorted(p[0][0] for p in pieces if len(p) == 1 and len(p[0][1]) >= 6 and p[0][0] > 6)
    edges = [start for index, start in enumerate(alone)
             if (not index or alone[index - 1] < start - 2)
             and sum(1 for other in alone[index:index + 2 * MIN_ALONE_ROWS] if other <= start + 2) >= MIN_ALONE_ROWS]
    # A short title beside a column's prose (a section's name, ``一周要闻``) shares its row with
    # a piece that starts at such an edge.
    chosen = {id(p) for p in side_by_side}
    side_by_side += [p for p in pieces if len(p) > 1 and id(p) not in chosen and len(p[-1][1]) >= 6
                     and any(-1 <= p[-1][0] - edge <= LAYOUT_INDENT + 1 for edge in edges)]
    # A column's line may stand alone on its row (the other column's lines fall between its
    # rows): it starts where the next column's pieces start on the rows they share, or at such
    # an edge, or an indent further right (a paragraph's first line).
    # A speaker's label alone before a wide gap (``杨建明:   这条路…``) is a justified line, not a column edge.
    inner = [start for p in side_by_side for at, (start, _) in enumerate(p) if at
             and not _leads_on(p[at - 1][1], p[at][1])]
    second = set(inner) | set(edges)
    aligned = sum(1 for start in alone if any(-1 <= start - edge <= LAYOUT_INDENT + 1 for edge in second))
    evidence = len(side_by_side) + aligned
    # Reflowed text (every block a line of its own between blank lines) is never in columns.
    if not side_by_side or evidence < MIN_COLUMN_LINES or evidence * 5 < sum(1 for p in pieces if p):
        return lines
    starts = sorted(inner + edges)
    columns = [0]
    support: Counter[int] = Counter()
    for start in starts:
        if start - columns[-1] > 6:
            columns.append(start)
        support[columns[-1]] += 1
    if len(columns) > 2 * MAX_LAYOUT_COLUMNS:
        return lines  # gaps everywhere (and the test below would look at every piece for each)
    # One row's piece that starts inside the lines of the column to its left is a line centred in
    # that column (a subheadline under a wide headline), not a column of its own.
    kept = [0]
    for edge in columns[1:]:
        across = sum(1 for line_pieces in pieces for start, text in line_pieces
                     if -1 <= start - kept[-1] <= LAYOUT_INDENT + 1 and start + len(text) > edge + 2)
        if support[edge] >= MIN_EDGE_ROWS or edge in edges or across < MIN_EDGE_ROWS:
            kept.append(edge)
    columns = kept
    if len(columns) > MAX_LAYOUT_COLUMNS:
        return lines  # gaps everywhere, not a page's columns (and each column would cost a pass)
    widths = _column_widths(pieces, columns)
    pieces = [_split_wide_pieces(line_pieces, columns, widths) for line_pieces in pieces]
    out: list[tuple[int, str]] = []
    for index, column in enumerate(columns):
        right = columns[index + 1] if index + 1 < len(columns) else None
        for (number, _raw), line_pieces in zip(lines, pieces, strict=True):
            if not line_pieces:
                out.append((number, ""))
                continue
            inside = [(start, piece) for start, piece in line_pieces
                      if start + 1 >= column and (right is None or start + 1 < right)]
            for at, (start, piece) in enumerate(inside):
                if at and _leads_on(inside[at - 1][1], piece) and out and out[-1][0] == number:
                    # A speaker's label and their words on one row of one column: a justified line
                    # spread the gap after the colon (``杨建明:   这条路我走了…``).
                    out[-1] = (number, out[-1][1] + " " + piece)
                    continue
                out.append((number, " " * (start - column) + piece))
    return out


_LABEL_PIECE = re.compile(r"^[^\s，。！？：:]{1,8}[：:]$")
"""A piece that is a label and its colon alone (``杨建明:``, ``记者：``): what follows on the row is its text."""

MAX_PADDED_NAME = 4
"""Characters of a name a byline's padding may set apart from its role (``（通讯员     党``)."""


def _leads_on(piece: str, after: str) -> bool:
    """Whether the next piece of a row is this one's own text, a justified line's gap between them:
    a label's (``杨建明:   这条路…``), or a byline's name after its role (``（通讯员     党``)."""
    return bool(_LABEL_PIECE.match(piece)) or opens_credit(piece) and len(after) <= MAX_PADDED_NAME


_TITLE_GAP = re.compile(r"(?<=\S\S) {1,2}(?=\S\S)")
"""One or two spaces between runs of two or more characters: where two columns' titles may meet."""


def _column_widths(pieces: list[list[tuple[int, str]]], columns: list[int]) -> list[int | None]:
    """Each column's width in characters: a high percentile of the lengths of the pieces that start at
    its edge (or an indent right of it); None for a column with too few."""
    widths: list[int | None] = []
    for column in columns:
        lengths = sorted(len(piece) for line in pieces for start, piece in line
                         if -1 <= start - column <= LAYOUT_INDENT + 1)
        widths.append(lengths[int(COLUMN_PERCENTILE * (len(lengths) - 1))] if len(lengths) >= MIN_COLUMN_LINES
                      else None)
    return widths


MIN_TITLE_PIECE = 4
"""Fewest characters each of two columns' titles that ``pdftotext -layout`` set a space apart has."""


def _title_pair(left: str, right: str) -> bool:
    """Whether the runs either side of a gap are two titles: four or more characters each, no marks."""
    before, after = left.split()[-1], right.split()[0]
    return min(len(before), len(after)) >= MIN_TITLE_PIECE and _is_bare(before) and _is_bare(after) \
        and not after.startswith(_CREDIT_OPENINGS)


_CREDIT_OPENINGS = ("本报", "记者", "通讯", "实习", "特约", "见习", "摄")
"""How a credit after a caption's words opens (``…上空飞翔 本报记者``): never a second title."""


def _split_wide_pieces(pieces: list[tuple[int, str]], columns: list[int],
                       widths: list[int | None]) -> list[tuple[int, str]]:
    """Split a piece wider than the column it starts in at a gap of one or two spaces inside it.

    Titles set larger than the body take more room than their characters' places on the row, so
    ``pdftotext -layout`` may set two columns' headlines a space apart (``柳河乡新建三处 石门村通上了天``).
    The gap nearest the column's width splits it, between runs of two or more characters (a
    letter-spaced title's runs are one), and the rest goes to the next column.
    """
    out: list[tuple[int, str]] = []
    for start, piece in pieces:
        index = max((at for at, edge in enumerate(columns) if edge <= start + 1), default=0)
        width = widths[index]
        if width is None or index + 1 >= len(columns) or len(piece) <= width + 1 \
                or is_byline_line(piece) or is_caption_line(piece):
            out.append((start, piece))
            continue
        gaps = [gap for gap in _TITLE_GAP.finditer(piece) if _title_pair(piece[:gap.start()], piece[gap.end():])]
        if not gaps:
            out.append((start, piece))
            continue
        gap = min(gaps, key=lambda gap: abs(gap.start() - width))
        out.append((start, piece[:gap.start()]))
        # The rest is the next column's, where its text starts (the wide title pushed it left).
        rest = max(start + gap.end(), columns[index + 1])
        out.extend(_split_wide_pieces([(rest, piece[gap.end():])], columns, widths))
    return out


def _is_prose_row(pieces: list[tuple[int, str]]) -> bool:
    """Whether side-by-side pieces are columns of prose: two long ones with clause marks (a table has none)."""
    long = [text for _, text in pieces if len(text) >= 6]
    return len(long) >= 2 and any(not _MARKS.isdisjoint(text) for text in long)


def _margin(raw: str) -> float:
    """The leading white space of a raw line, in half-ems (a full-width space counts two)."""
    total = 0.0
    for char in raw:
        if char == INDENT_SPACE:
            total += 2
        elif char == "\t":
            total += 4
        elif char.isspace():
            total += 1
        else:
            break
    return total


def _single_width(line: _Line) -> float:
    """A line's width as the paper printed it: a caption OCR read twice on one line (``A摄A摄``)
    measures once, so it does not widen the column of the body around it."""
    edits = undouble_caption(line.text.strip()) if len(line.text) >= 2 * MIN_DOUBLED_LINE else []
    return visual_width(edits[0].new) if edits else line.width


MIN_DOUBLED_LINE = 8
"""Shortest caption, in characters, whose doubled reading is looked for when measuring a column."""


def _measure_columns(chunks: list[list[_Line]]) -> list[list[_Line]]:
    """Give each line the width of its column, estimated from its neighbours' widths.

    Full lines are the widest of a column, so a high percentile of the widths
    around a line is its column; short lines end paragraphs or are titles.
    A body line's neighbours stop at a title standing between blank lines:
    the article on the other side may be set in a different column.  A short
    article has more short lines than full ones, so the column is at least the
    second widest of the neighbours that a sentence runs on from inside their
    run (one of them may be a title set wider), each measured with its marks
    compressed (a line of many quotes measures wide).
    """
    lines = [line for chunk in chunks for line in chunk]
    widths = [_single_width(line) for line in lines]
    # A caption's credit line is set to its picture's width, not the column's: a short article's
    # body lines do not count it among their neighbours.
    credits = [ends_with_credit(line.text) for line in lines]
    # A run of titles has no full lines: no column is narrower than this share of the page's.
    everywhere = sorted(widths)
    floor = PAGE_COLUMN_SHARE * everywhere[int(COLUMN_PERCENTILE * (len(everywhere) - 1))] if widths else 0.0
    # Each line's segment: the lines between the titles standing alone around it.
    titles = [is_title for chunk in chunks for is_title in [_is_title_chunk(chunk)] for _ in chunk]
    segment_start = [0] * len(lines)
    segment_end = [len(lines)] * len(lines)
    start = 0
    for index in range(len(lines)):
        if titles[index]:
            start = index + 1
        segment_start[index] = start
    end = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if titles[index]:
            end = index
        segment_end[index] = end
    # A line that a sentence runs on from, inside its run, is full: the column is as wide.
    running = [line.width - _marks_slack(line.text) if not last and not ends_sentence(line.text) else 0.0
               for chunk in chunks for position, line in enumerate(chunk)
               for last in [position == len(chunk) - 1]]
    columns = []
    for index in range(len(lines)):
        if titles[index]:
            window = sorted(widths[max(0, index - WINDOW): index + WINDOW + 1])
            low = floor
        else:
            lo, hi = max(segment_start[index], index - WINDOW), min(segment_end[index], index + WINDOW + 1)
            window = sorted(width for width, credited in zip(widths[lo:hi], credits[lo:hi], strict=True)
                            if not credited) or sorted(widths[lo:hi])
            full = sorted(running[lo:hi])
            low = full[-2] if len(full) >= 2 else 0.0
        # Too few neighbours for a percentile: the widest line is the column.
        rank = int(COLUMN_PERCENTILE * (len(window) - 1)) if len(window) >= 5 else -1
        columns.append(max(window[rank], low))
    measured = iter(_Line(line.number, line.text, line.margin, line.width, column, line.spaced_end)
                    for line, column in zip(lines, columns, strict=True))
    return [[next(measured) for _ in chunk] for chunk in chunks]


def _is_title_chunk(chunk: list[_Line]) -> bool:
    """Whether a run of lines between blank lines is a title group: a few lines without punctuation."""
    return len(chunk) <= MAX_STACK_LINES and all(_is_bare(line.text) or is_letterspaced(line.text) for line in chunk)


def _measure_page(chunks: list[list[_Line]]) -> _Page:
    """Margin, indentation and spacing habits of the whole page."""
    lines = [line for chunk in chunks for line in chunk]
    base_margin = _base_margin(lines)
    spaced = sum(is_letterspaced(line.text) for line in lines)
    speakers = Counter(speaker for line in lines for speaker in [turn_speaker(line.text)] if speaker)
    return _Page(
        base_margin=base_margin,
        indents=_uses_indent(chunks, base_margin),
        # Text in which every line stands alone between blank lines is
        # already reflowed: it must come back unchanged.
        raw=any(len(chunk) > 1 for chunk in chunks),
        spaced=spaced >= 3 and spaced * 3 > len(lines),
        speakers=frozenset(speaker for speaker, count in speakers.items() if count >= 2),
        list_first=max((line.width for chunk in chunks for line, _ in zip(chunk, chunk[1:], strict=False)
                        if is_list_item(line.text) and not ends_sentence(line.text)), default=0.0),
    )


def _base_margin(lines: list[_Line]) -> float:
    """The page's usual left margin: the most common one (the smallest on a tie)."""
    if not lines:
        return 0.0
    counts: dict[float, int] = {}
    for line in lines:
        counts[line.margin] = counts.get(line.margin, 0) + 1
    return min(counts, key=lambda margin: (-counts[margin], margin))


def _is_indented(line: _Line, base_margin: float) -> bool:
    return line.margin - base_margin >= 2


def _uses_indent(chunks: list[list[_Line]], base_margin: float) -> bool:
    """Whether the page marks paragraphs by indenting their first line.

    True when at least two indented lines are each followed, in the same run,
    by an unindented one: the shape of an indented paragraph.
    """
    shaped = 0
    for chunk in chunks:
        for line, following in zip(chunk, chunk[1:], strict=False):
            if _is_indented(line, base_margin) and not _is_indented(following, base_margin):
                shaped += 1
    return shaped >= 2


def _is_spaced_pair(text: str) -> bool:
    """Whether a line is two wide letters set apart (``校 园``): a spaced title's last two, or a name.

    >>> _is_spaced_pair("校 园"), _is_spaced_pair("校园"), _is_spaced_pair("2 个")
    (True, False, False)
    """
    tokens = text.split()
    return len(tokens) == 2 and all(len(token) == 1 and is_wide_letter(token) and not token.isascii()
                                    for token in tokens)


def _stands_alone(text: str) -> bool:
    return is_letterspaced(text) or is_table_row(text) or text.startswith(SUBHEADLINE_DASH)


def _wider_than_column(line: _Line) -> bool:
    """Whether a line without a sentence mark is clearly wider than its column: a title or a caption.

    A headline may end in its one ``！`` or ``？`` (``枫林代表团金牌数创历史新高！``): a body line
    never runs wider than its column, whatever it ends in.
    """
    text = line.text.rstrip("".join(_EXCLAIMS))
    if not text or not _WIDE_LINE_MARKS.isdisjoint(text) or text[-1] in CLAUSE_MARKS:
        return False  # a line ending in ``：`` or ``、`` goes on: no title ends so
    if text != line.text:
        return line.width > line.column + SLACK + _marks_slack(line.text)  # its only mark is the last
    return line.width > line.column + 1.5 * SLACK


def _split_chunk(chunk: list[_Line], page: _Page) -> list[list[_Line]]:
    """Split one run of lines into pieces at the paragraph ends reflow can see.

    Two or three lines without marks between blank lines are a title stack: each line is a
    piece (structure joins the lines of a wrapped title again, and types the stack).  So are
    they with the byline set right under them (``东坡村老屋变成金屋子`` / ``去年接待游客两万三千人次``
    / ``本报记者 贺 兰``): a short title line over a full one is not a paragraph's first line.
    """
    stack = len(chunk)
    while stack > 2 and is_byline_line(chunk[stack - 1].text):
        stack -= 1
    head = chunk[:stack]
    if 1 < len(head) and _is_title_chunk(head) and all(
            any(map(is_wide_letter, line.text)) and not is_byline_line(line.text) for line in head) \
            and not any(_turn_goes_on(a.text, b.text, page) for a, b in zip(head, head[1:], strict=False)):
        return [[line] for line in head] + (_split_chunk(chunk[stack:], page) if stack < len(chunk) else [])
    pieces: list[list[_Line]] = [[chunk[0]]]
    for position in range(1, len(chunk)):
        line, previous = chunk[position], chunk[position - 1]
        after = chunk[position + 1] if position + 1 < len(chunk) else None
        first = len(pieces[-1]) == 1
        if _breaks_between(previous, line, after, first, page):
            pieces.append([line])
        else:
            pieces[-1].append(line)
    return pieces


def _breaks_between(previous: _Line, line: _Line, after: _Line | None, previous_is_first: bool,
                    page: _Page) -> bool:
    """Whether a paragraph ends between two consecutive non-blank lines."""
    if line.text[0] in _NO_LINE_START:
        return False  # a closing mark never starts a paragraph
    if _closes_first(line.text) and visual_width(line.text) <= CREDIT_REACH or opens_credit(previous.text):
        # A byline wrapped inside its brackets (``…（记者`` / ``冯晓`` / ``东）``): a short line closing
        # a bracket it never opened ends the names (a long one may close a caption OCR split).
        return False
    if is_dateline_only(previous.text):
        return False  # ``本报讯`` on a line of its own opens the paragraph below
    if opens_dateline(line.text) or (opens_turn(line.text) and ends_sentence(previous.text)):
        return True  # ``本报讯``, ``新华社…电`` and an interview's turns (``记者：``) start blocks
    if is_byline_line(previous.text) or is_byline_line(line.text):
        return True  # a byline set on its own line under the titles
    if ends_with_credit(previous.text):
        return True  # a caption's credit (``…现场 记者 方 舟 摄``) ends it: the text below is not the caption's
    if _ENDS_WITH_VALUE.search(previous.text) and not line.text[0].isdigit() and is_wide_letter(line.text[0]):
        return True  # a contact line (``联系电话：0791-5523166``) ends its paragraph: a notice's sign-off follows
    if opens_dateline(previous.text) and not ends_sentence(previous.text):
        return False  # a line opening a dateline is body text, never a title: it runs on to its sentence's end
    if _turn_goes_on(previous.text, line.text, page):
        return False  # so is an interview's turn (``记者：这几年急诊科有哪些`` / ``变化？``)
    if not page.spaced and is_letterspaced(previous.text) and _is_spaced_pair(line.text):
        # A spaced headline wrapped: its last two characters are spaced too (``剪 纸 艺 术 进`` / ``校 园``).
        return False
    if not page.spaced and _is_spaced_pair(previous.text) and not _is_spaced_pair(line.text) \
            and not is_letterspaced(line.text):
        return True  # the end of a spaced headline (or a name set apart): no line of text goes on from it
    if not page.spaced and (_stands_alone(previous.text) or _stands_alone(line.text)):
        return True
    if _wider_than_column(previous) or _wider_than_column(line):
        return True  # a title set wider than the body's column
    width = previous.column
    last_char = previous.text[-1]
    ends = ends_sentence(previous.text)
    if is_list_item(line.text) and (ends or last_char in CLAUSE_MARKS or last_char in _HALF_CLAUSE_ENDS):
        return True  # OCR reads a list's lead-in and items ending in half-width ``:`` and ``;``
    if last_char in _LEADS_ON and previous.width < width - (INDENT_LOSS if previous_is_first else 0) - SLACK \
            and not (_is_speaker_label(previous.text) and previous_is_first) \
            and not (line.text[0].isdigit() and not any(map(is_wide_letter, line.text))):
        # A salutation or a list's lead-in (``广大居民朋友们：``) ends short: its own paragraph, even
        # when the text under it opens with a year (``2027年度…``).  A label (``联系电话：``) has
        # its figure below it.
        return True
    if page.indents:
        if _is_indented(line, page.base_margin):
            return True
        if ends:
            return previous.width < width - INDENT_LOSS - SLACK
        # Titles are set flush like the body's running lines, which are full
        # until a paragraph ends: a short flush line without punctuation (a
        # kicker above its headline) stands alone.  An indented one opens a
        # paragraph (``本报讯`` on a line of its own); a much shorter line
        # after it is the rest of a wrapped title (``…有序推`` / ``进``).
        if _is_bare(previous.text) and _is_bare(line.text) and previous.width < width - INDENT_LOSS - SLACK \
                and line.width >= HEADING_RATIO * previous.width and last_char not in _LEADS_ON:
            return True  # two title lines, the upper one short (centred titles look indented; none ends in ``：``)
        if _is_stacked(previous, line, after, width):
            return True
        if _is_bare(previous.text) and previous.text.strip(" :：") not in page.speakers \
                and previous.width < width - INDENT_LOSS - SLACK and _is_indented(previous, page.base_margin) \
                and not _is_indented(line, page.base_margin) and not _is_bare(line.text):
            # A centred title's short last line (``名录的公示``, ``公示``) over text: the text is not its.
            # An interview's speaker set apart from the turn (``杨建明``) is no title.
            return True
        return (_is_bare(previous.text) and previous.width < width - INDENT_LOSS - SLACK
                and not _is_indented(previous, page.base_margin)
                and line.width >= HEADING_RATIO * previous.width)
    expected = width - INDENT_LOSS if previous_is_first else width
    if not ends:
        # A line without closing punctuation that is much shorter than the
        # column, or without any punctuation and shorter than a first line, is
        # a heading or a label.
        if last_char in CLAUSE_MARKS or (unicodedata.category(last_char) in ("Pd", "Po", "Ps")
                                         and last_char not in _FIGURE_SIGNS):
            return False
        if _is_latin(last_char) and _is_latin(line.text[0]):
            return False  # a Latin sentence wraps between words
        if previous.width < HEADING_RATIO * width:
            return True
        if not _is_bare(previous.text):
            return False
        # Shorter than a first line, or as wide as the column where a
        # paragraph's first line would be two ems short: a title.
        too_wide = previous_is_first and previous.width >= width - SLACK / 2 and _is_shortened(line)
        return too_wide or _is_stacked(previous, line, after, width) or previous.width < width - INDENT_LOSS - SLACK
    if previous.width < expected - SLACK:
        return True
    if _is_bare(line.text) and (line.width < line.column - INDENT_LOSS - SLACK or (
            line.width >= line.column - SLACK / 2 and after is not None and _is_shortened(after))):
        # After a sentence, a line without punctuation that is short, or full
        # where a paragraph's first line would be two ems short, is a title.
        return True
    # A full line that ends a sentence: the next line decides.  A paragraph's
    # first line lost its indent, so it is about two ems short of the column,
    # while the line after it is full again.
    # A shortened line that a column break cuts off mid-sentence is a first line too: a
    # paragraph's other lines are full where a column breaks them.
    if after is None:
        return _is_shortened(line) and not ends_sentence(line.text) and line.text[-1] not in CLAUSE_MARKS
    # A shortened line that goes on (no sentence ends it) is not a paragraph's last line: its first,
    # unless it opens a bracket after the sentence (a closing byline, ``（本报记者 …``).
    goes_on = not ends_sentence(line.text) and unicodedata.category(line.text[0]) != "Ps"
    return _is_shortened(line) and (after.width >= after.column - SLACK or goes_on)


def _turn_goes_on(text: str, following: str, page: _Page) -> bool:
    """Whether a line opening an interview's turn, its sentence unfinished, goes on in the next line.

    The speaker takes two or more turns on the page (a source before a headline's colon,
    ``东阳镇：特色产业…``, speaks once).  Not a speaker's label alone (``杨建明:``), a notice's
    label (``联系电话：0351-…``), or a line the next turn follows (OCR lost the question's mark).
    """
    speaker = turn_speaker(text)
    return speaker is not None and speaker in page.speakers and opens_turn(text) and not is_value_label(speaker) \
        and not _is_speaker_label(text) and not ends_sentence(text) and text[-1] not in _LEADS_ON \
        and not opens_turn(following) and not (_mark_depth(following) < 0 and _mark_depth(text) == 0)


_OPENING_MARKS, _CLOSING_MARKS = "“‘《（(「『〈", "”’》）)」』〉"


def _mark_depth(text: str) -> int:
    """Quotes and brackets ``text`` leaves open (positive), or the most it closes that it never opened (negative)."""
    depth = lowest = 0
    for char in text:
        depth += (char in _OPENING_MARKS) - (char in _CLOSING_MARKS)
        lowest = min(lowest, depth)
    return lowest if lowest < 0 else depth


_ENDS_WITH_VALUE = re.compile(r"[：:]\s*[0-9０-９][0-9０-９\-－—()（）]{6,}$")
"""A line ending in a label's figure value: a telephone number, an account (``电话：0791-5523166``)."""


def _is_speaker_label(text: str) -> bool:
    """Whether a line is an interview's speaker and colon and nothing else (``杨建明:``)."""
    speaker = turn_speaker(text)
    return speaker is not None and text.rstrip() == text[:len(speaker) + 1]


def _is_stacked(previous: _Line, line: _Line, after: _Line | None, width: float) -> bool:
    """Whether a short bare line below a bare line is the next line of a title stack.

    A paragraph's next line is full, or ends the paragraph with a mark; a short one without
    any, with more lines after it, is a title's (``…“千里眼”`` / ``全县植保无人机作``).  A
    character or two is the rest of a wrapped title, which structure joins again.
    """
    column = max(width, line.column)  # a title's neighbours are titles: its own estimate may be narrow
    # A line ending in a colon leads on to what it introduces: no title's line ends so.
    return _is_bare(previous.text) and _is_bare(line.text) and line.width < column - INDENT_LOSS - SLACK \
        and after is not None and len(line.text) > 2 and _LEADS_ON.isdisjoint(previous.text[-1] + line.text[-1])


def _is_bare(text: str) -> bool:
    """Whether a line has no sentence or clause marks (but a title's colon), brackets or spaces: a title?

    A space between phrases of three or more characters each (``紧盯目标任务 狠抓工作落实``)
    is a title's pause; a space between names (``李安安 徐 静``) is not.
    """
    if " " in text and all(len(phrase) >= 3 for phrase in text.split(" ")):
        text = text.replace(" ", "")
    return not any((char in CLAUSE_MARKS and char != "\N{FULLWIDTH COLON}") or char in SENTENCE_END
                   or char.isspace() or unicodedata.category(char) in ("Ps", "Pe") for char in text)


def _is_shortened(line: _Line) -> bool:
    """Whether a line is about two ems short of its column: a paragraph's first line without its indent.

    A line of many marks measures wide where the paper compressed them (``…、…、……``).
    """
    return line.column - INDENT_LOSS - SLACK - 0.5 <= line.width and \
        line.width - _marks_slack(line.text) <= line.column - SLACK


def _joins_across_blank(previous: list[_Line], following: list[_Line], page: _Page) -> bool:
    """Whether a blank line between two pieces is a column break inside a paragraph."""
    before, after = previous[-1], following[0]
    if _reads_a_picture(after.text):
        return False  # OCR's reading of a picture: the sentence cut before it goes on elsewhere
    if opens_credit(before.text) and _closes_first(after.text):
        return True  # a byline wrapped inside its brackets (``本报讯（通讯员`` / ``包文静）县图书馆…``)
    if not page.spaced and (_stands_alone(before.text) or _stands_alone(after.text)):
        return False
    if _opens_with_particle(after.text) and not ends_sentence(before.text) and before.text[-1] not in _ENDS_LABEL:
        return True  # no sentence or title opens with ``的``: a break inside one (``…企业完成`` / ``的“高性能…``)
    if _cut_inside_word(before.text, after.text) and not is_list_item(after.text) and not opens_closing(after.text):
        return True  # a dictionary word runs across the break (``…联系电`` / ``话：0791-…``)
    if is_list_item(after.text) or opens_closing(after.text) \
            or (page.indents and _is_indented(after, page.base_margin)):
        return False
    if opens_dateline(after.text) or (opens_turn(after.text) and ends_sentence(before.text)):
        return False
    if is_byline_line(before.text) or is_byline_line(after.text):
        return False
    if _is_speaker_label(before.text) and (len(previous) == 1 or ends_sentence(previous[-2].text)):
        # ``杨建明：`` alone on its line: the turn's words follow it.  The short last line of a
        # wrapped salutation (``各乡镇人民政府，县直`` / ``有关单位：``) is no speaker.
        return not opens_turn(after.text)
    if len(following) == 1 and (is_caption_line(after.text) or _wider_than_column(after) or (
            _is_bare(after.text) and after.width < after.column - SLACK)):
        # A caption (or a title) standing alone between blank lines, shorter or wider than the
        # column (a caption OCR read twice), not a column's first line.
        return False
    if len(following) == 2 and is_caption_line(following[-1].text) and not ends_sentence(after.text):
        return False  # a caption wrapped over two lines, its credit ending the second (``…内阅`` / ``读（资料图片）``)
    if before.text[-1] in _GOES_ON and not _is_bare(after.text):
        return True  # a line that stops after ``，`` or ``、`` goes on in the next column
    if ends_sentence(before.text):
        # A break after a full line that ends a sentence is a column break only
        # when the next line is full too: a new paragraph's first line is short.
        if not page.raw or page.indents or len(following) < 2 or is_list_item(previous[0].text):
            return False
        expected = before.column - (INDENT_LOSS if len(previous) == 1 else 0)
        return before.width >= expected - SLACK / 2 and after.width >= after.column - SLACK / 2
    # A column breaks only where a line is full; a paragraph's first line may
    # sit at the foot of a column, so allow for the lost indent.  A list item's first line is
    # full when it is as wide as those of the page's items that run on to a second line.
    full = before.column - INDENT_LOSS - SLACK
    if len(previous) == 1 and is_list_item(before.text) and page.list_first:
        full = min(full, page.list_first - SLACK / 2)
    return before.width >= full


_ENDS_LABEL = frozenset("：:；;")


def _is_full_clause_line(line: _Line) -> bool:
    """Whether a line standing alone is a column's full line cut mid-sentence: a comma inside, no
    mark at its end, as wide as the column (``艺人加紧赶制各式花灯，准备在``).  A title with a comma
    is centred, narrower than the body's column."""
    text = line.text
    return "\N{FULLWIDTH COMMA}" in text and text[-1] not in _MARKS and not is_caption_line(text) \
        and not ends_sentence(text) and line.width >= line.column - SLACK / 2


def _cut_inside_word(line: str, following: str) -> bool:
    """Whether a line with marks in it stops inside a dictionary word of three or more characters
    that the next piece ends (``联系人：邹老师，联系电`` / ``话：0791-…``): a sentence cut by a
    column break, not a title.

    >>> _cut_inside_word("联系人：邹老师，联系电", "话：0791-5523166"), _cut_inside_word("县首家院士工作站", "落户樟湾")
    (True, False)
    """
    if _is_bare(line) or ends_sentence(line) or line[-1] in _MARKS:
        return False
    return crosses_word(line[-WORD_REACH:], following.lstrip()[:WORD_REACH], shortest=3)


WORD_REACH = 4
"""Characters on each side of a break that ``_cut_inside_word`` looks at."""


def _opens_with_particle(text: str) -> bool:
    """Whether a line opens with the particle ``的``, which no sentence opens with (``的确`` may).

    >>> _opens_with_particle("的“高性能陶瓷材料制备技"), _opens_with_particle("的确，这是一件好事。")
    (True, False)
    """
    text = text.lstrip()
    return text.startswith("的") and not text.startswith(("的确", "的士"))


def _closes_first(text: str) -> bool:
    """Whether a line closes a bracket among its first few characters before it opens one (``包文静）…``)."""
    head = text.strip()[:CREDIT_REACH]
    closed = min((head.find(mark) for mark in "）)〉》" if mark in head), default=-1)
    return closed > 0 and not any(mark in head[:closed] for mark in "（(〈《")


def _is_lone_first_line(line: _Line, before: list[_Line] | None, following: _Line) -> bool:
    """Whether a line standing alone is a paragraph's first line cut off by a column break.

    It follows a finished paragraph or a title and has exactly a first line's width (the
    column less the dropped indent); a title is usually wider or narrower.  The
    line after the break goes on at full width, where a paragraph after a
    title would start short.
    """
    if before is not None and before[-1].text[-1] in CLAUSE_MARKS:
        return False
    if following.width < following.column - SLACK:
        return False
    expected = line.column - INDENT_LOSS
    return expected - SLACK <= line.width <= expected + SLACK / 2 + _marks_slack(line.text)


def _marks_slack(text: str) -> float:
    """How much wider a line may measure than it was set: papers compress marks to half an em, and
    the measure counts each ``PUNCTUATION_WIDTH`` (a line of many marks measures wide)."""
    return sum(_char_width(char) == PUNCTUATION_WIDTH for char in text) * (PUNCTUATION_WIDTH - 0.5)


def _join_piece(piece: list[_Line]) -> tuple[Block, list[Repair]]:
    """Join a piece's lines into one block text, noting where each line starts.

    The text is gathered as a list of parts and only its last characters are
    looked at, so a piece of many lines joins in time linear in its length.
    """
    parts: list[str] = []
    length = 0
    open_bracket = False  # whether the text so far ends inside a full-width bracket it opened
    starts: list[int] = []
    repairs: list[Repair] = []
    previous = piece[0]
    for line in piece:
        part = line.text
        if length:
            end = _last_chars(parts, 2)
            left, right = end[-1], part[0]
            if left in HYPHENS and len(end) > 1 and _is_latin(end[-2]) and right.isascii() \
                    and right.islower():
                repairs.append(Repair("dehyphenated", line.number - 1,
                                      f"{_tail(_last_chars(parts, 64)[:-1])}- | {_head(part)}"))
                parts[-1] = parts[-1][:-1]  # the last part is a line's text, ending in the hyphen
                length -= 1
            elif _is_latin(left) and _is_latin(right):
                parts.append(" ")
                length += 1
            elif (previous.spaced_end or line.margin) and open_bracket:
                parts.append(" ")  # names in a byline wrapped between two names: （李安安 / 李晓飞 张钰）
                length += 1
        previous = line
        starts.append(length)
        parts.append(part)
        length += len(part)
        opened = part.rfind("\N{FULLWIDTH LEFT PARENTHESIS}")
        closed = part.rfind("\N{FULLWIDTH RIGHT PARENTHESIS}")
        if opened >= 0 or closed >= 0:
            open_bracket = opened > closed
    return Block("".join(parts), tuple(line.number for line in piece), tuple(starts)), repairs


def _last_chars(parts: list[str], count: int) -> str:
    """The last ``count`` characters (or fewer) of the text the parts make."""
    tail = ""
    for part in reversed(parts):
        tail = part[-count:] + tail
        if len(tail) >= count:
            break
    return tail[-count:]


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _tail(text: str) -> str:
    """The end of a line for a repair's detail: its last clause, at most six characters."""
    cut = max((text.rfind(mark) for mark in CLAUSE_MARKS | SENTENCE_END), default=-1)
    tail = text[cut + 1:] if cut + 1 < len(text) else text
    return tail[-6:]


def _head(text: str) -> str:
    """The start of a line for a repair's detail: its first clause, at most twelve characters."""
    cuts = [text.find(mark) for mark in CLAUSE_MARKS | SENTENCE_END | CLOSING_BRACKETS]
    cut = min((c for c in cuts if c > 0), default=len(text))
    return text[:min(cut, 12)]
