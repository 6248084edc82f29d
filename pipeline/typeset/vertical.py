"""Lay a structured page out as vertical (直排) newspaper HTML: lines top to bottom, right to left.

WeasyPrint has no ``writing-mode``, so this module sets the page itself and hands WeasyPrint
boxes whose every position is known:

- **Lines.** Each paragraph is broken by the total-fit breaker (``typeset.linebreak``) measuring
  along the line with vertical advances (``VerticalFonts``, from ``vmtx``): the same kinsoku,
  compression and justification as a horizontal line, turned 90°. A line is a box one em wide
  holding one block per character, each as tall as its advance plus the justification space
  after it; the glyph is drawn upright, and the line's ``font-feature-settings: "vert", "vrt2"``
  make HarfBuzz pick the fonts' vertical punctuation (「」 as ﹁﹂, 。、 in the top-right quadrant
  where the region puts them there), while the text layer keeps the source characters.
- **Numbers and Latin** (clreq, mixed text in vertical writing mode): one digit stands upright
  full width, two or three upright side by side in one em (tate-chu-yoko); longer numbers and
  Latin words are turned 90° clockwise.
- **Page.** Below the masthead (and, on the front page, the lead story's banner, which stays
  horizontal) the page is cut into tiers (段) one horizontal measure tall (``make_grid``), with
  a rule in each gap. Stories are rectangular modules: a band of one or more tiers holds one or
  more modules side by side, right to left; the bands run top to bottom. A module's titles
  stand at its right, its body lines fill its tiers right to left one tier after another, the
  byline sits at the foot of the last line in Kai. A story that does not fit the sheet is cut at
  a line, with 下转/上接 lines, and continues on the next.
- **Order.** Boxes are written in reading order (band, module, tier, line, character), so the
  PDF's content stream, and the text pdfium extracts, read column by column, right to left.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import jinja2
from markupsafe import Markup

from ..editions import Edition, Typography
from ..errors import RenderError
from ..model import Article, Caption, Page, Paper
from ..text.chars import CLOSING_MARKS, COMPRESSIBLE, FULL_STOPS, OPENING_MARKS, is_expandable_gap, is_wide
from .html import (
    DATELINE_GAP_EM,
    INDENT_EM,
    POINTS_PER_MM,
    LayoutSettings,
    banner_size,
    byline_text,
    css_string,
    format_date,
    jump_words,
    make_grid,
    masthead_size,
    section_heads,
    template_place,
)
from .linebreak import _Paragraph, break_paragraph, line_width
from .marks import _autospace_points
from .metrics import HALF, Face, Metrics
from .photos import Picture, captions_by_article
from .titles import break_title

__all__ = ["TCY_FACES", "VerticalFonts", "VerticalSheet", "layout_vertical", "plan_vertical"]

TCY_FACES: Mapping[str, float] = MappingProxyType({"tcy1": 1.0, "tcy2": 0.5, "tcy3": 1 / 3})
"""The faces of digits set upright side by side in one em (tate-chu-yoko), and each digit's advance:
clreq sets one digit full width, two or three side by side in one em, four or more turned."""

_NARROW_RUN = re.compile(r"[^\s]+(?: +[^\s]+)*")
_TCY = re.compile(r"[0-9]{1,3}")

MASTHEAD_EXTRA_PT = 32.0
"""What the masthead takes besides its name's line: the ears' padding, the double rule, the gap."""
FOLIO_PT = 30.0
"""The running folio of a later sheet, with its rule and gap."""
BANNER_PAD_PT = 14.0
"""Room above and below the banner, with its rule."""
TITLE_PITCH = 1.3
"""A title line's pitch, in ems of its size (the space between two vertical title lines)."""
HEADLINE_SIZES = (24.0, 22.0, 20.0, 18.0, 16.0, 14.0)
"""A story's headline sizes, largest first: the largest that sets it in at most two lines."""
KICKER_PT = 13.0
SUBHEADLINE_PT = 14.0
CONTINUED_PT = 12.0
SECTION_PT = 12.0
"""Sizes of the kicker, the subheadline, the headline over a continued story (上接) and a section head."""
BANNER_LINE = 1.25
TITLE_LINE = 1.45
"""Line heights (in ems of their size) of the banner and of the other lines across the top."""
MEASURE_GIVE = 3
"""Ems the tier's measure may be shorter than the horizontal column's, to fit one more tier."""
MIN_MEASURE_EM = 8
"""The shortest tier measure, in ems."""
MAX_BAND_MODULES = 5
"""Stories one band may hold side by side."""
IMAGE_EM = 16
"""Body ems across a caption's picture (it fills the band's height, its proportions kept)."""
MIN_LINES_PER_TIER = 10
"""Body lines a module should have in each tier; narrower modules read as strips and cost more."""
SHEET_SLACK_PT = 2.0
"""Room left at the foot of a sheet, so rounding never pushes it onto a second page."""


@dataclass(frozen=True, slots=True, eq=False)
class VerticalFonts:
    """The edition's fonts as vertical layout needs them.

    ``metrics``: advances along a vertical line, per face (``body``, ``bold``, and the
    ``TCY_FACES``); ``offsets``: per face (``body``, ``bold``, ``kai``), how far below the top of
    a one-em line box WeasyPrint draws the em box, in ems; ``ink``: per punctuation mark, where
    the middle of its vertical glyph's ink lies down the em box (0 top, 1 bottom), which decides
    which half a compressed mark keeps.
    """

    metrics: Metrics
    offsets: Mapping[str, float] = field(default_factory=dict)
    ink: Mapping[str, float] = field(default_factory=dict)

    def offset(self, face: str) -> float:
        return self.offsets.get(face, 0.0)


# ----------------------------------------------------------------------------- one line


@dataclass(frozen=True, slots=True)
class Cell:
    """One box of a vertical line: a character, a turned run or a tate-chu-yoko pair.

    ``length`` is what it takes along the line in ems (its advance, plus the justification
    space after it); ``natural`` its own advance; ``shift`` how far its glyph moves up (a
    compressed mark whose ink is in its lower half).
    """

    text: str
    kind: str = "upright"
    """``upright``, ``turned`` (a Latin word or long number, 90° clockwise) or ``tcy``."""
    length: float = 1.0
    natural: float = 1.0
    shift: float = 0.0
    bold: bool = False


@dataclass(frozen=True, slots=True)
class VLine:
    """A vertical line as set: its cells top to bottom, the space before the first, and its face."""

    cells: tuple[Cell, ...]
    lead: float = 0.0
    """Ems of space at the head of the line: the paragraph indent."""
    face: str = "body"
    """``body`` (the serif), ``kai`` (bylines and captions) or ``title`` (the sans of titles)."""
    foot: bool = False
    """Set flush with the foot of the line (bylines, 下转 lines)."""
    size: float | None = None
    """The font size in points (None: the body size)."""
    bold: bool = False
    kind: str = "text"
    """``text``, ``byline``, ``jump``, ``caption``, or a title kind (``headline``, ``kicker``, …)."""
    looseness: float = 0.0
    """Ems of justification space per gap (0 for a paragraph's last line)."""

    @property
    def length(self) -> float:
        return self.lead + sum(cell.length for cell in self.cells)

    @property
    def text(self) -> str:
        return "".join(cell.text for cell in self.cells)


def classify_runs(text: str) -> list[tuple[int, int, str]]:
    """The runs of ``text`` that are not set upright: (start, end, ``tcy`` or ``turned``).

    >>> classify_runs("在2021年9月28日用PM 2.5")
    [(1, 5, 'turned'), (6, 7, 'tcy'), (8, 10, 'tcy'), (12, 18, 'turned')]
    """
    runs = []
    position = 0
    while position < len(text):
        if is_wide(text[position]) or text[position].isspace():
            position += 1
            continue
        end = position
        while end < len(text) and not is_wide(text[end]) and (
                not text[end].isspace() or (end + 1 < len(text) and not is_wide(text[end + 1])
                                            and not text[end + 1].isspace() and end > position)):
            end += 1
        if end == position:  # a lone space between narrow runs: leave it upright (blank)
            position += 1
            continue
        kind = "tcy" if _TCY.fullmatch(text[position:end]) else "turned"
        runs.append((position, end, kind))
        position = end
    return runs


def vertical_faces(text: str, lead: int = 0) -> list[Face]:
    """Each character's face for the line breaker: tate-chu-yoko digits in ``tcy1``/``tcy2``.

    >>> vertical_faces("第9版28日", lead=1)
    ['bold', 'tcy1', 'body', 'tcy2', 'tcy2', 'body']
    """
    faces: list[Face] = ["bold" if index < lead else "body" for index in range(len(text))]
    for start, end, kind in classify_runs(text):
        if kind == "tcy":
            face: Face = ("tcy1", "tcy2", "tcy3")[end - start - 1]
            for index in range(start, end):
                faces[index] = face
    return faces


def _mark_shift(char: str, fonts: VerticalFonts) -> float:
    """How far up a mark set in half an em moves, so its ink stays inside its half (ems)."""
    ink = fonts.ink.get(char)
    if ink is None:
        ink = 0.75 if char in OPENING_MARKS else 0.25
    if ink >= 0.6:
        return HALF
    if ink <= 0.4:
        return 0.0
    return HALF / 2


def set_paragraph(text: str, measure: float, fonts: VerticalFonts, typography: Typography, *,
                  indent: float = INDENT_EM, lead: int = 0, dateline: str | None = None) -> list[VLine]:
    """Break a paragraph into vertical lines of ``measure`` ems, each with its cells' exact lengths.

    ``lead`` is the length of a bold lead-in, ``dateline`` a bold dateline set before the text.
    The lengths follow the breaker's measure (halts, squeezed marks, autospace, the
    justification space of every expandable gap), so every line but the last is ``measure``
    long.

    >>> lines = set_paragraph("汉" * 20, 8, VerticalFonts(Metrics()), Typography())
    >>> [round(line.length, 3) for line in lines], [len(line.cells) for line in lines]
    ([8.0, 8.0, 6.0], [6, 8, 6])
    """
    metrics = fonts.metrics
    faces = vertical_faces(text, lead)
    head = 0.0
    date_cells: list[Cell] = []
    if dateline:
        date_cells = _plain_cells(dateline, metrics, "bold", bold=True)
        head = sum(cell.length for cell in date_cells) + DATELINE_GAP_EM
        date_cells[-1] = _stretched(date_cells[-1], DATELINE_GAP_EM)
    # Figures stand upright or turned in vertical text: no Han–Latin gap takes the slack first.
    setting = break_paragraph(text, measure, metrics, typography, indent + head, faces, split=lead,
                              western_first=False)
    paragraph = _Paragraph(text, faces, metrics, typography, lead, western_first=False)
    looseness: tuple[float, ...] | None = None
    squeezed: frozenset[int] = frozenset()
    if setting is None:  # no feasible breaks (a Latin unit longer than the line): cut by length
        ends = _greedy_ends(paragraph, text, measure, indent + head)
    else:
        ends, looseness, squeezed = list(setting.ends), setting.looseness, setting.squeezed
    runs = {start: (end, kind) for start, end, kind in classify_runs(text)}
    spaces = _autospace_points(text) if typography.autospace else [False] * max(0, len(text) - 1)
    lines: list[VLine] = []
    start = 0
    for number, end in enumerate(ends):
        loose = looseness[number] if looseness is not None else 0.0
        cells = _line_cells(text, start, end, paragraph, runs, squeezed, loose, spaces, fonts, lead)
        first = start == 0
        if first and date_cells:
            cells = [*date_cells, *cells]
        lines.append(VLine(tuple(cells), lead=indent if first else 0.0, looseness=loose))
        start = end
    return lines


def _greedy_ends(paragraph: _Paragraph, text: str, measure: float, indent: float) -> list[int]:
    ends = []
    start = 0
    room = measure - indent
    for index in range(1, len(text) + 1):
        if paragraph.measure(start, index)[0] > room and index - 1 > start:
            ends.append(index - 1)
            start = index - 1
            room = measure
    ends.append(len(text))
    return ends


def _line_cells(text: str, start: int, end: int, paragraph: _Paragraph, runs: Mapping[int, tuple[int, str]],
                squeezed: frozenset[int], loose: float, spaces: Sequence[bool], fonts: VerticalFonts,
                lead: int) -> list[Cell]:
    """The cells of the line ``text[start:end]``, each as long as ``_Paragraph.measure`` counts it."""
    trimmed = end
    while trimmed > start and text[trimmed - 1] == " ":
        trimmed -= 1  # a space at a line end collapses
    lengths: list[float] = []
    shifts: list[float] = []
    for index in range(start, trimmed):
        advance = paragraph.advances[index]
        half = paragraph.halts[index] or index in squeezed
        # A pair split by the break is two lone marks: both full width, unless the breaker
        # squeezed one of them to half (it measured the line so).
        if half and index == start and start > 0 and text[index] in OPENING_MARKS \
                and text[start - 1] in COMPRESSIBLE and index not in squeezed:
            half = False
        if half and index == trimmed - 1 and trimmed < len(text) and text[index] not in OPENING_MARKS \
                and text[trimmed] in COMPRESSIBLE and paragraph.halts[index] and index not in squeezed:
            half = False
        if paragraph.end_half and index == trimmed - 1 and not half \
                and (text[index] in CLOSING_MARKS or text[index] in FULL_STOPS):
            half = True  # GB style: a mark ending the line is set half-width
        length = advance * HALF if half else advance
        if index < trimmed - 1:
            if spaces[index]:
                length += 0.25
            if is_expandable_gap(text[index], text[index + 1]):
                length += loose
        lengths.append(length)
        shifts.append(_mark_shift(text[index], fonts) * advance if half else 0.0)
    owner: dict[int, tuple[int, str]] = {}
    for run_start, (run_end, kind) in runs.items():
        for index in range(max(run_start, start), min(run_end, trimmed)):
            owner[index] = (min(run_end, trimmed), kind)
    cells: list[Cell] = []
    index = start
    while index < trimmed:
        if index in owner:
            run_end, kind = owner[index]
            cells.append(Cell(text[index:run_end], kind, sum(lengths[index - start:run_end - start]),
                              sum(paragraph.advances[index:run_end]), bold=index < lead))
            index = run_end
            continue
        cells.append(Cell(text[index], "upright", lengths[index - start], paragraph.advances[index],
                          shifts[index - start], bold=index < lead))
        index += 1
    for index in range(trimmed, end):  # collapsed spaces stay in the text layer, taking no room
        cells.append(Cell(text[index], "upright", 0.0, 0.0))
    return cells


def _plain_cells(text: str, metrics: Metrics, face: Face = "body", bold: bool = False) -> list[Cell]:
    """Cells of a title, byline or jump line: natural advances, no justification."""
    faces = vertical_faces(text)
    runs = {start: (end, kind) for start, end, kind in classify_runs(text)}
    cells: list[Cell] = []
    index = 0
    while index < len(text):
        if index in runs:
            end, kind = runs[index]
            natural = sum(metrics.advance(text[i], faces[i] if kind == "tcy" else face) for i in range(index, end))
            cells.append(Cell(text[index:end], kind, natural, natural, bold=bold))
            index = end
            continue
        advance = metrics.advance(text[index], face)
        cells.append(Cell(text[index], "upright", advance, advance, bold=bold))
        index += 1
    return cells


def _stretched(cell: Cell, extra: float) -> Cell:
    return Cell(cell.text, cell.kind, cell.length + extra, cell.natural, cell.shift, cell.bold)


def split_line(text: str, measure: float, metrics: Metrics, face: Face = "body") -> list[str]:
    """Cut a short text (a byline, a jump line) into pieces of at most ``measure`` ems, at spaces if it can.

    >>> split_line("记者 张三 通讯员 李四", 6, Metrics())
    ['记者 张三', '通讯员 李四']
    """
    words = text.split(" ")
    pieces: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and sum(metrics.advance(c, face) for c in candidate) > measure:
            pieces.append(current)
            current = word
        else:
            current = candidate
    pieces.append(current)
    out: list[str] = []
    for piece in pieces:  # a word longer than the line is cut where it fills the line
        while sum(metrics.advance(c, face) for c in piece) > measure and len(piece) > 1:
            cut = 1
            while cut < len(piece) and sum(metrics.advance(c, face) for c in piece[:cut + 1]) <= measure:
                cut += 1
            out.append(piece[:cut])
            piece = piece[cut:]
        out.append(piece)
    return out


# ----------------------------------------------------------------------------- stories


@dataclass(frozen=True, slots=True)
class Titles:
    """A module's title lines, right to left, with the width they take in points."""

    lines: tuple[VLine, ...]
    width_pt: float


@dataclass(frozen=True, slots=True)
class Story:
    """One article (or caption) as vertical lines: its body blocks, and what its titles need."""

    index: int
    """The article's index in the page (-1 for a caption)."""
    article: Article | None
    blocks: tuple[VLine, ...]
    section: str | None = None
    lead_story: bool = False
    continued_from: int | None = None
    """The sheet this is a continuation from (its titles shrink to the headline, small)."""
    caption: bool = False
    image: str | None = None
    """A caption's picture (from the sidecar), set at the right of its lines (clreq: a caption beside its
    illustration in vertical text)."""


KAI = Metrics()
"""The Kai faces' advances down a line: one em for every wide glyph (AR PL UKai, LXGW WenKai), ½ for narrow."""


def _signoff_parts(text: str, measure: float, metrics: Metrics, typography: Typography) -> list[str]:
    """A sign-off whole when it fits ``measure`` with ``SIGNOFF_SPARE_EM`` to spare, else issuer and date
    (joint issuers each apart).

    >>> _signoff_parts("云溪县自来水公司 2026年12月2日", 13, Metrics(), Typography())
    ['云溪县自来水公司', '2026年12月2日']
    >>> _signoff_parts("县文化和旅游局 县文物保护中心 2026年12月2日", 40, Metrics(), Typography())
    ['县文化和旅游局', '县文物保护中心', '2026年12月2日']
    """
    chunks = text.split()
    if len(chunks) <= 2 and line_width(" ".join(chunks), metrics, typography) <= measure - SIGNOFF_SPARE_EM:
        return [" ".join(chunks)]
    return chunks  # joint issuers one above the other, the date under them


SIGNOFF_SPARE_EM = 2.0
"""Ems a one-line sign-off leaves free at its head (as ``html.signoff_lines``): a full line would read as text."""


def story_blocks(article: Article, measure: float, fonts: VerticalFonts, typography: Typography) -> list[VLine]:
    """The body of an article as vertical lines: its paragraphs, then the byline at the foot, in Kai."""
    blocks: list[VLine] = []
    for number, paragraph in enumerate(article.paragraphs):
        if paragraph.signoff:
            # A notice's sign-off: no indent, each line flush with the foot of its column (issuer
            # and date on one line when they fit with two ems to spare, else each on its own).
            for part in _signoff_parts(paragraph.text, measure, fonts.metrics, typography):
                room = max(measure - SIGNOFF_SPARE_EM, measure / 2)
                blocks.extend(dataclasses.replace(line, foot=True, kind="signoff", looseness=0.0)
                              for line in set_paragraph(part, room, fonts, typography, indent=0.0))
            continue
        dateline = article.dateline if number == 0 else None
        lead = len(paragraph.lead) if paragraph.lead and paragraph.text.startswith(paragraph.lead) else 0
        blocks.extend(set_paragraph(paragraph.text, measure, fonts, typography, lead=lead, dateline=dateline))
    if article.byline or article.credit:
        text = f"（{byline_text(article)}）"
        for piece in split_line(text, measure, KAI):
            blocks.append(VLine(tuple(_plain_cells(piece, KAI)), face="kai", foot=True,
                                kind="byline"))
    return blocks


def caption_blocks(caption: Caption, measure: float, fonts: VerticalFonts, typography: Typography) -> list[VLine]:
    """A caption as vertical lines in Kai, no indent; the photographer's credit at the foot after it."""
    lines = set_paragraph(caption.text, measure, fonts, typography, indent=0.0)
    blocks = [VLine(line.cells, lead=line.lead, face="kai", kind="caption", looseness=line.looseness)
              for line in lines]
    for piece in split_line(caption.credit, measure, KAI) if caption.credit else ():
        blocks.append(VLine(tuple(_plain_cells(piece, KAI)), face="kai", foot=True, kind="caption"))
    return blocks


def _caption_stories(captions: Sequence[Caption], measure: float, fonts: VerticalFonts, typography: Typography,
                     pictures: Mapping[str, Picture]) -> list[Story]:
    """Caption modules; one whose image the build found (``LayoutSettings.pictures``) shows it."""
    return [Story(-1, None, tuple(caption_blocks(caption, measure, fonts, typography)), caption=True,
                  image=pictures[caption.image].url if caption.image and caption.image in pictures else None)
            for caption in captions]


def jump_line(words: tuple[str, str], sheet: int, to: bool, metrics: Metrics) -> VLine:
    """（下转第N版） at the foot of a story's last line here, or （上接第N版） at the head of its first."""
    text = f"（{words[0] if to else words[1]}第{sheet}版）"
    return VLine(tuple(_plain_cells(text, metrics, "bold", bold=True)), face="title", foot=to, bold=True, kind="jump")


def _title_lines(text: str, kind: str, size: float, height_pt: float, metrics: Metrics,
                 typography: Typography) -> tuple[VLine, ...]:
    lines = break_title(text, height_pt / size, metrics, typography) or tuple(
        split_line(text, height_pt / size, metrics, "bold"))
    bold = kind in ("headline", "continued", "section")
    return tuple(VLine(tuple(_plain_cells(line, metrics, "bold", bold=bold)), face="title", size=size, bold=bold,
                       kind=kind) for line in lines)


def story_titles(story: Story, height_pt: float, fonts: VerticalFonts, typography: Typography,
                 body_pt: float) -> Titles:
    """The titles of a module ``height_pt`` tall: section head, kicker, headline, subheadline, right to left.

    The headline takes the largest of ``HEADLINE_SIZES`` that sets it in two lines or fewer.
    """
    article = story.article
    if article is None or (story.lead_story and story.continued_from is None):
        return Titles((), 0.0)  # a caption has none; the lead story's titles stand across the top
    metrics = fonts.metrics
    lines: list[VLine] = []
    if story.continued_from is not None:
        if article.headline:
            lines.extend(_title_lines(article.headline, "continued", CONTINUED_PT, height_pt, metrics, typography))
    else:
        if story.section:
            lines.extend(_title_lines(story.section, "section", KICKER_PT, height_pt, metrics, typography))
        if article.kicker:
            lines.extend(_title_lines(article.kicker, "kicker", KICKER_PT, height_pt, metrics, typography))
        if article.headline:
            chosen: tuple[VLine, ...] = ()
            for size in HEADLINE_SIZES:
                chosen = _title_lines(article.headline, "headline", size, height_pt, metrics, typography)
                if len(chosen) <= 2:
                    break
            lines.extend(chosen)
        if article.subheadline:
            lines.extend(_title_lines(article.subheadline, "subheadline", SUBHEADLINE_PT, height_pt, metrics,
                                      typography))
    if not lines:
        return Titles((), 0.0)
    width = sum((line.size or body_pt) * TITLE_PITCH for line in lines) + body_pt * 0.5
    return Titles(tuple(lines), width)


# ----------------------------------------------------------------------------- the page plan


@dataclass(frozen=True, slots=True)
class VerticalGrid:
    """The vertical page: tiers of ``measure_em`` body ems, and line slots ``pitch_pt`` apart across."""

    body_pt: float
    measure_em: int
    pitch_pt: float
    width_pt: float
    tier_gap_pt: float
    slots: int
    side_pt: float
    """Room left at each side of the slots, in points (centres the lines across the measure)."""

    @property
    def tier_pt(self) -> float:
        return self.measure_em * self.body_pt

    def tiers_in(self, height_pt: float) -> int:
        return max(1, int((height_pt + self.tier_gap_pt + 1e-6) // (self.tier_pt + self.tier_gap_pt)))

    def band_height(self, tiers: int) -> float:
        return tiers * self.tier_pt + (tiers - 1) * self.tier_gap_pt

    def slot_right(self, slot: int) -> float:
        """The distance from the body's right edge to the right edge of line slot ``slot``, in points."""
        return self.side_pt + slot * self.pitch_pt


def make_vertical_grid(settings: LayoutSettings, height_pt: float | None = None) -> VerticalGrid:
    """Tiers about as tall as the horizontal grid's columns are wide; as many line slots as fit across.

    With ``height_pt`` (the front page's room for tiers) the tier's measure is the one of the
    horizontal measure and the ``MEASURE_GIVE`` ems below it that sets the most ems of line in
    that height (the longer on a tie): a tier that leaves most of a tier's height empty at the
    foot of the page is shortened so one more fits.

    >>> from pipeline.model import Paper, Publication
    >>> grid = make_vertical_grid(LayoutSettings(Publication(), Paper()))
    >>> grid.measure_em, grid.slots, round(grid.pitch_pt, 2)
    (16, 70, 14.25)
    >>> make_vertical_grid(LayoutSettings(Publication(), Paper()), 1283.0).measure_em  # 8 tiers of 15, not 7 of 16
    15
    """
    paper = settings.paper
    horizontal = make_grid(paper)
    body = paper.body_size
    width = (paper.width_mm - 2 * paper.margin_mm) * POINTS_PER_MM
    pitch = body * paper.leading
    slots = max(1, int((width - body) / pitch + 1e-9) + 1)
    used = (slots - 1) * pitch + body
    gap = horizontal.gutter_pt
    measure = horizontal.measure_em
    if height_pt is not None:
        def setting(em: int) -> int:
            return em * max(1, int((height_pt + gap + 1e-6) // (em * body + gap)))

        measure = max(range(max(MIN_MEASURE_EM, measure - MEASURE_GIVE), measure + 1),
                      key=lambda em: (setting(em), em))
    return VerticalGrid(body_pt=body, measure_em=measure, pitch_pt=pitch, width_pt=width,
                        tier_gap_pt=gap, slots=slots, side_pt=(width - used) / 2)


@dataclass(frozen=True, slots=True)
class Placed:
    """A module on a sheet: its story's blocks here, in tiers ``[tier, tier + tiers)``, slots from ``slot``."""

    story: Story
    blocks: tuple[VLine, ...]
    titles: Titles
    tier: int
    tiers: int
    slot: int
    width: int
    """Slots the module takes across, its titles included."""
    per_tier: int
    title_slots: int


@dataclass(frozen=True, slots=True)
class VerticalSheet:
    """One printed vertical page: its number, the tiers its body has, and its modules in reading order."""

    number: int
    total: int
    tiers: int
    modules: tuple[Placed, ...]
    banner: tuple[BannerLine, ...] = ()


@dataclass(frozen=True, slots=True)
class BannerLine:
    """A line of the lead story's horizontal title stack over the front page: section, kicker, banner, subheadline."""

    kind: str
    text: str
    size: float
    """Points: the kind's size, or smaller to keep the line on one line across the page."""

    @property
    def height(self) -> float:
        return self.size * (BANNER_LINE if self.kind == "headline" else TITLE_LINE)


def banner_lines(article: Article, section: str | None, paper: Paper) -> tuple[BannerLine, ...]:
    """The lead story's titles as the front page sets them across the top, each on one line.

    >>> [(line.kind, line.size) for line in banner_lines(Article((), kicker="引题", headline="主题"), None, Paper())]
    [('kicker', 13.0), ('headline', 42.0)]
    """
    width = make_grid(paper).width_pt
    lines = []
    for kind, text, size in (("section", section, SECTION_PT), ("kicker", article.kicker, KICKER_PT),
                             ("headline", article.headline, None), ("subheadline", article.subheadline,
                                                                    SUBHEADLINE_PT)):
        if not text:
            continue
        fitted = banner_size(text, paper) if size is None else float(min(size, int(width / (len(text) + 0.5))))
        lines.append(BannerLine(kind, text, fitted))
    return tuple(lines)


def _needs(story: Story, blocks: int, tiers: int, grid: VerticalGrid, fonts: VerticalFonts,
           typography: Typography) -> tuple[int, int, Titles]:
    """(slots across, title slots, titles) of ``blocks`` lines of ``story`` set in ``tiers`` tiers."""
    titles = story_titles(story, grid.band_height(tiers), fonts, typography, grid.body_pt)
    title_slots = math.ceil(titles.width_pt / grid.pitch_pt - 1e-6) if titles.lines else 0
    if story.image:  # the picture stands where a story's titles would, at the right
        title_slots = math.ceil(IMAGE_EM * grid.body_pt / grid.pitch_pt)
    return title_slots + math.ceil(blocks / tiers), title_slots, titles


def _band_cost(needs: Sequence[tuple[int, int, Titles]], lines: Sequence[int], tiers: int, slots: int) -> float:
    """What a band of ``tiers`` tiers leaves without body text, in line slots × tiers, plus penalties.

    Title strips run down the whole band, so a tall band of many stories pays for many long
    strips; a headline squeezed below 16 pt or a module under ``MIN_LINES_PER_TIER`` lines wide
    costs extra.
    """
    cost = float(tiers * slots - sum(lines))
    for width, title_slots, titles in needs:
        if any(line.kind == "headline" and (line.size or 0) < 16 for line in titles.lines):
            cost += slots / 2
        cost += max(0, MIN_LINES_PER_TIER - (width - title_slots)) * tiers * 2
    return cost


def _pack_sheet(queue: Sequence[tuple[Story, Sequence[VLine]]], tiers: int, grid: VerticalGrid,
                fonts: VerticalFonts, typography: Typography) -> list[tuple[int, int]]:
    """The bands (tiers, stories) that set the most whole stories of ``queue`` on one sheet, at the least cost.

    Dynamic programming over (stories placed, tiers used); tiers left empty at the foot of the
    sheet cost their whole area, so the stories spread over the sheet.
    """
    best: dict[tuple[int, int], tuple[float, tuple[tuple[int, int], ...]]] = {(0, 0): (0.0, ())}
    for used in range(tiers + 1):
        for placed in range(len(queue) + 1):
            if (placed, used) not in best:
                continue
            cost, bands = best[placed, used]
            for band_tiers in range(1, tiers - used + 1):
                needs: list[tuple[int, int, Titles]] = []
                width = -1
                for count in range(1, min(MAX_BAND_MODULES, len(queue) - placed) + 1):
                    story, blocks = queue[placed + count - 1]
                    needs.append(_needs(story, len(blocks), band_tiers, grid, fonts, typography))
                    width += needs[-1][0] + 1
                    if width > grid.slots:
                        break
                    lines = [len(blocks) for _, blocks in queue[placed:placed + count]]
                    key = (placed + count, used + band_tiers)
                    total = cost + _band_cost(needs, lines, band_tiers, grid.slots)
                    if key not in best or total < best[key][0]:
                        best[key] = (total, (*bands, (band_tiers, count)))
    most = max(placed for placed, _ in best)
    options = [(cost + (tiers - used) * grid.slots * (1 if most == len(queue) else 0), bands)
               for (placed, used), (cost, bands) in best.items() if placed == most]
    return list(min(options, key=lambda option: option[0])[1])


def plan_vertical(stories: Sequence[Story], grid: VerticalGrid, fonts: VerticalFonts, typography: Typography,
                  first_tiers: int, later_tiers: int, jump: tuple[str, str], first_number: int = 1,
                  max_sheets: int = 64) -> list[list[Placed]]:
    """Pack the stories into bands of tiers, sheet by sheet; cut a story that does not fit with jump lines.

    Each sheet takes the most whole stories its tiers hold (``_pack_sheet``); the tiers left
    below them take the beginning of the next story, which ends with a 下转 line and goes on
    with a 上接 line on the next sheet.
    """
    queue: list[tuple[Story, list[VLine]]] = [(story, list(story.blocks)) for story in stories]
    sheets: list[list[Placed]] = []
    while queue and len(sheets) < max_sheets:
        number = first_number + len(sheets)
        tiers_left = first_tiers if not sheets else later_tiers
        placed: list[Placed] = []
        tier = 0
        for tiers, count in _pack_sheet(queue, tiers_left, grid, fonts, typography):
            band = queue[:count]
            del queue[:count]
            needs = [_needs(story, len(blocks), tiers, grid, fonts, typography) for story, blocks in band]
            spare = grid.slots - sum(width for width, _, _ in needs) - (count - 1)
            # The spare slots widen the stories (a caption keeps its frame tight round its lines).
            wide = [position for position, (story, _) in enumerate(band) if not story.caption] or list(range(count))
            slot = 0
            for position, ((story, blocks), (width, title_slots, titles)) in enumerate(zip(band, needs, strict=True)):
                share = wide.index(position) if position in wide else -1
                extra = 0 if share < 0 else spare // len(wide) + (1 if share < spare % len(wide) else 0)
                per_tier = math.ceil(len(blocks) / tiers)
                placed.append(Placed(story, tuple(blocks), titles, tier, tiers, slot, width + extra, per_tier,
                                     title_slots))
                slot += width + extra + 1
            tier += tiers
            tiers_left -= tiers
        if queue and tiers_left > 0:
            # The next story does not fit the tiers left: it takes them all and jumps.
            story, blocks = queue[0]
            _, title_slots, titles = _needs(story, 1, tiers_left, grid, fonts, typography)
            per_tier = grid.slots - title_slots
            room = per_tier * tiers_left - 1
            if room >= MIN_LINES_PER_TIER:
                here = [*blocks[:room], jump_line(jump, number + 1, True, fonts.metrics)]
                placed.append(Placed(story, tuple(here), titles, tier, tiers_left, 0, grid.slots, per_tier,
                                     title_slots))
                rest = Story(story.index, story.article, (), story.section, story.lead_story, number, story.caption)
                # (a caption's picture stays with its first part)
                queue[0] = (rest, [jump_line(jump, number, False, fonts.metrics), *blocks[room:]])
        if not placed:
            raise RenderError("a story does not fit an empty vertical page (a title longer than a tier?)",
                              "layouts/vertical.html")
        sheets.append(placed)
    if queue:  # never drop what does not fit: the page budget check reports the pages instead
        raise RenderError(f"the page needs more than {max_sheets} vertical sheets", "layouts/vertical.html",
                          hint="split the page")
    return sheets


# ----------------------------------------------------------------------------- HTML


def _em(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") + "em"


def _cell_html(cell: Cell) -> Markup:
    classes = "c" + (" b" if cell.bold else "")
    style = ""
    if abs(cell.length - 1.0) > 1e-9:
        style += f"height:{_em(cell.length)};"
    if cell.shift:
        style += f"top:-{_em(cell.shift)};"
    if cell.kind == "turned":
        inner = Markup('<span class="r" style="width:{}">{}</span>').format(_em(cell.natural), cell.text)
        return Markup('<span class="{} t" style="{}">{}</span>').format(classes, style, inner)
    if cell.kind == "tcy":
        classes += " y" + str(len(cell.text))
        if len(cell.text) == 3:  # half-width digits condensed to a third (the fonts have no third widths)
            inner = Markup('<span class="s">{}</span>').format(cell.text)
            return Markup('<span class="{}"{}>{}</span>').format(
                classes, Markup(' style="{}"').format(style) if style else "", inner)
    if style:
        return Markup('<span class="{}" style="{}">{}</span>').format(classes, style, cell.text)
    return Markup('<span class="{}">{}</span>').format(classes, cell.text)


def line_html(line: VLine, right_pt: float, top_pt: float, length_pt: float, fonts: VerticalFonts,
              body_pt: float) -> Markup:
    """One vertical line as an absolutely placed box: ``right_pt`` from the body's right edge, ``top_pt`` down."""
    size = line.size or body_pt
    face = {"body": "body", "kai": "kai", "title": "bold"}[line.face]
    head = line.lead * size
    if line.foot:
        head = max(0.0, length_pt - line.length * size)
    top = top_pt + head - fonts.offset(face) * size
    classes = f"vl vl-{line.kind}"
    style = f"right:{right_pt:.3f}pt;top:{top:.3f}pt"
    if line.size is not None:
        style += f";font-size:{line.size:g}pt"
    cells = Markup("").join(_cell_html(cell) for cell in line.cells)
    return Markup('<div class="{}" style="{}">{}</div>\n').format(classes, style, cells)


def _rule(right_pt: float, top_pt: float, width_pt: float, height_pt: float, kind: str) -> Markup:
    return Markup('<div class="vr vr-{}" style="right:{:.3f}pt;top:{:.3f}pt;width:{:.3f}pt;height:{:.3f}pt"></div>\n'
                  ).format(kind, right_pt, top_pt, width_pt, height_pt)


def sheet_body(sheet: VerticalSheet, grid: VerticalGrid, fonts: VerticalFonts) -> Markup:
    """The body of one sheet: every module's titles and lines, and the rules, in reading order."""
    parts: list[Markup] = []
    body = grid.body_pt
    tier_step = grid.tier_pt + grid.tier_gap_pt
    bands: dict[int, list[Placed]] = {}
    for module in sheet.modules:
        bands.setdefault(module.tier, []).append(module)
    for band_top, modules in sorted(bands.items()):
        tiers = modules[0].tiers
        top = band_top * tier_step
        if band_top > 0:  # a rule across the page between bands
            parts.append(_rule(0, top - grid.tier_gap_pt / 2, grid.width_pt, 0, "band"))
        for number, module in enumerate(modules):
            right = grid.slot_right(module.slot)
            width = (module.width - 1) * grid.pitch_pt + body
            if number > 0:  # a rule between modules side by side, in the slot between them
                parts.append(_rule(right - grid.pitch_pt / 2 - (grid.pitch_pt - body) / 2, top, 0,
                                   grid.band_height(tiers), "module"))
            classes = "vmodule" + (" vcaption" if module.story.caption else "")
            parts.append(Markup('<div class="{}" data-article="{}">\n').format(classes, module.story.index))
            if module.story.image:
                parts.append(Markup('<img class="vimage" src="{}" alt="" style="right:{:.3f}pt;top:{:.3f}pt;'
                                    'width:{:.3f}pt;height:{:.3f}pt">\n').format(
                    module.story.image, right, top, module.title_slots * grid.pitch_pt - (grid.pitch_pt - body) * 2,
                    grid.band_height(tiers)))
            elif module.story.caption:  # a frame round the caption's lines (one with no picture)
                used = max(1, math.ceil(len(module.blocks) / module.per_tier))
                longest = max((line.length for line in module.blocks[(used - 1) * module.per_tier:]), default=0.0)
                height = (used - 1) * tier_step + (grid.tier_pt if used > 1 else longest * body)
                width = (min(len(module.blocks), module.per_tier) - 1) * grid.pitch_pt + body
                parts.append(_rule(right - body * 0.5, top - body * 0.5, width + body, height + body, "box"))
            x = right
            for line in module.titles.lines:
                size = line.size or body
                parts.append(line_html(line, x, top, grid.band_height(tiers), fonts, body))
                x += size * TITLE_PITCH
            for tier in range(1, tiers):
                if module.per_tier * tier < len(module.blocks):
                    parts.append(_rule(grid.slot_right(module.slot + module.title_slots) - (grid.pitch_pt - body) / 2,
                                       top + tier * tier_step - grid.tier_gap_pt / 2,
                                       (module.width - module.title_slots) * grid.pitch_pt, 0, "tier"))
            for index, line in enumerate(module.blocks):
                tier, slot = divmod(index, module.per_tier)
                parts.append(line_html(line, grid.slot_right(module.slot + module.title_slots + slot),
                                       top + tier * tier_step, grid.tier_pt, fonts, body))
            parts.append(Markup("</div>\n"))
    return Markup("").join(parts)


def vertical_css(settings: LayoutSettings, edition: Edition, grid: VerticalGrid, fonts: VerticalFonts) -> str:
    """The CSS that carries the config, as ``html.grid_css`` does for the horizontal page.

    A turned run is rotated about its top-left corner, then moved one em (plus the face's
    em-box offset) to the right, so its em box lands on the line's.
    """
    paper = settings.paper
    offset = fonts.offset("body")
    return (
        f"@page {{ size: {paper.width_mm:g}mm {paper.height_mm:g}mm; margin: {paper.margin_mm:g}mm; }}\n"
        ":root {\n"
        f"  --body-size: {paper.body_size:g}pt;\n"
        f"  --serif: {css_string(edition.serif)};\n"
        f"  --sans: {css_string(edition.sans)};\n"
        f"  --kai: {css_string(edition.kai)}, {css_string(edition.serif)};\n"
        "}\n"
        f".vbody {{ width: {grid.width_pt:.3f}pt; }}\n"
        f".vl .r {{ transform: translate({_em(1 + offset)}, {_em(offset)}) rotate(90deg); }}\n"
    )


def layout_vertical(page: Page, edition: Edition, settings: LayoutSettings, env: jinja2.Environment,
                    fonts: VerticalFonts, first_number: int = 1,
                    total: int | None = None) -> tuple[str, int]:
    """Render a page of a vertical edition to HTML: (the HTML, the number of printed sheets)."""
    paper = settings.paper
    typography = edition.typography
    height = (paper.height_mm - 2 * paper.margin_mm) * POINTS_PER_MM - SHEET_SLACK_PT
    masthead_pt = masthead_size(settings.publication.name, paper)
    masthead_box = masthead_pt * 1.1 + MASTHEAD_EXTRA_PT
    sections = section_heads(page)
    banner = banner_lines(page.articles[0], sections.get(0), paper) if page.articles else ()
    banner_box = sum(line.height for line in banner) + BANNER_PAD_PT if banner else 0.0
    first_top = (masthead_box if first_number == 1 else FOLIO_PT) + banner_box
    grid = make_vertical_grid(settings, height - first_top)
    first_tiers = grid.tiers_in(height - first_top)
    later_tiers = grid.tiers_in(height - FOLIO_PT)
    stories: list[Story] = []
    owned, loose = captions_by_article(page)  # each caption after the story it belongs to
    for index, article in enumerate(page.articles):
        blocks = story_blocks(article, grid.measure_em, fonts, typography)
        stories.append(Story(index, article, tuple(blocks), sections.get(index), lead_story=index == 0))
        stories.extend(_caption_stories(owned.get(index, ()), grid.measure_em, fonts, typography, settings.pictures))
    stories.extend(_caption_stories(loose, grid.measure_em, fonts, typography, settings.pictures))
    words = jump_words(edition)
    planned = plan_vertical(stories, grid, fonts, typography, first_tiers, later_tiers, words, first_number) or [[]]
    last = first_number + len(planned) - 1
    total = max(total or last, last)
    sheets = [VerticalSheet(first_number + n, total, first_tiers if n == 0 else later_tiers,
                            tuple(modules), banner if n == 0 else ())
              for n, modules in enumerate(planned)]
    date_text, weekday, date_iso = format_date(settings.publication.date)
    bodies = [sheet_body(sheet, grid, fonts) for sheet in sheets]
    heights = [grid.band_height(sheet.tiers) for sheet in sheets]
    try:
        template = env.get_template("vertical.html")
        html = template.render(
            page=page, edition=edition, publication=settings.publication, paper=paper, sheets=sheets,
            bodies=bodies, heights=heights, masthead_pt=masthead_pt, masthead_box=masthead_box,
            banner_box=banner_box, folio_box=FOLIO_PT, section=settings.section,
            date_text=date_text, weekday=weekday, date_iso=date_iso,
            grid_css=Markup(vertical_css(settings, edition, grid, fonts)),
            stylesheets=[Markup(css) for css in settings.stylesheets],
        )
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}", "layouts") from None
    except jinja2.sandbox.SecurityError as exc:
        raise RenderError(f"template refused: {exc}", *template_place(exc)) from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"template error: {exc.message}", "layouts/vertical.html") from None
    return html, len(sheets)

