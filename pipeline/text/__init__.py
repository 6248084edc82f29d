"""Turn a page's decoded text into a structured Page: reflow, repair, structure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Page
from ..timing import Stopwatch
from .reflow import reflow_lines
from .repair import repair_blocks
from .structure import build_page

if TYPE_CHECKING:
    from ..model import Sidecar


def parse_text(text: str, source: str, sidecar: Sidecar | None = None, watch: Stopwatch | None = None) -> Page:
    """Run the text stages on one page: reflow_lines → repair_blocks → build_page.

    ``watch`` times each stage (``-v``).
    """
    watch = watch or Stopwatch()
    with watch.stage("reflow"):
        blocks, reflow_repairs = reflow_lines(text)
    with watch.stage("repair"):
        blocks, block_repairs = repair_blocks(blocks)
    with watch.stage("structure"):
        return build_page(blocks, source, reflow_repairs + block_repairs, sidecar)
