"""Tests for pipeline.checks.typography: line reconstruction and clreq figures from glyph positions."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.checks.typography import (
    FLUSH_TOLERANCE,
    Glyph,
    Line,
    _agreeing,
    analyse_lines,
    analyse_pdf,
    build_lines,
    read_glyphs,
)
from pipeline.editions import Typography
from pipeline.typeset.marks import mark_text

STYLES = Path(__file__).resolve().parents[1] / "styles" / "typography.css"
EM = 10.0
TEXT = ("五年来，在临汾市委、市政府的坚强领导下，洪洞县委、县政府坚持以新时代中国特色社会主义思想为指引，"
        "团结带领全县广大党员和干部群众，认真推动中央和省、市重大决策部署落地见效。"
        "成功申报“国家级小麦绿色高质高效行动示范县”；被评为“全国平安农机示范县”。") * 2


def row(text: str, left: float, y: float, pitch: float = EM) -> list[Glyph]:
    """Glyphs of one line set solid from ``left``, each ``pitch`` apart."""
    return [Glyph(char, left + index * pitch, y, EM, EM) for index, char in enumerate(text)]


def column(texts: list[str], left: float = 0.0, width: int = 10, indent: set[int] | None = None,
           top: float = 500.0) -> list[Glyph]:
    """A column of lines; full lines are justified to ``width`` em, others set solid."""
    glyphs: list[Glyph] = []
    for number, text in enumerate(texts):
        start = left + (2 * EM if number in (indent or set()) else 0.0)
        measure = left + width * EM - start
        full = len(text) * EM >= measure - EM
        pitch = (measure - EM) / (len(text) - 1) if full and len(text) > 1 else EM
        glyphs += row(text, start, top - number * 15, pitch)
    return glyphs


def render(body: str, align: str = "justify", lang: str = "zh-Hans",
           font: str = "Noto Serif CJK SC") -> bytes:
    import weasyprint

    from pipeline.engine.justify import justification

    css = STYLES.read_text(encoding="utf-8")
    document = (
        f"<html lang='{lang}'><style>{css} body {{ font-family: '{font}'; font-size: 10pt }} "
        f"div {{ width: 27em; column-count: 2; column-gap: 1em }} "
        f"p {{ text-align: {align}; margin: 0; text-indent: 2em }}</style><div>{body}</div></html>"
    )
    with justification():
        return weasyprint.HTML(string=document).write_pdf()


# --- lines ----------------------------------------------------------------------------------


def test_lines_follow_content_order_and_split_at_baseline_or_backward_moves() -> None:
    glyphs = row("一二三", 0, 100) + row("四五", 0, 85) + row("六七", 200, 100)
    assert [line.text for line in build_lines(glyphs)] == ["一二三", "四五", "六七"]


def test_a_wide_gap_splits_a_line() -> None:
    glyphs = row("一二", 0, 100) + row("三四", 100, 100)
    assert [line.text for line in build_lines(glyphs)] == ["一二", "三四"]


# --- line starts and ends -------------------------------------------------------------------


def test_ligature_components_are_spread_out() -> None:
    # Noto CJK draws —— as one glyph; PDF text gives both dashes its origin.
    glyphs = row("一二", 0, 100) + [Glyph("—", 20, 100, EM, EM), Glyph("—", 20, 100, EM, EM)]
    (line,) = build_lines(glyphs)
    assert line.right == 40


def test_forbidden_starts_and_ends_per_level() -> None:
    lines = build_lines(column(["一二三四五六七八九“", "，十一二三四五六七八", "——九十一二三四五六"]))
    basic = analyse_lines(lines, 1, "basic")
    assert basic.forbidden_starts == ("，十一二三四五六七八",)
    assert basic.forbidden_ends == ("一二三四五六七八九“",)
    strict = analyse_lines(lines, 1, "strict")
    assert len(strict.forbidden_starts) == 2
    none = analyse_lines(lines, 1, "none")
    assert none.forbidden_starts == () and none.forbidden_ends == ()


# --- measure ----------------------------------------------------------------------------------


def test_final_lines_are_not_held_to_the_measure() -> None:
    texts = ["一二三四五六七八", "九十一二三四五六七八", "九十一二", "一二三四五六七八", "九十一二三四五六七八", "九十"]
    report = analyse_lines(build_lines(column(texts, indent={0, 3})), 1)
    assert report.nonfinal_lines == 4
    assert report.off_measure == ()


def test_short_non_final_lines_are_reported() -> None:
    texts = ["一二三四五六七八", "九十一二三四五", "九十一二三四五六七八", "九十一二"]
    report = analyse_lines(build_lines(column(texts, indent={0})), 1)
    assert report.nonfinal_lines == 3
    assert report.off_lines == ("九十一二三四五",)
    assert report.off_measure == (pytest.approx(3 * EM),)


def test_a_half_width_opening_mark_at_a_line_start_is_on_the_measure() -> None:
    # The halt feature moves such a mark's origin half an em left of the column edge.
    texts = ["一二三四五六七八", "九十一二三四五六七八", "“十一二三四五六七八", "九十一二三四五六七八", "九十"]
    glyphs = column(texts, indent={0})
    shifted = [Glyph(g.char, g.x - EM / 2, g.y, g.advance, g.em) if g.char == "“" else g
               for g in glyphs]
    report = analyse_lines(build_lines(shifted), 1)
    assert report.nonfinal_lines == 4


# --- punctuation widths -------------------------------------------------------------------


def test_pair_and_isolated_widths_subtract_justification() -> None:
    slack = 0.7
    glyphs = [
        Glyph("好", 0.0, 100, EM, EM),
        Glyph("。", 10.0 + slack, 100, EM, EM),
        Glyph("”", 15.0 + slack, 100, EM, EM),  # 。 set half width
        Glyph("好", 25.0 + 2 * slack, 100, EM, EM),
        Glyph("好", 35.0 + 3 * slack, 100, EM, EM),
        Glyph("，", 45.0 + 4 * slack, 100, EM, EM),
        Glyph("好", 55.0 + 5 * slack, 100, EM, EM),
    ]
    report = analyse_lines([Line(tuple(glyphs))], 1)
    assert report.pair_texts == ("。”",)
    assert report.pair_widths == (pytest.approx(1.5),)
    assert report.isolated_widths == (pytest.approx(1.0),)


def test_rendered_pairs_are_compressed_only_where_the_edition_asks() -> None:
    def figures(typography: Typography) -> tuple[float, ...]:
        body = f"<p>{mark_text(TEXT, typography)}</p>"
        return analyse_pdf(render(body)).pair_widths

    compressed, full = figures(Typography()), figures(Typography(compress=False))
    assert len(compressed) == len(full) == 4  # ”； and ”。, twice
    assert all(width == pytest.approx(1.5, abs=0.05) for width in compressed)
    assert all(width == pytest.approx(2.0, abs=0.05) for width in full)


def test_rendered_ragged_text_is_caught_and_justified_text_passes(tmp_path: Path) -> None:
    body = f"<p>{mark_text(TEXT, Typography())}</p>"
    ragged = analyse_pdf(render(body, align="left"))
    assert ragged.nonfinal_lines >= 10
    assert ragged.flush_ratio < 0.9
    path = tmp_path / "justified.pdf"
    path.write_bytes(render(body))
    justified = analyse_pdf(path)
    assert justified.flush_ratio == 1.0
    assert justified.isolated_full_ratio == 1.0
    assert justified.forbidden_starts == justified.forbidden_ends == 0
    assert justified.path == str(path)


def test_invisible_characters_are_not_glyphs() -> None:
    glyphs = read_glyphs(render(f"<p>{mark_text('他说：“好。”再见——', Typography())}</p>"))
    assert "".join(glyph.char for glyph in glyphs[0]) == "他说：“好。”再见——"


# --- report -------------------------------------------------------------------------------


def test_report_serialises_and_reads() -> None:
    report = analyse_pdf(render(f"<p>{mark_text(TEXT, Typography())}</p>", align="left"))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["pages"][0]["page"] == 1
    assert set(data) >= {"forbidden_starts", "forbidden_ends", "flush_ratio", "compressed_ratio",
                         "isolated_full_ratio", "nonfinal_lines", "pages"}
    text = report.format()
    assert "non-final body lines flush within 0.5 pt" in text
    assert "off by" in text
    assert report.to_dict()["flush_ratio"] == round(report.flush_ratio, 4)


def test_single_character_last_lines_are_counted() -> None:
    texts = ["一二三四五六七八", "九十一二三四五六七八", "九。", "一二三四五六七八", "九十一二三四五六七八", "九十"]
    report = analyse_lines(build_lines(column(texts, indent={0, 3})), 1)
    assert report.final_lines == 2
    assert report.lone_final_lines == ("九。",)


def test_each_grid_on_a_page_has_its_own_measure() -> None:
    # An article in 10 em columns, a title, then one in 9.8 em columns starting 1 pt further
    # right: each line is held to its own column, not to the other article's.
    upper = column(["一二三四五六七八", "九十一二三四五六七八", "九十一二三四五六七八", "九十"],
                   left=0.0, width=10, indent={0})
    title = [Glyph(char, 10 + 24 * index, 420, 24, 24) for index, char in enumerate("标题")]
    lower = column(["一二三四五六七八", "九十一二三四五六七八", "九十一二三四五六七八", "九十"],
                   left=1.0, width=9.8, indent={0}, top=380)
    report = analyse_lines(build_lines(upper + title + lower), 1)
    assert report.nonfinal_lines == 6
    assert report.off_measure == ()
    assert report.final_lines == 2


# Points that sit on the tolerance's edges from one another (0.25 apart), and a hair past them.
_EDGY = st.builds(lambda base, step, hair: base + step * 0.05 + hair,
                  st.sampled_from([0.0, 71.3, 283.46456692913387, 1000.1]), st.integers(0, 40),
                  st.sampled_from([0.0, 1e-13, -1e-13, 5e-15, 0.1]))


@given(st.lists(st.one_of(_EDGY, st.floats(-1e4, 1e4)), max_size=60))
@example([10.0, 10.25, 10.5, 10.0 + 0.25 + 1e-13])
# Pairs where rounding parts the two ways of asking: 128.15… - 127.90… rounds above 0.25, while
# 127.90… + 0.25 rounds to 128.15…; 0.44… - 0.19… rounds to 0.25, while 0.44… - 0.25 rounds above 0.19….
@example([127.90096209922397, 128.150962099224])
@example([0.4428399775987524, 0.19283997759875235])
@example([283.46456692913387 + 0.05 * n for n in range(12)])
def test_agreeing_counts_what_the_pairwise_sum_counts(values: list[float]) -> None:
    tolerance = FLUSH_TOLERANCE / 2
    assert _agreeing(values, tolerance) == [sum(abs(other - value) <= tolerance for other in values)
                                            for value in values]


@given(st.lists(st.tuples(st.sampled_from("甲乙。，“"), st.floats(0, 500), st.sampled_from([9.5, 10.0, 12.0, 24.0])),
                min_size=1, max_size=12))
def test_a_lines_text_and_em_are_its_glyphs_joined_and_their_median(cells: list[tuple[str, float, float]]) -> None:
    line = Line(tuple(Glyph(char, x, 0.0, em, em) for char, x, em in cells))
    assert line.text == "".join(char for char, _, _ in cells)
    assert line.em == statistics.median(em for _, _, em in cells)
    assert line == Line(line.glyphs) and hash(line) == hash(Line(line.glyphs))


@given(st.lists(st.tuples(st.sampled_from("甲乙。，“A1"), st.floats(0, 500), st.sampled_from([9.5, 10.0, 12.0])),
                min_size=1, max_size=12))
def test_a_lines_gap_extras_are_its_solid_pairs_gaps_worked_out_once(cells: list[tuple[str, float, float]]) -> None:
    from pipeline.text.chars import is_solid_wide

    line = Line(tuple(Glyph(char, x, 0.0, em, em) for char, x, em in cells))
    expected = tuple(right.x - left.x - left.advance for left, right in zip(line.glyphs, line.glyphs[1:], strict=False)
                     if is_solid_wide(left.char) and is_solid_wide(right.char))
    assert line.gap_extras() == expected and line.gap_extras() is line.gap_extras()
    assert line.slack() == (max(0.0, statistics.median(expected)) if expected else 0.0)
    assert line == Line(line.glyphs)  # what it worked out is not part of what it is


def test_a_line_without_a_gutter_is_its_own_block() -> None:
    from pipeline.checks.typography import split_at_gutters

    line = Line(tuple(row("汉字排版", 0, 0)))
    assert split_at_gutters(line) == [line] and split_at_gutters(line)[0] is line
    apart = Line(tuple(row("汉字", 0, 0) + row("排版", 35, 0)))
    assert [block.text for block in split_at_gutters(apart)] == ["汉字", "排版"]


NAN = float("nan")


@given(st.lists(st.lists(st.sampled_from([9.5, 9.54, 9.46, 9.55, 10.0, 24.0, 0.04, -0.04, 0.0, -0.0, NAN,
                                          float("inf")]), min_size=1, max_size=6), max_size=8))
@example([[9.54, 9.46, 10.0, 10.0]])  # two sizes that round alike outnumber a third
@example([[9.5, NAN, NAN]])  # one NaN twice is two sizes
def test_the_body_size_is_the_commonest_rounded_size_first_seen_first(sizes: list[list[float]]) -> None:
    from pipeline.checks.typography import body_em

    # The one NaN object drawn again and again: glyphs sharing it count alike only when rounded one by one.
    lines = [Line(tuple(Glyph("汉", 10.0 * n, 0.0, em, em) for n, em in enumerate(line))) for line in sizes]
    rounded = Counter(round(glyph.em, 1) for line in lines for glyph in line.glyphs)
    expected = rounded.most_common(1)[0][0] if rounded else 0.0
    found = body_em(lines)
    assert repr(found) == repr(expected)
