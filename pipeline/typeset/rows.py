"""Give each story the columns its lines fill, and set short stories side by side in one row.

A story of four lines spread over a page's six columns prints one line a column and its byline
alone in the last (``18-sports``); papers set it in one or two columns, next to other short
stories. Once the line breaker has set a sheet's stories, each story's *need* is the columns it
fills with at least ``MIN_COLUMN_LINES`` lines each (one at least, and no more than
``html.group_rows`` gave it: a long story it set beside another stays there).
Stories then fill rows in reading order, as many side by side as their needs allow; a row's
spare columns go, one at a time, to the story with the most lines per column, so every row is
the page's width and no story gets a column it would leave nearly empty while another is deep.

A sheet keeps the rows ``html.group_rows`` planned when one of its stories' lines are not all
known (a piece WeasyPrint breaks) or a story jumps to or from another page (pagination cuts the
rows it planned itself). A story holding a photo keeps the columns it was planned with
(``typeset.photos`` fits the photo to them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # html imports this module to lay its sheets out
    from .html import Module

__all__ = ["MIN_COLUMN_LINES", "column_need", "fit_rows"]

MIN_COLUMN_LINES = 4
"""The fewest lines a story's column should hold: below it the story takes fewer columns."""


def column_need(blocks: int, columns: int) -> int:
    """The columns ``blocks`` lines fill with at least ``MIN_COLUMN_LINES`` each, within 1..``columns``.

    >>> column_need(4, 6), column_need(8, 6), column_need(11, 6), column_need(40, 6)
    (1, 2, 2, 6)
    """
    return max(1, min(columns, blocks // MIN_COLUMN_LINES))


def fit_rows(rows: Sequence[Sequence[Module]], blocks_of: Callable[[Module], int | None],
             columns: int) -> tuple[tuple[Module, ...], ...]:
    """Re-share a sheet's rows so each story takes the columns its lines need (see the module's docstring).

    ``blocks_of`` gives a story's body blocks (lines, byline lines) or None when they are not known.
    """
    stories = [module for modules in rows for module in modules]
    counts = [blocks_of(module) for module in stories]
    if any(count is None or module.jump_from is not None or module.jump_to is not None
           for module, count in zip(stories, counts, strict=True)):
        return tuple(tuple(modules) for modules in rows)
    fitted: list[tuple[Module, ...]] = []
    row: list[tuple[Module, int, int]] = []  # (story, blocks, columns given)

    def close() -> None:
        if not row:
            return
        spare = columns - sum(given for _, _, given in row)
        while spare > 0:
            deepest = max(range(len(row)), key=lambda i: (row[i][1] / row[i][2], -i))
            story, blocks, given = row[deepest]
            row[deepest] = (story, blocks, given + 1)
            spare -= 1
        fitted.append(tuple(dataclasses.replace(story, columns=given) for story, _, given in row))
        row.clear()

    for module, blocks in zip(stories, counts, strict=True):
        assert blocks is not None
        photo = any(caption.image for caption in module.captions)
        # Never more than planned: group_rows sets long stories side by side on purpose.
        need = min(module.columns, columns) if photo else min(module.columns, column_need(blocks, columns))
        if sum(given for _, _, given in row) + need > columns:
            close()
        row.append((module, blocks, need))
    close()
    return tuple(fitted)
