"""Parsing grows linearly with the page: work is counted (function calls), never timed."""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.sampler import make_page_text

from pipeline.model import Block
from pipeline.text import parse_text, structure
from pipeline.text.reflow import ends_sentence, reflow_lines
from pipeline.text.repair import _moved, repair_blocks

SAMPLE = (Path(__file__).parent / "data" / "hongdong" / "source.txt").read_text(encoding="utf-8")
COPIES = (SAMPLE.rstrip("\n") + "\n\n")


def _work(text: str) -> int:
    """Function calls (Python and C) made while parsing ``text``: a deterministic measure of work."""
    calls = 0

    def count(_frame: FrameType, _event: str, _arg: Any) -> None:
        nonlocal calls
        calls += 1

    previous = sys.getprofile()
    sys.setprofile(count)
    try:
        parse_text(text, "big.txt")
    finally:
        sys.setprofile(previous)
    return calls


COLUMN_TOPS = ("金秋时节话丰收\n\n县第五届农民丰收节开幕\n\n"
               "“今年的苹果个头大、口感好，一天就卖了\n两百多斤。”果农老周说。\n\n"
               "两万余名群众参加活动\n本报讯（记者 聂 青）九月二十三日，县第五届\n农民丰收节在东坪村开幕。\n\n")
"""A stack over the first column's top with the next column's first lines read inside it: every copy
merges two drafts (``_merge_column_tops``)."""


@pytest.mark.parametrize("shape", ["sample-repeated", "generated-pages", "single-line", "column-tops"])
def test_eight_times_the_page_is_at_most_ten_times_the_work(shape: str) -> None:
    """Linear: 8× the input costs about 8× the calls (the quadratic title matching cost 11–14× here)."""
    if shape == "sample-repeated":
        small, big = COPIES * 3, COPIES * 24
    elif shape == "single-line":
        # A page that lost its line breaks (issue 12, item 9): one line of 24 K and 192 K characters.
        line = "".join(SAMPLE.split())
        small, big = line * 4 + "\n", line * 32 + "\n"
    elif shape == "column-tops":
        small, big = COLUMN_TOPS * 40, COLUMN_TOPS * 320
    else:
        pages = [make_page_text(7, index) for index in range(64)]
        small, big = "\n\n".join(pages[:8]), "\n\n".join(pages)
    _work(small)  # lazy set-up (the word segmenter's dictionary) is not the page's work
    assert _work(big) <= 10 * _work(small)


def test_title_matching_scores_a_bounded_number_of_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each title group is scored against the articles near it, not against every article of the page."""
    scored = 0
    real = structure._score_grams

    def counting(*args: Any) -> float:
        nonlocal scored
        scored += 1
        return real(*args)

    monkeypatch.setattr(structure, "_score_grams", counting)
    parse_text(COPIES * 12, "big.txt")
    few = scored
    scored = 0
    page = parse_text(COPIES * 24, "big.txt")
    assert len(page.articles) >= 7 * 24
    assert scored <= 2.5 * few  # all-pairs scoring would be about 4×


def test_many_bracketed_groups_end_a_sentence_without_recursion() -> None:
    text = "（甲）" * 20000
    assert ends_sentence(text)
    assert not ends_sentence("被评为" + "（甲）" * 20000)
    assert ends_sentence("好。" + "（乙）" * 20000)


def test_a_long_paragraph_of_bracketed_lines_joins_whole() -> None:
    # Names wrapped inside an open bracket keep a space; the join looks only at the text's end.
    lines = ["（李安安洛宇峰徐静张三 "] + ["洛宇峰徐静张三李安安 "] * 3000 + ["王五李安安洛宇峰张三）"]
    blocks, _repairs = reflow_lines("\n".join(lines))
    assert len(blocks) == 1
    assert blocks[0].text == " ".join(line.strip() for line in lines)
    assert blocks[0].starts[:3] == (0, 12, 23)


def _moved_one(offset: int, shifts: list[tuple[int, int, int]]) -> int:
    """The plain definition: every edit before the offset shifts it; one around it pins it to its start."""
    moved = offset
    for start, end, change in shifts:
        if end <= offset:
            moved += change
        elif start < offset:
            moved -= offset - start
    return moved


@st.composite
def _edits(draw: st.DrawFn) -> tuple[list[int], list[tuple[int, int, int]]]:
    cuts = sorted(draw(st.lists(st.integers(0, 60), max_size=12)))
    shifts = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        shifts.append((start, end, draw(st.integers(-(end - start), 4))))
    starts = sorted(draw(st.lists(st.integers(0, 60), max_size=8)))
    return starts, shifts


@given(_edits())
def test_line_starts_move_as_the_plain_definition_says(case: tuple[list[int], list[tuple[int, int, int]]]) -> None:
    starts, shifts = case
    assert _moved(tuple(starts), shifts) == tuple(_moved_one(offset, shifts) for offset in starts)


def test_repairs_in_a_block_of_many_lines_name_their_lines() -> None:
    lines = tuple(range(1, 2001))
    text = "".join(f"第 {n}行" for n in lines)
    starts = tuple(text.index(f"第 {n}行") for n in lines)
    blocks, repairs = repair_blocks([Block(text, lines, starts)])
    assert [r.line for r in repairs if r.kind == "space-removed"] == list(lines)
    assert blocks[0].text == "".join(f"第{n}行" for n in lines)
    assert blocks[0].starts == tuple(blocks[0].text.index(f"第{n}行") for n in lines)
