"""Lay a structured page out as newspaper HTML with the Jinja2 templates and the styles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import traceback
import types
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
import jinja2.sandbox
from markupsafe import Markup, escape

from ..editions import Edition, Typography
from ..errors import RenderError
from ..model import Article, Caption, Page, Paper, Paragraph, Publication
from ..text.chars import WORD_JOINER, is_wide
from .linebreak import FIT_EPSILON, break_paragraph, line_width
from .marks import HALT_CLASS, mark_text
from .metrics import Face, Metrics
from .photos import Figure, PhotoPlan, Picture, captions_by_article, plan_photos
from .rows import fit_rows
from .titles import break_title

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
"""Monday first, as ``date.weekday()`` counts; the same characters in every edition."""

HANG_CLASS = "t-hang"
"""Class of a line-final mark hung past the measure (``styles/typography.css``: half-width, no advance)."""

SPACED_HEADLINE_MAX = 8
"""Headlines of at most this many characters are letter-spaced, as papers set short titles."""


@dataclass(frozen=True, slots=True)
class Piece:
    """The part ``[start:end]`` of paragraph ``index`` of an article that one printed page holds."""

    paragraph: Paragraph
    index: int
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.paragraph.text[self.start:self.end]

    @property
    def lead(self) -> str | None:
        lead = self.paragraph.lead
        if self.start == 0 and lead and len(lead) <= self.end:
            return lead
        return None

    @property
    def continued(self) -> bool:
        """It starts inside the paragraph (the rest of a paragraph from an earlier page)."""
        return self.start > 0

    @property
    def continues(self) -> bool:
        """The paragraph goes on on a later page."""
        return self.end < len(self.paragraph.text)


@dataclass(frozen=True, slots=True)
class Module:
    """One article's share of one printed page."""

    article: Article
    index: int
    pieces: tuple[Piece, ...]
    columns: int
    lead_story: bool = False
    show_titles: bool = True
    show_byline: bool = True
    jump_from: int | None = None
    """The page this continuation comes from (上接), or None."""
    jump_to: int | None = None
    """The page this story continues on (下转), or None."""
    captions: tuple[Caption, ...] = ()
    """The article's captions and photos (``typeset.photos``), on the module that opens it."""

    @property
    def continued(self) -> bool:
        return not self.show_titles

    @property
    def spaced(self) -> bool:
        headline = self.article.headline or ""
        return not self.lead_story and len(headline) <= SPACED_HEADLINE_MAX


@dataclass(frozen=True, slots=True)
class Break:
    """Where a printed page ends: after ``offset`` characters of paragraph ``paragraph`` of article ``article``."""

    article: int
    paragraph: int
    offset: int


@dataclass(frozen=True, slots=True)
class Sheet:
    """One printed page: its folio, its modules and (on the first) the captions no article holds.

    ``rows`` groups the modules as the page sets them: a full-width module
    alone, or two short stories side by side, each with its share of columns.
    """

    folio: Folio
    modules: tuple[Module, ...]
    captions: tuple[Caption, ...] = ()
    rows: tuple[tuple[Module, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Folio:
    """Where a printed page stands in the edition."""

    number: int = 1
    total: int = 1


def align_offset(text: str, rendered: str) -> int:
    """How many characters of ``text`` the laid-out ``rendered`` covers.

    Typography may insert invisible joiners or spaces and collapse runs of
    white space, so the two are aligned rather than counted.

    >>> align_offset("甲乙丙丁", "甲\N{WORD JOINER}乙")
    2
    >>> align_offset("a  b丙丁", "a b丙")
    5
    """
    index = 0
    for char in rendered:
        while index < len(text) and text[index] != char and text[index].isspace():
            index += 1
        if index < len(text) and text[index] == char:
            index += 1
    return index


JUMP_WORDS = {"simplified": ("下转", "上接"), "traditional": ("下轉", "上接")}
"""The jump lines' verbs: （下转第2版） at the foot of a story that continues, （上接第1版） at its head."""


def jump_words(edition: Edition) -> tuple[str, str]:
    """The edition's jump verbs (Traditional editions are those OpenCC converts to).

    >>> from pipeline.editions import EDITIONS
    >>> jump_words(EDITIONS["zh-TW"])
    ('下轉', '上接')
    """
    return JUMP_WORDS["traditional" if edition.opencc else "simplified"]


MAX_PHOTO_SHARE = 0.5
"""A photo is at most half as tall as the page's type area, so its story still fits the page around it."""

BANNER_MAX_PT = 42.0
"""The banner's largest size; a long headline on a narrow page is set smaller to stay on one line."""


MASTHEAD_MAX_PT = 54.0
MASTHEAD_EARS_MM = 90.0
"""The masthead's name sits between two ears (date, edition) of 45 mm each."""


def masthead_size(name: str, paper: Paper) -> float:
    """The masthead name's size in points: as large as fits one line between the ears.

    >>> masthead_size("县域新闻", Paper()), masthead_size("测试县报", Paper(width_mm=210.0))
    (54.0, 47.0)
    """
    room_pt = (paper.width_mm - 2 * paper.margin_mm - MASTHEAD_EARS_MM) / 25.4 * 72
    # letter-spacing of 0.12 em between characters, and a little air
    return float(min(MASTHEAD_MAX_PT, int(room_pt / (len(name) * 1.12 + 0.5))))


def banner_size(headline: str, paper: Paper) -> float:
    """The banner's font size in points: as large as fits one line across the measure.

    >>> banner_size("洪洞：奋力在全方位推进高质量发展中争先崛起", Paper(width_mm=272, margin_mm=18))
    29.0
    """
    measure_pt = make_grid(paper).width_pt
    return float(min(BANNER_MAX_PT, int(measure_pt / (len(headline) + 0.5))))


BANNER_SPREAD_MAX = 0.15
"""Ems of the banner's size a banner may widen each gap by to run the full measure; a shorter banner
(a short headline, at ``BANNER_MAX_PT``) is centred at its natural spacing, not letter-spaced."""


def banner_fills(headline: str, paper: Paper) -> bool:
    """Whether the banner is spread edge to edge: its gaps widen by at most ``BANNER_SPREAD_MAX`` em.

    >>> banner_fills("洪洞：奋力在全方位推进高质量发展中争先崛起", Paper(width_mm=272, margin_mm=18))
    True
    >>> banner_fills("县电商直播基地销售额破亿元", Paper(width_mm=272, margin_mm=18))
    False
    >>> banner_fills("全县规上工业增加值增长8.6%", Paper(size="tabloid", width_mm=272, height_mm=390, columns=5))
    False
    """
    size = banner_size(headline, paper)
    gaps = max(len(headline) - 1, 1)
    natural = sum(1.0 if is_wide(char) else BYLINE_NARROW_EM for char in headline)  # figures are narrow
    return (make_grid(paper).width_pt - natural * size) / gaps <= BANNER_SPREAD_MAX * size


def plan_sheets(page: Page, columns: int, breaks: Sequence[Break] = (), first_number: int = 1,
                total: int | None = None, solo: Collection[int] = ()) -> tuple[Sheet, ...]:
    """Cut the page's articles into printed pages at ``breaks``, adding jump lines.

    With no breaks everything is on one sheet. A break inside an article ends
    that article's module with 下转 and opens the next sheet with a 上接
    continuation module; a break inside a paragraph splits the paragraph.

    >>> page = Page("p", (Article((Paragraph("甲乙丙丁"),), headline="题"),))
    >>> first, second = plan_sheets(page, 5, [Break(0, 0, 2)])
    >>> [p.text for p in first.modules[0].pieces], first.modules[0].jump_to
    (['甲乙'], 2)
    >>> [p.text for p in second.modules[0].pieces], second.modules[0].jump_from
    (['丙丁'], 1)
    """
    ordered = sorted(set(breaks), key=lambda b: (b.article, b.paragraph, b.offset))
    last_number = first_number + len(ordered)
    total = max(total or last_number, last_number)
    cuts = [*ordered, Break(len(page.articles), 0, 0)]
    sheets: list[Sheet] = []
    position = Break(0, 0, 0)
    by_article, loose = captions_by_article(page)
    for sheet_index, cut in enumerate(cuts):
        number = first_number + sheet_index
        modules = _modules_between(page, columns, position, cut, number, by_article)
        # A caption stands in the article it belongs to; one with no article on the first sheet.
        captions = loose if sheet_index == 0 else ()
        sheets.append(Sheet(Folio(number, total), tuple(modules), captions, group_rows(modules, columns, solo)))
        position = cut
    return tuple(sheets)


SIDE_BY_SIDE_MAX_CHARS = 1400
"""Stories up to this long may share a row with a neighbour; longer ones run the full width."""

MIN_MODULE_COLUMNS = 2
"""A story set beside another keeps at least this many columns."""


def _length(module: Module) -> int:
    return sum(len(piece.text) for piece in module.pieces)


def _pairable(module: Module) -> bool:
    """Whole stories (not cut by a jump), not the lead, short enough to share a row."""
    return (not module.lead_story and module.show_titles and module.show_byline
            and 0 < _length(module) <= SIDE_BY_SIDE_MAX_CHARS)


def group_rows(modules: Sequence[Module], columns: int, solo: Collection[int] = ()) -> tuple[tuple[Module, ...], ...]:
    """Set pairs of neighbouring short stories side by side, sharing the columns by length.

    Stories whose article index is in ``solo`` run the full width (pagination
    unpairs a row that a page break would cut, so its stories can jump).

    A broadsheet page of nothing but full-width bands reads like a report;
    papers set short stories as rectangular modules next to each other.

    >>> a = Article((Paragraph("甲" * 900),), headline="甲")
    >>> b = Article((Paragraph("乙" * 450),), headline="乙")
    >>> rows = group_rows([Module(a, 1, (Piece(a.paragraphs[0], 0, 0, 900),), 6),
    ...                    Module(b, 2, (Piece(b.paragraphs[0], 0, 0, 450),), 6)], 6)
    >>> [[(m.index, m.columns) for m in row] for row in rows]
    [[(1, 4), (2, 2)]]
    """
    rows: list[tuple[Module, ...]] = []
    index = 0
    can_pair = columns >= 2 * MIN_MODULE_COLUMNS
    while index < len(modules):
        first = modules[index]
        second = modules[index + 1] if index + 1 < len(modules) else None
        if (can_pair and second is not None and _pairable(first) and _pairable(second)
                and first.index not in solo and second.index not in solo):
            share = _length(first) / (_length(first) + _length(second))
            left = min(columns - MIN_MODULE_COLUMNS, max(MIN_MODULE_COLUMNS, round(columns * share)))
            rows.append((dataclasses.replace(first, columns=left),
                         dataclasses.replace(second, columns=columns - left)))
            index += 2
        else:
            rows.append((first,))
            index += 1
    return tuple(rows)


def _modules_between(page: Page, columns: int, start: Break, end: Break, number: int,
                     captions: Mapping[int, tuple[Caption, ...]]) -> list[Module]:
    modules: list[Module] = []
    for index in range(start.article, min(end.article, len(page.articles) - 1) + 1):
        article = page.articles[index]
        pieces: list[Piece] = []
        for p_index, paragraph in enumerate(article.paragraphs):
            begin, finish = 0, len(paragraph.text)
            if (index, p_index) < (start.article, start.paragraph):
                continue
            if (index, p_index) == (start.article, start.paragraph):
                begin = start.offset
            if (index, p_index) > (end.article, end.paragraph):
                break
            if (index, p_index) == (end.article, end.paragraph):
                finish = min(end.offset, finish)
            if finish > begin:
                pieces.append(Piece(paragraph, p_index, begin, finish))
        opens = (index, 0, 0) >= (start.article, start.paragraph, start.offset)
        last = len(article.paragraphs) - 1
        closes = (end.article, end.paragraph) > (index, last) or (
            (end.article, end.paragraph) == (index, last) and end.offset >= len(article.paragraphs[last].text))
        if not article.paragraphs:
            closes = (end.article, end.paragraph, end.offset) > (index, 0, 0)
        if not pieces and not (opens and closes):
            continue
        modules.append(Module(
            article=article, index=index, pieces=tuple(pieces), columns=columns,
            lead_story=index == 0, show_titles=opens, show_byline=closes,
            jump_from=None if opens else number - 1,
            jump_to=None if closes else number + 1,
            captions=captions.get(index, ()) if opens else (),
        ))
    return modules


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    """What the templates need besides the page: masthead, paper, and the CSS texts."""

    publication: Publication
    paper: Paper
    stylesheets: tuple[str, ...] = ()
    metrics: Metrics | None = None
    """The edition's font advances: with them body paragraphs are broken by ``typeset.linebreak``
    and WeasyPrint sets the lines as given; without them WeasyPrint breaks the lines itself."""
    section: str | None = None
    """The page's section name (版名) as the edition prints it, for the folio and the masthead's ear."""
    pictures: Mapping[str, Picture] = dataclasses.field(default_factory=dict)
    """The photos the page's captions name (by the sidecar's file name), measured at the edge."""
    column_boxes: bool = True
    """Planned columns as boxes side by side (``ColumnPlan.explicit``); False sets them in CSS
    columns, which carry a module that runs past the page foot on in reading order."""


class _ContainedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses a template resolving (symlinks followed) outside its own folder."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            found = [path for root in self.searchpath
                     if (path := Path(root, *jinja2.loaders.split_template_path(template))).is_file()]
            raise RenderError("template is not UTF-8 text", str(found[0]) if found else template,
                              f"byte {exc.start}", hint="save it as UTF-8") from None
        path = Path(filename).resolve()
        if not any(path.is_relative_to(Path(root).resolve()) for root in self.searchpath):
            raise RenderError("template resolves outside its layouts folder", filename)
        return source, filename, uptodate


MAX_TEMPLATE_REPEAT = 1_000_000
"""The longest text or list a template may build with ``*`` (a sheet holds a few thousand characters)."""

MAX_TEMPLATE_EXPONENT = 4096
"""The largest exponent of ``**`` in a template: ``2 ** (10 ** 8)`` builds a number of 30 million digits."""


class _Sandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja2's sandbox, plus bounds on ``*`` and ``**`` so a template cannot exhaust memory or time."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sized, times in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(times, int) and \
                        len(sized) * times > MAX_TEMPLATE_REPEAT:
                    raise jinja2.sandbox.SecurityError(f"a repetition longer than {MAX_TEMPLATE_REPEAT:,} items")
        elif isinstance(right, int) and isinstance(left, int) and abs(left) > 1 and right > MAX_TEMPLATE_EXPONENT:
            raise jinja2.sandbox.SecurityError(f"an exponent over {MAX_TEMPLATE_EXPONENT}")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's answer, found faster for the data a page is made of (a page asks ~6,000 times).

        On an instance of a dataclass, Jinja's check comes down to the name: any attribute but
        one starting with ``_`` (its internal-attribute test looks further only at functions,
        methods, classes, code, frames, tracebacks and generators, none of which is a dataclass).
        """
        kind = type(obj)
        plain = _PLAIN_DATA.get(kind)
        if plain is None:
            plain = _PLAIN_DATA[kind] = dataclasses.is_dataclass(kind) and not issubclass(kind, _INTERNAL_KINDS)
        if plain:
            return not attr.startswith("_")
        return bool(super().is_safe_attribute(obj, attr, value))


_INTERNAL_KINDS = (types.FunctionType, types.MethodType, type, types.CodeType, types.TracebackType,
                   types.FrameType, types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)
"""The kinds of object whose attributes Jinja's sandbox judges by more than their names."""

_PLAIN_DATA: dict[type, bool] = {}
"""Whether a type is a dataclass the sandbox judges by attribute names alone, by type."""


def make_environment(layout_dirs: Sequence[Path]) -> jinja2.sandbox.SandboxedEnvironment:
    """The Jinja2 environment: the publication's layouts first, then the packaged defaults.

    Autoescaping is on for every template, so OCR text can never become markup.
    Templates run sandboxed (a publication's own are untrusted code): no Python
    internals (``__globals__``, ``__class__``, …), no huge ``*`` or ``**``, and
    no template read from outside its folder.

    One environment per process and folder list: it keeps the templates it compiled (a page's
    five cost ~25 ms CPU) for every page, pagination pass and edition, and compiles a template
    again when its file changes (Jinja's auto-reload, for watch and serve).
    """
    return _environment(tuple(str(d) for d in layout_dirs))


@functools.lru_cache(maxsize=16)
def _environment(layout_dirs: tuple[str, ...]) -> jinja2.sandbox.SandboxedEnvironment:
    env = _Sandbox(
        loader=_ContainedLoader(list(layout_dirs)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["mark"] = _mark_filter
    return env


MARK_TYPOGRAPHY = "mark_typography"
"""The template variable the ``mark`` filter reads the edition's typography from (``layout_page`` sets it)."""


@jinja2.pass_context
def _mark_filter(context: jinja2.runtime.Context, text: str) -> Markup:
    """The ``mark`` filter: clreq markup (``marks.mark_text``) in the typography of the page being rendered.

    The typography comes from the render's context, not the filter, so one compiled template
    serves every edition (Jinja checks at compile time that a filter exists).
    """
    return mark_text(text, context.get(MARK_TYPOGRAPHY) or Typography())


def template_place(exc: BaseException) -> tuple[str, int | None]:
    """The template file and line where a render failed, from the traceback Jinja2 rewrites to the template."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith(".html") and Path(frame.filename).is_file():
            return frame.filename, frame.lineno
    return "layouts", None


GUTTER_MIN_EM = 1.2
"""The narrowest gutter, in body ems (with the rule in its middle, 0.6 em either side)."""
GUTTER_MAX_EM = 1.5
"""The widest gutter, in body ems: what whole-em measures leave beyond it widens the side margins."""
POINTS_PER_MM = 72 / 25.4
RULE_PT = 0.75
"""The vertical rule between side-by-side modules (``styles/page.css``), inside the gutter."""
COLUMN_RULE_PT = 0.4
"""The rule between a module's columns (``styles/page.css``: ``column-rule``, ``.columns.set``), mid-gutter."""


@dataclass(frozen=True, slots=True)
class Grid:
    """The page's type grid: ``columns`` measures of ``measure_em`` whole body ems, and the gutters.

    clreq: a column's measure is a whole number of characters, so a line of solid type fills
    it exactly; the remainder of the page's width goes to the gutters (up to
    ``GUTTER_MAX_EM``) and then, in equal halves, to the side margins.
    """

    columns: int
    body_pt: float
    measure_em: int
    gutter_pt: float
    side_pt: float
    """Each side margin, in points (the paper's margin plus half of what the gutters leave)."""

    @property
    def measure_pt(self) -> float:
        return self.measure_em * self.body_pt

    def span_pt(self, columns: int) -> float:
        """The width of ``columns`` neighbouring columns with the gutters between them."""
        return columns * self.measure_pt + (columns - 1) * self.gutter_pt

    @property
    def width_pt(self) -> float:
        return self.span_pt(self.columns)

    def describe(self) -> str:
        """One line for ``--verbose`` builds.

        >>> make_grid(Paper()).describe()
        'grid: 6 columns × 16 em (152 pt) at 9.5 pt, gutters 14.25 pt (1.5 em), side margins 61.13 pt'
        """
        return (f"grid: {self.columns} columns × {self.measure_em} em ({self.measure_pt:g} pt) at {self.body_pt:g} pt, "
                f"gutters {self.gutter_pt:.2f} pt ({self.gutter_pt / self.body_pt:.3g} em), "
                f"side margins {self.side_pt:.2f} pt")


def make_grid(paper: Paper) -> Grid:
    """Snap the columns to whole body ems; give the rest to the gutters, then the side margins.

    >>> grid = make_grid(Paper())
    >>> grid.measure_em, round(grid.gutter_pt, 2), round(grid.width_pt, 2)
    (16, 14.25, 983.25)
    >>> make_grid(Paper(width_mm=272, height_mm=390, columns=5)).measure_em
    13
    """
    body = paper.body_size
    width = (paper.width_mm - 2 * paper.margin_mm) * POINTS_PER_MM
    columns = max(1, paper.columns)
    gutters = columns - 1
    measure_em = max(1, int((width - gutters * GUTTER_MIN_EM * body) / columns / body + 1e-9))
    left = width - columns * measure_em * body
    gutter = min(GUTTER_MAX_EM * body, left / gutters) if gutters else GUTTER_MIN_EM * body
    side = paper.margin_mm * POINTS_PER_MM + (left - gutters * gutter) / 2
    return Grid(columns=columns, body_pt=body, measure_em=measure_em, gutter_pt=gutter, side_pt=side)


def describe_grid(paper: Paper) -> str:
    """The grid of a paper, in one line (for ``--verbose``): columns × ems, gutters, margins."""
    return make_grid(paper).describe()


def grid_css(paper: Paper, edition: Edition) -> str:
    """The CSS that carries the config: page size and margins, type size, leading, faces, the grid."""
    grid = make_grid(paper)
    return (
        f"@page {{ size: {paper.width_mm:g}mm {paper.height_mm:g}mm; "
        f"margin: {paper.margin_mm:g}mm {grid.side_pt:.3f}pt; }}\n"
        ":root {\n"
        f"  --body-size: {paper.body_size:g}pt;\n"
        f"  --leading: {paper.leading:g};\n"
        f"  --gutter: {grid.gutter_pt:.3f}pt;\n"
        f"  --measure: {grid.measure_pt:.3f}pt;\n"
        f"  --pitch: {paper.body_size * paper.leading:.3f}pt;\n"
        f"  --pitch-2: {2 * paper.body_size * paper.leading:.3f}pt;\n"
        f"  --pitch-half: {paper.body_size * paper.leading / 2:.3f}pt;\n"
        f"  --half-gutter: {grid.gutter_pt / 2:.3f}pt;\n"
        f"  --rule-pad: {grid.gutter_pt / 2 - RULE_PT:.3f}pt;\n"
        # From the gutter as printed above, to the last digit: column boxes stand where CSS columns would.
        f"  --column-pad: {(round(grid.gutter_pt, 3) - COLUMN_RULE_PT) / 2:.4f}pt;\n"
        f"  --serif: {css_string(edition.serif)};\n"
        f"  --sans: {css_string(edition.sans)};\n"
        f"  --kai: {css_string(edition.kai)}, {css_string(edition.serif)};\n"
        "}\n"
    )


def css_string(name: str) -> str:
    """A face name as a quoted CSS string.

    >>> css_string('Noto "Serif"')
    '"Noto \\\\"Serif\\\\""'
    """
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_date(date: dt.date | None) -> tuple[str, str, str]:
    """The masthead's date, weekday and ISO timestamp (empty when the config gives no date).

    >>> format_date(dt.date(2021, 9, 28))
    ('2021年9月28日', '星期二', '2021-09-28T00:00:00+00:00')
    """
    if date is None:
        return "", "", ""
    weekday = WEEKDAYS[date.weekday()]
    return f"{date.year}年{date.month}月{date.day}日", weekday, f"{date.isoformat()}T00:00:00+00:00"


DATELINE_GAP_EM = 0.5
"""The space after a dateline (``.dateline``'s ``margin-right`` in ``styles/page.css``)."""
INDENT_EM = 2.0
"""A paragraph's first-line indent (``.para``'s ``text-indent``)."""
BREAK = Markup("<br>")


@dataclass(frozen=True, slots=True)
class SetLines:
    """A paragraph piece broken into lines by ``typeset.linebreak``: the lines but the last, and the last.

    ``lines`` is empty for a one-line piece; each line's markup comes from ``mark_text`` of its
    own characters (so an opening mark at a line start keeps its full width, and a pair split
    by a break is two lone marks), the lead-in and dateline in their spans.
    """

    lines: tuple[Markup, ...]
    last: Markup
    ends_paragraph: bool = True
    """False for a piece that goes on on a later page: its last line is justified like the others."""
    signoff: bool = False
    """A notice's sign-off (``set_signoff``): every line set flush to the line end, unjustified."""

    @property
    def all(self) -> tuple[Markup, ...]:
        return (*self.lines, self.last)


def set_piece(piece: Piece, article: Article, typography: Typography, metrics: Metrics | None,
              measure_em: float) -> SetLines | None:
    """Break a paragraph piece into lines on the grid, or None to leave it to WeasyPrint.

    A piece that goes on on a later page is the paragraph's lines up to the page break, broken
    as the whole rest of the paragraph is (pagination cuts it where an earlier pass's page
    ended, after one of those lines), every line justified; WeasyPrint breaks it when the cut
    is not at one of them, and any paragraph the breaker finds no fit for.
    """
    if metrics is None or not piece.text.strip():
        return None
    if piece.paragraph.signoff and not piece.continued and not piece.continues:
        return set_signoff(piece.text, typography, metrics, measure_em)
    cut = len(piece.text)
    text = piece.paragraph.text[piece.start:]
    lead = piece.lead or ""
    faces: list[Face] = ["bold" if index < len(lead) else "body" for index in range(len(text))]
    indent = 0.0 if piece.continued else INDENT_EM
    dateline = article.dateline if piece.index == 0 and piece.start == 0 else None
    if dateline:
        indent += line_width(dateline, metrics, typography, ["bold"] * len(dateline)) + DATELINE_GAP_EM
    setting = break_paragraph(text, measure_em, metrics, typography, indent, faces, split=len(lead),
                              hang=typography.hang, numbers=True)
    if setting is None or cut not in setting.ends:
        return None
    lines: list[Markup] = []
    start = 0
    for end in setting.ends[:setting.ends.index(cut) + 1]:
        parts = []
        if start == 0 and dateline:
            parts.append(Markup('<span class="dateline" data-skip="1">{}</span>').format(
                mark_text(dateline, typography)))
        if start < len(lead):
            parts.append(Markup('<b class="lead-in">{}</b>').format(
                _mark_squeezed(text, start, min(end, len(lead)), setting.squeezed, typography, setting.hung)))
        if end > len(lead):
            parts.append(_mark_squeezed(text, max(start, len(lead)), end, setting.squeezed, typography, setting.hung))
        lines.append(Markup("").join(parts))
        start = end
    return SetLines(tuple(lines[:-1]), lines[-1], ends_paragraph=not piece.continues)


def signoff_lines(text: str, typography: Typography, metrics: Metrics, measure_em: float) -> list[str]:
    """A notice's sign-off as lines: issuer and date on one line when they fit the measure with
    ``INDENT_EM`` to spare (a sign-off filling a line would read as body text), else each on its
    own (joint issuers, which the structure stage joins, one above the other); an issuer wider than
    that is broken as text (no indent) into lines as short.

    >>> signoff_lines("云溪县自来水公司 2026年12月2日", Typography(), Metrics(), 20)
    ['云溪县自来水公司 2026年12月2日']
    >>> signoff_lines("云溪县自来水公司 2026年12月2日", Typography(), Metrics(), 16)
    ['云溪县自来水公司', '2026年12月2日']
    >>> signoff_lines("云溪县公安局交通警察大队 2026年12月2日", Typography(), Metrics(), 10)
    ['云溪县公安局交通', '警察大队', '2026年12月2日']
    >>> signoff_lines("县文化和旅游局 县文物保护中心 2026年12月2日", Typography(), Metrics(), 30)
    ['县文化和旅游局', '县文物保护中心', '2026年12月2日']
    """
    chunks = text.split()
    if len(chunks) <= 2 and line_width(" ".join(chunks), metrics, typography) <= measure_em - INDENT_EM + FIT_EPSILON:
        parts = [" ".join(chunks)]
    else:  # joint issuers (structure joins up to three) sign one above the other, the date under them
        parts = chunks
    lines: list[str] = []
    room = max(measure_em - INDENT_EM, measure_em / 2)  # each line leaves its head free, as above
    for part in parts:
        setting = (break_paragraph(part, room, metrics, typography, 0.0)
                   if line_width(part, metrics, typography) > room + FIT_EPSILON else None)
        lines.extend(setting.lines(part) if setting is not None else [part])
    return lines


def set_signoff(text: str, typography: Typography, metrics: Metrics, measure_em: float) -> SetLines:
    """A notice's sign-off (``Paragraph.signoff``: issuer and date) set flush to the line end, unjustified."""
    lines = [mark_text(line, typography) for line in signoff_lines(text, typography, metrics, measure_em)]
    return SetLines(tuple(lines[:-1]), lines[-1], signoff=True)


def _mark_squeezed(text: str, start: int, end: int, squeezed: frozenset[int], typography: Typography,
                   hung: frozenset[int] = frozenset()) -> Markup:
    """Mark ``text[start:end]``, the lone marks the line breaker squeezed set half-width (``t-halt``),
    and a line-final mark it hung past the measure half-width (``t-halt t-hang``).

    A squeezed or hung mark has no mark beside it, so marking the pieces between them apart
    changes no other mark's compression.

    >>> str(_mark_squeezed("好，好。", 0, 4, frozenset({1}), Typography(line_break="none")))
    '好<span class="t-halt">，</span>好。'
    >>> str(_mark_squeezed("好，好。", 0, 4, frozenset(), Typography(line_break="none"), frozenset({3})))
    '好，好<span class="t-halt t-hang">。</span>'
    """
    parts = []
    position = start
    for index in sorted(i for i in squeezed | hung if start <= i < end):
        if index > position:
            parts.append(mark_text(text[position:index], typography))
        classes = f"{HALT_CLASS} {HANG_CLASS}" if index in hung else HALT_CLASS
        parts.append(Markup('<span class="{}">{}</span>').format(classes, text[index]))
        position = index + 1
    if position < end:
        parts.append(mark_text(text[position:end], typography))
    return Markup("").join(parts)


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """A module's pieces as the line breaker set them, and where each column starts.

    ``starts`` counts the module's body blocks in order (the 上接 line, each line of a set
    piece, the byline, the 下转 line); the block at each offset in it opens a column
    (``break-before: column``), so the columns hold whole lines and differ by one at most.
    Empty when a piece is WeasyPrint's to break (its line count is unknown): the columns are
    then balanced by WeasyPrint.
    """

    pieces: tuple[SetLines | None, ...]
    starts: frozenset[int] = frozenset()
    byline: Markup = Markup("")
    """The byline in its brackets, broken between names into the lines it takes (empty: none)."""
    deck: int | None = None
    """The block that opens the module's lower deck, under a photo and the columns beside it
    (``typeset.photos``): the blocks before it fill the columns beside the photo, the rest run
    in all the module's columns below. None: one deck."""
    boxes: bool = True
    """Whether planned columns may be set as boxes side by side (``LayoutSettings.column_boxes``)."""
    one_column: bool = False
    """The module's lines, all set by the line breaker, fill one column (no column starts)."""

    def at(self, block: int) -> str:
        """The class that makes ``block`` open a column (with its leading space), or ''."""
        return " col-break" if block in self.starts else ""

    @property
    def explicit(self) -> bool:
        """Whether the columns are set as boxes side by side (``layouts/article.html``'s ``columns set``).

        Every column's lines are known, so WeasyPrint need not fill or balance CSS columns, which
        lays each line out three times or more (``layout/column.py``); a lower deck under a photo
        is still filled by WeasyPrint, and keeps CSS columns.
        """
        return self.boxes and (bool(self.starts) or self.one_column) and self.deck is None

    @property
    def cells(self) -> int:
        """How many columns hold lines (the columns of a module with fewer blocks stay empty)."""
        return len(self.starts) + 1

    def cell(self, block: int) -> Markup:
        """The markup that closes a column box and opens the next before ``block``, or nothing."""
        return Markup('</div><div class="col">') if self.explicit and block in self.starts and block else Markup("")


BYLINE_SPACE_EM = 0.5
"""What a space of the byline is counted as (at least its width in the Kai faces)."""
BYLINE_NARROW_EM = 0.6
"""What a narrow character of the byline is counted as (at least its width)."""


def set_byline(article: Article, measure_em: float | None) -> tuple[Markup, int]:
    """The byline in its brackets and the lines it takes: broken between names, never inside one.

    Widths are counted generously (a space as ``BYLINE_SPACE_EM``), so each line fits its column
    and the count is the one printed.

    >>> from pipeline.model import Credit
    >>> a = Article((), byline=("张磊建", "王静婷", "曹强"), credit="记者")
    >>> markup, lines = set_byline(a, 13)
    >>> str(markup).replace("\N{WORD JOINER}", ""), lines
    ('（记者 张磊建 王静婷<br>曹强）', 2)
    >>> set_byline(a, 16)[1], set_byline(Article(()), 16)
    (1, (Markup(''), 0))
    """
    if not (article.byline or article.credit):
        return Markup(""), 0
    words = f"（{byline_text(article)}）".split()

    def width(text: str) -> float:
        return sum(1.0 if is_wide(char) else BYLINE_SPACE_EM if char == " " else BYLINE_NARROW_EM for char in text)

    lines: list[str] = []
    for word in words:
        if lines and (measure_em is None or width(f"{lines[-1]} {word}") <= measure_em):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)

    def glued(word: str) -> str:
        # Unicode line breaking may split a name between any two Han characters; a word
        # joiner keeps each name (one that fits the measure) whole.
        fits = measure_em is None or width(word) <= measure_em
        return WORD_JOINER.join(word) if fits else word

    markup = BREAK.join(Markup(" ").join(escape(glued(word)) for word in line.split(" ")) for line in lines)
    return markup, len(lines)


def plan_columns(module: Module, pieces: Sequence[SetLines | None], measure_em: float | None = None) -> ColumnPlan:
    """Share a module's lines among its columns, within one line of each other, the byline with body lines.

    The first columns take one line more when they must, except that the last column never
    holds the byline (and 下转 line) alone: one of the longer shares moves to the end instead.

    >>> a = Article((Paragraph("甲" * 10),), headline="甲")
    >>> module = Module(a, 1, (Piece(a.paragraphs[0], 0, 0, 10),), 3)
    >>> lines = SetLines(tuple(Markup("甲") for _ in range(6)), Markup("甲"))
    >>> sorted(plan_columns(module, [lines]).starts)  # 7 lines in 3 columns: 3, 2, 2
    [3, 5]
    >>> signed = Module(dataclasses.replace(a, byline=("张三",)), 1, module.pieces, 5)
    >>> eight = SetLines((Markup("甲"),) * 7, Markup("甲"))
    >>> sorted(plan_columns(signed, [eight]).starts)  # 8 lines and the byline: 2, 2, 2, 1, 1 + byline
    [2, 4, 6, 7]
    """
    article = module.article
    byline, byline_lines = set_byline(article, measure_em) if module.show_byline else (Markup(""), 0)
    if any(piece is None for piece in pieces):
        return ColumnPlan(tuple(pieces), byline=byline)
    if module.columns < 2:
        return ColumnPlan(tuple(pieces), byline=byline, one_column=True)
    # Each block's height in lines: the 上接 line, the body lines, the byline, the 下转 line.
    heights = [1] * ((1 if module.jump_from else 0) + sum(len(piece.all) for piece in pieces if piece is not None))
    body_blocks = len(heights)
    heights += [byline_lines] if byline_lines else []
    heights += [1] if module.jump_to else []
    if len(heights) < module.columns:
        return ColumnPlan(tuple(pieces), byline=byline)
    short, extra = divmod(sum(heights), module.columns)
    shares = [short + 1] * extra + [short] * (module.columns - extra)
    tail = sum(heights[body_blocks:])
    if tail and shares[-1] <= tail and extra and short + 1 > tail:
        shares = [short + 1] * (extra - 1) + [short] * (module.columns - extra) + [short + 1]
    # Each column opens at the first block past its predecessors' shares (a byline of several
    # lines is one block: a share ending inside it ends before it).
    tops = [0]
    for height in heights:
        tops.append(tops[-1] + height)
    starts = set()
    position = 0
    for share in shares[:-1]:
        position += share
        starts.add(max(index for index, top in enumerate(tops[:-1]) if top <= position))
    return ColumnPlan(tuple(pieces), frozenset(starts), byline)


def count_blocks(module: Module, pieces: Sequence[SetLines | None]) -> int:
    """The module's body blocks, as ``ColumnPlan.starts`` counts them (a piece WeasyPrint breaks counts none)."""
    blocks = (1 if module.jump_from else 0) + sum(len(piece.all) for piece in pieces if piece is not None)
    article = module.article
    blocks += 1 if module.show_byline and (article.byline or article.credit) else 0
    return blocks + (1 if module.jump_to else 0)


def known_blocks(module: Module, pieces: Sequence[SetLines | None]) -> tuple[int, bool]:
    """The body blocks before the first piece WeasyPrint breaks, and whether that is all of them."""
    blocks = 1 if module.jump_from else 0
    for piece in pieces:
        if piece is None:
            return blocks, False
        blocks += len(piece.all)
    return count_blocks(module, pieces), True


def _column_starts(blocks: int, columns: int, offset: int = 0) -> set[int]:
    short, extra = divmod(blocks, columns)
    starts = set()
    position = offset
    for column in range(columns - 1):
        position += short + (1 if column < extra else 0)
        starts.add(position)
    return starts


def plan_decks(module: Module, pieces: Sequence[SetLines | None], deck: int, beside: int,
               measure_em: float | None = None) -> ColumnPlan:
    """Share a module's lines: ``deck`` blocks in the ``beside`` columns next to a photo, the rest in all below.

    >>> a = Article((Paragraph("甲" * 10),), headline="甲")
    >>> module = Module(a, 1, (Piece(a.paragraphs[0], 0, 0, 10),), 3)
    >>> lines = SetLines(tuple(Markup("甲") for _ in range(9)), Markup("甲"))
    >>> plan = plan_decks(module, [lines], 4, 2)  # 4 lines beside the photo in 2 columns, 6 in 3 below
    >>> sorted(plan.starts), plan.deck
    ([2, 6, 8], 4)
    """
    blocks, complete = known_blocks(module, pieces)
    if not 0 < deck <= blocks or (complete and deck == blocks):
        return plan_columns(dataclasses.replace(module, columns=beside), pieces, measure_em)
    starts = _column_starts(deck, beside)
    if complete:  # else WeasyPrint fills the lower deck (a piece it breaks runs on to a later page)
        starts |= _column_starts(blocks - deck, module.columns, deck)
    byline = set_byline(module.article, measure_em)[0] if module.show_byline else Markup("")
    return ColumnPlan(tuple(pieces), frozenset(starts), byline, deck)


TITLE_PT = {"kicker": 13.0, "headline": 24.0, "subheadline": 14.0}
"""The title sizes ``styles/page.css`` sets (``.kicker``, ``.headline``, ``.subheadline``), in points."""


def set_title(text: str, kind: str, width_pt: float, typography: Typography, metrics: Metrics | None) -> Markup:
    """Mark a kicker, headline or subheadline, broken by sense (``typeset.titles``) when it needs two lines.

    >>> marked = set_title("乘势而上全面建设华夏根祖圣地幸福老家洪洞", "headline", 320, Typography(), Metrics())
    >>> str(marked).replace("\N{WORD JOINER}", "")
    '乘势而上全面建设华夏<br>根祖圣地幸福老家洪洞'
    """
    size = TITLE_PT.get(kind)
    lines = break_title(text, width_pt / size, metrics, typography) if size and metrics is not None else None
    if not lines:
        return mark_text(text, typography)
    return BREAK.join(mark_text(line, typography) for line in lines)


SPACING_EM = 0.5
"""The letter-spacing ``styles/page.css`` gives a spaced headline (``.headline.spaced``), in ems of the headline."""


def spaced_fits(text: str, width_pt: float, typography: Typography, metrics: Metrics | None) -> bool:
    """Whether a short headline letter-spaced ``SPACING_EM`` still fits ``width_pt`` on one line.

    The spacing adds half an em between characters (the CSS cancels the last one), so an
    eight-character headline needs 11.5 ems: in a two-column module of 10.8 ems it would
    wrap inside a word (``冬季供暖正式启 / 动``); it is then set unspaced and broken by sense.

    >>> spaced_fits("冬季供暖正式启动", 259.87, Typography(), Metrics())
    False
    >>> spaced_fits("老年门球赛举行", 259.87, Typography(), Metrics())
    True
    """
    size = TITLE_PT["headline"]
    natural = (line_width(text, metrics, typography, ["bold"] * len(text)) if metrics is not None
               else float(len(text)))
    return natural + SPACING_EM * max(len(text) - 1, 0) <= width_pt / size + FIT_EPSILON


def section_heads(page: Page) -> dict[int, str]:
    """Each page headline (栏目) by the article it is set above: its first article.

    A page headline that heads no article goes above the first article printed after it in the
    source, or the last article, so its text is never lost.

    >>> from pipeline.model import PageHeadline
    >>> a = Article((Paragraph("正文。", lines=(5,)),), headline="一")
    >>> section_heads(Page("p", (a, a), page_headlines=(PageHeadline("简讯", (0, 1)), PageHeadline("图片", (), (9,)))))
    {0: '简讯', 1: '图片'}
    """
    heads: dict[int, list[str]] = {}
    for headline in page.page_headlines:
        if headline.articles:
            index = min(headline.articles)
        elif page.articles:
            line = min(headline.lines, default=0)
            later = [i for i, a in enumerate(page.articles)
                     if a.paragraphs and min(a.paragraphs[0].lines, default=0) > line]
            index = later[0] if later else len(page.articles) - 1
        else:
            continue
        heads.setdefault(index, []).append(headline.text)
    return {index: " ".join(texts) for index, texts in heads.items()}


def byline_text(article: Article) -> str:
    """The byline as printed in its brackets: each role with its own names (``记者 张三 通讯员 李四``).

    Falls back to the roles then the names when ``credits`` does not account for them exactly.

    >>> from pipeline.model import Credit
    >>> byline_text(Article((), byline=("张三", "李四"), credit="记者 通讯员",
    ...                     credits=(Credit("记者", ("张三",)), Credit("通讯员", ("李四",)))))
    '记者 张三 通讯员 李四'
    >>> byline_text(Article((), byline=("李安安", "徐静")))
    '李安安 徐静'
    """
    names = [name for credit in article.credits for name in credit.names]
    roles = [credit.role for credit in article.credits if credit.role]
    if article.credits and names == list(article.byline) and " ".join(roles) == (article.credit or ""):
        return " ".join(" ".join(([credit.role] if credit.role else []) + list(credit.names))
                        for credit in article.credits)
    return " ".join(([article.credit] if article.credit else []) + list(article.byline))


def layout_page(page: Page, edition: Edition, settings: LayoutSettings, env: jinja2.Environment,
                sheets: Sequence[Sheet] | None = None) -> str:
    """Render a page of an edition to HTML: one section per printed sheet (default: all on one)."""
    if sheets is None:
        sheets = plan_sheets(page, settings.paper.columns)
    date_text, weekday, date_iso = format_date(settings.publication.date)
    typography = edition.typography

    grid = make_grid(settings.paper)

    set_already: dict[tuple[int, int, int, int], SetLines | None] = {}

    def set_lines(module: Module, piece: Piece) -> SetLines | None:
        # Once per piece: a module with a photo asks for its lines to plan the photo, then its columns.
        key = (module.index, piece.index, piece.start, piece.end)
        if key not in set_already:
            set_already[key] = set_piece(piece, module.article, typography, settings.metrics, grid.measure_em)
        return set_already[key]

    def blocks_of(module: Module) -> int | None:
        pieces = [set_lines(module, piece) for piece in module.pieces]
        return count_blocks(module, pieces) if settings.metrics is not None and None not in pieces else None

    # Each story takes the columns its lines fill, short ones side by side (typeset.rows).
    sheets = [dataclasses.replace(sheet, rows=fit_rows(sheet.rows, blocks_of, grid.columns)) for sheet in sheets]

    pitch = settings.paper.body_size * settings.paper.leading
    photo_room = (settings.paper.height_mm - 2 * settings.paper.margin_mm) * POINTS_PER_MM * MAX_PHOTO_SHARE

    planned: dict[Module, PhotoPlan] = {}

    def photos(module: Module) -> PhotoPlan:
        # Once per module: the template asks for the plan, and so does its column plan.
        if module not in planned:
            spans = {n: grid.span_pt(n) for n in range(1, module.columns + 1)}
            pieces = [set_lines(module, piece) for piece in module.pieces] if module.captions else []
            lines, complete = known_blocks(module, pieces) if settings.metrics is not None else (None, False)
            planned[module] = plan_photos(module.captions, module.columns, settings.pictures, spans, pitch, photo_room,
                                       body_lines=lines, body_pt=settings.paper.body_size, body_complete=complete)
        return planned[module]

    def columns(module: Module) -> ColumnPlan:
        # The body takes the columns its photos leave, or those beside them and then all (typeset.photos).
        pieces = [set_lines(module, piece) for piece in module.pieces]
        plan = photos(module)
        if plan.deck is not None:
            column_plan = plan_decks(module, pieces, plan.deck, plan.body_columns, grid.measure_em)
        else:
            column_plan = plan_columns(dataclasses.replace(module, columns=plan.body_columns), pieces, grid.measure_em)
        return column_plan if settings.column_boxes else dataclasses.replace(column_plan, boxes=False)

    def figure(caption: Caption) -> Figure:
        """A caption no article holds, with its photo across the page."""
        spans = {n: grid.span_pt(n) for n in range(1, grid.columns + 1)}
        plan = plan_photos([caption], grid.columns, settings.pictures, spans, pitch, photo_room)
        return (*plan.above, *plan.side, *plan.alone)[0]

    def title(text: str, kind: str, module: Module) -> Markup:
        return set_title(text, kind, grid.span_pt(module.columns), typography, settings.metrics)

    def spaced(module: Module) -> bool:
        return module.spaced and spaced_fits(module.article.headline or "", grid.span_pt(module.columns),
                                             typography, settings.metrics)

    sections = section_heads(page)
    try:
        template = env.get_template("page.html")
        return template.render(
            mark_typography=typography,
            page=page, edition=edition, publication=settings.publication, paper=settings.paper,
            sheets=sheets, jump_words=jump_words(edition),
            masthead_pt=masthead_size(settings.publication.name, settings.paper),
            banner_pt=banner_size(page.articles[0].headline or "" if page.articles else "", settings.paper),
            banner_fills=banner_fills(page.articles[0].headline or "" if page.articles else "", settings.paper),
            date_text=date_text, weekday=weekday, date_iso=date_iso,
            grid_css=Markup(grid_css(settings.paper, edition)), grid=grid, plan_columns=columns, title=title,
            spaced=spaced, plan_photos=photos, caption_figure=figure,
            section_head=sections.get, byline_text=byline_text, section=settings.section,
            stylesheets=[Markup(css) for css in settings.stylesheets],
        )
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}", "layouts") from None
    except jinja2.sandbox.SecurityError as exc:
        raise RenderError(f"template refused: {exc}", *template_place(exc)) from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"template error: {exc.message}", "layouts/page.html") from None
