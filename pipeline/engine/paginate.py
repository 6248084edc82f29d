"""Paginate a page: lay it out and render until every printed sheet fits its page, with jump lines.

The first sheet that runs onto a second page is cut where its first page ended
(下转/上接), and the sheets are planned again; a side-by-side row that a break
would cut is set full width instead.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..editions import Edition
from ..model import Page

if TYPE_CHECKING:  # the layout imports Jinja2: the build's cache reads Numbering without it
    from ..typeset.html import Break


@dataclass(frozen=True, slots=True)
class Numbering:
    """A page's place in the edition: its first page number and the edition's page total."""

    first: int = 1
    total: int = 1


MAX_PAGINATION_PASSES = 12
"""Layout passes before giving up on jump lines: a pass settles a printed page or backs a break off."""


def paginate(page: Page, edition: Edition, settings: Any, env: Any, numbering: Numbering,
             render: Callable[[str], tuple[Any, list[str], list[str]]],
             hint: Sequence[Break] = (), hint_solo: Sequence[int] = (), read_total: list[bool] | None = None,
             ) -> tuple[str, Any, list[str], list[Break], set[int]]:
    """Lay the page out until every printed sheet fits its page, cutting articles with jump lines.

    Each pass renders the planned sheets; the first sheet that ran onto a
    second page gets a break where its first page ended (下转/上接), and the
    sheets are planned again. ``hint`` and ``hint_solo`` (the breaks and
    unpaired stories of an earlier render of the same content) are the first
    pass's plan. Returns the final HTML, document, warnings, breaks and
    unpaired stories.  ``read_total`` (a one-element list) is set to whether the final pass's
    layout read a sheet's ``folio.total``: when it did not, the page is the same under any total.
    """
    from ..engine.render import find_page_ends, find_page_sheets
    from ..typeset.html import Break, align_offset, layout_page, plan_sheets

    breaks: list[Break] = list(hint)
    solo: set[int] = set(hint_solo)
    warnings: list[str] = []
    paper = settings.paper
    line = max(4, int((paper.width_mm - 2 * paper.margin_mm) / 25.4 * 72 / paper.columns / paper.body_size) - 2)
    """About a column line's worth of characters: the first step back when a jump line did not fit."""
    backoff = line
    for _ in range(MAX_PAGINATION_PASSES):
        sheets = plan_sheets(page, settings.paper.columns, breaks, first_number=numbering.first,
                             total=numbering.total, solo=solo)
        if read_total is not None:
            read_total[:] = [False]
            sheets = tuple(dataclasses.replace(sheet, folio=_watched_folio(sheet.folio, read_total))
                           for sheet in sheets)
        html = layout_page(page, edition, settings, env, sheets)
        document, warnings, refused = render(html)
        warnings = warnings + [f"refused to fetch {url}" for url in refused]
        cut_short = _rows_cut_short(document, page, sheets, solo)
        if cut_short:
            # A side-by-side row is a pair of floats, and WeasyPrint drops what of a float runs past
            # the page foot instead of carrying it over: set those stories full width, where the
            # page break can fall inside one of them with a jump line.
            solo.update(cut_short)
            continue
        if len(document.pages) <= len(sheets):
            return html, document, warnings, breaks, solo
        # Breaks after the first overflowing sheet were measured on the old flow; later passes find them again.
        owners = find_page_sheets(document)
        overflow = next(i for i in range(1, len(owners)) if owners[i] == owners[i - 1])
        end = find_page_ends(document)[overflow - 1]
        if end is None:
            break
        article, paragraph, start, rendered = end
        text = page.articles[article].paragraphs[paragraph].text
        new = Break(article, paragraph, start + align_offset(text[start:], rendered))
        sheet_index = (owners[overflow] or numbering.first) - numbering.first
        cut_row = _row_cut(new, sheets[sheet_index]) or _row_after(new, page, sheets[sheet_index])
        if cut_row and not set(cut_row) <= solo:
            # A page break through two stories set side by side would leave both halves dangling, and a
            # row pushed whole to the next page leaves a hole: set them full width instead, where the
            # break can fall inside one of them with a jump line.
            solo.update(cut_row)
            continue
        if sheet_index + 1 >= settings.paper.pages:
            # Past the page budget the build fails its check anyway: no more passes for jump lines;
            # the rest follows the natural flow, every character still printed.
            html, document, warnings = _in_natural_flow(page, edition, settings, env, sheets, render)
            warnings.append(f"over the page budget of {settings.paper.pages}: "
                            "pages after it follow the natural flow without jump lines")
            return html, document, warnings, breaks, solo
        if new in breaks:
            # The text fitted but what follows it (the jump line, a byline) did not:
            # give back a little more text each time until it does.
            new = Break(new.article, new.paragraph, max(0, new.offset - backoff))
            backoff *= 2
        else:
            backoff = line
        breaks = [*breaks[:sheet_index], new]
    if len(document.pages) > len(sheets):
        html, document, warnings = _in_natural_flow(page, edition, settings, env, sheets, render)
    warnings.append("jump lines could not be fitted; pages follow the natural flow")
    return html, document, warnings, breaks, solo


def _in_natural_flow(page: Page, edition: Edition, settings: Any, env: Any, sheets: Sequence[Any],
                     render: Callable[[str], tuple[Any, list[str], list[str]]]) -> tuple[str, Any, list[str]]:
    """The sheets laid out in CSS columns, for a page that runs on past its sheets: a module whose
    columns are boxes side by side (``typeset.html.ColumnPlan.explicit``) would print the tops
    of its columns on one page and their feet on the next; CSS columns carry it on in reading order."""
    from ..typeset.html import layout_page

    html = layout_page(page, edition, dataclasses.replace(settings, column_boxes=False), env, sheets)
    document, warnings, refused = render(html)
    return html, document, warnings + [f"refused to fetch {url}" for url in refused]


@functools.cache
def _watching_folio_class() -> type:
    from ..typeset.html import Folio

    class WatchedFolio(Folio):
        """A folio that notes in ``seen`` when anything reads its ``total`` (the templates, mostly)."""

        __slots__ = ("seen",)

        def __getattribute__(self, name: str) -> Any:
            if name == "total":
                object.__getattribute__(self, "seen")[0] = True
            return object.__getattribute__(self, name)

    return WatchedFolio


def _watched_folio(folio: Any, seen: list[bool]) -> Any:
    watched = _watching_folio_class()(folio.number, folio.total)
    object.__setattr__(watched, "seen", seen)
    return watched


def _rows_cut_short(document: Any, page: Page, sheets: Sequence[Any], solo: set[int]) -> set[int]:
    """The stories of side-by-side rows (not yet set full width) whose text did not all reach the pages."""
    from ..engine.render import find_paragraph_texts
    from ..model import counted_chars

    paired = {module.index for sheet in sheets for row in sheet.rows if len(row) > 1
              for module in row if module.index not in solo}
    if not paired:
        return set()
    printed = {index: counted_chars("") for index in paired}
    for (article, _, _), text in find_paragraph_texts(document):
        if article in printed:
            printed[article].update(counted_chars(text))
    short = set()
    for index in paired:
        expected = counted_chars("".join(p.text for p in page.articles[index].paragraphs))
        if expected - printed[index]:
            short.add(index)
    return {module.index for sheet in sheets for row in sheet.rows if len(row) > 1
            if any(module.index in short for module in row) for module in row}


def _row_after(cut: Break, page: Page, sheet: Any) -> tuple[int, ...]:
    """The side-by-side row right after ``cut`` when ``cut`` ends a story, or ()."""
    paragraphs = page.articles[cut.article].paragraphs
    if not paragraphs or cut.paragraph != len(paragraphs) - 1 or cut.offset < len(paragraphs[-1].text):
        return ()
    for number, row in enumerate(sheet.rows[:-1]):
        if any(module.index == cut.article for module in row) and len(sheet.rows[number + 1]) > 1:
            return tuple(module.index for module in sheet.rows[number + 1])
    return ()


def _row_cut(cut: Break, sheet: Any) -> tuple[int, ...]:
    """The article indices of the side-by-side row that ``cut`` falls inside, or ()."""
    for row in sheet.rows:
        if len(row) > 1 and any(module.index == cut.article for module in row):
            return tuple(module.index for module in row)
    return ()
