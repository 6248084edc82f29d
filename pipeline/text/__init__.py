"""Turn a page's decoded text into a structured Page: reflow, repair, structure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Page
from .reflow import reflow_lines
from .repair import repair_blocks
from .structure import build_page

if TYPE_CHECKING:
    from ..model import Sidecar


def parse_text(text: str, source: str, sidecar: Sidecar | None = None) -> Page:
    """Run the text stages on one page: reflow_lines → repair_blocks → build_page."""
    blocks, reflow_repairs = reflow_lines(text)
    blocks, block_repairs = repair_blocks(blocks)
    return build_page(blocks, source, reflow_repairs + block_repairs, sidecar)
