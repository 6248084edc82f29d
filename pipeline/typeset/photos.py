"""Place a page's photos in their articles, cut to whole grid columns and whole body lines.

A caption belongs to the article its source line falls in (or the nearest one before it: OCR
puts a photo's caption after the story it illustrates). Its photo spans whole columns of the
page grid and a whole number of body lines, so the text beside and under it stays on the
baseline grid; the image is scaled to cover that box and cropped at its edges (CSS
``object-fit: cover``), never distorted. A caption without a photo is set as a caption line
under its article's body, not as an empty frame.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Caption, Page

POINTS_PER_INCH = 72.0

PORTRAIT_COLUMNS = 2
"""Columns a photo spans when the sidecar does not say: an upright or square photo."""
LANDSCAPE_COLUMNS = 3
"""…and a landscape one (wider than ``LANDSCAPE_RATIO`` times its height)."""
LANDSCAPE_RATIO = 1.2

MAX_DEPTH_RATIO = 1.5
"""The deepest crop: a photo is at most 1.5 times as tall as it is wide (taller ones lose top and bottom)."""
MIN_DEPTH_RATIO = 0.4
"""The shallowest crop: at least 0.4 of its width tall (a panorama loses its sides)."""
MIN_LINES = 3
"""A photo is at least this many body lines tall."""
CROP_KEEP = 0.6
"""Cropping to fit the text beside it keeps at least this share of the photo's height (or width)."""


@dataclass(frozen=True, slots=True)
class Picture:
    """An image file as the layout needs it: the URL the HTML names it by, and its upright size in pixels."""

    url: str
    width_px: int
    height_px: int


@dataclass(frozen=True, slots=True)
class Figure:
    """A caption as set: with its photo cut to ``columns`` columns × ``lines`` body lines, or alone."""

    caption: Caption
    picture: Picture | None = None
    columns: int = 0
    width_pt: float = 0.0
    height_pt: float = 0.0
    lines: int = 0

    @property
    def ppi(self) -> float:
        """The photo's effective resolution as printed: pixels per inch of the box it covers.

        >>> round(Figure(Caption("c"), Picture("a.png", 300, 600), 1, 144.0, 144.0, 10).ppi)
        150
        """
        if self.picture is None or not self.width_pt or not self.height_pt:
            return 0.0
        scale = max(self.width_pt / self.picture.width_px, self.height_pt / self.picture.height_px)
        return POINTS_PER_INCH / scale


@dataclass(frozen=True, slots=True)
class PhotoPlan:
    """How one module sets its captions.

    ``side`` photos are narrower than the module: they stand in a cell of ``side_columns``
    columns at the left, the body in the other ``body_columns`` beside them. ``above`` photos
    are as wide as the module and stand over its body; an article's several photos stand over it
    side by side in ``rows``. ``alone`` are captions without a photo, set as caption lines under
    the body.
    """

    body_columns: int
    side: tuple[Figure, ...] = ()
    above: tuple[Figure, ...] = ()
    alone: tuple[Figure, ...] = ()
    rows: tuple[tuple[Figure, ...], ...] = ()
    """An article's several photos, side by side over its body: each row fills the module's columns,
    each photo cut to whole columns of it and to the row's common depth, its caption under it."""
    deck: int | None = None
    """For a body longer than the photo beside it: the body blocks set beside the photo (as many
    lines in each of ``body_columns`` columns as the photo, caption and credit are tall); the
    rest runs below in all the module's columns. None: the whole body stands beside the photo."""

    @property
    def side_columns(self) -> int:
        return max((figure.columns for figure in self.side), default=0)


def caption_article(page: Page, caption: Caption) -> int | None:
    """The index of the article a caption belongs to (None on a page without articles).

    The article whose source lines span the caption's first line; else the last article that
    starts before it; else the first.

    >>> from pipeline.model import Article, Paragraph
    >>> a = Article((Paragraph("甲", lines=(3, 4)),), headline="一")
    >>> b = Article((Paragraph("乙", lines=(10, 12)),), headline="二")
    >>> page = Page("p", (a, b))
    >>> [caption_article(page, Caption("图", lines=(n,))) for n in (1, 5, 11, 40)]
    [0, 0, 1, 1]
    """
    if not page.articles:
        return None
    if not caption.lines:
        return 0
    line = caption.lines[0]
    spans = [(index, min(lines), max(lines)) for index, article in enumerate(page.articles)
             if (lines := [n for paragraph in article.paragraphs for n in paragraph.lines])]
    inside = [index for index, first, last in spans if first <= line <= last]
    if inside:
        return inside[-1]
    before = [index for index, first, _ in spans if first <= line]
    return before[-1] if before else 0


def captions_by_article(page: Page) -> tuple[dict[int, tuple[Caption, ...]], tuple[Caption, ...]]:
    """The page's captions grouped by the article they belong to, and those belonging to none."""
    grouped: dict[int, list[Caption]] = {}
    loose: list[Caption] = []
    for caption in page.captions:
        index = caption_article(page, caption)
        if index is None:
            loose.append(caption)
        else:
            grouped.setdefault(index, []).append(caption)
    return {index: tuple(found) for index, found in grouped.items()}, tuple(loose)


def photo_columns(caption: Caption, picture: Picture, module_columns: int) -> int:
    """The columns a photo spans: the sidecar's ``columns``, else by its shape; never more than the module's.

    >>> [photo_columns(Caption("c"), Picture("a.png", w, h), 6) for w, h in ((308, 430), (800, 400))]
    [2, 3]
    >>> photo_columns(Caption("c", columns=5), Picture("a.png", 308, 430), 4)
    4
    """
    wanted = caption.columns
    if wanted is None:
        wanted = LANDSCAPE_COLUMNS if picture.width_px > LANDSCAPE_RATIO * picture.height_px else PORTRAIT_COLUMNS
    return max(1, min(wanted, module_columns))


def place_figure(caption: Caption, picture: Picture, columns: int, width_pt: float, pitch_pt: float,
                 max_height_pt: float, target_lines: int | None = None) -> Figure:
    """Cut a photo to ``width_pt`` (its ``columns``) by a whole number of body lines, near its own shape.

    With ``target_lines`` (the body lines it should match, beside it) the crop moves toward that
    height, keeping ``CROP_KEEP`` of the photo at least.

    >>> figure = place_figure(Caption("c"), Picture("a.png", 308, 430), 2, 318.25, 14.25, 700)
    >>> figure.lines, figure.height_pt  # 318.25 × 430 / 308 = 444.3 pt, 31.2 lines
    (31, 441.75)
    >>> place_figure(Caption("c"), Picture("a.png", 100, 1000), 1, 100, 10, 700).lines  # at most 1.5 × wide
    15
    """
    natural = width_pt * picture.height_px / max(1, picture.width_px)
    wanted = natural if target_lines is None else target_lines * pitch_pt
    low = max(MIN_DEPTH_RATIO * width_pt, CROP_KEEP * natural if target_lines is not None else 0.0)
    high = min(MAX_DEPTH_RATIO * width_pt, natural / CROP_KEEP if target_lines is not None else natural)
    height = min(max(wanted, low), max(high, low), max_height_pt)
    most = max(MIN_LINES, int(max_height_pt / pitch_pt))
    lines = min(most, max(MIN_LINES, round(height / pitch_pt)))
    return Figure(caption, picture, columns, width_pt, lines * pitch_pt, lines)


def plan_photos(captions: Sequence[Caption], module_columns: int, pictures: Mapping[str, Picture],
                span_pt: Mapping[int, float] | None = None, pitch_pt: float = 14.25,
                max_height_pt: float = 700.0, body_lines: int | None = None, body_pt: float = 9.5,
                body_complete: bool = True) -> PhotoPlan:
    """Set a module's captions: each photo beside or above the body, captions without one alone.

    ``span_pt`` gives the width of n columns (the grid's ``span_pt``) for n up to the module's.
    ``body_lines`` is the body's length in lines of one column, when the line breaker set it.
    A body no longer than the photo beside it stands beside it: the photo then takes the
    columns (unless the sidecar gives them) and the crop that make photo, caption and credit
    as tall as the body. A longer body fills the columns beside the photo to its foot and
    runs on below in all the module's columns (``deck``). ``body_complete`` is False when only
    the first ``body_lines`` are known (WeasyPrint breaks a piece that runs on to a later page).
    Without known lines, or too few, a photo stands above the body at its own width: a body
    beside it in a row WeasyPrint cannot break across pages would push the row off the page.

    >>> plan = plan_photos([Caption("图", image="a.png")], 6, {"a.png": Picture("x.png", 308, 430)},
    ...                    {n: 100.0 * n for n in range(1, 7)}, body_lines=40)
    >>> plan.body_columns, plan.side_columns, [f.lines for f in plan.side], plan.deck  # 7 + 1 lines, 5 × 8 beside
    (5, 1, [7], None)
    >>> plan_photos([Caption("图", image="a.png")], 6, {"a.png": Picture("x.png", 308, 430)},
    ...             {n: 100.0 * n for n in range(1, 7)}, body_lines=400).deck  # (20 + 1) lines × 4 columns
    84
    >>> plan_photos([Caption("图")], 6, {}).alone[0].picture is None
    True
    """
    spans = span_pt or {}
    alone = tuple(Figure(c) for c in captions if not (c.image and c.image in pictures))
    pictured = [c for c in captions if c.image and c.image in pictures]
    if len(pictured) > 1 and module_columns > 1:
        rows = photo_rows(pictured, module_columns, pictures, spans, pitch_pt, max_height_pt)
        return PhotoPlan(module_columns, rows=rows, alone=alone)
    side: list[Figure] = []
    above: list[Figure] = []
    for caption in pictured:
        picture = pictures[caption.image or ""]
        columns = photo_columns(caption, picture, module_columns)
        width = spans.get(columns, 0.0)
        natural = place_figure(caption, picture, columns, width, pitch_pt, max_height_pt)
        if columns >= module_columns or body_lines is None or len(pictured) > 1:
            above.append(natural)  # as wide as the module, or lines unknown, or several: over the body
            continue
        beside = (natural.lines + _under(caption, width, body_pt)) * (module_columns - columns)
        if body_lines > beside or not body_complete:
            if body_lines >= beside:
                return PhotoPlan(module_columns - columns, (natural,), deck=beside, alone=alone)
            above.append(natural)
            continue
        choices = [columns] if caption.columns is not None else range(1, module_columns)
        columns, target = min(((n, _beside(caption, n, module_columns, body_lines, spans, body_pt)) for n in choices),
                              key=lambda c: (abs(_natural_lines(picture, spans.get(c[0], 0.0), pitch_pt) - c[1]),
                                             abs(c[0] - columns)))
        side.append(place_figure(caption, picture, columns, spans.get(columns, 0.0), pitch_pt, max_height_pt, target))
    body = module_columns - max((figure.columns for figure in side), default=0)
    return PhotoPlan(body, tuple(side), tuple(above), alone)


def photo_rows(captions: Sequence[Caption], module_columns: int, pictures: Mapping[str, Picture],
               span_pt: Mapping[int, float], pitch_pt: float, max_height_pt: float) -> tuple[tuple[Figure, ...], ...]:
    """An article's photos in rows across its ``module_columns``, in order, side by side.

    A row holds as many photos as the module has columns (more make rows as even as they come),
    and shares the module's columns out among them in proportion
    to their shapes (wider photos get more, and at one depth they need little crop; one column at
    least, and a sidecar's ``columns`` kept where the row leaves room), so the row spans the
    module; a photo alone in a row keeps its own columns (``photo_columns``: the sidecar's, else
    by its shape). All photos of a row are cut to one depth, whole body lines, the one nearest
    their own depths that every crop allows.

    >>> pictures = {"a": Picture("a.png", 900, 600), "b": Picture("b.png", 600, 800), "c": Picture("c.png", 800, 800)}
    >>> rows = photo_rows([Caption("甲", image=k) for k in "abc"], 6, pictures,
    ...                   {n: 100.0 * n for n in range(1, 7)}, 10.0, 700.0)
    >>> [[(f.columns, f.lines) for f in row] for row in rows]  # by shape 2.8, 1.4, 1.8; 1.5 × one column deep
    [[(3, 15), (1, 15), (2, 15)]]
    >>> [len(row) for row in photo_rows([Caption("甲", image="c")] * 5, 2, pictures, {1: 100.0, 2: 210.0}, 10.0, 700.0)]
    [2, 2, 1]
    """
    wanted = [photo_columns(caption, pictures[caption.image or ""], module_columns) for caption in captions]
    count = len(captions)
    rows_needed = -(-count // module_columns)  # a column at least each: rows as even as they come
    base, extra = divmod(count, rows_needed)
    sizes = [base + (k < extra) for k in range(rows_needed)]  # the fuller rows first
    groups = [list(range(sum(sizes[:k]), sum(sizes[:k + 1]))) for k in range(rows_needed)]
    rows = []
    for group in groups:
        members = [captions[i] for i in group]
        shares = [wanted[group[0]]] if len(group) == 1 else _share_columns(  # a photo alone keeps its width
            [pictures[c.image or ""] for c in members], [c.columns for c in members], module_columns)
        rows.append(_even_row(members, shares, pictures, span_pt, pitch_pt, max_height_pt))
    return tuple(rows)


def _share_columns(shapes: Sequence[Picture], fixed: Sequence[int | None], columns: int) -> list[int]:
    """Share ``columns`` out among a row's photos by their width-to-height ratios (largest remainders),
    one at least each; a photo the sidecar sized keeps its columns when the others leave room.

    >>> _share_columns([Picture("a", 900, 600), Picture("b", 600, 800)], [None, None], 6)
    [4, 2]
    >>> _share_columns([Picture("a", 900, 600), Picture("b", 600, 800)], [None, 1], 5)
    [4, 1]
    """
    kept = {i: min(n, columns) for i, n in enumerate(fixed) if n is not None}
    if sum(kept.values()) + (len(shapes) - len(kept)) > columns:
        kept = {}
    free = [i for i in range(len(shapes)) if i not in kept]
    room = columns - sum(kept.values())
    if not free:
        return [kept[i] for i in range(len(shapes))]
    ratios = [shapes[i].width_px / max(1, shapes[i].height_px) for i in free]
    exact = [room * ratio / sum(ratios) for ratio in ratios]
    given = [max(1, int(value)) for value in exact]
    while sum(given) > room:  # the ones raised to a column took it from the widest
        given[max(range(len(given)), key=lambda k: (given[k], -k))] -= 1
    order = sorted(range(len(free)), key=lambda k: (-(exact[k] - int(exact[k])), k))
    for k in order[:room - sum(given)]:
        given[k] += 1
    shares = dict(kept)
    shares.update(zip(free, given, strict=True))
    return [shares[i] for i in range(len(shapes))]


def _even_row(captions: Sequence[Caption], shares: Sequence[int], pictures: Mapping[str, Picture],
              span_pt: Mapping[int, float], pitch_pt: float, max_height_pt: float) -> tuple[Figure, ...]:
    """Cut a row's photos to their columns and one depth in body lines (each photo's own when no
    common depth keeps every crop within ``MIN_DEPTH_RATIO``–``MAX_DEPTH_RATIO`` of its width)."""
    widths = [span_pt.get(n, 0.0) for n in shares]
    natural = [w * pictures[c.image or ""].height_px / max(1, pictures[c.image or ""].width_px) / pitch_pt
               for c, w in zip(captions, widths, strict=True)]
    most = max(MIN_LINES, int(max_height_pt / pitch_pt))
    low = max([MIN_LINES, *(-(-MIN_DEPTH_RATIO * w // pitch_pt) for w in widths)])
    high = min([most, *(MAX_DEPTH_RATIO * w // pitch_pt for w in widths)])
    depth = round(statistics.median(natural))
    if low <= high:
        lines = int(min(max(depth, low), high))
        return tuple(Figure(c, pictures[c.image or ""], n, w, lines * pitch_pt, lines)
                     for c, n, w in zip(captions, shares, widths, strict=True))
    return tuple(place_figure(c, pictures[c.image or ""], n, w, pitch_pt, max_height_pt)
                 for c, n, w in zip(captions, shares, widths, strict=True))


def _natural_lines(picture: Picture, width_pt: float, pitch_pt: float) -> float:
    return width_pt * picture.height_px / max(1, picture.width_px) / pitch_pt


def _beside(caption: Caption, columns: int, module_columns: int, body_lines: int, spans: Mapping[int, float],
            body_pt: float) -> int:
    """The photo lines that match the body beside it: its height less the caption's and credit's lines."""
    body = -(-body_lines // max(1, module_columns - columns))
    return max(MIN_LINES, body - _under(caption, spans.get(columns, 0.0), body_pt))


def _under(caption: Caption, width_pt: float, body_pt: float) -> int:
    """The lines the caption and credit take under a photo ``width_pt`` wide (one body em a character)."""
    per_line = max(1, int(width_pt / body_pt))
    return -(-len(caption.text) // per_line) + (1 if caption.credit else 0)
